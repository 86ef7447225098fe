"""sim.core.world: the real May-2024 world loads with its key facts; every broken world file is refused
with a WorldError naming the file and the field; a YAML tag never runs code."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.core.params import ScenarioConf, ScriptedEventConf
from sim.core.world import WorldError, load_world, scenario_path

# ------------------------------------------------------------------ the real scenario


@pytest.fixture(scope="module")
def sahel():
    return load_world(scenario_path("sahel_2024"))


def test_sahel_2024_states_and_powers(sahel):
    assert len(sahel.states) == 19
    assert {"NER", "MLI", "BFA", "TCD", "NGA", "BEN", "SEN", "CIV", "GHA", "TGO"} <= set(sahel.states)
    assert sahel.powers == ["USA", "FRA", "RUS", "CHN", "TUR"]
    assert sahel.as_of == "2024-05"
    assert sahel.date_of(0) == "2024-05" and sahel.date_of(4) == "2024-09"


def test_sahel_2024_host_pays_for_russian_forces_only(sahel):
    """The Wagner contract in Mali, US$ 10.8 m a month for ~1,000 men, is Russia's price; the others pay
    for their own forces (0), and a world that leaves the field out gets 0."""
    price = dict(zip(sahel.powers, sahel.host_price_usd_m, strict=True))
    assert price == {"USA": 0.0, "FRA": 0.0, "RUS": 10.8, "CHN": 0.0, "TUR": 0.0}


def test_host_price_is_optional(tiny_world):
    assert not tiny_world.host_price_usd_m.any()


def test_sahel_2024_regimes_and_blocs(sahel):
    s = sahel.states.index
    juntas = {sahel.states[i] for i in np.nonzero(sahel.regime == 1)[0]}
    assert {"NER", "MLI", "BFA"} <= juntas
    assert "NGA" not in juntas and "SEN" not in juntas
    aes = sahel.blocs.index("AES")
    assert {sahel.states[i] for i in np.nonzero(sahel.member[:, aes])[0]} == {"NER", "MLI", "BFA"}
    assert sahel.bloc_mutual_defence[aes] and not sahel.bloc_sanctions_coups[aes]
    assert sahel.bloc_sanctions_coups[sahel.blocs.index("ECOWAS")]
    # NER coup 2023-07: 10 months before 2024-05
    assert sahel.months_since_coup[s("NER")] == 10


def test_sahel_2024_air_base_101_is_shared(sahel):
    k = next(i for i, n in enumerate(sahel.base_names) if n.startswith("Air Base 101"))
    assert sahel.states[sahel.base_state[k]] == "NER"
    assert sahel.powers[sahel.base_owner[k]] == "USA"
    assert sahel.powers[sahel.base_co_tenant[k]] == "RUS"


def test_sahel_2024_us_withdrawal_from_niger_in_progress(sahel):
    ner, usa = sahel.states.index("NER"), sahel.powers.index("USA")
    assert sahel.troops[ner, usa] > 0
    # withdrawal_ends 2024-09, four months after as_of 2024-05
    assert sahel.withdraw_left[ner, usa] == 4
    assert sahel.expelled[ner, usa]
    done = [e for e in sahel.scripted if e.type == "withdraw_complete" and e.state == ner and e.power == usa]
    assert [e.step for e in done] == [4]


def test_sahel_2024_borders_are_symmetric_neighbours(sahel):
    s = sahel.states.index
    nbrs = {
        sahel.states[j] for j, m in zip(sahel.neighbours[s("NER")], sahel.neighbour_mask[s("NER")], strict=True) if m
    }
    assert {"MLI", "BFA", "BEN", "NGA", "TCD"} <= nbrs
    assert "SEN" not in nbrs
    for a, b in sahel.graph.edges():
        assert sahel.graph.has_edge(b, a)


# ------------------------------------------------------------------ the tiny world


def test_tiny_world_loads_as_written(tiny_world):
    w = tiny_world
    assert w.states == ["NER", "MLI", "BEN"] and w.powers == ["USA", "RUS"]
    assert w.blocs == ["ECOWAS", "AES"] and w.groups == ["JNIM"]
    assert sorted(tuple(sorted(e)) for e in w.graph.edges()) == [(0, 1), (0, 2)]
    assert w.withdraw_left.tolist() == [[2, 0], [0, 0], [0, 0]]
    assert w.troops.tolist() == [[400.0, 100.0], [0.0, 0.0], [0.0, 0.0]]
    assert (w.base_owner.tolist(), w.base_co_tenant.tolist()) == ([0], [1])
    assert [(e.step, e.type, e.state) for e in w.scripted] == [(3, "coup", 2)]
    # default rivalry of the schema: USA-RUS 1.0
    assert w.rivalry.tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_knobs_apply_on_load(tiny_world_path):
    knobs = ScenarioConf(
        name=str(tiny_world_path),
        cancel_withdrawals=["NER-USA"],
        extra_events=[ScriptedEventConf(date="2024-10", type="transition", state="BEN", note="test")],
    )
    w = load_world(tiny_world_path, knobs)
    assert w.withdraw_left[0, 0] == 0
    assert [(e.step, e.type, e.state) for e in w.scripted] == [(3, "coup", 2), (5, "transition", 2)]


# ------------------------------------------------------------------ broken world files

Edit = Callable[[dict], None]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken_world.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_data() -> dict:
    path = Path(__file__).resolve().parents[2] / "fixtures" / "tiny_world.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _set(path: tuple, value) -> Edit:
    def edit(d: dict) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _delete(path: tuple) -> Edit:
    def edit(d: dict) -> None:
        node = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


BROKEN: dict[str, tuple[Edit, str]] = {
    # case: (edit of the tiny world, field the message must name)
    "missing field": (_delete(("states", 0, "capacity")), "states[NER].capacity"),
    "missing source": (_delete(("powers", 1, "source")), "powers[RUS].source"),
    "missing as_of": (_delete(("ties", 0, "as_of")), "ties[NER-USA].as_of"),
    "missing top-level states": (_delete(("states",)), "states"),
    "unknown state code in ties": (_set(("ties", 0, "state"), "XXX"), "ties[0].state"),
    "unknown state code in presence": (_set(("presence", 1, "state"), "TCD"), "presence[1].state"),
    "unknown state in borders": (_set(("borders", "pairs", 1), ["NER", "TGO"]), "borders.pairs[1]"),
    "unknown bloc member": (_set(("blocs", 1, "members"), ["MLI", "BFA"]), "blocs[AES].members[1]"),
    "unknown power code in ties": (_set(("ties", 1, "power"), "FRA"), "ties[1].power"),
    "unknown power code in presence": (_set(("presence", 1, "power"), "CHN"), "presence[1].power"),
    "unknown base owner": (_set(("bases", 0, "owner"), "FRA"), "bases[0].owner"),
    "negative troops": (_set(("presence", 0, "troops"), -400), "presence[0].troops"),
    "negative budget": (_set(("powers", 0, "budget_economic_usd_m"), -1), "powers[USA].budget_economic_usd_m"),
    "colonial_baggage 1.5": (_set(("powers", 0, "colonial_baggage"), 1.5), "powers[USA].colonial_baggage"),
    "negative host price": (_set(("powers", 1, "host_price_usd_m"), -10.8), "powers[RUS].host_price_usd_m"),
    "host price as text": (_set(("powers", 1, "host_price_usd_m"), "10.8m"), "powers[RUS].host_price_usd_m"),
    "affinity -1.2": (_set(("ties", 2, "affinity"), -1.2), "ties[MLI-USA].affinity"),
    "insurgency 1.2": (_set(("insurgents", 0, "intensity", "MLI"), 1.2), "insurgents[JNIM].intensity"),
    "legitimacy as text": (_set(("states", 2, "legitimacy"), "high"), "states[BEN].legitimacy"),
    "troops as boolean": (_set(("presence", 1, "troops"), True), "presence[1].troops"),
    "not a regime": (_set(("states", 2, "regime"), "monarchy"), "states[BEN].regime"),
    "state code not ISO3": (_set(("states", 1, "code"), "Mali"), "states[1].code"),
    "duplicate state": (_set(("states", 2, "code"), "NER"), "states[2].code"),
    "date 2024-13": (_set(("meta", "as_of"), "2024-13"), "meta.as_of"),
    "date May 2024": (_set(("presence", 0, "withdrawal_ends"), "May 2024"), "presence[0].withdrawal_ends"),
    "date May 2024 in a scripted event": (_set(("scripted_events", 0, "date"), "May 2024"), "scripted_events[0].date"),
    "date 2024-00 in last_coup": (_set(("states", 0, "last_coup"), "2024-00"), "states[NER].last_coup"),
    "last coup after as_of": (_set(("states", 0, "last_coup"), "2024-06"), "states[NER].last_coup"),
    "withdrawal ends before as_of": (
        _set(("presence", 0, "withdrawal_ends"), "2024-05"),
        "presence[0].withdrawal_ends",
    ),
    "scripted event before as_of": (_set(("scripted_events", 0, "date"), "2024-04"), "scripted_events[0].date"),
    "unknown event type": (_set(("scripted_events", 0, "type"), "invasion"), "scripted_events[0].type"),
    "scripted event without source": (_delete(("scripted_events", 0, "source")), "scripted_events[0].source"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_world_is_refused_naming_file_and_field(case, tmp_path, tiny_data):
    edit, field = BROKEN[case]
    data = copy.deepcopy(tiny_data)
    edit(data)
    path = _write(tmp_path, data)
    with pytest.raises(WorldError) as info:
        load_world(path)
    message = str(info.value)
    assert str(path) in message
    assert field in message
    assert "\n" not in message.strip()  # one paragraph


def test_unreadable_world_file_names_the_file(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(WorldError, match="absent.yaml"):
        load_world(path)


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(WorldError, match="top level"):
        load_world(path)


def _tagged_world(tmp_path: Path, tiny_world_path: Path) -> tuple[Path, Path, int]:
    """The tiny world with meta.description replaced by a tag that would run a shell command."""
    marker = tmp_path / "hacked.marker"
    lines = tiny_world_path.read_text(encoding="utf-8").splitlines()
    line = lines.index('  description: "Test fixture"')
    lines[line] = f'  description: !!python/object/apply:os.system ["echo hacked > {marker}"]'
    path = tmp_path / "tagged.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, marker, line + 1


def test_yaml_tag_is_refused_and_not_executed(tmp_path, tiny_world_path):
    path, marker, line = _tagged_world(tmp_path, tiny_world_path)
    with pytest.raises(WorldError) as info:
        load_world(path)
    message = str(info.value)
    assert str(path) in message
    assert f"line {line}" in message
    assert "python/object" in message
    assert not marker.exists()
    # the payload is well formed (composing builds nodes only, it constructs nothing): the refusal is
    # the loader's doing, not a YAML syntax error
    node = yaml.compose(path.read_text(encoding="utf-8"))
    meta = next(v for k, v in node.value if k.value == "meta")
    description = next(v for k, v in meta.value if k.value == "description")
    assert description.tag == "tag:yaml.org,2002:python/object/apply:os.system"


def test_yaml_tag_error_names_the_field(tmp_path, tiny_world_path):
    path, _, _ = _tagged_world(tmp_path, tiny_world_path)
    with pytest.raises(WorldError, match=r"\(field meta\.description\)"):
        load_world(path)


# ------------------------------------------------------------------ codes and scripted events


def test_duplicate_bloc_code_is_refused(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data["blocs"][1]["code"] = "ECOWAS"
    with pytest.raises(WorldError, match=r"blocs\[1\]\.code"):
        load_world(_write(tmp_path, data))


def test_scripted_bloc_event_without_bloc_is_refused(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data["scripted_events"].append({"date": "2024-07", "type": "sanction", "state": "MLI", "source": "test"})
    with pytest.raises(WorldError, match=r"scripted_events\[1\]\.bloc"):
        load_world(_write(tmp_path, data))


def test_scripted_power_event_without_power_is_refused(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data["scripted_events"].append({"date": "2024-07", "type": "expel", "state": "NER", "source": "test"})
    with pytest.raises(WorldError, match=r"scripted_events\[1\]\.power"):
        load_world(_write(tmp_path, data))


@pytest.mark.parametrize("etype", ["base_handover", "incident"])
def test_consequential_events_cannot_be_scripted(tmp_path, tiny_data, etype):
    data = copy.deepcopy(tiny_data)
    data["scripted_events"].append({"date": "2024-07", "type": etype, "state": "NER", "power": "USA", "source": "test"})
    with pytest.raises(WorldError, match=r"scripted_events\[1\]\.type"):
        load_world(_write(tmp_path, data))


def test_junta_without_a_coup_date_is_refused(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data["states"][1]["last_coup"] = None  # MLI, a junta
    with pytest.raises(WorldError, match=r"states\[MLI\]\.last_coup"):
        load_world(_write(tmp_path, data))


def test_impossible_day_is_refused(tmp_path, tiny_data):
    data = copy.deepcopy(tiny_data)
    data["presence"][0]["withdrawal_ends"] = "2024-06-31"
    with pytest.raises(WorldError, match=r"presence\[0\]\.withdrawal_ends"):
        load_world(_write(tmp_path, data))


@pytest.mark.parametrize("date", ["2024-06-31", "2024-13-01"])
def test_unquoted_impossible_date_is_a_world_error(tmp_path, tiny_world_path, date):
    text = tiny_world_path.read_text(encoding="utf-8").replace("withdrawal_ends: '2024-07'", f"withdrawal_ends: {date}")
    path = tmp_path / "unquoted.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError) as info:
        load_world(path)
    assert str(path) in str(info.value) and "withdrawal_ends" in str(info.value)


def test_unquoted_valid_date_is_read(tmp_path, tiny_world_path):
    # YAML reads an unquoted YYYY-MM-DD as a date; the loader accepts it
    text = tiny_world_path.read_text(encoding="utf-8").replace(
        "withdrawal_ends: '2024-07'", "withdrawal_ends: 2024-07-15"
    )
    path = tmp_path / "unquoted.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_world(path).withdraw_left[0, 0] == 2


def test_every_power_attribute_is_a_knob():
    from dataclasses import fields

    from sim.core.params import PowerKnobs
    from sim.core.world import POWER_ATTRIBUTES

    assert {f.name for f in fields(PowerKnobs)} == {"budget_factor", *POWER_ATTRIBUTES}
