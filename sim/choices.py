"""Categorical choices a sweep or an EMA run may vary: which experiment overlay, which incentive set,
which budget policy. Each is a group of conf/ (`experiment=us_stays`, `incentives=sovereigntist`,
`policy=fixed`); its names are the group's files, read from conf/, never listed here.

    experiment       conf/experiment/NAME.yaml, or `none` (no overlay)
    incentives       conf/incentives/NAME.yaml
    policy.default   conf/policy/NAME.yaml (policy=fixed sets policy.default to fixed)

`with_choices` applies choices to a configuration the way the command line's `GROUP=NAME` does: it
composes conf/ with Hydra once with the choice and once without, and takes from the choice its whole
group node (incentives, policy) and every value it changes elsewhere (an experiment's scenario
knobs, the fitted hazards of incentives=calibrated). Values swept run by run are applied afterwards
by the batched driver, so they win over a choice, as a value override wins over a group on the
command line.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

from omegaconf import OmegaConf

from sim.config import CONF_DIR, to_config
from sim.core.params import Config, ConfigError

#: The categorical factors: factor name -> the conf/ group whose files are its choices.
CHOICES: dict[str, str] = {"experiment": "experiment", "incentives": "incentives", "policy.default": "policy"}
#: The choice of no experiment overlay.
NO_EXPERIMENT = "none"


def choice_names(factor: str) -> list[str]:
    """The choices of a factor, read from its conf/ group (experiment also has `none`)."""
    if factor not in CHOICES:
        raise ConfigError(
            f"{factor!r} is not a categorical factor: use one of {', '.join(CHOICES)} (numbers such as "
            f"hazards.coup_base or scenario.powers.USA.budget_factor go under parameters or levers)."
        )
    names = sorted(p.stem for p in (CONF_DIR / CHOICES[factor]).glob("*.yaml"))
    return [NO_EXPERIMENT, *names] if factor == "experiment" else names


def check_choices(factors: Mapping[str, Sequence[str]], where: str = "sweep.factors") -> dict[str, list[str]]:
    """The factors as lists of names, each checked against its conf/ group; a ConfigError naming the
    factor, the bad name and the valid ones otherwise."""
    out = {}
    for factor, values in factors.items():
        known = choice_names(factor)
        values = [values] if isinstance(values, str) else list(values)
        if not values:
            raise ConfigError(f"{where}.{factor} lists no choices: list one or more of {', '.join(known)}.")
        bad = [v for v in values if v not in known]
        if bad:
            raise ConfigError(
                f"{where}.{factor} names {bad}, which conf/{CHOICES[factor]}/ does not have: choose "
                f"from {', '.join(known)}."
            )
        if len(set(values)) != len(values):
            raise ConfigError(f"{where}.{factor} lists a choice twice ({values}): list each once.")
        out[factor] = [str(v) for v in values]
    return out


def _container(cfg: Any) -> dict:
    return json.loads(
        json.dumps(
            dataclasses.asdict(cfg) if dataclasses.is_dataclass(cfg) else OmegaConf.to_container(cfg, resolve=True),
            default=str,
        )
    )


def _changed(chosen: Mapping, base: Mapping) -> dict:
    """The leaves of `chosen` that differ from (or are missing in) `base`, nested."""
    out = {}
    for key, value in chosen.items():
        if isinstance(value, Mapping):
            sub = _changed(value, base.get(key) if isinstance(base.get(key), Mapping) else {})
            if sub:
                out[key] = sub
        elif key not in base:
            if value is not None:  # a knob left unset keeps the world's value: not a change
                out[key] = value
        elif base[key] != value:
            out[key] = value
    return out


@functools.cache
def _compose(overrides: tuple[str, ...]) -> dict:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from sim.config import register_schema

    register_schema()
    if GlobalHydra.instance().is_initialized():  # inside a Hydra app (python -m sim.sweep): its search path is conf/
        composed = compose(config_name="config", overrides=list(overrides))
    else:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            composed = compose(config_name="config", overrides=list(overrides))
    container = OmegaConf.to_container(composed, resolve=True)
    container.pop("hydra", None)
    return _container(to_config(OmegaConf.create(container)))


def overlay(factor: str, name: str) -> dict:
    """What choosing `name` for `factor` sets, as a nested mapping: the whole group node, and every
    value elsewhere that the choice changes from conf/config.yaml's composition."""
    check_choices({factor: [name]})
    group = CHOICES[factor]
    base = _compose(())
    chosen = base if name == NO_EXPERIMENT else _compose((f"{group}={name}",))
    out = _changed(chosen, base)
    out[group] = chosen[group]
    return out


def with_choices(cfg: Config, choices: Mapping[str, str]) -> Config:
    """A copy of `cfg` (a Config or a subclass, such as a sweep's) with the categorical choices
    applied (factor name -> choice). An experiment factor on a configuration that already has an
    experiment overlay is refused: the overlay cannot be taken back."""
    if not choices:
        return cfg
    if "experiment" in choices and getattr(cfg, "experiment", ""):
        raise ConfigError(
            f"The configuration already applies experiment={cfg.experiment}, and the factor experiment "
            f"chooses among {choices['experiment']!r}: an overlay cannot be undone. Drop "
            f"experiment={cfg.experiment} from the command line and list it among the factor's choices."
        )
    merged = OmegaConf.create(_container(cfg))
    for factor, name in choices.items():
        merged = OmegaConf.merge(merged, overlay(factor, str(name)))
    return to_config(merged, type(cfg))
