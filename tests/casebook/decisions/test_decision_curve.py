"""Tests for casebook.decisions.decision_curve."""

from __future__ import annotations

import numpy as np
import pytest

from casebook.decisions.decision_curve import decision_curve, net_benefit


def brute_net_benefit(y, p, t):
    y, p = np.asarray(y), np.asarray(p)
    flag = p >= t
    tp = np.sum(flag & (y == 1))
    fp = np.sum(flag & (y == 0))
    return tp / y.size - fp / y.size * t / (1 - t)


def test_matches_brute_force_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    p = np.round(np.clip(0.3 * y + rng.random(300) * 0.7, 0, 1), 2)
    thresholds = np.round(np.linspace(0.01, 0.99, 99), 2)  # includes values equal to scores
    dc = decision_curve(y, p, thresholds=thresholds)
    for t, nb in zip(dc["threshold"], dc["model"], strict=True):
        assert nb == pytest.approx(brute_net_benefit(y, p, t))
        assert net_benefit(y, p, threshold=t) == pytest.approx(nb)


def test_references_and_perfect_model():
    y = np.array([1, 0, 0, 0])
    dc = decision_curve(y, [0.9, 0.1, 0.2, 0.3], thresholds=[0.25, 0.5])
    assert (dc["treat_none"] == 0).all()
    # treat all: prevalence - (1 - prevalence) * odds
    assert dc["treat_all"].tolist() == pytest.approx([0.25 - 0.75 / 3, 0.25 - 0.75])
    # perfect ranking above the threshold: net benefit equals prevalence at 0.5
    assert dc.loc[1, "model"] == pytest.approx(0.25)
    assert dc["model_is_best"].tolist() == [True, True]


def test_treat_all_equals_model_that_flags_everyone():
    y = [1, 0, 1, 0, 0]
    dc = decision_curve(y, [1.0] * 5, thresholds=[0.1, 0.3])
    np.testing.assert_allclose(dc["model"], dc["treat_all"])
    assert not dc["model_is_best"].any()


def test_default_thresholds():
    dc = decision_curve([0, 1], [0.2, 0.7])
    assert len(dc) == 99 and dc["threshold"].iloc[0] == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"thresholds": [0.0, 0.5]}, r"strictly between 0 and 1, got \[0.0\]"),
        ({"thresholds": [1.0]}, r"strictly between 0 and 1, got \[1.0\]"),
        ({"thresholds": [np.nan]}, r"strictly between 0 and 1, got \[nan\]"),
        ({"thresholds": []}, r"thresholds must be a non-empty"),
        ({"y_prob": [0.5, 2.0]}, r"y_prob must be probabilities in \[0, 1\]"),
        ({"y_prob": [0.5]}, r"same length"),
        ({"y_true": ["a", "b"]}, r"y_true contains values not in labels"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"y_true": [0, 1], "y_prob": [0.2, 0.8], **kwargs}
    with pytest.raises(ValueError, match=match):
        decision_curve(args.pop("y_true"), args.pop("y_prob"), **args)


def test_net_benefit_bad_threshold():
    with pytest.raises(ValueError, match=r"strictly between 0 and 1, got \[1.5\]"):
        net_benefit([0, 1], [0.2, 0.8], threshold=1.5)


def test_threshold_errors_name_the_parameter():
    with pytest.raises(ValueError, match=r"^threshold must be threshold probabilities .*\[nan\]"):
        net_benefit([0, 1], [0.2, 0.8], threshold=float("nan"))
    with pytest.raises(ValueError, match=r"^thresholds must be threshold probabilities .*\[nan\]"):
        decision_curve([0, 1], [0.2, 0.8], thresholds=[0.1, float("nan")])
    with pytest.raises(TypeError, match=r"^thresholds must be numeric, got <U1"):
        decision_curve([0, 1], [0.2, 0.8], thresholds=["a"])
