"""`python -m sim`: one run of a scenario, writing tables, plots and a summary.

    python -m sim                                  # the baseline: May 2024 + 36 months, seed 0
    python -m sim seed=3 experiment=us_stays       # a counterfactual overlay
    python -m sim incentives.junta.sovereignty=0.8 run.steps=12 hydra.run.dir=out/x
    python -m sim -m experiment=us_stays,france_resets seed=0,1 hydra/launcher=joblib
                                                   # multirun: a folder per job in outputs/multirun/DATE/TIME/

Bad input (a broken world file, an unknown key, a value out of range) stops before simulating
with one paragraph naming the file, the field and the fix, and a non-zero exit.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim.commandline import fail
from sim.config import CONF_DIR, precheck_overrides, register_schema, to_config
from sim.core.atomic import write_text_atomic
from sim.core.io import write_tables
from sim.core.params import Config, ConfigError
from sim.core.provenance import provenance
from sim.core.world import SCENARIO_DIR, WorldError
from sim.extras import launcher_problem

log = logging.getLogger(__name__)

register_schema()


def run(cfg: DictConfig, out_dir: Path) -> Path:
    """Validate, simulate, write the run directory; returns it."""
    from sim.model import InfluenceModel

    try:
        config = to_config(cfg)
        model = InfluenceModel(config)
    except (ConfigError, WorldError) as exc:
        fail(str(exc))
    out_dir.mkdir(parents=True, exist_ok=True)
    model.run()
    resolved = OmegaConf.to_container(cfg, resolve=True)
    resolved.pop("hydra", None)
    write_text_atomic(out_dir / "config.yaml", OmegaConf.to_yaml(OmegaConf.create(resolved)))
    # what else decided the results: the model's code, the world file, the package versions
    write_text_atomic(out_dir / "provenance.json", json.dumps(provenance(model.world.path), indent=2) + "\n")
    write_tables(model.recorder, out_dir)
    if config.run.plots:
        from analysis.figures import write_run_plots

        write_run_plots(out_dir, outlines_path=SCENARIO_DIR / "africa_countries.geojson")
    if config.run.summary:
        from analysis.summary import run_summary

        print(run_summary(out_dir))
    return out_dir


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    run(cfg, Path(HydraConfig.get().runtime.output_dir))


def cli() -> None:
    """Check the overrides with a clear message first, then hand over to Hydra."""
    problem = launcher_problem(sys.argv[1:]) or precheck_overrides(sys.argv[1:], "config", Config)
    if problem:
        fail(problem)
    main()


if __name__ == "__main__":
    cli()
