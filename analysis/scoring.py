"""Scores of probability forecasts of yes/no outcomes: Brier score, skill against baselines,
reliability (calibration) bins and a contingency table. Pure numpy/pandas, no model.

A forecast is a probability p in [0, 1] per cell and an outcome o in {0, 1}. The Brier score is
the mean of (p - o)^2 (0 is perfect; always saying 0.5 scores 0.25). The Brier skill score of a
forecast against a reference is 1 - BS / BS_ref: 1 is perfect, 0 no better than the reference,
negative worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def _arrays(p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    if p.shape != o.shape or p.ndim != 1 or p.size == 0:
        raise ValueError(f"need two 1-d arrays of the same non-zero length, got {p.shape} and {o.shape}")
    if np.any((p < 0) | (p > 1)) or not np.all(np.isin(o, (0.0, 1.0))):
        raise ValueError("probabilities must lie in [0, 1] and outcomes be 0 or 1")
    return p, o


def brier_score(p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray) -> float:
    """Mean squared difference between forecast probabilities and 0/1 outcomes."""
    p, o = _arrays(p, o)
    return float(np.mean((p - o) ** 2))


def brier_skill_score(score: float, reference: float) -> float:
    """1 - score / reference; NaN when the reference is perfect (0), where skill is undefined."""
    return float("nan") if reference == 0 else 1.0 - score / reference


def roc_auc(p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray) -> float:
    """Discrimination: the probability that a cell where the event happened got a higher forecast
    than one where it did not (ties count half). 0.5 is no better than chance, 1 perfect ranking;
    NaN without both kinds of cell. Unlike the Brier score it ignores calibration."""
    p, o = _arrays(p, o)
    yes, no = p[o == 1], p[o == 0]
    if not yes.size or not no.size:
        return float("nan")
    diff = yes[:, None] - no[None, :]
    return float((np.sum(diff > 0) + 0.5 * np.sum(diff == 0)) / diff.size)


def base_rate_forecast(
    cells: pd.DataFrame, by: Sequence[str] = ("type", "power", "bloc"), outcome: str = "observed"
) -> pd.Series:
    """The climatological baseline: each cell gets the share of cells of its kind (same event
    type, power and bloc, i.e. across states) where the event happened. It is fitted to the
    outcomes it is scored on, so it is a demanding, in-sample reference."""
    return cells.groupby(list(by), sort=False)[outcome].transform("mean").astype(float)


def reliability_table(p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Forecasts binned by probability: [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0] for 10 bins.

    Columns: bin_low, bin_high, count, mean_forecast, observed_frequency (NaN for empty bins).
    A calibrated forecast has observed_frequency close to mean_forecast in every bin.
    """
    p, o = _arrays(p, o)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)  # 1.0 goes to the last bin
    rows = []
    for b in range(bins):
        inside = index == b
        n = int(inside.sum())
        rows.append(
            {
                "bin_low": edges[b],
                "bin_high": edges[b + 1],
                "count": n,
                "mean_forecast": float(p[inside].mean()) if n else float("nan"),
                "observed_frequency": float(o[inside].mean()) if n else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def contingency(
    p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray, threshold: float = 0.5
) -> dict[str, int]:
    """Counts of hits (p >= threshold, event), misses (p < threshold, event), false alarms
    (p >= threshold, no event) and correct negatives."""
    p, o = _arrays(p, o)
    yes, event = p >= threshold, o == 1
    return {
        "hits": int(np.sum(yes & event)),
        "misses": int(np.sum(~yes & event)),
        "false_alarms": int(np.sum(yes & ~event)),
        "correct_negatives": int(np.sum(~yes & ~event)),
    }


def classify(p: Sequence[float] | np.ndarray, o: Sequence[float] | np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Each cell's class: 'hit', 'miss', 'false_alarm' or 'correct_negative'."""
    p, o = _arrays(p, o)
    yes, event = p >= threshold, o == 1
    return np.select([yes & event, ~yes & event, yes & ~event], ["hit", "miss", "false_alarm"], "correct_negative")


def largest_errors(
    cells: pd.DataFrame, k: int = 10, probability: str = "probability", outcome: str = "observed"
) -> pd.DataFrame:
    """The k cells with the largest |p - o|, largest first (ties keep the table's order)."""
    error = (cells[probability] - cells[outcome]).abs()
    return cells.assign(abs_error=error).sort_values("abs_error", ascending=False, kind="stable").head(k)


def score_cells(
    cells: pd.DataFrame,
    threshold: float = 0.5,
    bins: int = 10,
    k: int = 10,
    by: Sequence[str] = ("type", "power", "bloc"),
) -> dict[str, Any]:
    """Every score of a table of cells (columns probability, observed and the `by` keys).

    Returns the Brier scores of the forecast and of both baselines (base rate per kind of event;
    "nothing changes", i.e. probability 0 everywhere), the two skill scores, the ROC AUC, the
    reliability table, the contingency table at `threshold`, the k largest errors and the same
    scores per kind of event.
    """
    p, o = cells["probability"].to_numpy(float), cells["observed"].to_numpy(float)
    base = base_rate_forecast(cells, by).to_numpy()
    bs, bs_base, bs_none = brier_score(p, o), brier_score(base, o), brier_score(np.zeros_like(o), o)
    per_kind = []
    for key, group in cells.assign(_base=base).groupby(list(by), sort=False):
        gp, go = group["probability"].to_numpy(float), group["observed"].to_numpy(float)
        g_bs, g_base, g_none = brier_score(gp, go), brier_score(group["_base"].to_numpy(), go), float(go.mean())
        per_kind.append(
            {
                **dict(zip(by, key, strict=True)),
                "cells": len(group),
                "events": int(go.sum()),
                "mean_probability": float(gp.mean()),
                "brier": g_bs,
                "brier_base_rate": g_base,
                "brier_nothing_changes": g_none,
                "skill_vs_base_rate": brier_skill_score(g_bs, g_base),
                "skill_vs_nothing_changes": brier_skill_score(g_bs, g_none),
                "auc": roc_auc(gp, go),
                **contingency(gp, go, threshold),
            }
        )
    columns = [*by, "probability", "observed"]
    return {
        "cells": int(len(cells)),
        "events": int(o.sum()),
        "brier": bs,
        "brier_base_rate": bs_base,
        "brier_nothing_changes": bs_none,
        "skill_vs_base_rate": brier_skill_score(bs, bs_base),
        "skill_vs_nothing_changes": brier_skill_score(bs, bs_none),
        "auc": roc_auc(p, o),
        "threshold": threshold,
        "contingency": contingency(p, o, threshold),
        "reliability": reliability_table(p, o, bins),
        "largest_errors": largest_errors(cells, k)[["state", *columns, "abs_error"]],
        "by_kind": pd.DataFrame(per_kind),
    }


def _resample_counts(n: int, resamples: int, seed: int, clusters: np.ndarray | None) -> np.ndarray:
    """How often each of n cells appears in each resample (resamples x n): cells drawn with
    replacement, or whole clusters (e.g. states) drawn with replacement, every cell of a drawn
    cluster counting once per draw."""
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x424F4F54])))
    if clusters is None:
        draws = gen.integers(0, n, size=(resamples, n))
        return np.stack([np.bincount(row, minlength=n) for row in draws]).astype(float)
    labels, index = np.unique(clusters, return_inverse=True)
    draws = gen.integers(0, len(labels), size=(resamples, len(labels)))
    per_cluster = np.stack([np.bincount(row, minlength=len(labels)) for row in draws]).astype(float)
    return per_cluster[:, index]


def bootstrap_scores(
    observed: Sequence[float] | np.ndarray,
    forecasts: dict[str, Sequence[float] | np.ndarray],
    kinds: Sequence[object] | np.ndarray,
    resamples: int = 1000,
    seed: int = 0,
    level: float = 0.9,
    clusters: Sequence[object] | np.ndarray | None = None,
) -> dict[str, Any]:
    """Bootstrap intervals of the Brier scores of several forecasts of the same cells.

    Every resample draws the cells with replacement (or, with `clusters`, whole clusters such as
    states) and scores every forecast on the same drawn cells, so differences are paired. The
    baselines are recomputed on each resample: "nothing changes" (probability 0) and the base rate
    per kind of cell (`kinds`, e.g. 'coup', 'expel|FRA'), fitted to the resample's outcomes as
    score_cells fits it. Returns per forecast its Brier score on all cells and the `level`
    percentile interval of the Brier score and of both skill scores; the same for both baselines;
    and, for every pair (a, b) of forecasts, 'diff a-b' (Brier of a minus Brier of b) with its
    interval. Intervals are [low, high] quantiles (1 - level)/2 and (1 + level)/2.
    """
    o = np.asarray(observed, dtype=float)
    probs = {name: _arrays(p, o)[0] for name, p in forecasts.items()}
    n = o.size
    counts = _resample_counts(n, resamples, seed, None if clusters is None else np.asarray(clusters, dtype=object))
    total = counts.sum(axis=1)
    _, kind = np.unique(np.asarray([str(k) for k in kinds], dtype=object), return_inverse=True)
    onehot = np.eye(kind.max() + 1)[kind]  # n x kinds
    n_kind, k_kind = counts @ onehot, counts @ (onehot * o[:, None])
    rate = np.divide(k_kind, n_kind, out=np.zeros_like(k_kind), where=n_kind > 0)
    base = (n_kind * rate * (1 - rate)).sum(axis=1) / total  # sum over a kind of (rate - o)^2 = n r (1 - r)
    none = (counts @ o) / total
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2

    def interval(values: np.ndarray) -> list[float]:
        return [float(np.nanquantile(values, lo_q)), float(np.nanquantile(values, hi_q))]

    def skill(b: np.ndarray, ref: np.ndarray) -> np.ndarray:
        return np.where(ref > 0, 1 - b / np.where(ref > 0, ref, 1), np.nan)

    full_base = brier_score(base_rate_forecast(pd.DataFrame({"k": kind, "o": o}), by=["k"], outcome="o"), o)
    full_none = float(o.mean())
    brier = {name: counts @ (p - o) ** 2 / total for name, p in probs.items()}
    out: dict[str, Any] = {
        "resamples": resamples,
        "seed": seed,
        "level": level,
        "cells": n,
        "clusters": None if clusters is None else len(set(clusters)),
        "base_rate": {"brier": full_base, "interval": interval(base)},
        "nothing_changes": {"brier": full_none, "interval": interval(none)},
    }
    for name, p in probs.items():
        b = brier_score(p, o)
        out[name] = {
            "brier": b,
            "interval": interval(brier[name]),
            "skill_vs_base_rate": brier_skill_score(b, full_base),
            "skill_vs_base_rate_interval": interval(skill(brier[name], base)),
            "skill_vs_nothing_changes": brier_skill_score(b, full_none),
            "skill_vs_nothing_changes_interval": interval(skill(brier[name], none)),
        }
    names = list(probs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            out[f"diff {a}-{b}"] = {
                "brier": out[a]["brier"] - out[b]["brier"],
                "interval": interval(brier[a] - brier[b]),
            }
    return out
