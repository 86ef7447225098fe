"""The facts file of the plausibility battery: the project's file loads; a bad file stops with one
paragraph naming the file, the fact, the field and the fix."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from analysis.plausibility_facts import BASELINE, FactsError, check_codes, load_facts

ROOT = Path(__file__).resolve().parents[2]
FACTS = ROOT / "conf" / "plausibility" / "facts.yaml"
ENSEMBLES = [BASELINE, *sorted(p.stem for p in (ROOT / "conf" / "experiment").glob("*.yaml"))]
GOOD = {
    "id": "x",
    "title": "X",
    "applies_to": "all",
    "metric": "juntas_at_month",
    "args": {"month": 36},
    "expected": {"min": 1, "max": 9},
    "tolerance": "why",
    "source": "a book",
    "as_of": "2024-05",
}


def _write(tmp_path: Path, facts: list, partners: list | None = None) -> Path:
    data = {"facts": facts, **({"leading_partner": partners} if partners is not None else {})}
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_projects_facts_file_loads_and_covers_every_ensemble():
    facts = load_facts(FACTS, ENSEMBLES)
    assert len({f.id for f in facts}) == len(facts)
    for ensemble in ENSEMBLES:
        assert any(f.applies(ensemble) for f in facts), ensemble
    ids = {f.id for f in facts}
    assert {
        "coup_rate_region",
        "coup_monthly_ceiling",
        "coups_coastal_rare",
        "coup_wave_no_state_over_three",
        "aes_leave_ecowas_on_time",
        "leading_partner_CAF",
    } <= ids
    assert all(f.as_of <= "2024-05" for f in facts)


def test_the_projects_facts_name_codes_of_the_world():
    from sim.core.world import load_world  # the world's codes; the loader itself reads no model

    world = load_world(ROOT / "scenarios" / "sahel_2024.yaml")
    check_codes(load_facts(FACTS), world.states, world.powers, world.blocs, FACTS)


def test_a_good_fact_and_a_leading_partner(tmp_path):
    path = _write(tmp_path, [GOOD], [{"state": "CAF", "power": "RUS", "source": "UN panel", "as_of": "2024-05"}])
    fact, partner = load_facts(path, ENSEMBLES)
    assert fact.expected == "1 to 9" and fact.applies("coup_wave")
    assert partner.id == "leading_partner_CAF" and partner.args == {"states": ["CAF"], "power": "RUS", "month": 0}
    assert partner.applies(BASELINE) and not partner.applies("us_stays") and partner.low == 1.0


def test_except_removes_an_ensemble(tmp_path):
    (fact,) = load_facts(_write(tmp_path, [{**GOOD, "except": ["coup_wave"]}]), ENSEMBLES)
    assert fact.applies("us_stays") and not fact.applies("coup_wave")


@pytest.mark.parametrize(
    "change, words",
    [
        ({"metric": "nope"}, "unknown metric 'nope'"),
        ({"args": {"month": 36, "colour": 1}}, "takes the arguments"),
        ({"args": {}}, "takes the arguments"),
        ({"as_of": "2024-06"}, "after the world's start"),
        ({"as_of": "May 2024"}, "YYYY-MM"),
        ({"expected": {"min": 5, "max": 1}}, "not a range"),
        ({"expected": {"min": "low"}}, "must be a number"),
        ({"source": ""}, "missing field(s) ['source']"),
        ({"colour": "red"}, "unknown field(s) ['colour']"),
        ({"applies_to": ["baseline", "nowhere"]}, "are not ensembles"),
    ],
)
def test_a_bad_fact_names_file_fact_field_and_fix(tmp_path, change, words):
    path = _write(tmp_path, [{**GOOD, **change}])
    with pytest.raises(FactsError) as err:
        load_facts(path, ENSEMBLES)
    message = str(err.value)
    assert str(path) in message and ("(id x)" in message or "fact x:" in message) and words in message


def test_duplicate_ids_bad_yaml_and_a_missing_file(tmp_path):
    with pytest.raises(FactsError, match="used twice"):
        load_facts(_write(tmp_path, [GOOD, copy.deepcopy(GOOD)]))  # two objects: no YAML alias
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("facts: !!python/object:os.system {}\n", encoding="utf-8")
    with pytest.raises(FactsError, match="not plain YAML"):
        load_facts(tagged)
    with pytest.raises(FactsError, match="no such file"):
        load_facts(tmp_path / "absent.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(FactsError, match="list 'facts'"):
        load_facts(listed)


def test_an_unknown_code_is_named(tmp_path):
    bad = {**GOOD, "metric": "share_of_runs_led_by", "args": {"states": ["XXX"], "power": "RUS", "month": 0}}
    facts = load_facts(_write(tmp_path, [bad]))
    with pytest.raises(FactsError, match=r"args.states names \['XXX'\]"):
        check_codes(facts, ["MLI"], ["RUS"], ["AES"], "f.yaml")
