"""The plausibility battery's results as a printed table and as one self-contained HTML page.

Both take the results table of `python -m sim.plausibility` (one row per ensemble and fact:
ensemble, fact, title, metric, expected, low, high, value, result, detail, tolerance, source,
as_of) and return text; nothing is written here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

RESULTS = ("pass", "fail", "n/a")
_SOURCE_WIDTH = 48

_CSS = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1300px; color: #222; line-height: 1.4; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pass td.result { background: #e3f4e3; } tr.fail td.result { background: #fbe0e0; font-weight: bold; }
tr.na td.result { background: #eee; color: #666; } .meta { color: #555; } .small { color: #555; font-size: 0.88em; }
"""


def format_value(value: Any) -> str:
    """A metric's value for the table: '-' when it does not apply, 3 significant digits otherwise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.3g}"


def summary_counts(results: pd.DataFrame) -> dict[str, int]:
    """How many checks passed, failed and did not apply."""
    counts = results["result"].value_counts()
    return {r: int(counts.get(r, 0)) for r in RESULTS}


def battery_text(results: pd.DataFrame) -> str:
    """The battery as a fixed-width, left-aligned table: ensemble, fact, expected range, model value,
    result, source (shortened), and a last line with the counts."""
    source = [s if len(s) <= _SOURCE_WIDTH else s[: _SOURCE_WIDTH - 3] + "..." for s in results["source"]]
    columns = {
        "ensemble": list(results["ensemble"]),
        "fact": list(results["fact"]),
        "expected": list(results["expected"]),
        "model": [format_value(v) for v in results["value"]],
        "result": list(results["result"]),
        "source": source,
    }
    widths = {k: max([len(k), *(len(str(v)) for v in vals)]) for k, vals in columns.items()}
    line = lambda cells: "  ".join(str(c).ljust(widths[k]) for k, c in zip(columns, cells, strict=True)).rstrip()  # noqa: E731
    lines = [line(columns), line("-" * w for w in widths.values())]
    lines += [line(row) for row in zip(*columns.values(), strict=True)]
    counts = summary_counts(results)
    lines.append(f"{counts['pass']} pass, {counts['fail']} fail, {counts['n/a']} not applicable")
    return "\n".join(lines)


def battery_html(results: pd.DataFrame, meta: Mapping[str, Any]) -> str:
    """One HTML page: what was run (meta), the counts, and one row per check with its full source,
    tolerance and detail."""
    e = html.escape
    counts = summary_counts(results)
    rows = []
    for r in results.itertuples(index=False):
        css = "na" if r.result == "n/a" else r.result
        rows.append(
            f'<tr class="{css}"><td>{e(r.ensemble)}</td><td><b>{e(r.fact)}</b><br>{e(r.title)}</td>'
            f'<td class="num">{e(r.expected)}</td><td class="num">{e(format_value(r.value))}</td>'
            f'<td class="result">{e(r.result)}</td><td class="small">{e(r.detail)}</td>'
            f'<td class="small">{e(r.tolerance)}</td><td class="small">{e(r.source)} (as of {e(r.as_of)})</td></tr>'
        )
    described = "".join(f"<li>{e(str(k))}: {e(str(v))}</li>" for k, v in meta.items())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Plausibility battery</title>'
        f"<style>{_CSS}</style></head><body>\n<h1>Plausibility battery</h1>\n"
        f"<p><b>{counts['pass']} pass, {counts['fail']} fail, {counts['n/a']} not applicable</b> "
        "(not applicable: the metric needs an event type the model does not have yet).</p>\n"
        f'<ul class="meta">{described}</ul>\n'
        "<table><thead><tr><th>Ensemble</th><th>Fact</th><th>Expected</th><th>Model</th><th>Result</th>"
        "<th>Detail</th><th>Tolerance</th><th>Source</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n</body></html>\n"
    )
