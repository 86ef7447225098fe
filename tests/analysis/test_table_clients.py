"""One file schema for single runs and sweeps, read alike by pandas, pyarrow.dataset, polars and
duckdb: codes dictionary-encoded everywhere, `date` an ordered month, parameters only in
runs.parquet, one row group per step; and the CSV export."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from analysis.export import export_csv, main
from analysis.sweep_data import SweepError, with_parameters
from sim.core.io import MIN_ROW_GROUP_ROWS, contract_table, step_groups, write_arrow_atomic

STEPS = 14  # May 2024 to July 2025


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from sim.config import compose_config
    from sim.core.io import write_tables
    from sim.model import InfluenceModel
    from sim.sweep import run_sweep
    from sim.sweep_conf import SweepAppConfig

    root = tmp_path_factory.mktemp("clients")
    cfg = compose_config(
        [f"run.steps={STEPS}", "sweep=demo_grid", "sweep.seeds_per_point=1", "sweep.chunk_runs=4"],
        config_name="sweep_app",
        schema=SweepAppConfig,
    )
    sweep = run_sweep(cfg, root / "sweep", progress=False)
    model = InfluenceModel(compose_config([f"run.steps={STEPS}", "run.plots=false", "run.summary=false"]))
    model.run()
    (root / "run").mkdir()
    write_tables(model.recorder, root / "run")
    return root / "run", sweep


def test_single_runs_and_sweeps_share_one_schema(folders):
    # both written with the defaults (a sweep's floats are float64 unless sweep.float32=true)
    run, sweep = folders
    for name in ("states", "ties", "events"):
        single = pq.read_schema(run / f"{name}.parquet").remove_metadata()
        part = pq.read_schema(sweep / name / "part-000000.parquet").remove_metadata()
        assert single.equals(part), name
        for field in single:
            if field.name == "date":
                assert field.type == pa.dictionary(pa.int32(), pa.string(), ordered=True)
            elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
                pytest.fail(f"{name}.{field.name} is a plain string: codes are dictionary-encoded everywhere")
    # parameters live only in runs.parquet
    runs = pd.read_parquet(sweep / "runs.parquet")
    params = [c for c in runs.columns if "." in c]
    assert params and not set(params) & set(pq.read_schema(sweep / "states" / "part-000000.parquet").names)


def test_row_groups_follow_the_steps(folders):
    run, sweep = folders
    for path in (run / "states.parquet", sweep / "ties" / "part-000001.parquet", run / "events.parquet"):
        meta = pq.ParquetFile(path).metadata
        step = meta.schema.names.index("step")
        ranges = [
            (meta.row_group(g).column(step).statistics.min, meta.row_group(g).column(step).statistics.max)
            for g in range(meta.num_row_groups)
        ]
        # ascending, disjoint step ranges: a filter on step reads only the groups that hold it
        assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False)), path
        assert ranges[0][0] == 0 or "events" in path.name
    # a big table gets one group per step; steps with few rows share a group until it has MIN_ROW_GROUP_ROWS
    steps = np.repeat(np.arange(4), [MIN_ROW_GROUP_ROWS, 3, MIN_ROW_GROUP_ROWS - 3, 5])
    assert step_groups(steps) == [
        (0, MIN_ROW_GROUP_ROWS),
        (MIN_ROW_GROUP_ROWS, 2 * MIN_ROW_GROUP_ROWS),
        (2 * MIN_ROW_GROUP_ROWS, 2 * MIN_ROW_GROUP_ROWS + 5),
    ]
    assert step_groups(np.repeat(np.arange(3), 10), min_rows=1) == [(0, 10), (10, 20), (20, 30)]
    assert step_groups(np.array([], dtype=int)) == []
    # a sweep chunk of 100 runs: 19 states x 5 powers x 100 runs = 9,500 ties rows a step, one group each
    big = pa.table({"step": np.repeat(np.arange(3), 9500), "run": np.tile(np.arange(9500), 3)})
    write_arrow_atomic(contract_table(big), run.parent / "big.parquet")
    assert pq.ParquetFile(run.parent / "big.parquet").metadata.num_row_groups == 3


def test_pandas(folders):
    run, sweep = folders
    states = pd.read_parquet(sweep / "states")
    assert states["date"].cat.ordered and states["date"].max() == "2025-07" and states["date"].min() == "2024-05"
    events = pd.read_parquet(sweep / "events")
    joined = events.merge(states, on=["run", "step", "state"], suffixes=("", "_state"))
    assert len(joined) == len(events.loc[events["state"] != ""]) > 0
    later = pd.read_parquet(run / "states.parquet", filters=[("step", "==", 12)])
    assert set(later["date"].astype(str)) == {"2025-05"} and len(later) == later["state"].nunique()
    recent = states.loc[states["date"] >= "2025-01"]
    assert sorted(recent["step"].unique()) == list(range(8, STEPS + 1))
    with_values = with_parameters(states, sweep)
    assert len(with_values) == len(states) and with_values["hazards.coup_base"].notna().all()


def test_pyarrow_dataset(folders):
    _, sweep = folders
    states = ds.dataset(sweep / "states", format="parquet")
    month = states.to_table(filter=ds.field("step") == 12, columns=["run", "step", "date", "state", "regime"])
    assert month.num_rows == 9 * 19 and set(month.column("date").to_pylist()) == {"2025-05"}
    events = ds.dataset(sweep / "events", format="parquet").to_table()
    # Arrow's hash join takes no dictionary keys: decode the codes, as the other clients do for you
    plain = {
        n: (c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c)
        for n, c in zip(month.column_names, month.columns, strict=True)
    }
    joined = pa.table(plain).join(
        pa.table(
            {
                n: (c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c)
                for n, c in zip(events.column_names, events.columns, strict=True)
            }
        ),
        keys=["run", "step", "state"],
        right_keys=["run", "step", "state"],
        join_type="inner",
        right_suffix="_event",
    )
    assert joined.num_rows == sum(1 for s in events.filter(ds.field("step") == 12).column("state").to_pylist() if s)


def test_polars(folders):
    pl = pytest.importorskip("polars")
    run, sweep = folders
    states = pl.scan_parquet(str(sweep / "states" / "*.parquet"))
    events = pl.scan_parquet(str(sweep / "events" / "*.parquet"))
    joined = events.join(states, on=["run", "step", "state"], how="inner").collect()  # one schema: no cast needed
    assert joined.height == events.filter(pl.col("state") != "").collect().height > 0
    month = states.filter(pl.col("step") == 12).collect()
    assert month.height == 9 * 19 and month["date"].cast(pl.String).unique().to_list() == ["2025-05"]
    single = pl.read_parquet(run / "states.parquet")
    assert single.schema == pl.read_parquet(sweep / "states" / "part-000000.parquet").schema
    recent = single.filter(pl.col("date").cast(pl.String) >= "2025-01")
    assert sorted(recent["step"].unique().to_list()) == list(range(8, STEPS + 1))


def test_duckdb(folders):
    duckdb = pytest.importorskip("duckdb")
    run, sweep = folders
    con = duckdb.connect()
    (n,) = con.execute(f"""
        SELECT count(*) FROM read_parquet('{sweep}/events/*.parquet') e
        JOIN read_parquet('{sweep}/states/*.parquet') s USING (run, step, state)""").fetchone()
    (expected,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{sweep}/events/*.parquet') WHERE state <> ''"
    ).fetchone()
    assert n == expected > 0
    dates = con.execute(f"SELECT DISTINCT date FROM read_parquet('{run}/states.parquet') WHERE step = 12").fetchall()
    assert dates == [("2025-05",)]
    (first,) = con.execute(
        f"SELECT min(step) FROM read_parquet('{sweep}/ties/*.parquet') WHERE date >= '2025-01'"
    ).fetchone()
    assert first == 8


def test_csv_export(folders, tmp_path, capsys):
    run, sweep = folders
    paths = export_csv(sweep, tmp_path / "sweep", tables=["states", "events"], parameters=True)
    assert [p.name for p in paths] == ["runs.csv", "states.csv", "events.csv"]
    states = pd.read_csv(tmp_path / "sweep" / "states.csv")
    assert len(states) == 9 * 19 * (STEPS + 1) and states["date"].iloc[0] == "2024-05"
    assert states["hazards.coup_base"].notna().all() and states["run"].nunique() == 9
    assert main([str(run), str(tmp_path / "run")]) == 0
    assert "wrote 5 CSV files" in capsys.readouterr().out
    single = pd.read_csv(tmp_path / "run" / "ties.csv")
    assert len(single) == len(pd.read_parquet(run / "ties.parquet"))
    with pytest.raises(SweepError, match="not a sweep folder"):
        export_csv(run, tmp_path / "x", parameters=True)
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "nothing"), str(tmp_path / "y")])
    assert stop.value.code == 2 and capsys.readouterr().err.startswith("error:")
