"""Self-contained HTML pages: inline CSS, figures embedded as base64 PNG, no external assets."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1000px;margin:1.5em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}
.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:.8em 0}figure img{max-width:100%}
figcaption{color:#555;font-size:.88em}.note{color:#8a5a00}.box{background:#f7f7f7;padding:.5em 1em;
border-left:4px solid #999}
@media print{@page{margin:1.5cm}body{max-width:none;margin:0;font-size:10.5pt}h2{page-break-after:avoid}
figure,tr{page-break-inside:avoid}thead{display:table-header-group}figure img{max-height:16cm}a{color:inherit}}
"""


def esc(value: Any) -> str:
    return html.escape(str(value))


def page(title: str, subtitle: str, body: Iterable[str]) -> str:
    """A complete HTML document."""
    return (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{CSS}</style></head><body><h1>{esc(title)}</h1><p class='sub'>{esc(subtitle)}</p>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def section(title: str, *parts: str) -> str:
    return f"<h2>{esc(title)}</h2>\n" + "\n".join(p for p in parts if p)


def para(text: str, cls: str = "") -> str:
    return f"<p{f' class={cls!r}' if cls else ''}>{esc(text)}</p>"


def bullets(items: Sequence[str], empty: str = "none") -> str:
    if not items:
        return para(empty)
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "none") -> str:
    """A table; numbers are right-aligned (floats shown with 2 decimals unless already text)."""
    if not rows:
        return para(empty)

    def cell(v: Any) -> str:
        if isinstance(v, bool):
            return f"<td>{'yes' if v else 'no'}</td>"
        if isinstance(v, float):
            return f"<td class='n'>{v:.2f}</td>"
        if isinstance(v, int):
            return f"<td class='n'>{v}</td>"
        return f"<td>{esc(v)}</td>"

    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(fig: Figure, caption: str, dpi: int = 100) -> str:
    """A matplotlib Figure as an embedded PNG with a caption."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"<figure><img alt='{esc(caption)}' src='data:image/png;base64,{data}'>"
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    )
