"""The baseline still behaves as recorded in tests/golden/baseline.json.

After an intended change, refresh with `python -m sim.golden --refresh` and say why in the commit.
"""

import json

import pytest

from sim.golden import GOLDEN_PATH, SEEDS, baseline_summary


@pytest.mark.parametrize("seed", SEEDS)
def test_baseline_matches_golden_summary(seed):
    golden = {g["seed"]: g for g in json.loads(GOLDEN_PATH.read_text())}
    fresh = baseline_summary(seed)
    assert fresh["events_by_type"] == golden[seed]["events_by_type"], "run `python -m sim.golden --refresh` if intended"
    assert fresh["leading_partner_end"] == golden[seed]["leading_partner_end"]
    assert fresh["juntas_end"] == golden[seed]["juntas_end"]
    for power, value in golden[seed]["mean_affinity_end"].items():
        assert fresh["mean_affinity_end"][power] == pytest.approx(value, abs=2e-3)
    # per state and per power, so that a rule change cannot hide in the means
    for key in ("legitimacy_end", "threat_end"):
        assert fresh[key].keys() == golden[seed][key].keys()
        for state, value in golden[seed][key].items():
            assert fresh[key][state] == pytest.approx(value, abs=2e-3), f"{key} of {state}"
    for power, value in golden[seed]["troops_end"].items():
        assert fresh["troops_end"][power] == pytest.approx(value, abs=0.2), f"troops of {power}"
