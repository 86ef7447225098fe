"""The leakage rule (docs/validation.md, "The leakage rule"): no fact, commitment or parameter of a world
uses information dated after the world's start month (`meta.as_of`).

Every world file in scenarios/ is walked as parsed YAML (comments are not read). A breach is named by
file, field path and date. What is read as a date:

- `as_of` anywhere, and every other date-valued field (`last_coup`, `since`, ...);
- in `source` and `note` texts: timeline ids (A16, B45, C09: the date of that event in
  scenarios/reference/timeline.yaml), the publication date in a URL (/2024/05/19/, /2024-01-25-,
  allafrica's /202403180001.html, /2023/aug/05/), and written dates (`15 Sep 2024`, `Aug 2020`,
  `2024-05`, `2018-22`, a bare year such as `2021`). A date known to the month must not be after the
  start month; a bare year must not be after the start year.

Planned dates are allowed after the start in fields named `due` (commitments), `withdrawal_ends`
(presence) and `date` (scripted events), and written dates up to that planned date in the same record's
texts; such a record must carry an `as_of` (when the plan was announced) on or before the start.
URLs and timeline ids in those records are still the sources' own dates and must not be after the start.

Parameter files: conf/incentives/baseline.yaml (the defaults every world uses) must cite nothing after the
earliest world's start; the other conf/incentives/*.yaml nothing after the latest world's start (the
date a file was generated, "`python -m sim.calibrate` on YYYY-MM-DD", is not information).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
TIMELINE = SCENARIOS / "reference" / "timeline.yaml"
INCENTIVES = ROOT / "conf" / "incentives"
WORLDS = sorted(SCENARIOS.glob("*.yaml"))
# Breaches found when the rule was introduced and not yet fixed, one "file: path: date" a line. The list may only
# shrink: a new breach fails, and so does a listed one that is gone (delete its line).
KNOWN = Path(__file__).with_name("leakage_known.txt")

PLANNED_FIELDS = ("due", "withdrawal_ends")  # plus `date` inside scripted_events
TEXT_FIELDS = ("source", "note", "description")
MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"

URL = re.compile(r"https?://\S+")
TIMELINE_ID = re.compile(r"\b([ABC]\d{2})\b")
URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})[/-](\d{2})[/-]"),  # /2024/05/19/, /2024-01-25-
    re.compile(r"/((?:19|20)\d{2})/" + MONTH_RE + r"/", re.I),  # /2023/aug/05/
    re.compile(r"/stories/((?:19|20)\d{2})(\d{2})\d{6}\.html"),  # allafrica
)
TEXT_DATES = (
    # (pattern, has month): "15 Sep 2024", "Sep 2024", "September 2024"
    (re.compile(r"\b" + MONTH_RE + r"\s+((?:19|20)\d{2})\b", re.I), True),
    # ISO "2024-05" / "2024-05-19", and ranges "2018-22" / "2016-2019" (the later year counts)
    (re.compile(r"\b((?:19|20)\d{2})[-–](\d{2,4})\b"), None),
    (re.compile(r"\b((?:19|20)\d{2})\b"), False),  # a bare year
)


@dataclass(frozen=True)
class Breach:
    file: str
    path: str
    date: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.what} {self.date} is after the start"


def month(text: str) -> tuple[int, int] | None:
    """(year, month) of 'YYYY-MM' or 'YYYY-MM-DD'."""
    m = re.match(r"^((?:19|20)\d{2})-(\d{2})(?:-\d{2})?$", str(text).strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def timeline_dates() -> dict[str, tuple[int, int]]:
    events = yaml.safe_load(TIMELINE.read_text(encoding="utf-8"))["events"]
    return {e["id"]: month(str(e["date"])[:7]) for e in events}


def text_dates(text: str, timeline: dict[str, tuple[int, int]]) -> list[tuple[str, tuple[int, int | None], bool]]:
    """Dates in a source or note text: (as written, (year, month or None), is the source's own date)."""
    found = []
    for url in URL.findall(text):
        for pattern in URL_DATES:
            for m in pattern.finditer(url):
                mo = m.group(2).lower()
                found.append((m.group(0), (int(m.group(1)), MONTHS[mo[:3]] if mo[:3] in MONTHS else int(mo)), True))
    prose = URL.sub(" ", text)
    for tid in TIMELINE_ID.findall(prose):
        if tid in timeline:
            found.append((tid, timeline[tid], True))
    prose = TIMELINE_ID.sub(" ", prose)
    for pattern, has_month in TEXT_DATES:
        for m in pattern.finditer(prose):
            if has_month:
                found.append((m.group(0), (int(m.group(2)), MONTHS[m.group(1).lower()[:3]]), False))
            elif has_month is None:
                year, tail = int(m.group(1)), m.group(2)
                if len(tail) == 2 and 1 <= int(tail) <= 12:
                    found.append((m.group(0), (year, int(tail)), False))  # an ISO month
                else:  # a range: its last year
                    end = int(tail) if len(tail) == 4 else year // 100 * 100 + int(tail)
                    found.append((m.group(0), (end, None), False))
            else:
                found.append((m.group(0), (int(m.group(1)), None), False))
        prose = pattern.sub(" ", prose)
    return found


def after(date: tuple[int, int | None], start: tuple[int, int]) -> bool:
    year, mo = date
    return year > start[0] if mo is None else (year, mo) > start


def walk(node, path: str = ""):
    """Every (path, record) of mappings in a parsed YAML tree."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = v.get("code") or v.get("name") if isinstance(v, dict) else None
            yield from walk(v, f"{path}[{key if isinstance(key, str) else i}]")


def planned_limit(path: str, rec: dict) -> tuple[int, int] | None:
    """The latest planned date of a record (due, withdrawal_ends, a scripted event's date), if any."""
    dates = [month(str(rec[k])) for k in PLANNED_FIELDS if rec.get(k)]
    if path.startswith("scripted_events") and rec.get("date"):
        dates.append(month(str(rec["date"])))
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def world_breaches(path: Path, timeline: dict[str, tuple[int, int]] | None = None) -> list[Breach]:
    """Every date in a world file after its start month."""
    timeline = timeline if timeline is not None else timeline_dates()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    start = month(str(data["meta"]["as_of"]))
    assert start, f"{path.name}: meta.as_of is not a month"
    out: list[Breach] = []
    for where, rec in walk(data):
        if where == "meta":
            continue
        plan = planned_limit(where, rec)
        if plan is not None and (rec.get("as_of") is None or month(str(rec["as_of"])) is None):
            out.append(
                Breach(
                    path.name,
                    f"{where}.as_of",
                    "missing",
                    "a record with a planned date needs the as_of of its announcement:",
                )
            )
        for key, value in rec.items():
            if isinstance(value, (dict, list)) or value is None:
                continue
            field = f"{where}.{key}"
            if key in TEXT_FIELDS:
                for written, date, own in text_dates(str(value), timeline):
                    if after(date, start) and (own or plan is None or after(date, plan)):
                        out.append(Breach(path.name, field, written, "cited date"))
                continue
            if key in PLANNED_FIELDS or (key == "date" and where.startswith("scripted_events")):
                continue
            d = month(str(value)) if not isinstance(value, bool) else None
            if d and after(d, start):
                out.append(Breach(path.name, field, str(value), "date"))
    return out


def conf_breaches(path: Path, limit: tuple[int, int]) -> list[Breach]:
    """Dates cited in a parameter file's comments and values after `limit`."""
    # the date a command wrote the file on is not a cited fact (sim.calibrate's header: `COMMAND ARGS` on DATE)
    text = re.sub(r"`python -m sim\.\w+[^`]*` on \d{4}-\d{2}-\d{2}", " ", path.read_text(encoding="utf-8"))
    return [
        Breach(path.name, f"line {text[: text.find(w)].count(chr(10)) + 1}", w, "cited date")
        for w, d, _ in text_dates(text, {})
        if after(d, limit)
    ]


def world_starts() -> list[tuple[int, int]]:
    return [month(str(yaml.safe_load(p.read_text(encoding="utf-8"))["meta"]["as_of"])) for p in WORLDS]


# --- the rule applied to the project's files


def known_breaches() -> set[str]:
    lines = KNOWN.read_text(encoding="utf-8").splitlines() if KNOWN.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _key(b: Breach) -> str:
    return f"{b.file}: {b.path}: {b.date}"


@pytest.mark.parametrize("path", WORLDS, ids=[p.name for p in WORLDS])
def test_world_uses_nothing_after_its_start(path):
    known = {k for k in known_breaches() if k.startswith(path.name + ":")}
    breaches = world_breaches(path)
    new = [str(b) for b in breaches if _key(b) not in known]
    gone = known - {_key(b) for b in breaches}
    assert not new, f"{len(new)} leakage breaches:\n" + "\n".join(new)
    assert not gone, f"fixed, delete from {KNOWN.name}:\n" + "\n".join(sorted(gone))


def test_default_parameters_cite_nothing_after_the_earliest_start():
    breaches = conf_breaches(INCENTIVES / "baseline.yaml", min(world_starts()))
    assert not breaches, "\n".join(map(str, breaches))


@pytest.mark.parametrize("path", sorted(INCENTIVES.glob("*.yaml")), ids=lambda p: p.name)
def test_parameter_files_cite_nothing_after_the_latest_start(path):
    breaches = conf_breaches(path, max(world_starts()))
    assert not breaches, "\n".join(map(str, breaches))


def test_both_worlds_are_checked():
    assert {"sahel_2024.yaml", "hindcast_2020.yaml"} <= {p.name for p in WORLDS}


# --- the checker itself: each kind of breach is found, and what is allowed passes


def _world(tmp_path, body: str, as_of: str = "2024-05") -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(f"meta: {{name: w, as_of: '{as_of}'}}\n" + body, encoding="utf-8")
    return path


TIMELINE_STUB = {"A16": (2024, 4), "A22": (2024, 5), "B12": (2020, 8)}


@pytest.mark.parametrize(
    "body, path, date",
    [
        ("states:\n  - {code: MLI, as_of: '2024-06', source: x}\n", "states[MLI].as_of", "2024-06"),
        (
            "states:\n  - {code: MLI, last_coup: '2024-07', as_of: '2024-05', source: x}\n",
            "states[MLI].last_coup",
            "2024-07",
        ),
        (
            "ties:\n  - {state: MLI, as_of: '2024-05', source: 'see https://x.org/2024/06/01/story'}\n",
            "ties[0].source",
            "/2024/06/",
        ),
        (
            "ties:\n  - {state: MLI, as_of: '2024-05', source: 'allafrica https://allafrica.com/stories/202408060009.html'}\n",
            "ties[0].source",
            "/stories/202408060009.html",
        ),
        ("ties:\n  - {state: MLI, as_of: '2024-05', source: 'reported on 3 Jun 2024'}\n", "ties[0].source", "Jun 2024"),
        ("ties:\n  - {state: MLI, as_of: '2024-05', source: 'averages of 2023-25'}\n", "ties[0].source", "2023-25"),
        ("ties:\n  - {state: MLI, as_of: '2024-05', source: 'in 2025'}\n", "ties[0].source", "2025"),
        ("commitments:\n  - {due: '2025-01', source: x}\n", "commitments[0].as_of", "missing"),
        ("commitments:\n  - {due: '2025-01', as_of: '2024-06', source: x}\n", "commitments[0].as_of", "2024-06"),
        (
            "commitments:\n  - {due: '2025-01', as_of: '2024-01', source: 'then again in Mar 2026'}\n",
            "commitments[0].source",
            "Mar 2026",
        ),
    ],
)
def test_each_kind_of_breach_is_found(tmp_path, body, path, date):
    found = world_breaches(_world(tmp_path, body), TIMELINE_STUB)
    assert [(b.path, b.date) for b in found] == [(path, date)], found


def test_a_cited_timeline_event_after_the_start_is_a_breach(tmp_path):
    found = world_breaches(
        _world(tmp_path, "ties:\n  - {state: MLI, as_of: '2020-01', source: 'B12'}\n", as_of="2020-01"), TIMELINE_STUB
    )
    assert [(b.path, b.date) for b in found] == [("ties[0].source", "B12")]


def test_what_is_allowed_passes(tmp_path):
    body = (
        "presence:\n  - {state: NER, withdrawal_ends: '2024-09', as_of: '2024-05',"
        " source: 'A22: completion by 15 Sep 2024, https://x.org/2024/05/19/story'}\n"
        "scripted_events:\n  - {date: '2024-09', as_of: '2024-05', note: 'complete by 15 Sep 2024', source: A16}\n"
        "commitments:\n  - {due: '2025-01', as_of: '2024-01', source: 'one year after 28 Jan 2024, i.e. Jan 2025'}\n"
        "states:\n  - {code: MLI, as_of: '2024-05', source: 'GDP 2023, ACSS 2016-19, 2024-05-19, up to 2,000 men'}\n"
    )
    assert world_breaches(_world(tmp_path, body), TIMELINE_STUB) == []


def test_a_planned_date_does_not_excuse_a_later_source(tmp_path):
    body = "presence:\n  - {withdrawal_ends: '2024-09', as_of: '2024-05', source: 'https://x.org/2024/08/06/a'}\n"
    assert [b.date for b in world_breaches(_world(tmp_path, body), TIMELINE_STUB)] == ["/2024/08/"]


def test_a_parameter_file_citing_a_later_date_is_a_breach(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("# `python -m sim.calibrate` on 2026-11-25\n# fitted to 2020-01..2022-12\nx: 1\n", encoding="utf-8")
    assert conf_breaches(path, (2024, 5)) == []
    assert [b.date for b in conf_breaches(path, (2020, 1))] == ["2022-12"]
