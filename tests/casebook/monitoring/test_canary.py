"""Tests for casebook.monitoring.canary: the rules' decisions and their error rates by simulation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from casebook.monitoring.canary import canary_test, simulate_canary

P0, P1, ALPHA, BETA = 0.10, 0.13, 0.05, 0.05
N_SIMS = 2000


def _mc_margin(p: float, n: int) -> float:
    """Three Monte Carlo standard errors of a rate p estimated from n simulations."""
    return 3 * np.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize("rule", ["sprt", "fixed"])
def test_type_one_error_within_alpha(rule):
    """A challenger exactly as good as the champion is rolled back at most alpha of the time."""
    sims = simulate_canary(error_rate=P0, baseline=P0, worse=P1, alpha=ALPHA, beta=BETA,
                           rule=rule, n_sims=N_SIMS, seed=11)  # fmt: skip
    false_rollback = float((sims["decision"] == "roll back").mean())
    assert false_rollback <= ALPHA + _mc_margin(ALPHA, N_SIMS)
    assert false_rollback > 0  # the test does take its risk: not a rule that never rolls back


@pytest.mark.parametrize("rule", ["sprt", "fixed"])
def test_power_at_the_alternative(rule):
    """A challenger at `worse` is promoted at most beta of the time (plus noise)."""
    sims = simulate_canary(error_rate=P1, baseline=P0, worse=P1, alpha=ALPHA, beta=BETA,
                           rule=rule, n_sims=N_SIMS, seed=12)  # fmt: skip
    promoted = float((sims["decision"] == "promote").mean())
    assert promoted <= BETA + _mc_margin(BETA, N_SIMS)


def test_sequential_rule_stops_earlier_and_harms_less():
    common = dict(baseline=P0, worse=P1, alpha=ALPHA, beta=BETA, n_sims=1000, seed=3)
    seq = simulate_canary(error_rate=0.15, rule="sprt", **common)
    fixed = simulate_canary(error_rate=0.15, rule="fixed", **common)
    assert seq["n_challenger"].median() < 0.5 * fixed["n_challenger"].median()
    assert seq["harm"].median() < 0.5 * fixed["harm"].median()
    assert (fixed["n_challenger"] == fixed["n_challenger"].iloc[0]).all()
    # harm is the excess error rate times the requests the challenger served
    np.testing.assert_allclose(seq["harm"], 0.05 * seq["served"])
    promoted = seq["decision"] == "promote"
    assert (seq.loc[promoted, "served"] > 90_000).all()
    assert (seq.loc[~promoted, "served"] == seq.loc[~promoted, "n_challenger"]).all()


def test_good_challenger_has_negative_harm():
    sims = simulate_canary(error_rate=0.08, baseline=P0, worse=P1, n_sims=200, seed=0)
    assert (sims["decision"] == "promote").mean() > 0.95
    assert sims["harm"].mean() < -1000


def test_fixed_design_matches_the_binomial():
    r = canary_test(
        np.zeros(5000, int), baseline=P0, worse=P1, alpha=ALPHA, beta=BETA, rule="fixed"
    )
    n = r.n_requests
    # the exact test's level and power at its sample size
    crit = int(stats.binom.isf(ALPHA, n, P0)) + 1
    assert stats.binom.sf(crit - 1, n, P0) <= ALPHA < stats.binom.sf(crit - 2, n, P0)
    assert stats.binom.sf(crit - 1, n, P1) >= 1 - BETA - 0.02
    assert r.decision == "promote"
    errors = np.zeros(n, int)
    errors[:crit] = 1
    assert (
        canary_test(errors, baseline=P0, worse=P1, alpha=ALPHA, beta=BETA, rule="fixed").decision
        == "roll back"
    )
    errors[0] = 0
    assert (
        canary_test(errors, baseline=P0, worse=P1, alpha=ALPHA, beta=BETA, rule="fixed").decision
        == "promote"
    )


def test_sprt_boundaries_stop_and_truncation():
    r = canary_test(np.ones(100, int), baseline=P0, worse=P1, alpha=ALPHA, beta=BETA)
    assert r.decision == "roll back"
    assert r.llr[r.n_requests - 1] >= r.upper > r.llr[r.n_requests - 2]
    assert r.upper == pytest.approx(np.log((1 - BETA) / ALPHA))
    assert r.lower == pytest.approx(np.log(BETA / (1 - ALPHA)))
    r = canary_test(np.zeros(1000, int), baseline=P0, worse=P1, alpha=ALPHA, beta=BETA)
    assert r.decision == "promote" and r.llr[r.n_requests - 1] <= r.lower
    short = canary_test([0, 1, 0], baseline=P0, worse=P1)
    assert short.decision == "continue" and short.n_requests == 3
    # errors exactly at the baseline rate hover between the boundaries: truncation rolls back
    hover = np.tile([1] + [0] * 9, 3)
    r = canary_test(hover, baseline=P0, worse=P1, max_requests=30)
    assert r.decision == "roll back" and r.n_requests == 30
    fixed = canary_test([0, 0], baseline=P0, worse=P1, rule="fixed")
    assert fixed.decision == "continue"


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"errors": [0, 2]}, ValueError, "errors must contain only 0 and 1"),
        ({"errors": []}, ValueError, "errors must not be empty"),
        ({"baseline": 0.0}, ValueError, "baseline must be an error rate"),
        ({"baseline": "x"}, TypeError, "baseline must be a number"),
        ({"worse": 0.05}, ValueError, "worse must be an error rate above baseline"),
        ({"alpha": 0.5}, ValueError, "alpha must be an error probability"),
        ({"beta": 0.0}, ValueError, "beta must be an error probability"),
        ({"rule": "bayes"}, ValueError, "rule must be one of"),
        ({"max_requests": 0}, ValueError, "max_requests must be a positive integer"),
        ({"max_requests": 1.5}, TypeError, "max_requests must be a positive integer"),
    ],
)
def test_canary_test_errors(kwargs, exc, match):
    args = {"errors": [0, 1], "baseline": P0, "worse": P1, **kwargs}
    with pytest.raises(exc, match=match):
        canary_test(args.pop("errors"), **args)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"error_rate": 1.5}, ValueError, "error_rate must be in"),
        ({"error_rate": None}, TypeError, "error_rate must be a number"),
        ({"share": 0.0}, ValueError, "share must be in"),
        ({"horizon": 100}, ValueError, "horizon must cover the canary"),
        ({"n_sims": 0}, ValueError, "n_sims must be a positive integer"),
        ({"seed": 1.0}, TypeError, "seed must be an integer"),
        ({"rule": "x"}, ValueError, "rule must be one of"),
        ({"worse": 0.1}, ValueError, "worse must be an error rate above baseline"),
    ],
)
def test_simulate_canary_errors(kwargs, exc, match):
    args = {"error_rate": 0.1, "baseline": P0, "worse": P1, "n_sims": 5, **kwargs}
    with pytest.raises(exc, match=match):
        simulate_canary(**args)


def test_simulation_is_reproducible():
    a = simulate_canary(error_rate=0.12, baseline=P0, worse=P1, n_sims=50, seed=4)
    b = simulate_canary(error_rate=0.12, baseline=P0, worse=P1, n_sims=50, seed=4)
    assert a.equals(b)


@pytest.mark.parametrize("rule", ["sprt", "fixed"])
def test_simulation_applies_canary_test_row_by_row(rule):
    """The vectorised simulation decides exactly as canary_test does on the same draws."""
    sims = simulate_canary(error_rate=0.12, baseline=P0, worse=P1, rule=rule, n_sims=30, seed=9,
                           max_requests=3000)  # fmt: skip
    rng = np.random.default_rng(9)
    length = 3000 if rule == "sprt" else canary_test([0], baseline=P0, worse=P1, rule=rule).horizon
    draws = rng.random((30, length)) < 0.12
    for row, errors in zip(sims.itertuples(), draws, strict=True):
        r = canary_test(errors, baseline=P0, worse=P1, rule=rule, max_requests=3000)
        assert (row.decision, row.n_challenger) == (r.decision, r.n_requests)
