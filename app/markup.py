"""HTML for the page's text panels (the event feed, the selected state's facts and its scores), built as one
string each so a month's update is one widget change rather than dozens. Every piece of text is
escaped: names and causes come from data files and the model, never as markup."""

from __future__ import annotations

from html import escape

from analysis.colors import NO_POWER, power_color
from app.i18n import SOURCE, WorldNames, number, term_label, tr
from app.plain import headline_in, plain_cause
from app.session import EventLine, StateDetails, month_label
from app.settings import Settings
from sim.core.vocabulary import TERM_LABELS, TERMS


def _span(text: str, css: str) -> str:
    return f'<span class="{css}">{escape(text)}</span>'


def events_html(lines: list[EventLine], month: int, lang: str = SOURCE, names: WorldNames | None = None) -> str:
    """The feed, newest first; this month's events are highlighted. In another language than
    English the headline and the plain sentence are translated (`names`: the world's names in it)
    and the model's cause is labelled as English."""
    if not lines:
        return _span(tr("events.none", lang), "sahel-note")
    rows = []
    for line in lines:
        css = "sahel-event sahel-event-new" if line.step == month else "sahel-event"
        headline, plain = line.headline, line.plain
        if lang != SOURCE and names is not None:
            headline = headline_in(
                lang,
                line.type,
                line.headline,
                {"state": line.state, "power": line.power, "bloc": line.bloc, "base": line.base},
                names,
            )
            plain = plain_cause(line.cause, lang)
        parts = [_span(month_label(line.date, lang), "sahel-event-date"), _span(headline, "sahel-event-headline")]
        if line.scripted:
            parts.append(_span(tr("events.scripted", lang), "sahel-event-tag"))
        if line.cause:
            parts.append(_span(tr("events.cause_prefix", lang) + line.cause, "sahel-event-cause"))
        if plain:
            parts.append(_span(plain, "sahel-event-plain"))
        rows.append(f'<div class="{css}">{"".join(parts)}</div>')
    return "".join(rows)


def partner_name(code: str, names: dict[str, str], lang: str = SOURCE) -> str:
    """'Russia', or 'none'."""
    return names.get(code, code) if code != NO_POWER else tr("facts.none", lang)


def _term(t: str, lang: str) -> str:
    label = term_label(t, TERM_LABELS[t], lang)
    return label[0].upper() + label[1:]


def why_html(terms: dict[str, dict[str, float]], names: dict[str, str], state_name: str, lang: str = SOURCE) -> str:
    """The seven signed weighted terms with which a government scored each power this month, one
    row per power with its total (the score its affinity drifts towards), as the lessons quote
    them: '+1.20'; costs are negative. The largest term for and against each power is bold."""
    if all(abs(v) < 1e-12 for row in terms.values() for v in row.values()):
        return _span(tr("why.first_month", lang, state=state_name), "sahel-note")
    head = "".join(f"<th>{escape(_term(t, lang))}</th>" for t in TERMS)
    rows = []
    for p, row in sorted(terms.items(), key=lambda kv: -sum(kv[1].values())):
        top, bottom = max(row.values()), min(row.values())
        cells = []
        for t in TERMS:
            value = row[t]
            strong = (value == top and value > 0.05) or (value == bottom and value < -0.05)
            text = "0" if abs(value) < 0.005 else number(value, "+.2f", lang)
            cells.append(f"<td><b>{text}</b></td>" if strong else f"<td>{text}</td>")
        total = number(sum(row.values()), "+.2f", lang)
        rows.append(
            f'<tr><th scope="row"><span class="sahel-chip" style="background:{escape(power_color(p))}">'
            f"</span>{escape(names.get(p, p))}</th>{''.join(cells)}<td><b>{total}</b></td></tr>"
        )
    return (
        f'<table class="sahel-why-table"><thead><tr><th>{escape(tr("why.power", lang))}</th>{head}'
        f"<th>{escape(tr('why.total', lang))}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def facts_html(
    details: StateDetails, names: dict[str, str], lang: str = SOURCE, blocs_named: dict[str, str] | None = None
) -> str:
    """Regime, leading partner, legitimacy, insurgency, blocs and troops, then one affinity bar per
    power (from -1 on the left to +1 on the right, centred on 0). `blocs_named`: bloc code -> name
    in `lang` (the codes where None)."""
    bloc = (blocs_named or {}).get
    regime = (
        tr("facts.junta", lang, months=details.months_since_coup)
        if details.regime == "junta"
        else tr("facts.civilian", lang)
    )
    none = tr("facts.none", lang)
    troops = ", ".join(f"{names.get(p, p)} {number(t, ',.0f', lang)}" for p, t in details.troops.items()) or none
    blocs = ", ".join(bloc(b, b) for b in details.blocs) or none
    if details.sanctioned_by:
        blocs += tr("facts.sanctioned", lang, blocs=", ".join(bloc(b, b) for b in details.sanctioned_by))
    facts = (
        (tr("facts.regime", lang), regime),
        (tr("facts.leading", lang), partner_name(details.leading_partner, names, lang)),
        (tr("facts.legitimacy", lang), number(details.legitimacy, ".2f", lang)),
        (tr("facts.insurgency", lang), number(details.insurgency, ".2f", lang)),
        (tr("facts.blocs", lang), blocs),
        (tr("facts.troops", lang), troops),
    )
    out = [
        '<div class="sahel-facts">',
        *(_span(k, "sahel-fact-key") + _span(v, "sahel-fact-value") for k, v in facts),
        "</div>",
        '<div class="sahel-ties">',
    ]
    for p, a in details.affinity.items():
        colour = escape(power_color(p))
        left, width = (50 + 50 * a, -50 * a) if a < 0 else (50.0, 50 * a)
        out += [
            f'<span class="sahel-chip" style="background:{colour}"></span>',
            _span(names.get(p, p), "sahel-tie-code"),
            f'<div class="sahel-bar"><div style="left:{left:.1f}%;width:{width:.1f}%;background:{colour}"></div></div>',
            _span(number(a, "+.2f", lang), "sahel-tie-value"),
        ]
    out.append("</div>")
    return "".join(out)


def settings_html(settings: Settings, command: str, lang: str = SOURCE) -> str:
    """The settings of the current run for the printed handout: world, experiment, seed, the seven
    weights of both kinds of government, the powers' knobs and the same run as a command."""
    line = tr(
        "handout.line",
        lang,
        world=escape(settings.world),
        experiment=escape(settings.experiment),
        seed=settings.seed,
        command=escape(command),
    )
    out = [
        f'<div class="sahel-settings"><h3>{escape(tr("handout.title", lang))}</h3><p>{line}</p>'
        f'<table class="sahel-table"><tr><th>{escape(tr("handout.weight", lang))}</th>'
    ]
    out += [f"<th>{escape(r)}</th>" for r in settings.weights]
    out.append("</tr>")
    for t in TERMS:
        out.append(
            f"<tr><td>{escape(term_label(t, TERM_LABELS[t], lang))}</td>"
            + "".join(f"<td>{w[t]:g}</td>" for w in settings.weights.values())
            + "</tr>"
        )
    knobs = list(next(iter(settings.powers.values()), {}))
    out.append(
        f'</table><table class="sahel-table"><tr><th>{escape(tr("handout.power", lang))}</th>'
        + "".join(f"<th>{escape(k.replace('_', ' '))}</th>" for k in knobs)
        + "</tr>"
    )
    for p, values in settings.powers.items():
        out.append(f"<tr><td>{escape(p)}</td>" + "".join(f"<td>{values[k]:g}</td>" for k in knobs) + "</tr>")
    out.append("</table></div>")
    return "".join(out)


def event_table_html(rows: list[tuple[str, list[int]]], kinds: list[str], n: int, lang: str = SOURCE) -> str:
    """The share of histories with each event type per state: one row per state (name, counts in
    the order of `kinds`), a cell 'k/n' shaded by k/n, empty when no history has that event."""
    head = "".join(f"<th>{escape(k)}</th>" for k in [tr("select.state", lang), *kinds])
    body = []
    for name, counts in rows:
        cells = "".join(
            f'<td style="background: rgba(0, 114, 178, {0.6 * c / n:.2f})">{c}/{n}</td>' if c else "<td></td>"
            for c in counts
        )
        body.append(f"<tr><th>{escape(name)}</th>{cells}</tr>")
    return f'<table class="sahel-ens-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def leader_table_html(rows: list[tuple[str, str]], title: str, lang: str = SOURCE) -> str:
    """Each state with who leads it in how many histories."""
    body = "".join(f"<tr><th>{escape(name)}</th><td>{escape(text)}</td></tr>" for name, text in rows)
    return (
        f'<table class="sahel-ens-table"><caption>{escape(title)}</caption>'
        f"<thead><tr><th>{escape(tr('select.state', lang))}</th><th>{escape(tr('ens.leading_col', lang))}</th>"
        f"</tr></thead><tbody>{body}</tbody></table>"
    )
