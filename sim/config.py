"""Hydra wiring: the structured schema in the ConfigStore, composition, conversion to Config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.core import data_yaml
from sim.core.params import Config, ConfigError, validate_config, validate_schema
from sim.core.paths import conf_dir

#: Hydra's configuration folder: the repository's conf/ in a checkout, the packaged copy when installed.
CONF_DIR = conf_dir()


def register_schema() -> None:
    """Make the model's typed schema available to conf/ as 'base_config' (a run). An app with its own
    schema registers it itself (a sweep's 'base_sweep': sim.sweep_conf.register_sweep_schema)."""
    ConfigStore.instance().store(name="base_config", node=Config)


def to_config(cfg: Any, schema: type = Config) -> Config:
    """A validated Config dataclass (or subclass) from a DictConfig, or a Config checked as is."""
    if isinstance(cfg, DictConfig):
        container = OmegaConf.to_container(cfg, resolve=True)
        container.pop("hydra", None)
        cfg = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(schema), container))
    if not isinstance(cfg, Config):
        raise TypeError(f"expected a Config or DictConfig, got {type(cfg).__name__}")
    validate_config(cfg)
    if schema is not Config and isinstance(cfg, schema):  # an app's own fields (a sweep's engine, workers)
        validate_schema(cfg, schema, "")
    return cfg


def explain_composition_error(exc: Exception, overrides: list[str]) -> str:
    """One paragraph for a Hydra/OmegaConf composition error: the key, the problem and the fix."""
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause) not in text:
        text += "\n" + str(cause)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith(("Config search path", "provider="))]
    full_key = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("full_key:")), "")
    problem = (
        "; ".join(ln.rstrip(".:") for ln in lines if not ln.startswith(("full_key:", "reference_type", "object_type")))
        + "."
    )
    where = f"the key {full_key}" if full_key else "the configuration"
    given = ", ".join(overrides) if overrides else "(no overrides)"
    return (
        f"The configuration could not be built from conf/ with the overrides {given}: {problem} "
        f"(at {where}). Keys that are not in the world yet, such as a power's knobs, are added with a "
        f"leading +, e.g. +scenario.powers.RUS.overstretch=0.9. Check the spelling and type against "
        f"docs/parameters.md and the files under conf/; "
        f"groups are chosen as group=name (for example experiment=us_stays, scenario=sahel_2024), "
        f"values are set as key=value (for example incentives.junta.sovereignty=0.8)."
    )


def check_conf_files(config_name: str, overrides: list[str], conf_dir: Path = CONF_DIR) -> None:
    """Read every conf/ file a composition would use (the primary config, the group files its defaults
    lists name, and group=name overrides, recursively) with the project's safe data loader, before
    Hydra does: Hydra's own YAML reader expands aliases and accepts duplicate keys, so a sweep or config
    file with nested aliases would hang it. Raises ConfigError naming the file, the line and the fix."""
    chosen: dict[str, str] = {}
    for arg in overrides:
        key, eq, value = arg.lstrip("+~").partition("=")
        if eq and "." not in key and value and "," not in value:
            chosen[key.split("@")[0]] = value
    todo, seen = [conf_dir / f"{config_name}.yaml"], set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            data = data_yaml.load_file(path, f"The configuration file {path}")
        except (ValueError, yaml.YAMLError) as exc:
            problem = (
                str(exc)
                if isinstance(exc, data_yaml.DataYamlError)
                else f"The configuration file {path} is not valid YAML data ({' '.join(str(exc).split())[:300]})"
            )
            raise ConfigError(
                f"{problem} (configuration files are plain YAML data: fix the file, see docs/parameters.md)."
            ) from None
        defaults = data.get("defaults", []) if isinstance(data, dict) else []
        for entry in defaults if isinstance(defaults, list) else []:
            if isinstance(entry, dict):
                for group, name in entry.items():
                    group = str(group).removeprefix("override ").removeprefix("optional ").strip()
                    name = chosen.get(group, name)
                    if isinstance(name, str) and "/" not in group:
                        todo.append(conf_dir / group / f"{name}.yaml")
        for group, name in chosen.items():
            todo.append(conf_dir / group / f"{name}.yaml")


HYDRA_FLAGS = ("-m", "--multirun", "-h", "--help", "--hydra-help", "-c", "--cfg", "--info", "-i")


MULTIRUN_FLAGS = ("-m", "--multirun")


def precheck_overrides(args: list[str], config_name: str = "config", schema: type = Config) -> str | None:
    """Compose the command line's overrides once before Hydra does, to turn a bad key or value into
    one clear paragraph; returns that paragraph, or None when all is well (or Hydra flags other
    than -m are given, which Hydra handles itself).

    The world file is loaded and the players and policies checked against it, so that a refused run
    leaves no folder behind (Hydra makes the run folder before the run starts). With -m (a multirun)
    every job of the basic sweep (a,b x c,d ...) is checked, so that a bad value in any job stops the
    multirun before the first job starts."""
    flags = [a for a in args if a in HYDRA_FLAGS or a.startswith(("--config-dir", "-cd", "--config-path", "-cp"))]
    multirun = bool(flags) and all(a in MULTIRUN_FLAGS for a in flags)
    if flags and not multirun:
        return None
    if multirun and any(a.lstrip("+~").startswith(("hydra/sweeper", "hydra.sweeper")) for a in args):
        return None  # another sweeper: its own sweep syntax
    overrides = [a for a in args if not a.startswith(("-", "hydra.", "hydra/", "+hydra", "~hydra"))]
    try:
        check_conf_files(config_name, overrides)
    except ConfigError as exc:
        return str(exc)
    from hydra import compose, initialize_config_dir

    from sim.core.simulation import check_run_inputs
    from sim.core.world import WorldError, load_world, scenario_path

    register_schema()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        try:
            jobs = multirun_jobs(overrides) if multirun else [overrides]
        except Exception as exc:  # the sweep syntax (a,b  range(..)  glob(..))
            return explain_composition_error(exc, overrides)
        worlds: set[str] = set()
        for number, job in enumerate(jobs):
            which = f"In multirun job #{number} ({' '.join(job)}; no job was started): " if multirun else ""
            try:
                cfg = to_config(compose(config_name=config_name, overrides=job), schema)
                # the world, the players and the policies are checked here, before Hydra makes a run folder
                key = repr((cfg.scenario, getattr(cfg, "players", None), getattr(cfg, "policy", None)))
                if (schema is Config or multirun) and key not in worlds:
                    world = load_world(scenario_path(cfg.scenario.name), cfg.scenario)
                    if schema is Config:
                        check_run_inputs(cfg, world)
                    worlds.add(key)
            except (ConfigError, WorldError) as exc:
                return f"{which}{exc}"
            except Exception as exc:  # Hydra and OmegaConf composition errors
                return which + explain_composition_error(exc, job)
    return None


def multirun_jobs(overrides: list[str]) -> list[list[str]]:
    """The overrides of each job of a multirun, in Hydra's basic sweeper's order (its job numbers):
    `experiment=a,b seed=0,1` gives four jobs. Call inside an initialized Hydra (for glob())."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create(config_loader=GlobalHydra.instance().config_loader())
    return BasicSweeper.split_arguments(parser.parse_overrides(overrides), max_batch_size=None)[0]


def compose_config(overrides: list[str] | None = None, config_name: str = "config", schema: type = Config) -> Config:
    """Compose conf/ with Hydra-style overrides outside a Hydra app (tests, notebooks, the web app)."""
    from hydra import compose, initialize_config_dir

    register_schema()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose(config_name=config_name, overrides=overrides or [])
    return to_config(cfg, schema)
