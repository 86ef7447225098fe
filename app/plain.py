"""Event texts in plain words for the page: the model's causes give chances as log-odds
contributions ('monthly risk 3.0% (weak legitimacy +1.19, ... in log-odds)', sim.core.explain);
the page keeps that text (the lessons quote it) and adds one sentence without the jargon. A few
headlines that use a country's name as an adjective ('Niger invites France forces') are reworded.

The plain sentence and the headline exist in every language of app/i18n.py (the sentence's
templates are its messages `plain.*`, the headlines its `events` section); the model's cause itself
stays in English.
"""

from __future__ import annotations

import re

from app.i18n import SOURCE, WorldNames, event_headline, factor_label, number, tr

#: 'monthly risk 3.0% (a +1.00, b -0.50 in log-odds)' or 'success chance 6.9% (...)' or no brackets
_CHANCE = re.compile(r"(monthly risk|success chance) ([0-9.]+)%(?: \(([^()]*) in log-odds\))?")
_FACTOR = re.compile(r"^(.*\S) ([+-][0-9.]+)$")
#: What each chance is about: its message in the catalogue.
_SUBJECT = {"monthly risk": "plain.month_chance", "success chance": "plain.success_chance"}
#: Headlines reworded in English (event type -> template over the event's names).
_HEADLINES = {
    "invite": "{state} asks {power} for more forces",
    "expel": "{state} orders the forces of {power} out",
}


def _listing(names: list[str], lang: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + tr("plain.and", lang) + names[-1]


def _drivers(factors: str, lang: str) -> str:
    """'a +1.00, b -0.50' -> 'made likelier by a, less likely by b'."""
    up, down = [], []
    for part in factors.split(", "):
        match = _FACTOR.match(part.strip())
        if match:
            (up if float(match.group(2)) > 0 else down).append(factor_label(match.group(1), lang))
    out = []
    if up:
        out.append(tr("plain.likelier", lang, names=_listing(up, lang)))
    if down:
        out.append(tr("plain.less_likely", lang, names=_listing(down, lang)))
    return ", ".join(out)


def plain_cause(cause: str, lang: str = SOURCE) -> str:
    """One sentence saying a cause's chances in plain words, or "" if it has none."""
    pieces = []
    for match in _CHANCE.finditer(cause):
        kind, percent, factors = match.groups()
        shown = percent if lang == SOURCE else number(float(percent), f".{len(percent.partition('.')[2])}f", lang)
        text = tr(_SUBJECT[kind], lang, p=shown)
        drivers = _drivers(factors, lang) if factors else ""
        pieces.append(f"{text} ({drivers})" if drivers else text)
    if not pieces:
        return ""
    if len(pieces) == 1:
        return tr("plain.one", lang, what=pieces[0])
    if len(pieces) == 2:
        return tr("plain.two", lang, first=pieces[0], second=pieces[1])
    return tr("plain.many", lang, what="; ".join(pieces))


def plain_headline(event_type: str, headline: str, names: dict[str, str]) -> str:
    """The headline, reworded where the model's wording uses a country's name as an adjective."""
    template = _HEADLINES.get(event_type)
    return template.format(**names) if template else headline


def headline_in(lang: str, event_type: str, english: str, codes: dict[str, str], names: WorldNames) -> str:
    """An event's headline in `lang` (`english`, the page's English headline, in English).
    `codes`: the event's state, power and bloc codes and its base's name ("" where it names none)."""
    if lang == SOURCE:
        return english
    template = event_headline(event_type, "", lang)
    if not template:
        return english
    state, power, bloc = codes.get("state", ""), codes.get("power", ""), codes.get("bloc", "")
    return template.format(
        state=names.states.get(state, state),
        power=names.powers_the.get(power, power),
        power_of=names.powers_of.get(power, power),
        bloc=names.blocs_the.get(bloc, bloc),
        bloc_of=names.blocs_of.get(bloc, bloc),
        base=codes.get("base", ""),
    )
