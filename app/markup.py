"""HTML for the page's text panels (the event feed, the selected state's facts and its scores), built as one
string each so a month's update is one widget change rather than dozens. Every piece of text is
escaped: names and causes come from data files and the model, never as markup."""

from __future__ import annotations

from html import escape

from analysis.colors import NO_POWER, power_color
from app.session import EventLine, StateDetails, month_label
from app.settings import Settings
from sim.core.vocabulary import TERM_LABELS, TERMS


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
        if line.plain:
            parts.append(_span(line.plain, "sahel-event-plain"))
        rows.append(f'<div class="{css}">{"".join(parts)}</div>')
    return "".join(rows)


def partner_name(code: str, names: dict[str, str]) -> str:
    """'Russia', or 'none'."""
    return names.get(code, code) if code != NO_POWER else "none"


def why_html(terms: dict[str, dict[str, float]], names: dict[str, str], state_name: str) -> str:
    """The seven signed weighted terms with which a government scored each power this month, one
    row per power with its total (the score its affinity drifts towards), as the lessons quote
    them: '+1.20'; costs are negative. The largest term for and against each power is bold."""
    if all(abs(v) < 1e-12 for row in terms.values() for v in row.values()):
        return _span(f"{state_name}'s government scores the powers in the first month: press Step.", "sahel-note")
    head = "".join(f"<th>{escape(TERM_LABELS[t][0].upper() + TERM_LABELS[t][1:])}</th>" for t in TERMS)
    rows = []
    for p, row in sorted(terms.items(), key=lambda kv: -sum(kv[1].values())):
        top, bottom = max(row.values()), min(row.values())
        cells = []
        for t in TERMS:
            value = row[t]
            strong = (value == top and value > 0.05) or (value == bottom and value < -0.05)
            text = "0" if abs(value) < 0.005 else f"{value:+.2f}"
            cells.append(f"<td><b>{text}</b></td>" if strong else f"<td>{text}</td>")
        total = sum(row.values())
        rows.append(f'<tr><th scope="row"><span class="sahel-chip" style="background:{escape(power_color(p))}">'
                    f"</span>{escape(names.get(p, p))}</th>{''.join(cells)}<td><b>{total:+.2f}</b></td></tr>")
    return (f'<table class="sahel-why-table"><thead><tr><th>Power</th>{head}<th>Total</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


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
        out += [f'<span class="sahel-chip" style="background:{colour}"></span>',
                _span(names.get(p, p), "sahel-tie-code"),
                f'<div class="sahel-bar"><div style="left:{left:.1f}%;width:{width:.1f}%;background:{colour}">'
                f"</div></div>", _span(f"{a:+.2f}", "sahel-tie-value")]
    out.append("</div>")
    return "".join(out)


def settings_html(settings: Settings, command: str) -> str:
    """The settings of the current run for the printed handout: world, experiment, seed, the seven
    weights of both kinds of government, the powers' knobs and the same run as a command."""
    out = [f'<div class="sahel-settings"><h3>Settings of this run</h3><p>World <b>{escape(settings.world)}</b>, '
           f"experiment <b>{escape(settings.experiment)}</b>, seed <b>{settings.seed}</b>. "
           f'Command line: <code>{escape(command)}</code></p><table class="sahel-table"><tr><th>Weight</th>']
    out += [f"<th>{escape(r)}</th>" for r in settings.weights]
    out.append("</tr>")
    for t in TERMS:
        out.append(f"<tr><td>{escape(TERM_LABELS[t])}</td>"
                   + "".join(f"<td>{w[t]:g}</td>" for w in settings.weights.values()) + "</tr>")
    knobs = list(next(iter(settings.powers.values()), {}))
    out.append('</table><table class="sahel-table"><tr><th>Power</th>'
               + "".join(f"<th>{escape(k.replace('_', ' '))}</th>" for k in knobs) + "</tr>")
    for p, values in settings.powers.items():
        out.append(f"<tr><td>{escape(p)}</td>" + "".join(f"<td>{values[k]:g}</td>" for k in knobs) + "</tr>")
    out.append("</table></div>")
    return "".join(out)


def event_table_html(rows: list[tuple[str, list[int]]], kinds: list[str], n: int) -> str:
    """The share of histories with each event type per state: one row per state (name, counts in
    the order of `kinds`), a cell 'k/n' shaded by k/n, empty when no history has that event."""
    head = "".join(f"<th>{escape(k)}</th>" for k in ["State", *kinds])
    body = []
    for name, counts in rows:
        cells = "".join(f'<td style="background: rgba(0, 114, 178, {0.6 * c / n:.2f})">{c}/{n}</td>'
                        if c else "<td></td>" for c in counts)
        body.append(f"<tr><th>{escape(name)}</th>{cells}</tr>")
    return f'<table class="sahel-ens-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def leader_table_html(rows: list[tuple[str, str]], title: str) -> str:
    """Each state with who leads it in how many histories."""
    body = "".join(f"<tr><th>{escape(name)}</th><td>{escape(text)}</td></tr>" for name, text in rows)
    return (f'<table class="sahel-ens-table"><caption>{escape(title)}</caption>'
            f"<thead><tr><th>State</th><th>Leading partner (histories)</th></tr></thead><tbody>{body}</tbody></table>")
