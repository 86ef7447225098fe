"""Event texts in plain words for the page: the model's causes give chances as log-odds
contributions ('monthly risk 3.0% (weak legitimacy +1.19, ... in log-odds)', sim.core.explain);
the page keeps that text (the lessons quote it) and adds one sentence without the jargon. A few
headlines that use a country's name as an adjective ('Niger invites France forces') are reworded.
"""

from __future__ import annotations

import re

#: 'monthly risk 3.0% (a +1.00, b -0.50 in log-odds)' or 'success chance 6.9% (...)' or no brackets
_CHANCE = re.compile(r"(monthly risk|success chance) ([0-9.]+)%(?: \(([^()]*) in log-odds\))?")
_FACTOR = re.compile(r"^(.*\S) ([+-][0-9.]+)$")
#: What each chance is about, in words.
_SUBJECT = {"monthly risk": "a chance of {p}% this month", "success chance": "a chance of {p}% to succeed"}
#: Headlines reworded (event type -> template over the event's names).
_HEADLINES = {
    "invite": "{state} asks {power} for more forces",
    "expel": "{state} orders the forces of {power} out",
}


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _drivers(factors: str) -> str:
    """'a +1.00, b -0.50' -> 'made likelier by a, less likely by b'."""
    up, down = [], []
    for part in factors.split(", "):
        match = _FACTOR.match(part.strip())
        if match:
            (up if float(match.group(2)) > 0 else down).append(match.group(1))
    out = []
    if up:
        out.append(f"made likelier by {_listing(up)}")
    if down:
        out.append(f"made less likely by {_listing(down)}")
    return ", ".join(out)


def plain_cause(cause: str) -> str:
    """One sentence saying a cause's chances in plain words, or "" if it has none."""
    pieces = []
    for match in _CHANCE.finditer(cause):
        kind, percent, factors = match.groups()
        text = _SUBJECT[kind].format(p=percent)
        drivers = _drivers(factors) if factors else ""
        pieces.append(f"{text} ({drivers})" if drivers else text)
    if not pieces:
        return ""
    lead = "It had " if len(pieces) == 1 else "An attempt had "
    if len(pieces) == 2:
        return f"{lead}{pieces[0]}; once tried, it had {pieces[1]}."
    return f"{lead}{'; '.join(pieces)}."


def plain_headline(event_type: str, headline: str, names: dict[str, str]) -> str:
    """The headline, reworded where the model's wording uses a country's name as an adjective."""
    template = _HEADLINES.get(event_type)
    return template.format(**names) if template else headline
