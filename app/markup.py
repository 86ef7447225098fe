"""HTML for the page's text panels (the event feed and the selected state's facts), built as one
string each so a month's update is one widget change rather than dozens. Every piece of text is
escaped: names and causes come from data files and the model, never as markup."""

from __future__ import annotations

from html import escape

from analysis.colors import NO_POWER, power_color
from app.session import EventLine, StateDetails, month_label


def _span(text: str, css: str) -> str:
    return f'<span class="{css}">{escape(text)}</span>'


def events_html(lines: list[EventLine], month: int) -> str:
    """The feed, newest first; this month's events are highlighted."""
    if not lines:
        return _span("No events yet: press Step.", "sahel-note")
    rows = []
    for line in lines:
        css = "sahel-event sahel-event-new" if line.step == month else "sahel-event"
        parts = [_span(month_label(line.date), "sahel-event-date"), _span(line.headline, "sahel-event-headline")]
        if line.scripted:
            parts.append(_span("(in the scenario's script)", "sahel-event-tag"))
        if line.cause:
            parts.append(_span(line.cause, "sahel-event-cause"))
        rows.append(f'<div class="{css}">{"".join(parts)}</div>')
    return "".join(rows)


def partner_name(code: str, names: dict[str, str]) -> str:
    """'Russia (RUS)', or 'none'."""
    return f"{names.get(code, code)} ({code})" if code != NO_POWER else "none"


def facts_html(details: StateDetails, names: dict[str, str]) -> str:
    """Regime, leading partner, legitimacy, insurgency, blocs and troops, then one affinity bar per
    power (from -1 on the left to +1 on the right, centred on 0)."""
    regime = (f"junta, {details.months_since_coup} months in power" if details.regime == "junta"
              else "civilian government")
    troops = ", ".join(f"{names.get(p, p)} {t:,.0f}" for p, t in details.troops.items()) or "none"
    blocs = ", ".join(details.blocs) or "none"
    if details.sanctioned_by:
        blocs += f" (sanctioned by {', '.join(details.sanctioned_by)})"
    facts = (("Regime", regime), ("Leading partner", partner_name(details.leading_partner, names)),
             ("Legitimacy", f"{details.legitimacy:.2f}"), ("Insurgency", f"{details.insurgency:.2f}"),
             ("Blocs", blocs), ("Troops hosted", troops))
    out = ['<div class="sahel-facts">', *(_span(k, "sahel-fact-key") + _span(v, "sahel-fact-value")
                                          for k, v in facts), "</div>", '<div class="sahel-ties">']
    for p, a in details.affinity.items():
        colour = escape(power_color(p))
        left, width = (50 + 50 * a, -50 * a) if a < 0 else (50.0, 50 * a)
        out += [f'<span class="sahel-chip" style="background:{colour}"></span>', _span(p, "sahel-tie-code"),
                f'<div class="sahel-bar"><div style="left:{left:.1f}%;width:{width:.1f}%;background:{colour}">'
                f"</div></div>", _span(f"{a:+.2f}", "sahel-tie-value")]
    out.append("</div>")
    return "".join(out)
