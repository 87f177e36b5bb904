"""Tests for casebook.monitoring.backtest on the planted retraining stream."""

from __future__ import annotations

import numpy as np
import pytest

from casebook.monitoring.backtest import (
    _predict,
    backtest,
    compare_policies,
    compare_policies_over_streams,
)
from casebook.monitoring.policy import RetrainingPolicy
from casebook.synthetic.stream import make_retraining_stream

N = 200


@pytest.fixture(scope="module")
def stream():
    return make_retraining_stream(batch_size=N, seed=1)


def perf(**kw):
    base = dict(
        name="perf",
        trigger="performance",
        threshold=0.3,
        disarm=0.25,
        cooldown=4,
        min_fresh_labels=2 * N,
        gate_margin=0.01,
    )
    base.update(kw)
    return RetrainingPolicy(**base)


@pytest.fixture(scope="module")
def results(stream):
    policies = [
        perf(),
        perf(name="perf no hold", respect_hold=False),
        RetrainingPolicy(
            "drift",
            trigger="drift",
            threshold=0.2,
            disarm=0.1,
            cooldown=4,
            min_fresh_labels=2 * N,
            gate_margin=0.01,
        ),
        RetrainingPolicy("monthly", trigger="scheduled", every=4, cooldown=4),
    ]
    return compare_policies(stream, policies)


def test_accounting_adds_up(results, stream):
    summary, res = results
    for r in res.values():
        assert r.total == pytest.approx(r.cumulative_loss + r.retraining_cost)
        assert r.retraining_cost == r.retrains * stream.retrain_cost
        assert r.cumulative_loss == pytest.approx(r.weeks["errors"].sum() * stream.cost_per_error)
        assert len(r.weeks) == stream.n_steps - stream.warmup
        assert r.promotions <= r.retrains
        assert len(r.versions) == r.retrains + 1
    assert summary["total"].is_monotonic_increasing
    assert set(summary.columns) >= {
        "policy",
        "retrains",
        "cumulative_loss",
        "retraining_cost",
        "total",
        "alerts",
    }


def test_hold_policy_overrides_exactly_the_contaminated_weeks(results, stream):
    _, res = results
    w = res["perf"].weeks
    assert w.loc[w["override"], "step"].tolist() == list(range(*stream.contaminated))
    assert not res["perf no hold"].weeks["override"].any()
    assert not any(v.contaminated for v in res["perf"].versions)
    assert any(v.contaminated and v.promoted for v in res["perf no hold"].versions)


def test_override_beats_the_stale_model_during_the_event(results, stream):
    _, res = results
    weeks = list(range(*stream.contaminated))
    held = res["perf"].weeks.set_index("step").loc[weeks, "errors"].sum()
    naive = res["perf no hold"].weeks.set_index("step").loc[weeks, "errors"].sum()
    assert held < naive


def test_performance_policy_reacts_to_both_drifts_drift_policy_misses_silent_one(results):
    _, res = results
    retrain_weeks = res["perf"].weeks.query("promoted")["step"].tolist()
    assert any(26 < w <= 34 for w in retrain_weeks)
    assert any(78 < w <= 86 for w in retrain_weeks)
    drift_weeks = res["drift"].weeks.query("action == 'retrain'")["step"].tolist()
    assert any(26 <= w <= 32 for w in drift_weeks)
    assert not any(w >= 78 for w in drift_weeks)


def test_policy_ranking(results):
    summary, res = results
    assert summary.iloc[0]["policy"] == "perf"
    assert res["monthly"].retrains >= 5 * res["perf"].retrains
    assert res["perf no hold"].total > res["perf"].total


def test_min_fresh_data_delays_the_first_retrain(stream):
    fast = backtest(stream, perf(min_fresh_labels=0, name="a"))
    slow = backtest(stream, perf(min_fresh_labels=3 * N, name="b"))
    first = [r.weeks.query("action == 'retrain'")["step"].min() for r in (fast, slow)]
    assert first[1] > first[0]


def test_gate_margin_blocks_promotions(stream):
    strict = backtest(stream, perf(gate_margin=0.9, name="strict"))
    assert strict.retrains > 0 and strict.promotions == 0
    assert (strict.weeks["champion"] == 1).all()


def test_deterministic(stream):
    a = backtest(stream, perf())
    b = backtest(stream, perf())
    np.testing.assert_array_equal(a.weeks["errors"], b.weeks["errors"])


def test_errors(stream):
    with pytest.raises(TypeError, match="stream must be a RetrainingStream"):
        backtest(None, perf())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="policy must be a RetrainingPolicy"):
        backtest(stream, {})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="train_window must be an integer >= 2"):
        backtest(stream, perf(), train_window=1)
    with pytest.raises(ValueError, match="holdout_weeks must be < train_window"):
        backtest(stream, perf(), train_window=3, holdout_weeks=3)
    with pytest.raises(ValueError, match="unique names"):
        compare_policies(stream, [perf(), perf()])
    with pytest.raises(ValueError, match="at least one policy"):
        compare_policies(stream, [])


def test_fast_predict_matches_sklearn(stream):
    r = backtest(stream, perf())
    X = stream.X[:2000]
    for v in r.versions:
        np.testing.assert_array_equal(_predict(v.model, X), v.model.predict(X))


def test_compare_over_streams_ranks_each_stream():
    streams = [make_retraining_stream(batch_size=60, seed=s) for s in range(3)]
    monthly = RetrainingPolicy("monthly", trigger="scheduled", every=4, cooldown=4)
    never = RetrainingPolicy("never", trigger="scheduled", every=200)
    table = compare_policies_over_streams(streams, [monthly, never])
    assert table.shape == (6, 9)
    assert sorted(table["stream"].unique()) == [0, 1, 2]
    for i, stream in enumerate(streams):  # each row is that stream's own backtest
        one = table[(table["stream"] == i) & (table["policy"] == "monthly")].iloc[0]
        assert one["total"] == pytest.approx(backtest(stream, monthly).total)
        ranks = table[table["stream"] == i].set_index("policy")["rank"]
        totals = table[table["stream"] == i].set_index("policy")["total"]
        assert ranks[totals.idxmin()] == 1


def test_compare_over_streams_errors(stream):
    with pytest.raises(TypeError, match="streams must be a sequence of RetrainingStream"):
        compare_policies_over_streams(stream, [perf()])
    with pytest.raises(ValueError, match="at least two streams, got 1"):
        compare_policies_over_streams([stream], [perf()])
    with pytest.raises(TypeError, match=r"streams\[1\] must be a RetrainingStream"):
        compare_policies_over_streams([stream, "x"], [perf()])
    with pytest.raises(ValueError, match="unique names"):
        compare_policies_over_streams([stream, stream], [perf(), perf()])
