"""Hydra wiring: the structured schema in the ConfigStore, composition, conversion to Config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.params import Config, ConfigError, PolicyConf, validate_config

CONF_DIR = Path(__file__).resolve().parent.parent / "conf"


def register_schema() -> None:
    """Make the typed schemas available to conf/ as 'base_config' (a run) and 'base_sweep' (a sweep)."""
    from sim.sweep_conf import SweepAppConfig

    ConfigStore.instance().store(name="base_config", node=Config)
    ConfigStore.instance().store(name="base_sweep", node=SweepAppConfig)


def to_config(cfg: Any, schema: type = Config) -> Config:
    """A validated Config dataclass (or subclass) from a DictConfig, or a Config checked as is."""
    if isinstance(cfg, DictConfig):
        container = OmegaConf.to_container(cfg, resolve=True)
        container.pop("hydra", None)
        cfg = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(schema), container))
    if not isinstance(cfg, Config):
        raise TypeError(f"expected a Config or DictConfig, got {type(cfg).__name__}")
    validate_config(cfg)
    return cfg


def policies_for(policy: PolicyConf, powers: list[str]) -> list[str]:
    """The policy of each power: per_power overrides, else the default."""
    unknown = set(policy.per_power) - set(powers)
    if unknown:
        raise ConfigError(f"Configuration key policy.per_power names powers not in this world: "
                          f"{', '.join(sorted(unknown))}. Use codes among {', '.join(powers)}.")
    for code, kind in policy.per_power.items():
        if kind not in ("heuristic", "fixed", "scripted"):
            raise ConfigError(f"Configuration value policy.per_power.{code}={kind!r} is not allowed: choose "
                              f"heuristic, fixed or scripted.")
    return [policy.per_power.get(p, policy.default) for p in powers]


def explain_composition_error(exc: Exception, overrides: list[str]) -> str:
    """One paragraph for a Hydra/OmegaConf composition error: the key, the problem and the fix."""
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) not in text:
        text += "\n" + str(cause)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith(("Config search path", "provider="))]
    full_key = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("full_key:")), "")
    problem = "; ".join(ln.rstrip(".:") for ln in lines
                        if not ln.startswith(("full_key:", "reference_type", "object_type"))) + "."
    where = f"the key {full_key}" if full_key else "the configuration"
    given = ", ".join(overrides) if overrides else "(no overrides)"
    return (f"The configuration could not be built from conf/ with the overrides {given}: {problem} "
            f"(at {where}). Keys that are not in the world yet, such as a power's knobs, are added with a "
            f"leading +, e.g. +scenario.powers.RUS.overstretch=0.9. Check the spelling and type against "
            f"docs/parameters.md and the files under conf/; "
            f"groups are chosen as group=name (for example experiment=us_stays, scenario=sahel_2024), "
            f"values are set as key=value (for example incentives.junta.sovereignty=0.8).")


HYDRA_FLAGS = ("-m", "--multirun", "-h", "--help", "--hydra-help", "-c", "--cfg", "--info", "-i")


def precheck_overrides(args: list[str], config_name: str = "config", schema: type = Config) -> str | None:
    """Compose the command line's overrides once before Hydra does, to turn a bad key or value into
    one clear paragraph; returns that paragraph, or None when all is well (or Hydra flags are
    given, which Hydra handles itself)."""
    if any(a in HYDRA_FLAGS or a.startswith(("--config-dir", "-cd", "--config-path", "-cp")) for a in args):
        return None
    overrides = [a for a in args if not a.startswith(("-", "hydra.", "hydra/", "+hydra", "~hydra"))]
    try:
        compose_config(overrides, config_name=config_name, schema=schema)
    except ConfigError as exc:
        return str(exc)
    except Exception as exc:  # Hydra and OmegaConf composition errors
        return explain_composition_error(exc, overrides)
    return None


def compose_config(overrides: list[str] | None = None, config_name: str = "config",
                   schema: type = Config) -> Config:
    """Compose conf/ with Hydra-style overrides outside a Hydra app (tests, notebooks, the web app)."""
    from hydra import compose, initialize_config_dir

    register_schema()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose(config_name=config_name, overrides=overrides or [])
    return to_config(cfg, schema)
