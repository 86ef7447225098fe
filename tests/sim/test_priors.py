"""The priors file: validation with clear errors, the distributions' inverse CDFs, and the Latin
hypercube over the priors' quantiles (hand-checkable)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from scipy import stats

from sim.core.params import ConfigError, parameter_value
from sim.priors import DEFAULT_PRIORS_FILE, design, lhs_quantiles, load_priors, make_prior


def test_the_repository_priors_file_is_valid_and_sourced():
    priors = load_priors(DEFAULT_PRIORS_FILE)
    assert "hazards.coup_base" in priors and "incentives.junta.sovereignty" in priors
    assert all(p.source and p.low < p.high for p in priors.values())
    coup = priors["hazards.coup_base"]
    assert "Powell" in coup.source and "CoupCast" in coup.source
    # the anchor: 1-1.5 successful coups per 100 state-years with about half of attempts failing is
    # 0.0017-0.0025 attempts a month on average; coup_base is the hazard before the discount of a long
    # record without coups (hazards.coup_peace), so its median sits near that average
    assert 0.0015 <= float(coup.ppf(0.5)) <= 0.0025 and coup.high < 0.0085


def _write(tmp_path, params):
    path = tmp_path / "priors.yaml"
    path.write_text(yaml.safe_dump({"parameters": params}))
    return path


@pytest.mark.parametrize(
    "spec, needle",
    [
        ({"distribution": "gamma", "low": 0.1, "high": 1, "source": "s"}, "distribution is 'gamma'"),
        ({"distribution": "normal", "low": 0.1, "high": 1, "source": "s"}, "missing ['mean', 'sd']"),
        ({"distribution": "uniform", "low": 0.1, "high": 1, "mode": 2, "source": "s"}, "unknown ['mode']"),
        ({"distribution": "uniform", "low": 1, "high": 0.1, "source": "s"}, "low < high"),
        ({"distribution": "uniform", "low": 0.1, "high": 99, "source": "s"}, "legal range"),
        ({"distribution": "uniform", "low": 0.1, "high": 1}, "source is missing"),
        ({"distribution": "lognormal", "median": 1, "sigma": -1, "low": 0.1, "high": 2, "source": "s"}, "sigma"),
        ({"distribution": "beta", "a": "two", "b": 2, "low": 0.1, "high": 2, "source": "s"}, "finite number"),
    ],
)
def test_bad_priors_name_the_file_the_field_and_the_fix(tmp_path, spec, needle):
    path = _write(tmp_path, {"hazards.coup_insurgency": spec})
    with pytest.raises(ConfigError) as err:
        load_priors(path)
    assert str(path) in str(err.value) and "hazards.coup_insurgency" in str(err.value) and needle in str(err.value)


def test_bad_names_and_files(tmp_path):
    for name in ("hazards.nope", "junta.charm", "hazards.coup_contagion_months", "scenario.name"):
        with pytest.raises(ConfigError, match="fitted"):
            load_priors(_write(tmp_path, {name: {"distribution": "uniform", "low": 1, "high": 2, "source": "s"}}))
    with pytest.raises(ConfigError, match="parameters"):
        load_priors(_write(tmp_path, {}))
    with pytest.raises(ConfigError, match="cannot be read"):
        load_priors(tmp_path / "missing.yaml")
    twice = {
        "junta.security": {"distribution": "uniform", "low": 1, "high": 2, "source": "s"},
        "incentives.junta.security": {"distribution": "uniform", "low": 1, "high": 2, "source": "s"},
    }
    with pytest.raises(ConfigError, match="twice"):
        load_priors(_write(tmp_path, twice))


def test_inverse_cdfs_by_hand():
    u = make_prior("hazards.expel_rate", {"distribution": "uniform", "low": 0.1, "high": 0.3, "source": "s"})
    np.testing.assert_allclose(u.ppf([0, 0.25, 1]), [0.1, 0.15, 0.3])
    # beta(2, 2) stretched over [0, 2]: median 1; its CDF at 0.25 of the range is 3(.25)^2 - 2(.25)^3 = 0.15625
    b = make_prior(
        "hazards.expel_rate", {"distribution": "beta", "a": 2, "b": 2, "low": 0.1, "high": 0.5, "source": "s"}
    )
    np.testing.assert_allclose(b.ppf([0.5, 0.15625]), [0.3, 0.2])
    # lognormal: the median and median x e^sigma at the normal's quantiles (the bound at 10 cuts 0.06% of the
    # mass, hence rtol 2e-3)
    ln = make_prior(
        "hazards.coup_insurgency",
        {"distribution": "lognormal", "median": 2, "sigma": 0.5, "low": 0.0, "high": 10.0, "source": "s"},
    )
    np.testing.assert_allclose(ln.ppf([0.5, stats.norm.cdf(1)]), [2.0, 2 * np.exp(0.5)], rtol=2e-3)
    # a normal truncated to [mean, high]: its median is the mean + the normal's 75% quantile
    n = make_prior(
        "hazards.coup_insurgency", {"distribution": "normal", "mean": 2, "sd": 1, "low": 2, "high": 10, "source": "s"}
    )
    np.testing.assert_allclose(n.ppf([0, 0.5]), [2, 2 + stats.norm.ppf(0.75)], rtol=1e-6)


def test_latin_hypercube_over_quantiles_by_hand():
    q = lhs_quantiles(["a", "b"], 4, seed=3)
    for col in q:  # one quantile in each quarter [0, .25), [.25, .5), ...
        assert sorted(np.floor(q[col] * 4).astype(int)) == [0, 1, 2, 3]
    priors = {
        "hazards.expel_rate": make_prior(
            "hazards.expel_rate", {"distribution": "uniform", "low": 0.1, "high": 0.3, "source": "s"}
        ),
        "hazards.coup_insurgency": make_prior(
            "hazards.coup_insurgency",
            {"distribution": "lognormal", "median": 2, "sigma": 0.5, "low": 0.0, "high": 10.0, "source": "s"},
        ),
    }
    points = design(priors, 4, seed=3)
    q = lhs_quantiles(list(priors), 4, seed=3)
    np.testing.assert_allclose(points["hazards.expel_rate"], 0.1 + 0.2 * q["hazards.expel_rate"])
    kept = stats.norm.cdf(np.log(10 / 2) / 0.5)  # the share of the lognormal below its bound 10
    np.testing.assert_allclose(
        points["hazards.coup_insurgency"],
        2 * np.exp(0.5 * stats.norm.ppf(kept * q["hazards.coup_insurgency"])),
        rtol=1e-9,
    )
    # each point's lognormal value lies in its own quarter of the prior: below the median for two, above for two
    assert sorted(points["hazards.coup_insurgency"] < 2) == [False, False, True, True]


def test_a_large_design_follows_the_prior_not_a_box():
    prior = make_prior(
        "hazards.coup_base",
        {"distribution": "lognormal", "median": 0.0008, "sigma": 0.6, "low": 0.0002, "high": 0.004, "source": "s"},
    )
    x = design({"hazards.coup_base": prior}, 2000, seed=0)["hazards.coup_base"]
    assert abs(np.median(x) - 0.0008) < 0.00003  # a uniform box on [0.0002, 0.004] would have median 0.0021
    assert x.min() >= 0.0002 and x.max() <= 0.004
    assert abs(np.mean(x) - prior.mean()) < 0.01 * prior.mean()


def test_the_defaults_lie_inside_the_repository_priors():
    from sim.core.params import Config

    cfg = Config()
    for name, p in load_priors().items():
        assert p.low <= float(parameter_value(cfg, name)) <= p.high, name
