"""Tests for casebook.synthetic.stream: the planted structure is where the docstring says."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from casebook.synthetic.stream import make_retraining_stream


@pytest.fixture(scope="module")
def stream():
    return make_retraining_stream(batch_size=400, seed=3)


def weeks_mean(s, weeks, col):
    return float(np.mean([s.batch(w)[0][:, col].mean() for w in weeks]))


def buy_rate(s, weeks):
    return float(np.mean([s.batch(w)[1].mean() for w in weeks]))


def test_deterministic_and_seeded():
    a = make_retraining_stream(batch_size=60, seed=1)
    b = make_retraining_stream(batch_size=60, seed=1)
    c = make_retraining_stream(batch_size=60, seed=2)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


def test_shapes_and_metadata(stream):
    assert stream.X.shape == (104 * 400, 4)
    assert stream.y.shape == stream.step.shape == (104 * 400,)
    assert set(np.unique(stream.y)) == {0, 1}
    assert stream.step[0] == 0 and stream.step[-1] == 103
    assert stream.concept[:26] == ("A",) * 26
    assert set(stream.concept[26:78]) == {"B", "event"}
    assert stream.concept[78:] == ("C",) * 26
    assert stream.hold.tolist() == [56 <= w < 62 for w in range(104)]
    assert stream.labeled_through(30) == 28
    assert stream.business_rule(stream.batch(0)[0]).tolist() == [1] * 400


def test_covariate_shift_at_first_drift_point(stream):
    assert weeks_mean(stream, range(20, 26), 0) == pytest.approx(0.0, abs=0.1)
    assert weeks_mean(stream, range(26, 32), 0) == pytest.approx(1.0, abs=0.1)


def test_benign_shift_ramps_on_x3(stream):
    assert weeks_mean(stream, range(30, 40), 3) == pytest.approx(0.0, abs=0.1)
    assert weeks_mean(stream, range(48, 56), 3) == pytest.approx(2.0, abs=0.1)
    assert 0.3 < weeks_mean(stream, [42], 3) < 1.7


def test_event_shifts_x1_and_most_visitors_buy(stream):
    assert weeks_mean(stream, range(56, 62), 1) == pytest.approx(1.5, abs=0.1)
    assert buy_rate(stream, range(56, 62)) > 0.72
    assert buy_rate(stream, range(50, 56)) < 0.5
    assert weeks_mean(stream, range(62, 68), 1) == pytest.approx(0.0, abs=0.1)


def test_silent_concept_drift_keeps_features_but_flips_x1(stream):
    for col in range(4):
        assert weeks_mean(stream, range(70, 78), col) == pytest.approx(
            weeks_mean(stream, range(78, 86), col), abs=0.15
        )

    def coef(weeks):
        X = np.vstack([stream.batch(w)[0] for w in weeks])
        y = np.concatenate([stream.batch(w)[1] for w in weeks])
        return LogisticRegression().fit(X, y).coef_[0]

    before, after = coef(range(66, 78)), coef(range(78, 90))
    assert before[1] < -0.6 and after[1] > 0.6
    assert abs(before[3]) < 0.15 and abs(after[3]) < 0.15  # x3 is irrelevant


def test_concept_a_differs_from_b(stream):
    X = np.vstack([stream.batch(w)[0] for w in range(0, 20)])
    y = np.concatenate([stream.batch(w)[1] for w in range(0, 20)])
    model = LogisticRegression().fit(X, y)
    err_a = np.mean(model.predict(stream.batch(22)[0]) != stream.batch(22)[1])
    err_b = np.mean(model.predict(stream.batch(30)[0]) != stream.batch(30)[1])
    assert err_b > err_a + 0.15


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"batch_size": 10}, ValueError, "batch_size must be an integer >= 50"),
        ({"label_delay": 1.5}, TypeError, "label_delay must be an integer"),
        ({"label_delay": 9}, ValueError, r"label_delay must be in \[0, 8\]"),
        ({"retrain_cost": -1}, ValueError, "retrain_cost must be a non-negative"),
        ({"cost_per_error": "1"}, ValueError, "cost_per_error must be a non-negative"),
        ({"seed": 1.0}, TypeError, "seed must be an integer"),
    ],
)
def test_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        make_retraining_stream(**kwargs)


def test_batch_errors(stream):
    with pytest.raises(ValueError, match=r"t must be in \[0, 104\)"):
        stream.batch(104)
    with pytest.raises(TypeError, match="t must be an integer week"):
        stream.batch(1.0)
