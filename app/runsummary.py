"""The headline results of one run, as a group publishes them to its class session
(app/classroom.py) and the teacher's view shows them: the settings, the date, the focus state's
leading partner (Niger, as the lessons record it), each power's influence share and the newest
key events; and that card's HTML (escaped; built from app/markup.py's helpers)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from analysis.colors import power_color
from app.markup import events_html, partner_name, settings_html
from app.session import EventLine, RunSession, event_line, month_label
from app.settings import Settings, command_line
from sim.core.vocabulary import MAIN_EVENTS

#: The state whose leading partner the card names (the lessons' tables record Niger's); a world
#: without it gives its first state.
FOCUS_STATE = "NER"
#: Key events on a card: the newest of the run's main events (sim.core.vocabulary.MAIN_EVENTS).
KEY_EVENTS = 4


@dataclass(frozen=True)
class RunSummary:
    """A run's headline results at its current month."""

    settings: Settings
    command: str
    month: int
    date: str
    focus: str  # the focus state's name
    leading_partner: str  # its leading partner's name, or 'none'
    shares: tuple[tuple[str, str, float], ...]  # (power code, name, share), largest first
    key_events: tuple[EventLine, ...]


def summarize(session: RunSession) -> RunSummary:
    """The headline results of a session's run now."""
    with session.lock:
        world = session.world
        names = dict(zip(world.powers, world.power_names, strict=True))
        focus = FOCUS_STATE if FOCUS_STATE in world.states else world.states[0]
        details = session.details(focus)
        share = session.shares[-1]
        shares = sorted(
            ((p, names[p], float(s)) for p, s in zip(world.powers, share, strict=True)), key=lambda row: -row[2]
        )
        newest = [e for e in session.model.events if e.type in MAIN_EVENTS][-KEY_EVENTS:]
        key = [event_line(world, e) for e in reversed(newest)]
        return RunSummary(
            settings=session.settings,
            command=command_line(session.settings),
            month=session.month,
            date=session.date,
            focus=details.name,
            leading_partner=partner_name(details.leading_partner, names),
            shares=tuple(shares),
            key_events=tuple(key),
        )


def summary_html(summary: RunSummary | None) -> str:
    """A group's card: settings (the command line, and every value under All settings), the date,
    the focus state's leading partner, the influence shares as bars and the key events."""
    if summary is None:
        return '<span class="sahel-note">Joined; no run published yet (it appears after its next Step or Reset).</span>'
    s = summary.settings
    bars = "".join(
        f'<div class="sahel-class-share"><span class="sahel-chip" style="background:{escape(power_color(p))}"></span>'
        f'<span>{escape(name)}</span><div class="sahel-class-bar"><div style="width:{100 * v:.1f}%;'
        f'background:{escape(power_color(p))}"></div></div><span>{v:.2f}</span></div>'
        for p, name, v in summary.shares
    )
    return (
        f'<div class="sahel-class-run"><p class="sahel-class-date"><b>{escape(month_label(summary.date))}</b>'
        f" (month {summary.month})</p>"
        f"<p>World <b>{escape(s.world)}</b>, experiment <b>{escape(s.experiment)}</b>, seed <b>{s.seed}</b></p>"
        f'<p><code class="sahel-class-command">{escape(summary.command)}</code></p>'
        f'<p>{escape(summary.focus)}\'s leading partner: <b class="sahel-class-partner">'
        f"{escape(summary.leading_partner)}</b></p>"
        f'<p class="sahel-note">Influence share of each power</p>{bars}'
        f'<p class="sahel-note">Key events, newest first</p>'
        f'<div class="sahel-events">{events_html(list(summary.key_events), summary.month)}</div>'
        f"<details><summary>All settings</summary>{settings_html(s, summary.command)}</details></div>"
    )
