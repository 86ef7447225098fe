"""Scenario discovery with PRIM (ema_workbench): which box of parameter values makes a yes/no
outcome likely.

PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999) starts from the box holding
every run and peels off thin slices of one parameter's range at a time, each time the slice whose
removal raises the share of runs with the outcome the most. Every box on the way is a candidate:
its *coverage* is the share of all runs with the outcome that lie inside it, its *density* the
share of the runs inside it that have the outcome. Peeling trades coverage for density; the box
reported is the one with the highest coverage among those at least `min_density` dense (ties go
to the denser box; the densest box when none is that dense). By default `min_density` is halfway
between the share of all runs with the outcome and 1, so the box always says more than "every
run".

A box is a finding only when it beats the base rate clearly (Bryant and Lempert 2010; Kwakkel
and Jaxa-Rozen 2016): every restriction it makes must be significant (its qp-value, the one-sided
binomial p-value of the density gain of that restriction alone, EMA Workbench's `p_values`, at most
QP_MAX) and its density must exceed the base rate by at least MIN_LIFT of the room above it.
Otherwise the report says that no box is worth reporting.

Covering (Friedman and Fisher 1999; EMA Workbench's `Prim.find_box` called again): after a box is
chosen, the runs inside it are set aside and PRIM peels the rest, up to `max_boxes` boxes; each
later box is judged against the base rate of the runs left when it was peeled, and covering stops
at the first box that is not a finding.

CART (Breiman et al. 1984, scikit-learn's `DecisionTreeClassifier`) is the second method: a
shallow tree whose leaves are boxes. The tree is grown on half the runs and its leaves are judged
on the other half ("honest" trees, Athey and Imbens 2016): a tree picks its cuts to make leaves
pure, so a leaf judged on the runs that shaped it looks better than it is (on pure noise, a
few leaves of a tree judged in-sample passed the rule below). A leaf is a finding by the same lift
rule, with its qp-value the one-sided binomial test of its held-out density against the held-out
base rate (`scipy.stats.binomtest`, as EMA's `_calculate_quasip` with every restriction removed),
Bonferroni-corrected for the number of leaves.

Feature scores (extra trees, EMA Workbench's `get_ex_feature_scores`, Jaxa-Rozen and Kwakkel
2018) rank the parameters by how much they explain the outcome, with a fixed random state.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from scipy.stats import binomtest

from analysis.plots import _new_axes

#: A restriction is significant when its qp-value is at most this.
QP_MAX = 0.05
#: A box beats the base rate clearly when density - base >= MIN_LIFT x (1 - base).
MIN_LIFT = 0.25
#: Seed of the extra trees behind the feature scores (results depend only on the data).
FEATURE_SEED = 20240101
#: Numerical slack in the comparisons of densities.
_TOL = 1e-12


def clear_lift(density: float, base_rate: float) -> bool:
    """The lift rule: the density is at least MIN_LIFT of the way from the base rate to 100%."""
    return density - base_rate >= MIN_LIFT * (1.0 - base_rate) - _TOL


def finding_rule() -> str:
    """The rule a box must pass to be shown as a finding, in words."""
    return (
        f"a box is a finding when every restriction has qp <= {QP_MAX:g} and its density is at least "
        f"{MIN_LIFT:.0%} of the way from the base rate to 100%"
    )


@dataclass(frozen=True)
class PrimResult:
    """The chosen PRIM box and the peeling trajectory it was chosen from, with the base rate and
    whether the box is worth reporting."""

    box: pd.DataFrame  # one row per parameter: low, high, range_low, range_high, restricted, qp, coverage, density
    trajectory: pd.DataFrame  # one row per candidate box: coverage, density, mass, n_restricted, n_runs
    chosen: int  # row of the trajectory
    base_rate: float = float("nan")  # share of the runs peeled (all runs for the first box) with the outcome
    number: int = 1  # the box's place in the covering sequence (1: found on every run)

    @property
    def worth_reporting(self) -> bool:
        """The box restricts something, every restriction is significant (qp <= QP_MAX) and its
        density beats the base rate by at least MIN_LIFT of the room above it."""
        restricted = self.box.loc[self.box["restricted"]]
        return (
            len(restricted) > 0
            and bool((restricted["qp"] <= QP_MAX).all())
            and clear_lift(self.density, self.base_rate)
        )

    def verdict(self) -> str:
        """One sentence: the box as a finding, or why there is none."""
        head = (
            f"base rate {self.base_rate:.0%}; box density {self.density:.0%}, coverage {self.coverage:.0%}, "
            f"{int(self.trajectory.loc[self.chosen, 'n_runs'])} runs inside"
        )
        restricted = self.box.loc[self.box["restricted"]]
        qps = ", ".join(f"{r.parameter} qp {r.qp:.2g}" for r in restricted.itertuples()) or "no restriction"
        which = "" if self.number == 1 else f"Box {self.number} (on the runs outside the earlier boxes): "
        if self.worth_reporting:
            return f"{which}A box worth reporting: {head} ({qps})."
        return (
            f"{which}No box is worth reporting: {head} ({qps}); a finding needs every restriction at qp <= "
            f"{QP_MAX:g} and a density at least {MIN_LIFT:.0%} of the way from the base rate to 100%."
        )

    @property
    def coverage(self) -> float:
        return float(self.trajectory.loc[self.chosen, "coverage"])

    @property
    def density(self) -> float:
        return float(self.trajectory.loc[self.chosen, "density"])


#: What a report says instead of a PRIM box when EMA Workbench is absent (the package's `sweep` extra, sim.extras).
NO_EMA_WORKBENCH = (
    "PRIM needs EMA Workbench, in the optional 'sweep' extra, which is not installed: "
    "pip install 'sahel-influence[sweep]' (in a clone: make setup)"
)


def _prim_module() -> Any:
    """EMA Workbench's PRIM module; a ValueError (NO_EMA_WORKBENCH) when it is not installed."""
    # ema_workbench announces two optional extras it cannot find when imported; nothing else is hidden
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        warnings.filterwarnings("ignore", message="altair based interactive inspection", category=ImportWarning)
        try:
            from ema_workbench.analysis import prim
        except ImportError:
            raise ValueError(NO_EMA_WORKBENCH) from None
    return prim


def _xy(
    runs: pd.DataFrame, outcome: pd.Series, parameters: Sequence[str] | None
) -> tuple[list[str], pd.DataFrame, pd.Series]:
    """The parameter names, their values (one row per run, index 0..n-1) and the outcome aligned to them."""
    names = (
        list(parameters)
        if parameters is not None
        else [c for c in runs.columns if c not in ("run", "point", "replicate", "seed")]
    )
    df = runs[["run", *names]].merge(pd.Series(outcome, name="_y"), left_on="run", right_index=True, how="left")
    if df["_y"].isna().any():
        raise ValueError("the outcome is missing for some runs of the sweep")
    return names, df[names].astype(float).reset_index(drop=True), df["_y"].reset_index(drop=True)


def _boolean(y: pd.Series) -> np.ndarray:
    out = y.astype(bool).to_numpy()
    if out.all() or not out.any():
        raise ValueError(
            f"PRIM needs runs with and without the outcome, but it is {bool(out[0])} in all {len(out)} "
            f"runs: choose another outcome or widen the parameter ranges"
        )
    return out


def prim_box(
    runs: pd.DataFrame,
    outcome: pd.Series,
    parameters: Sequence[str] | None = None,
    *,
    ranges: Mapping[str, Sequence[float]] | None = None,
    min_density: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> PrimResult:
    """Find the PRIM box of a yes/no outcome over the sweep's parameters (the first box of `prim_boxes`).

    runs: the runs table (run and parameter columns); outcome: one bool per run, indexed by run.
    parameters: the columns to box (default: every column except run, point, replicate, seed).
    ranges: the parameters' full ranges for the table (default: the values' min and max).
    min_density: the density the chosen box must reach (default: halfway from the base rate to 1).
    Returns the box (limits, coverage, density, qp-values) and the peeling trajectory.

    Raises:
        ValueError: the outcome is missing for some runs, or is the same in every run.
    """
    return prim_boxes(
        runs,
        outcome,
        parameters,
        ranges=ranges,
        min_density=min_density,
        peel_alpha=peel_alpha,
        paste_alpha=paste_alpha,
        mass_min=mass_min,
        max_boxes=1,
    )[0]


def prim_boxes(
    runs: pd.DataFrame,
    outcome: pd.Series,
    parameters: Sequence[str] | None = None,
    *,
    ranges: Mapping[str, Sequence[float]] | None = None,
    min_density: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    max_boxes: int = 3,
) -> list[PrimResult]:
    """PRIM with covering: up to `max_boxes` boxes, each peeled from the runs outside the earlier
    ones; the sequence stops after the first box that is not worth reporting (it is returned, so
    the report can say why), or when the runs left hold no case or no non-case of the outcome.

    Arguments as `prim_box`; min_density, when None, is halfway from the base rate of the runs
    left to 1. Raises ValueError as `prim_box`.
    """
    names, x, y_raw = _xy(runs, outcome, parameters)
    y = _boolean(y_raw)
    prim = _prim_module()
    full = {n: (float(x[n].min()), float(x[n].max())) for n in names}
    full.update({n: (float(v[0]), float(v[1])) for n, v in (ranges or {}).items() if n in full})
    results: list[PrimResult] = []
    with warnings.catch_warnings():
        # pandas deprecations inside ema_workbench's own code
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ema_workbench\.")
        finder = prim.Prim(x, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        outside = np.ones(len(y), dtype=bool)  # the runs not in an earlier box (EMA's yi_remaining)
        while len(results) < max_boxes:
            left = y[outside]
            if left.all() or not left.any():
                break
            found = finder.find_box()
            if found is None:
                break
            result = _result(found, x, names, full, float(left.mean()), min_density, len(results) + 1)
            found.select(result.chosen)  # the chosen box's runs are the ones find_box sets aside next time
            outside[found.yi] = False
            results.append(result)
            if not result.worth_reporting:
                break
    return results


def _result(
    found: Any,
    x: pd.DataFrame,
    names: list[str],
    full: Mapping[str, tuple[float, float]],
    base_rate: float,
    min_density: float | None,
    number: int,
) -> PrimResult:
    """The chosen box of one EMA PrimBox as a PrimResult."""
    peel = found.peeling_trajectory.reset_index(drop=True)
    trajectory = pd.DataFrame(
        {
            "coverage": peel["coverage"].astype(float),
            "density": peel["density"].astype(float),
            "mass": peel["mass"].astype(float),
            "n_restricted": peel["res_dim"].astype(int),
            "n_runs": peel["n"].astype(int),
        }
    )
    # a restriction cut on both sides is as significant as its weaker side (EMA gives -1 for an uncut side)
    qps = [
        {n: max((v for v in sides if v >= 0), default=float("nan")) for n, sides in step.items()}
        for step in found.p_values
    ]
    trajectory["largest_qp"] = [max(q.values(), default=float("nan")) for q in qps]
    threshold = (base_rate + 1.0) / 2 if min_density is None else min_density
    dense = trajectory.loc[trajectory["density"] >= threshold - _TOL]
    # the widest dense box whose every restriction is significant; else the widest dense box; else the densest
    significant = dense.loc[dense["largest_qp"] <= QP_MAX]
    pool, keys = (
        (significant, ["coverage", "density"])
        if len(significant)
        else (dense, ["coverage", "density"])
        if len(dense)
        else (trajectory, ["density", "coverage"])
    )
    chosen = int(pool.sort_values(keys, ascending=False, kind="stable").index[0])
    limits = found.box_lims[chosen]
    initial = found.box_lims[0]
    qp = qps[chosen]
    rows = []
    for n in names:
        lo, hi = float(limits.loc[0, n]), float(limits.loc[1, n])
        # a side PRIM did not peel is open: show it at the full range's end, not the data's extreme
        cut_lo, cut_hi = lo > float(initial.loc[0, n]), hi < float(initial.loc[1, n])
        restricted = cut_lo or cut_hi
        lo, hi = (lo if cut_lo else full[n][0]), (hi if cut_hi else full[n][1])
        rows.append(
            {
                "parameter": n,
                "low": lo,
                "high": hi,
                "range_low": full[n][0],
                "range_high": full[n][1],
                "restricted": restricted,
                "qp": qp.get(n, float("nan")) if restricted else float("nan"),
            }
        )
    box = pd.DataFrame(rows).assign(
        coverage=trajectory.loc[chosen, "coverage"],
        density=trajectory.loc[chosen, "density"],
        mass=trajectory.loc[chosen, "mass"],
    )
    return PrimResult(box=box, trajectory=trajectory, chosen=chosen, base_rate=base_rate, number=number)


def prim_summary(results: Sequence[PrimResult]) -> pd.DataFrame:
    """One row per box of a covering sequence: its restrictions, coverage, density, base rate,
    largest qp-value and whether it is a finding."""
    rows = []
    for r in results:
        restricted = r.box.loc[r.box["restricted"]]
        rows.append(
            {
                "box": r.number,
                "restrictions": "; ".join(
                    f"{p.low:.3g} <= {p.parameter} <= {p.high:.3g}" for p in restricted.itertuples()
                )
                or "none",
                "runs inside": int(r.trajectory.loc[r.chosen, "n_runs"]),
                "coverage": r.coverage,
                "density": r.density,
                "base rate": r.base_rate,
                "largest qp": float(restricted["qp"].max()) if len(restricted) else float("nan"),
                "finding": r.worth_reporting,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class CartResult:
    """The leaves of a CART tree as boxes: one row per leaf with its rule, runs, coverage,
    density, qp-value (Bonferroni-corrected over the leaves) and whether it is a finding."""

    leaves: pd.DataFrame
    base_rate: float

    @property
    def findings(self) -> pd.DataFrame:
        """The leaves that are findings, densest first."""
        return self.leaves.loc[self.leaves["finding"]].sort_values("density", ascending=False)

    def verdict(self) -> str:
        """One sentence: the leaves that are findings, or that there is none."""
        found = self.findings
        if len(found):
            best = found.iloc[0]
            return (
                f"CART: {len(found)} of {len(self.leaves)} leaves beat the base rate {self.base_rate:.0%} "
                f"clearly; the densest: {best['rule']} (density {best['density']:.0%}, coverage "
                f"{best['coverage']:.0%}, qp {best['qp']:.2g})."
            )
        return (
            f"CART: no leaf beats the base rate {self.base_rate:.0%} clearly (a finding needs qp <= {QP_MAX:g} "
            f"after Bonferroni over the {len(self.leaves)} leaves and a density at least {MIN_LIFT:.0%} of the "
            f"way from the base rate to 100%)."
        )


def cart_boxes(
    runs: pd.DataFrame,
    outcome: pd.Series,
    parameters: Sequence[str] | None = None,
    *,
    max_depth: int = 3,
    mass_min: float = 0.05,
    seed: int = FEATURE_SEED,
) -> CartResult:
    """Fit a shallow classification tree (scikit-learn, depth `max_depth`, leaves of at least
    `mass_min` of the runs) to a yes/no outcome on half the runs (drawn with `seed`) and return
    its leaves as boxes, with runs, coverage, density and qp-values counted on the other half.

    Raises:
        ValueError: the outcome is missing for some runs, or is the same in every run.
    """
    try:
        from sklearn.tree import DecisionTreeClassifier
    except ImportError:  # scikit-learn comes with EMA Workbench, in the 'sweep' extra
        raise ValueError(NO_EMA_WORKBENCH.replace("PRIM", "CART")) from None

    names, x, y_raw = _xy(runs, outcome, parameters)
    y = _boolean(y_raw)
    # honest leaves: the tree is grown on half the runs and judged on the other half, so a leaf that
    # only fits the noise of its own half shows the base rate where it is judged
    grow = np.zeros(len(y), dtype=bool)
    grow[np.random.default_rng(seed).permutation(len(y))[: len(y) // 2]] = True
    judge = ~grow
    if y[judge].all() or not y[judge].any():
        raise ValueError("CART needs runs with and without the outcome in the held-out half of the runs")
    # the tree's own random_state only breaks ties between equally good splits
    tree = DecisionTreeClassifier(
        max_depth=max_depth, min_samples_leaf=max(1, round(mass_min * grow.sum())), random_state=0
    ).fit(x.to_numpy()[grow], y[grow])
    t = tree.tree_
    leaf_of = tree.apply(x.to_numpy()[judge])
    yj = y[judge]
    base = float(yj.mean())
    total = int(yj.sum())
    leaves: list[dict[str, Any]] = []

    def walk(node: int, bounds: dict[str, tuple[float, float]]) -> None:
        if t.children_left[node] == -1:
            inside = leaf_of == node
            n, k = int(inside.sum()), int(yj[inside].sum())
            rule = (
                " and ".join(
                    f"{lo:.3g} < {p} <= {hi:.3g}"
                    if np.isfinite(lo) and np.isfinite(hi)
                    else (f"{p} <= {hi:.3g}" if np.isfinite(hi) else f"{p} > {lo:.3g}")
                    for p, (lo, hi) in bounds.items()
                )
                or "every run"
            )
            leaves.append(
                {
                    "leaf": node,
                    "rule": rule,
                    "runs": n,
                    "coverage": k / total,
                    "density": k / n if n else float("nan"),
                    "qp": float(binomtest(k, n, base, alternative="greater").pvalue) if n else 1.0,
                }
            )
            return
        name, cut = names[t.feature[node]], float(t.threshold[node])
        lo, hi = bounds.get(name, (-np.inf, np.inf))
        walk(int(t.children_left[node]), {**bounds, name: (lo, min(hi, cut))})
        walk(int(t.children_right[node]), {**bounds, name: (max(lo, cut), hi)})

    walk(0, {})
    table = pd.DataFrame(leaves)
    table["qp"] = (table["qp"] * len(table)).clip(upper=1.0)
    table["finding"] = (table["qp"] <= QP_MAX) & np.array([clear_lift(d, base) for d in table["density"]])
    return CartResult(leaves=table.sort_values("density", ascending=False).reset_index(drop=True), base_rate=base)


def feature_scores(
    runs: pd.DataFrame, outcome: pd.Series, parameters: Sequence[str] | None = None, *, seed: int = FEATURE_SEED
) -> pd.Series:
    """Extra-trees feature scores of the parameters for an outcome (yes/no: classification; a
    number: regression), highest first; they sum to 1. Seeded, so the same data give the same scores."""
    names, x, y = _xy(runs, outcome, parameters)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        warnings.filterwarnings("ignore", message="altair based interactive inspection", category=ImportWarning)
        try:
            from ema_workbench.analysis.feature_scoring import get_ex_feature_scores
            from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
        except ImportError:
            raise ValueError(NO_EMA_WORKBENCH.replace("PRIM", "Feature scoring")) from None
    boolean = pd.api.types.is_bool_dtype(y)
    mode = RuleInductionType.CLASSIFICATION if boolean else RuleInductionType.REGRESSION
    values = y.to_numpy(dtype=int if boolean else float)
    with warnings.catch_warnings():
        # out-of-bag estimates on tiny samples warn that some runs were never left out
        warnings.filterwarnings("ignore", category=UserWarning, module=r"sklearn\.")
        scores, _ = get_ex_feature_scores(
            x, values, mode=mode, max_features=max(1, round(len(names) / 3)), random_state=seed
        )
    return scores.iloc[:, 0].rename("score").rename_axis("parameter").astype(float)


def feature_score_bars(scores: pd.Series, outcome_label: str, ax: Axes | None = None) -> Figure:
    """Horizontal bars of the feature scores, highest at the top."""
    fig, ax = _new_axes(ax, (8.0, 1.6 + 0.4 * len(scores)))
    order = scores.sort_values()
    ax.barh(np.arange(len(order)), order.to_numpy(), color="#0072B2", label="extra-trees feature score")
    ax.set_yticks(np.arange(len(order)), order.index)
    ax.axvline(
        1.0 / max(len(scores), 1), color="0.4", linestyle="--", linewidth=1.0, label="equal share (1 / parameters)"
    )
    ax.set_xlabel("feature score (share of the trees' impurity reduction, 0-1; scores sum to 1)")
    ax.set_ylabel("parameter")
    ax.set_title(f"Which parameters explain it: feature scores for\n{outcome_label}")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return fig


def prim_figure(result: PrimResult, outcome_label: str) -> Figure:
    """Two panels: the box's limits on each parameter against its full range (scaled to 0-1), and
    the coverage/density trade-off of the peeling trajectory with the chosen box marked."""
    box = result.box
    fig = Figure(figsize=(13.0, max(4.8, 2.4 + 0.45 * len(box))), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.3, 1.0])
    span = (box["range_high"] - box["range_low"]).replace(0, np.nan)
    lo = ((box["low"] - box["range_low"]) / span).fillna(0.0)
    hi = ((box["high"] - box["range_low"]) / span).fillna(1.0)
    y = np.arange(len(box))[::-1]
    left.barh(y, np.ones(len(box)), color="0.9", height=0.6)
    colors = np.where(box["restricted"], "#D55E00", "#999999")
    left.barh(y, hi - lo, left=lo, color=colors, height=0.6)
    for yi, (_, row) in zip(y, box.iterrows(), strict=True):
        left.text(-0.02, yi, f"{row['range_low']:.3g}", ha="right", va="center", fontsize=8)
        left.text(1.02, yi, f"{row['range_high']:.3g}", ha="left", va="center", fontsize=8)
        if row["restricted"]:
            left.text(
                (lo[_] + hi[_]) / 2,
                yi,
                f"{row['low']:.3g} to {row['high']:.3g} (qp {row['qp']:.2g})",
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                fontweight="bold",
            )
    left.set_yticks(y, box["parameter"])
    left.set_xlim(-0.15, 1.15)
    left.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["low", "25%", "50%", "75%", "high"])
    left.set_xlabel("position within the parameter's full range (0 = low end, 1 = high end)")
    left.set_ylabel("parameter")
    left.set_title(
        f"PRIM box: coverage {result.coverage:.0%}, density {result.density:.0%} (base rate {result.base_rate:.0%})"
    )
    left.legend(
        handles=[
            Patch(color="#D55E00", label="restricted by the box"),
            Patch(color="#999999", label="not restricted"),
            Patch(color="0.9", label="full range (labels at the ends)"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncols=3,
        frameon=False,
        fontsize=8,
    )
    t = result.trajectory
    points = right.scatter(t["coverage"], t["density"], c=t["n_restricted"], cmap="viridis", s=22, zorder=3)
    right.plot(t["coverage"], t["density"], color="0.7", linewidth=0.8, zorder=2)
    right.scatter(
        [result.coverage], [result.density], s=160, facecolors="none", edgecolors="#D55E00", linewidths=2.0, zorder=4
    )
    right.set_xlabel("coverage (share of the runs with the outcome\nthat lie inside the box, 0-1)")
    right.set_ylabel("density (share of the runs inside\nthe box that have the outcome, 0-1)")
    right.set_title("Peeling trajectory: coverage against density")
    right.axhline(result.base_rate, color="0.4", linestyle="--", linewidth=1.0, zorder=1)
    right.set_xlim(-0.02, 1.02)
    right.set_ylim(-0.02, 1.02)
    right.grid(True, color="0.92", linewidth=0.6)
    right.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="none",
                markeredgecolor="#D55E00",
                markeredgewidth=2.0,
                markersize=11,
                label="chosen box",
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="-",
                color="0.7",
                markerfacecolor="#21918c",
                markeredgecolor="none",
                label="candidate boxes (peeling order)",
            ),
            Line2D([], [], linestyle="--", color="0.4", label="base rate (every run)"),
        ],
        loc="lower left",
        frameon=False,
        fontsize=8,
    )
    bar = fig.colorbar(points, ax=right, label="parameters restricted by the box (count)")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    finding = "" if result.worth_reporting else "\n(no box beats the base rate clearly: not a finding)"
    fig.suptitle(f"Scenario discovery (PRIM): which parameter values make it likely that\n{outcome_label}{finding}")
    return fig
