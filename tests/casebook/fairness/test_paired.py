"""Paired comparison of two decision sets: exact point values and honest intervals."""

import numpy as np
import pytest

from casebook.fairness.criteria import demographic_parity_difference
from casebook.fairness.paired import compare_decisions


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    n = 3000
    g = rng.choice(["f", "m"], n, p=[0.4, 0.6])
    y = rng.integers(0, 2, n)
    a = (rng.random(n) < np.where(g == "f", 0.3, 0.5)).astype(int)
    b = a.copy()
    flip = (g == "f") & (a == 0) & (rng.random(n) < 0.25)
    b[flip] = 1
    return y, a, b, g


def test_point_values_match_the_metrics(data):
    y, a, b, g = data
    t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=300, seed=1)
    assert t.loc["accuracy", "a"] == pytest.approx(np.mean(a == y))
    assert t.loc["accuracy", "b"] == pytest.approx(np.mean(b == y))
    dp_a = demographic_parity_difference(y, a, sensitive_features=g)
    dp_b = demographic_parity_difference(y, b, sensitive_features=g)
    assert t.loc["dp_difference", "a"] == pytest.approx(dp_a)
    assert t.loc["dp_difference", "difference"] == pytest.approx(dp_b - dp_a)
    assert t.loc["selection_rate_f", "b"] == pytest.approx(b[g == "f"].mean())
    assert t.loc["tpr_m", "a"] == pytest.approx(a[(g == "m") & (y == 1)].mean())
    assert list(t.index[:3]) == ["accuracy", "selection_rate_f", "selection_rate_m"]


def test_intervals_detect_a_real_change_and_not_a_null_one(data):
    y, a, b, g = data
    t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=500, seed=0)
    # b selects more women only: the women's rate rises, the men's does not move at all
    assert t.loc["selection_rate_f", "excludes_zero"]
    assert t.loc["selection_rate_f", "low"] > 0
    assert t.loc["selection_rate_m", "difference"] == 0
    assert not t.loc["selection_rate_m", "excludes_zero"]
    assert t.loc["dp_difference", "high"] < 0
    # the signed gap (m minus f) shrinks: b closes part of it
    gap_a = a[g == "m"].mean() - a[g == "f"].mean()
    assert t.loc["selection_rate_gap", "a"] == pytest.approx(gap_a)
    assert t.loc["selection_rate_gap", "high"] < 0
    assert (t["a_low"] <= t["a"] + 1e-12).all() and (t["a"] <= t["a_high"] + 1e-12).all()
    same = compare_decisions(y, a, a, sensitive_features=g, n_resamples=200)
    assert not same["excludes_zero"].any()
    assert (same["difference"] == 0).all()


def test_paired_interval_narrower_than_unpaired(data):
    y, a, b, g = data
    t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=800, seed=2)
    row = t.loc["accuracy"]
    paired = row["high"] - row["low"]
    unpaired = np.hypot(row["a_high"] - row["a_low"], row["b_high"] - row["b_low"])
    assert paired < 0.5 * unpaired


def test_undefined_metric_is_nan_and_not_excluding_zero():
    y = [0, 0, 1, 1, 0, 0]
    g = ["f", "f", "m", "m", "m", "m"]
    t = compare_decisions(
        y, [0, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0], sensitive_features=g, n_resamples=50
    )
    assert np.isnan(t.loc["tpr_f", "a"])
    assert not t.loc["tpr_f", "excludes_zero"]


def test_bad_input_is_rejected(data):
    y, a, b, g = data
    with pytest.raises(ValueError, match="y_pred_b"):
        compare_decisions(y, a, b + 2, sensitive_features=g)
    with pytest.raises(ValueError, match="same length"):
        compare_decisions(y, a, b[:-1], sensitive_features=g)
    with pytest.raises(ValueError, match="n_resamples must be >= 1"):
        compare_decisions(y, a, b, sensitive_features=g, n_resamples=0)
    with pytest.raises(ValueError, match="confidence must be strictly between"):
        compare_decisions(y, a, b, sensitive_features=g, confidence=1.5)
    with pytest.raises(ValueError, match="sensitive_features"):
        compare_decisions(y, a, b, sensitive_features=g[:-1])


def test_describe_difference_reads_the_interval(data):
    from casebook.fairness.paired import describe_difference

    y, a, b, g = data
    t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=300)
    text = describe_difference(t, "selection_rate_f")
    assert text.startswith("+") and text.endswith("; excludes zero)")
    assert describe_difference(t, "selection_rate_m").endswith("; not distinguishable from zero)")
    with pytest.raises(ValueError, match="metric must be a row of table"):
        describe_difference(t, "nope")
    with pytest.raises(ValueError, match="table is missing column"):
        describe_difference(t.drop(columns="excludes_zero"), "accuracy")
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        describe_difference([1], "accuracy")
    with pytest.raises(ValueError, match="decimals must be an int"):
        describe_difference(t, "accuracy", decimals=-1)
    with pytest.raises(ValueError, match="scale must be a finite number"):
        describe_difference(t, "accuracy", scale=float("nan"))


def test_describe_interval_reads_recorded_lists():
    from casebook.fairness.paired import describe_interval

    assert describe_interval([0.05, 0.02, 0.08]).endswith("; excludes zero)")
    assert describe_interval([-0.05, -0.08, -0.02], scale=1, unit="", decimals=2) == (
        "-0.05 (95% CI -0.08 to -0.02; excludes zero)"
    )
    assert describe_interval([0.0, -0.01, 0.01]).endswith("not distinguishable from zero)")
    assert describe_interval([float("nan"), 0.0, 0.1]).startswith("undefined")
    with pytest.raises(ValueError, match=r"values must be \[estimate, low, high\]"):
        describe_interval([0.1, 0.2])
    with pytest.raises(TypeError, match="values must be three numbers"):
        describe_interval(["a", "b", "c"])
    with pytest.raises(ValueError, match="values must have low <= high"):
        describe_interval([0.1, 0.3, 0.2])
    with pytest.raises(ValueError, match="decimals must be an int"):
        describe_interval([0.1, 0.0, 0.2], decimals=1.5)
