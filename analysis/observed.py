"""What actually happened, in the model's event vocabulary: the observed outcomes a hindcast is
scored against.

The reference timeline (`timeline.yaml`: dated, sourced events with their own types and free-text
actors) is mapped to the model's events by one table, `TYPE_MAP`. A few outcomes that the timeline
omits but other sourced records document are listed in `SUPPLEMENTS`, each with its source. Pure
functions over plain data: nothing here runs the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from sim.core import data_yaml
from sim.core.data_yaml import item_label
from sim.core.paths import scenario_dir
from sim.core.vocabulary import EVENTS

#: The timeline shipped with the project (a copy of the shared reference file, 2012 to May 2024).
DEFAULT_TIMELINE = scenario_dir() / "reference" / "timeline.yaml"

#: Powers of the model and how the timeline's actors name them (an actor matches if it starts with
#: the name, e.g. "Russia / Wagner Group", "United States (AFRICOM)", "France (Macron)").
POWER_NAMES: dict[str, str] = {
    "United States": "USA",
    "France": "FRA",
    "Russia": "RUS",
    "China": "CHN",
    "Turkey": "TUR",
}

#: Blocs of the model and the words that name them in an event's actors or description.
BLOC_WORDS: dict[str, tuple[str, ...]] = {"ECOWAS": ("ECOWAS",), "AES": ("AES", "Alliance of Sahel States")}

#: Timeline type -> (model event type, note). One row per timeline type that has a model counterpart;
#: every other timeline type is listed in NOT_MAPPED. What a mapped event needs besides the state (a
#: power, a bloc or nothing) is its model type's partner in the event catalogue (`sim.core.vocabulary`).
TYPE_MAP: dict[str, tuple[str, str]] = {
    "coup": ("coup", "a successful coup"),
    "military_transition": (
        "coup",
        "the army takes power and dissolves government and constitution "
        "(Chad, Apr 2021): a junta in the model's sense, so counted as a coup",
    ),
    "expulsion": ("expel", "a government orders out a power's forces (or its ambassador)"),
    "agreement_termination": (
        "expel",
        "a government denounces a power's defence or forces agreements: "
        "the model's expel; with a non-power (Algeria, the EU) not scored",
    ),
    "basing_arrival": ("deploy", "a power's forces arrive"),
    "intervention": ("deploy", "a power's forces arrive at the host's request"),
    "withdrawal": ("withdraw_complete", "the last forces leave (not scored: follows from an expulsion)"),
    "alliance_formation": ("bloc_join", "states found or join an alliance (the AES)"),
    "org_withdrawal": (
        "bloc_leave",
        "states leave a bloc; the ECOWAS exit counts when announced (see ANNOUNCED_EXIT_COUNTS)",
    ),
    "sanctions": ("sanction", "a bloc sanctions a member; sanctions by a power are not in the model"),
    "sanctions_lifted": ("sanction_lift", "a bloc lifts sanctions (not scored)"),
    "aid_suspension": ("aid_suspend", "a power suspends aid under its coup conditionality"),
}

#: Timeline types with no counterpart in the model's vocabulary.
NOT_MAPPED: dict[str, str] = {
    "coup_attempt": "failed attempts: the model records them (coup_attempt) but they change nothing, so the "
    "hindcast scores successful coups only",
    "uprising": "a popular uprising (Burkina Faso 2014), before the hindcast",
    "withdrawal_announced": "an announcement; the withdrawal itself is mapped",
    "basing_agreement": "an agreement; the arrival of forces is mapped",
    "agreement": "cooperation agreements are not events of the model",
    "trade_sanction": "AGOA removals: no trade sanctions in the model",
    "diplomatic": "diplomatic gestures",
    "statement": "statements",
    "election": "elections",
    "war": "wars",
    "massacre": "massacres",
    "military": "battles",
    "military_threat": "threats",
    "alliance_military": "a joint force of an existing alliance",
    "basing_shift": "moves within a country",
    "trade_blockade": "a trade dispute",
    "domestic_consolidation": "a junta extending its transition",
    "expulsion_announced": "an announcement; the expulsion itself is mapped",
}

#: Mali, Burkina Faso and Niger announced their exit from ECOWAS on 28 Jan 2024 (C06); under the
#: treaty it took effect a year later. The model's bloc_leave is the decision (membership ends at
#: once, no notice period), so the announcement counts as the event.
ANNOUNCED_EXIT_COUNTS = True

#: The outcomes scored by a hindcast: (type, power, bloc). Every state gets one cell for each, so
#: a non-event counts as 0. Expulsions of the UN (MINUSMA, Mali 2023) are not scored: the UN is not
#: a power of the model. Aid suspensions are scored for the US only: the timeline records no other
#: power's, and a missing record would count as a non-event.
SCORED: tuple[tuple[str, str, str], ...] = (
    ("coup", "", ""),
    ("expel", "FRA", ""),
    ("expel", "USA", ""),
    ("deploy", "RUS", ""),
    ("bloc_join", "", "AES"),
    ("bloc_leave", "", "ECOWAS"),
    ("sanction", "", "ECOWAS"),
    ("aid_suspend", "USA", ""),
)


@dataclass(frozen=True)
class Supplement:
    """An outcome the timeline omits, documented by another source."""

    id: str
    date: str
    type: str
    state: str
    power: str = ""
    bloc: str = ""
    source: str = ""
    note: str = ""


#: Outcomes missing from the timeline but documented elsewhere (facts.md or a cited report). Each
#: would otherwise be scored as a non-event.
SUPPLEMENTS: tuple[Supplement, ...] = (
    Supplement(
        "S01",
        "2021-10",
        "coup",
        "SDN",
        source="facts.md, 'Regimes in May 2024': Sudan (2021 coup); "
        "date: https://www.devdiscourse.com/article/law-order/1781873-us-halts-700-million-in-economic-support-funds-for-sudan",
        note="the military dissolves the civilian-led transitional government on 25 Oct 2021",
    ),
    Supplement(
        "S02",
        "2021-10",
        "aid_suspend",
        "SDN",
        power="USA",
        source="https://www.devdiscourse.com/article/law-order/1781873-us-halts-700-million-in-economic-support-funds-for-sudan",
        note="the US pauses $700M of economic support funds after the coup",
    ),
    Supplement(
        "S03",
        "2021-09",
        "aid_suspend",
        "GIN",
        power="USA",
        source="https://exbulletin.com/world/international/1161098/",
        note="US special-forces training of Guinean troops suspended after the coup",
    ),
    Supplement(
        "S04",
        "2023-10",
        "aid_suspend",
        "GAB",
        power="USA",
        source="https://www.theafricareport.com/325841/us-declares-toppling-of-gabons-ali-bongo-a-coup/",
        note="coup determination on 23 Oct 2023; most assistance suspended (paused since 26 Sep)",
    ),
    Supplement(
        "S05",
        "2021-09",
        "sanction",
        "GIN",
        bloc="ECOWAS",
        source="timeline C07: https://www.premiumtimesng.com/foreign/671463-ecowas-lifts-sanctions-on-niger-mali-guinea.html",
        note="inferred: C07 lifts ECOWAS sanctions on Guinea in Feb 2024, so they were imposed after the "
        "Sep 2021 coup (B18); dated at the coup",
    ),
    Supplement(
        "S06",
        "2022-01",
        "sanction",
        "BFA",
        bloc="ECOWAS",
        source="timeline B23: https://encyclopedia.datana.cloud/content/wikipedia_en_all_mini_2024-04/A/January_2022_Burkina_Faso_coup_d'%C3%A9tat",
        note="Burkina Faso suspended from ECOWAS after the Jan 2022 coup: a suspension counts as a sanction",
    ),
    Supplement(
        "S07",
        "2020-12",
        "deploy",
        "CAF",
        power="RUS",
        source="https://spisok-putina.org/en/news-en/2021-07-05/russia-confirms-600-more-instructors-sent-to-c-africa",
        note="300 more Russian instructors sent before the Dec 2020 elections (the model cannot reinforce "
        "a power already present)",
    ),
)

OBSERVED_COLUMNS = ["id", "date", "timeline_type", "type", "state", "power", "bloc", "scored", "note"]


def load_timeline(path: str | Path = DEFAULT_TIMELINE) -> list[dict]:
    """The events of a timeline file (a mapping with an `events` list), read with the safe loader; every
    event a mapping with a type, a date and, if it names actors, a list of them (ValueError naming the file and
    the event otherwise, where map_timeline would fail or misread it)."""
    try:
        data = data_yaml.load_file(path, f"The timeline file {path}")
    except yaml.YAMLError as exc:
        raise ValueError(f"{path} is not valid YAML: {' '.join(str(exc).split())}") from None
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        raise ValueError(f"{path}: expected a mapping with an 'events' list")
    for i, event in enumerate(events):
        where = f"{path}: events[{item_label(event, 'events', i)}]"
        if not isinstance(event, dict):
            raise ValueError(f"{where} must be a mapping (id, date, type, actors, ...), got {_short(event)}")
        if not isinstance(event.get("type"), str):
            raise ValueError(f"{where} needs a type, a word such as coup or expulsion, got {_short(event.get('type'))}")
        try:
            month(event.get("date"))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}; write a date as YYYY-MM-DD or YYYY-MM") from None
        actors = event.get("actors")
        if actors is not None and (not isinstance(actors, list) or not all(isinstance(a, str) for a in actors)):
            raise ValueError(f"{where}: 'actors' must be a list of names such as [Mali, France], got {_short(actors)}")
    return events


def _short(value: object) -> str:
    """A value as a message shows it: its repr, cut after 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def month(date: object) -> str:
    """'YYYY-MM' of a timeline date ('2020-08-18', '2020-08', or a YAML date)."""
    text = str(date)
    if not re.match(r"^\d{4}-\d{2}", text):
        raise ValueError(f"not a date: {date!r}")
    return text[:7]


def _match_names(actors: Iterable[str], names: Mapping[str, str]) -> list[str]:
    """Codes of the actors that name one of `names` (prefix match, longest name first), in order."""
    found = []
    for actor in actors:
        text = str(actor).strip()
        for name in sorted(names, key=len, reverse=True):
            if text == name or text.startswith((f"{name} ", f"{name}(", f"{name}/")):
                if names[name] not in found:
                    found.append(names[name])
                break
    return found


def _bloc_of(event: Mapping) -> str:
    text = " ".join(map(str, event.get("actors") or [])) + " " + str(event.get("description", ""))
    for code, words in BLOC_WORDS.items():
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            return code
    return ""


def map_timeline(events: Sequence[Mapping], state_names: Mapping[str, str]) -> pd.DataFrame:
    """Every timeline event that has a model counterpart, as model events (one row per state acting).

    state_names maps a state's name as the timeline writes it (e.g. 'Burkina Faso') to its code.
    `scored` is False, with a note, where the counterpart is not a modelled power or bloc (the UN,
    the EU, the G5 Sahel) or the exit is only announced and ANNOUNCED_EXIT_COUNTS is off.
    """
    rows = []
    for ev in events:
        mapped = TYPE_MAP.get(str(ev.get("type")))
        if mapped is None:
            continue
        kind, note = mapped
        needs = EVENTS[kind].partner
        actors = [str(a) for a in ev.get("actors") or []]
        states = _match_names(actors, state_names)
        powers = _match_names(actors, POWER_NAMES)
        bloc = _bloc_of(ev) if needs == "bloc" else ""
        power = powers[0] if needs == "power" and powers else ""
        scored, why = True, note
        if needs == "power" and not power:
            scored, why = False, f"not scored: no modelled power among {', '.join(actors)}"
        if needs == "bloc" and not bloc:
            scored, why = False, f"not scored: no modelled bloc among {', '.join(actors)}"
        if kind == "bloc_leave" and bloc == "ECOWAS" and not ANNOUNCED_EXIT_COUNTS:
            scored, why = False, "not scored: an announced exit (ANNOUNCED_EXIT_COUNTS is off)"
        for state in states or [""]:
            rows.append(
                {
                    "id": str(ev.get("id", "")),
                    "date": month(ev.get("date")),
                    "timeline_type": str(ev.get("type")),
                    "type": kind,
                    "state": state,
                    "power": power,
                    "bloc": bloc,
                    "scored": scored and bool(state),
                    "note": why if state else f"not scored: no modelled state among {', '.join(actors)}",
                }
            )
    return pd.DataFrame(rows, columns=OBSERVED_COLUMNS)


def supplement_rows(supplements: Iterable[Supplement] = SUPPLEMENTS) -> pd.DataFrame:
    """The supplements as rows of the mapped-events table."""
    rows = [
        {
            "id": s.id,
            "date": s.date,
            "timeline_type": "supplement",
            "type": s.type,
            "state": s.state,
            "power": s.power,
            "bloc": s.bloc,
            "scored": True,
            "note": f"{s.note} ({s.source})",
        }
        for s in supplements
    ]
    return pd.DataFrame(rows, columns=OBSERVED_COLUMNS)


def outcome_cells(states: Sequence[str], scored: Sequence[tuple[str, str, str]] = SCORED) -> pd.DataFrame:
    """One row per state and scored outcome: columns state, type, power, bloc."""
    return pd.DataFrame(
        [(s, t, p, b) for t, p, b in scored for s in states], columns=["state", "type", "power", "bloc"]
    )


def observed_outcomes(mapped: pd.DataFrame, cells: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Whether each cell's event happened in the months after `start` up to and including `end`.

    mapped: the output of `map_timeline` (plus `supplement_rows`); only `scored` rows count.
    Returns the cells with columns observed (0/1), first_date ('' if none) and evidence (event ids).
    """
    keys = ["state", "type", "power", "bloc"]
    window = mapped.loc[mapped["scored"] & (mapped["date"] > month(start)) & (mapped["date"] <= month(end))]
    hits = (
        window.sort_values("date")
        .groupby(keys, sort=False)
        .agg(first_date=("date", "first"), evidence=("id", lambda s: " ".join(dict.fromkeys(s))))
        .reset_index()
    )
    out = cells.merge(hits, on=keys, how="left")
    out["observed"] = out["first_date"].notna().astype(int)
    out["first_date"] = out["first_date"].fillna("")
    out["evidence"] = out["evidence"].fillna("")
    return out[[*keys, "observed", "first_date", "evidence"]]
