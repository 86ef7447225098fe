"""The move form on a team's page (app/team.py), as HTML: the inputs of workshop.moveform's Form, each
with the problems and warnings of the last check right under it, the running totals against the
team's budget and forces, the moves in words and the move file the form makes.

Without a script the form works by posting: **Check the moves** shows every problem at its input,
**Add a row** adds an entry, **Submit the form's moves** stores the file if it is legal. With
scripts on, the page asks the server (`/team/check`, the same check) as the team types and updates
the messages, totals and preview in place; **Add a row** then adds the row in the page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape

from workshop.moveform import Form, FormCheck, Input, Section, Values, rows_of

STYLE = """
#moveform fieldset { border: 1px solid #ccd; border-radius: 4px; margin: 10px 0; max-width: 60em; }
#moveform legend { font-weight: bold; } #moveform table { border-collapse: collapse; }
#moveform td, #moveform th { padding: 2px 6px; vertical-align: top; text-align: left; font-size: 16px; }
#moveform select, #moveform input { font-size: 16px; max-width: 18em; }
#moveform input[type=number] { width: 7em; } #moveform .bad-input { outline: 2px solid #b00020; }
ul.msgs { margin: 2px 0; padding-left: 1.1em; font-size: 15px; } ul.msgs:empty { display: none; }
ul.msgs li.bad { color: #b00020; } ul.msgs li.warn { color: #8a5a00; }
#totals .over { color: #b00020; font-weight: bold; } #preview { background: #f4f4f7; padding: 6px 6px 6px 1.6em; }
"""

SCRIPT = """
(() => {
const form = document.getElementById('moveform');
if (!form) return;
const fmt = x => String(Math.round(x * 1000) / 1000);
const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function show(r) {
  form.querySelectorAll('ul.msgs').forEach(u => { u.innerHTML = ''; });
  form.querySelectorAll('.bad-input').forEach(e => {
    e.classList.remove('bad-input'); e.removeAttribute('aria-invalid');
  });
  const lists = {};
  form.querySelectorAll('ul.msgs').forEach(u => { lists[u.dataset.for] = u; });
  for (const [cls, found] of [['bad', r.problems], ['warn', r.warnings]])
    for (const [where, msgs] of Object.entries(found)) {
      const u = lists[where] || lists[''];
      for (const m of msgs) u.insertAdjacentHTML('beforeend', '<li class="' + cls + '">' + esc(m) + '</li>');
      const inp = form.elements.namedItem(where);
      if (cls === 'bad' && inp && inp.classList) {
        inp.classList.add('bad-input'); inp.setAttribute('aria-invalid', 'true');
      }
    }
  document.getElementById('preview').innerHTML = r.preview.length
    ? r.preview.map(l => '<li>' + esc(l) + '</li>').join('') : '<li>' + esc(form.dataset.empty) + '</li>';
  document.getElementById('formyaml').textContent = r.text;
  form.querySelectorAll('[data-spent]').forEach(e => {
    const v = r.spent_usd_m[Number(e.dataset.spent)] || 0;
    e.textContent = fmt(v); e.parentElement.classList.toggle('over', v > Number(e.dataset.of) + 1e-9);
  });
  const t = document.getElementById('troops-sent');
  if (t) {
    t.textContent = fmt(r.troops_sent);
    t.parentElement.classList.toggle('over', r.troops_sent > Number(t.dataset.of) + 1e-9);
  }
}
let timer = null, asked = 0;
function check() {
  const n = ++asked;
  fetch(form.dataset.check, {method: 'POST', body: new URLSearchParams(new FormData(form)), cache: 'no-store'})
    .then(r => r.ok ? r.json() : null).then(r => { if (r && n === asked) show(r); }).catch(() => {});
}
form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 400); });
form.querySelectorAll('button[name=add]').forEach(b => b.addEventListener('click', ev => {
  ev.preventDefault();
  const body = document.getElementById('rows-' + b.value), last = body.lastElementChild;
  const next = 1 + Math.max(...Array.from(body.children, tr => Number(tr.dataset.row)));
  const row = last.cloneNode(true);
  row.dataset.row = String(next);
  row.querySelectorAll('[name]').forEach(e => { e.name = e.name.replace(/\\.\\d+\\./, '.' + next + '.'); e.value = '';
    e.classList.remove('bad-input'); e.removeAttribute('aria-invalid'); });
  row.querySelectorAll('ul.msgs').forEach(u => { u.innerHTML = '';
    u.dataset.for = u.dataset.for.replace(/^([^.]+)\\.\\d+/, '$1.' + next); });
  body.appendChild(row);
}));
})();
"""


def _messages(name: str, checked: FormCheck | None) -> str:
    items = ""
    if checked is not None:
        items = "".join(f'<li class="bad">{escape(m)}</li>' for m in checked.problems.get(name, ()))
        items += "".join(f'<li class="warn">{escape(m)}</li>' for m in checked.warnings.get(name, ()))
    return f'<ul class="msgs" data-for="{escape(name)}">{items}</ul>'


def _input(inp: Input, name: str, value: str, checked: FormCheck | None, label: str) -> str:
    bad = ' class="bad-input" aria-invalid="true"' if checked and name in checked.problems else ""
    attrs = f'name="{escape(name)}" aria-label="{escape(label)}"{bad}'
    if inp.kind == "choice":
        blank = escape(inp.placeholder) if inp.placeholder else "(choose)"
        options = [f'<option value="">{blank}</option>']
        known = {c.value for c in inp.choices}
        if value and value not in known:  # a value the form does not offer (a stored file's): kept, and checked
            options.append(f'<option value="{escape(value)}" selected>{escape(value)}</option>')
        options += [
            f'<option value="{escape(c.value)}"{" selected" if c.value == value else ""}>{escape(c.label)}</option>'
            for c in inp.choices
        ]
        return f"<select {attrs}>{''.join(options)}</select>"
    if inp.kind == "number":
        bounds = "".join(f' {k}="{v:g}"' for k, v in (("min", inp.minimum), ("max", inp.maximum)) if v is not None)
        hint = f' placeholder="{escape(inp.placeholder)}"' if inp.placeholder else ""
        # type=text with inputmode: a browser would silently blank a number it cannot read; the check names it
        return (
            f'<input type="text" inputmode="decimal" {attrs} value="{escape(value)}"{hint} data-kind="number"{bounds}>'
        )
    return f'<input type="text" {attrs} value="{escape(value)}">'


def _list_rows(sec: Section, values: Values, add: bool) -> list[int]:
    """The rows to show: those filled, then the blank ones posted (at least one), one more if asked."""
    posted = rows_of(sec, values)
    filled = [r for r in posted if any(values.get(f"{sec.key}.{r}.{i.field}", "").strip() for i in sec.inputs)]
    blanks = [r for r in posted if r not in filled]
    want = max(1, len(blanks)) + (1 if add else 0)
    blanks, following = blanks[:want], max(posted, default=-1) + 1
    while len(blanks) < want:
        blanks.append(following)
        following += 1
    return filled + blanks


def _section_html(sec: Section, values: Values, checked: FormCheck | None, add: str) -> str:
    head = (
        f'<fieldset id="sec-{escape(sec.key)}"><legend>{escape(sec.title)}</legend>'
        f'<div class="note">e.g. <code>{escape(sec.example)}</code></div>'
    )
    if sec.shape == "value":
        inp = sec.inputs[0]
        rng = f" ({inp.minimum:g} to {inp.maximum:g})" if inp.minimum is not None and inp.maximum is not None else ""
        return (
            head
            + f"<label>{escape(sec.title)}{rng}: "
            + _input(inp, sec.key, values.get(sec.key, ""), checked, sec.title)
            + f"</label>{_messages(sec.key, checked)}</fieldset>"
        )
    cols = "".join(
        f"<th>{escape(i.field)}{'' if i.required or sec.shape == 'table' else ' (optional)'}</th>" for i in sec.inputs
    )
    body = []
    if sec.shape == "table":
        for row in sec.rows:
            base = f"{sec.key}.{row.value}"
            cells = "".join(
                f"<td>{
                    _input(
                        i, f'{base}.{i.field}', values.get(f'{base}.{i.field}', ''), checked, f'{row.label}, {i.field}'
                    )
                }{_messages(f'{base}.{i.field}', checked)}</td>"
                for i in sec.inputs
            )
            body.append(f"<tr><th>{escape(row.label)}</th>{cells}<td>{_messages(base, checked)}</td></tr>")
        table = f"<table><thead><tr><th>state</th>{cols}<th></th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        return head + table + _messages(sec.key, checked) + "</fieldset>"
    for r in _list_rows(sec, values, add == sec.key):
        base = f"{sec.key}.{r}"
        cells = "".join(
            f"<td>{
                _input(
                    i,
                    f'{base}.{i.field}',
                    values.get(f'{base}.{i.field}', ''),
                    checked,
                    f'{sec.title} {r + 1}, {i.field}',
                )
            }{_messages(f'{base}.{i.field}', checked)}</td>"
            for i in sec.inputs
        )
        body.append(f'<tr data-row="{r}">{cells}<td>{_messages(base, checked)}</td></tr>')
    return (
        head + f'<table><thead><tr>{cols}<th></th></tr></thead><tbody id="rows-{escape(sec.key)}">'
        f'{"".join(body)}</tbody></table><button type="submit" name="add" value="{escape(sec.key)}" '
        f"formnovalidate>Add a row</button>{_messages(sec.key, checked)}</fieldset>"
    )


def _totals_html(form: Form, checked: FormCheck | None) -> str:
    if not form.channels:
        return ""
    spent = checked.spent_usd_m if checked and checked.spent_usd_m else (0.0,) * len(form.channels)
    money = " · ".join(
        f'<span{" class=over" if s > b + 1e-9 else ""}>{escape(ch)} <b data-spent="{c}" data-of="{b:g}">{s:g}</b> '
        f"of {b:g}</span>"
        for c, (ch, s, b) in enumerate(zip(form.channels, spent, form.budget_usd_m, strict=True))
    )
    sent = checked.troops_sent if checked else 0.0
    available = form.troops_available or 0.0
    over = " class=over" if sent > available + 1e-9 else ""
    return (
        f'<p id="totals">Money per month (US$ m), given against the budget: {money}<br>'
        f'<span{over}>Troops sent: <b id="troops-sent" data-of="{available:g}">{sent:g}</b> of '
        f"{available:g} available</span></p>"
    )


def form_html(
    form: Form, values: Values, checked: FormCheck | None, action: str, check_url: str, said: str = "", add: str = ""
) -> str:
    """The move form: `action` is the URL it posts to, `check_url` the live check's, `said` the HTML of
    what the last submission of the form came to (shown by the submit button), `add` a list key to
    give one more blank row."""
    empty = "No moves: the scenario's policy plays for your team."
    preview = (checked.preview if checked else []) or [empty]
    sections = "".join(_section_html(sec, values, checked, add) for sec in form.sections)
    return (
        f'<form id="moveform" method="post" action="{escape(action)}#moveform" '
        f'data-check="{escape(check_url)}" data-empty="{escape(empty)}"><input type="hidden" name="via" '
        f'value="form"><input type="hidden" name="turn" value="{form.turn}">{_messages("", checked)}'
        f'<p><label>Note (your team and the facilitator only): <input type="text" name="note" size="60" '
        f'value="{escape(values.get("note", ""))}"></label></p>{_totals_html(form, checked)}{sections}'
        f'<h3>What these moves will do</h3><ul id="preview">'
        + "".join(f"<li>{escape(line)}</li>" for line in preview)
        + "</ul>"
        f'<p><button type="submit" name="do" value="check">Check the moves</button> '
        f'<button type="submit" name="do" value="submit">Submit the form&#x27;s moves</button></p>{said}'
        f'<details><summary>The move file this form makes</summary><pre class="moves" id="formyaml">'
        f"{escape(checked.text if checked else '')}</pre></details></form>"
    )


def form_values(fields: Mapping[str, list[str]]) -> dict[str, str]:
    """A posted form's values (the first of each name), lines joined as the browser sends them."""
    return {k: v[0].replace("\r\n", "\n") for k, v in fields.items() if v and k not in ("via", "do", "add")}


def check_json(checked: FormCheck) -> str:
    """The live check's answer."""
    return json.dumps(checked.to_json())
