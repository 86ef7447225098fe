"""sim.battery: how far a value lies outside a fact's range, and the fact-by-fact comparison of a
fitted set with the defaults that the calibration's plausibility gate uses."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from sim.battery import compare_sets, distance_outside
from sim.calibrate import OutOfTime, gated


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (0.03, None, 0.05, 0.0),  # inside a ceiling
        (0.073, None, 0.05, 0.023),  # above it
        (0.4, 0.5, None, 0.1),  # below a floor
        (2.0, 0.5, 4.0, 0.0),  # inside a range
        (5.5, 0.5, 4.0, 1.5),  # above a range
        (None, 0.5, 4.0, 0.0),  # not applicable
    ],
)
def test_distance_outside_by_hand(value, low, high, expected):
    assert distance_outside(value, low, high) == pytest.approx(expected)


def _results(values: dict[str, float]) -> pd.DataFrame:
    ranges = {"coastal": (None, 0.05), "rate": (0.5, 4.0), "lead": (1.0, None)}
    return pd.DataFrame([{"fact": f, "low": ranges[f][0], "high": ranges[f][1], "value": v} for f, v in values.items()])


def test_compare_sets_flags_only_facts_the_fitted_set_makes_worse():
    default = _results({"coastal": 0.073, "rate": 1.5, "lead": 1.0})
    fitted = _results({"coastal": 0.173, "rate": 4.3, "lead": 0.95})
    table = compare_sets(default, fitted, slack=0.2).set_index("fact")
    # coastal: 0.123 outside against 0.023, slack 0.2 x 0.05 = 0.01 -> worse
    # rate: 0.3 outside against 0, slack 0.2 x 3.5 = 0.7 -> not worse (noise within a fifth of the range)
    # lead: 0.05 outside against 0, slack 0.2 x 1 = 0.2 -> not worse
    assert table["outside_fitted"].to_dict() == pytest.approx({"coastal": 0.123, "rate": 0.3, "lead": 0.05})
    assert table["worse"].to_dict() == {"coastal": True, "rate": False, "lead": False}
    # a fitted set that stays inside every range, or is closer than the defaults, is never worse
    assert not compare_sets(default, _results({"coastal": 0.06, "rate": 2.0, "lead": 2.0}), 0.0)["worse"].any()


def _tested(use: bool) -> OutOfTime:
    return OutOfTime(scores={}, cells={}, bootstrap={}, use_calibrated=use, reason="it beats the defaults")


def test_the_gate_keeps_the_defaults_when_the_fitted_set_is_less_plausible():
    gate = compare_sets(
        _results({"coastal": 0.073, "rate": 1.5, "lead": 1.0}),
        _results({"coastal": 0.173, "rate": 1.5, "lead": 1.0}),
        slack=0.2,
    )
    out = gated(_tested(True), gate)
    assert not out.use_calibrated and "coastal 0.173 against the defaults' 0.073" in out.reason
    # a plausible fitted set keeps its verdict; a set that already lost keeps losing; no gate: unchanged
    fine = gate.assign(worse=False)
    assert gated(_tested(True), fine) == _tested(True)
    assert gated(_tested(False), gate) == _tested(False)
    assert dataclasses.asdict(gated(_tested(True), None)) == dataclasses.asdict(_tested(True))
