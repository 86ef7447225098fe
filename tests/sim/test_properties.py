"""Invariants of a run for any legal parameter values (drawn from the ranges in sim/core/params.py) and any
seed: values stay in their domains, no NaN reaches the tables, budgets are not overspent, and a
Junta agent exists exactly for each state under military rule."""

from __future__ import annotations

import copy
import dataclasses
import typing
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.agents import Junta
from sim.config import compose_config
from sim.core.params import AlignmentConf, EffectsConf, HazardsConf, IncentiveWeights, InsurgencyConf, PolicyConf
from sim.core.world import load_world
from sim.model import InfluenceModel

# Module-level (not fixtures): hypothesis runs many examples in one test function.
TINY_WORLD = Path(__file__).resolve().parent.parent / "fixtures" / "tiny_world.yaml"
BASE_CFG = compose_config(["run.steps=12", "run.plots=false"])
WORLD = load_world(TINY_WORLD, BASE_CFG.scenario)
STEPS = 12


def _field_strategy(f: dataclasses.Field) -> st.SearchStrategy:
    choices = f.metadata.get("choices")
    if choices is not None:
        return st.sampled_from(choices)
    lo, hi = f.metadata["range"]
    if f.type in ("int", int):
        return st.integers(int(lo), int(hi))
    return st.floats(float(lo), float(hi), allow_nan=False, allow_infinity=False)


def _section(schema: type) -> st.SearchStrategy:
    """A dataclass instance with every ranged (or closed-choice) field drawn from its legal values."""
    hints = typing.get_type_hints(schema)
    drawn = {
        f.name: _field_strategy(f)
        for f in dataclasses.fields(schema)
        if "range" in f.metadata or "choices" in f.metadata
    }
    assert drawn, schema
    assert all(hints[n] in (int, float, str) for n in drawn)
    return st.fixed_dictionaries(drawn).map(lambda kw: schema(**kw))


configs = st.builds(
    lambda civ, jun, al, ef, ins, hz, pol, seed: dataclasses.replace(
        copy.deepcopy(BASE_CFG),
        seed=seed,
        incentives=dataclasses.replace(BASE_CFG.incentives, civilian=civ, junta=jun),
        alignment=al,
        effects=ef,
        insurgency=ins,
        hazards=hz,
        policy=pol,
    ),
    _section(IncentiveWeights),
    _section(IncentiveWeights),
    _section(AlignmentConf),
    _section(EffectsConf),
    _section(InsurgencyConf),
    _section(HazardsConf),
    _section(PolicyConf),
    st.integers(0, 2**32 - 1),
)


def _check_state(model: InfluenceModel) -> None:
    s = model.state
    for name in ("affinity", "opinion"):
        a = getattr(s, name)
        assert ((a >= -1.0) & (a <= 1.0)).all(), name
    for name in ("legitimacy", "insurgency", "threat"):
        a = getattr(s, name)
        assert ((a >= 0.0) & (a <= 1.0)).all(), name
    assert (s.troops >= 0).all()
    assert (s.withdraw_left >= 0).all()
    for name in ("aid_security_usd_m", "aid_economic_usd_m", "info_ops_usd_m"):
        a = getattr(s, name)
        assert (a >= 0).all(), name
    # no power spends more than its budget (the world's starting flows are within it)
    spent = np.stack(
        [s.aid_security_usd_m.sum(axis=0), s.aid_economic_usd_m.sum(axis=0), s.info_ops_usd_m.sum(axis=0)], axis=1
    )  # (P, 3, R)
    assert (spent <= WORLD.budget_usd_m[:, :, None] * (1 + 1e-9) + 1e-9).all()
    for f in dataclasses.fields(s):
        v = getattr(s, f.name)
        if isinstance(v, np.ndarray) and v.dtype.kind == "f":
            assert np.isfinite(v).all(), f.name
    # base owners and tenants are powers or the host (-1)
    assert ((s.base_owner >= -1) & (s.base_owner < len(WORLD.powers))).all()
    juntas = set(np.nonzero(s.junta[:, 0])[0].tolist())
    assert set(model.juntas) == juntas
    assert len(model.agents_by_type[Junta]) == len(juntas)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cfg=configs)
def test_run_invariants_for_legal_parameters(cfg):
    model = InfluenceModel(cfg, world=WORLD)
    _check_state(model)
    for _ in range(STEPS):
        model.step()
        _check_state(model)
    rec = model.recorder
    for table in (rec.states_table(), rec.ties_table(), rec.bases_table()):
        numbers = table.select_dtypes(include=[np.number])
        assert np.isfinite(numbers.to_numpy(dtype=float)).all()
        assert not table.isna().any().any()
    ties = rec.ties_table()
    assert ties["affinity"].between(-1, 1).all() and ties["opinion"].between(-1, 1).all()
    assert (ties["troops"] >= 0).all()
    states = rec.states_table()
    assert states["insurgency"].between(0, 1).all() and states["legitimacy"].between(0, 1).all()
    events = rec.events_table()
    assert not events.isna().any().any()
    assert len(states) == (STEPS + 1) * len(WORLD.states)
