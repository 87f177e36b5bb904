import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

from casebook.fairness import criteria as C
from casebook.fairness.group_calibration import calibration_by_group
from casebook.fairness.groups import encode_groups
from casebook.fairness.metrics import (
    UndefinedMetricWarning,
    criterion_from_counts,
    disparity,
    group_metrics,
    rates_from_counts,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 3000
    sex = rng.choice(["female", "male"], n, p=[0.35, 0.65])
    age = rng.choice(["<=25", "26-45", ">45"], n)
    y_true = (rng.random(n) < np.where(sex == "male", 0.3, 0.12)).astype(int)
    y_pred = (rng.random(n) < 0.2 + 0.5 * y_true).astype(int)
    return y_true, y_pred, sex, age


def test_group_metrics_match_sklearn_confusion_matrix(data):
    y_true, y_pred, sex, _ = data
    table = group_metrics(y_true, y_pred, sensitive_features=sex)
    assert table.index.tolist() == ["female", "male"]
    for g in ("female", "male"):
        m = sex == g
        tn, fp, fn, tp = confusion_matrix(y_true[m], y_pred[m], labels=[0, 1]).ravel()
        row = table.loc[g]
        assert (row.tn, row.fp, row.fn, row.tp) == (tn, fp, fn, tp)
        assert row.n == m.sum()
        assert row.selection_rate == pytest.approx((tp + fp) / m.sum(), abs=1e-15)
        assert row.tpr == pytest.approx(tp / (tp + fn), abs=1e-15)
        assert row.fpr == pytest.approx(fp / (fp + tn), abs=1e-15)
        assert row.fnr == pytest.approx(1 - row.tpr, abs=1e-12)
        assert row.ppv == pytest.approx(tp / (tp + fp), abs=1e-15)
        assert row.npv == pytest.approx(tn / (tn + fn), abs=1e-15)
        assert row.base_rate == pytest.approx(y_true[m].mean(), abs=1e-15)


def test_intersections_have_one_row_per_observed_combination(data):
    y_true, y_pred, sex, age = data
    sf = pd.DataFrame({"sex": sex, "age": age})
    table = group_metrics(y_true, y_pred, sensitive_features=sf)
    assert table.index.names == ["sex", "age"]
    assert len(table) == 6
    assert table["n"].sum() == len(y_true)
    m = (sex == "female") & (age == "<=25")
    assert table.loc[("female", "<=25"), "selection_rate"] == pytest.approx(y_pred[m].mean())


def test_bool_and_series_inputs_are_accepted(data):
    y_true, y_pred, sex, _ = data
    a = group_metrics(y_true.astype(bool), y_pred.astype(bool), sensitive_features=pd.Series(sex))
    b = group_metrics(y_true, y_pred, sensitive_features=sex)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 2)), min_size=6))
def test_difference_matches_groupby_when_defined(rows):
    y_true, y_pred, g = (np.array(c) for c in zip(*rows, strict=True))
    if len(np.unique(g)) < 2:
        return
    expected = pd.Series(y_pred).groupby(g).mean()
    value = disparity(y_true, y_pred, sensitive_features=g, metric="selection_rate")
    assert value == pytest.approx(expected.max() - expected.min())
    if expected.max() > 0:
        ratio = disparity(y_true, y_pred, sensitive_features=g, method="ratio")
        assert 0 <= ratio <= 1
        assert ratio == pytest.approx(expected.min() / expected.max())


def test_undefined_tpr_is_nan_with_warning_not_zero():
    y_true = [0, 0, 0, 1, 0, 1]
    y_pred = [1, 0, 0, 1, 1, 0]
    g = ["a", "a", "a", "b", "b", "b"]
    with pytest.warns(
        UndefinedMetricWarning,
        match=r"NaN, not 0: tpr \(no actual positives\) for group\(s\) \['a'\]",
    ):
        table = group_metrics(y_true, y_pred, sensitive_features=g)
    assert np.isnan(table.loc["a", "tpr"])
    assert np.isnan(table.loc["a", "fnr"])
    assert table.loc["b", "tpr"] == 0.5
    with pytest.warns(UndefinedMetricWarning, match="equal_opportunity difference is undefined"):
        value = C.equal_opportunity_difference(y_true, y_pred, sensitive_features=g)
    assert np.isnan(value)


def test_undefined_ppv_and_zero_max_ratio_are_nan():
    with pytest.warns(UndefinedMetricWarning, match=r"ppv \(nobody selected\)"):
        group_metrics([1, 0, 1, 0], [0, 0, 0, 0], sensitive_features=["a", "a", "b", "b"])
    with pytest.warns(UndefinedMetricWarning, match="selection_rate ratio is undefined"):
        value = disparity(
            [1, 0, 1, 0], [0, 0, 0, 0], sensitive_features=["a", "a", "b", "b"], method="ratio"
        )
    assert np.isnan(value)


def test_declared_groups_keep_empty_groups_as_nan():
    with pytest.warns(
        UndefinedMetricWarning,
        match=r"selection_rate \(the group is empty\) for group\(s\) \['c'\]",
    ):
        table = group_metrics(
            [1, 0, 1, 0], [1, 0, 0, 0], sensitive_features=list("aabb"), groups=["a", "b", "c"]
        )
    assert table.loc["c", "n"] == 0
    assert np.isnan(table.loc["c", "selection_rate"])


def test_missing_sensitive_values_raise():
    with pytest.raises(ValueError, match=r"column 'group' has 1 missing value"):
        group_metrics([1, 0, 1], [1, 0, 0], sensitive_features=["a", None, "b"])
    with pytest.raises(ValueError, match=r"column 'sex' has 1 missing value"):
        group_metrics(
            [1, 0, 1],
            [1, 0, 0],
            sensitive_features=pd.Series(["a", np.nan, "b"], name="sex", dtype="category"),
        )


def test_unknown_sensitive_values_raise():
    with pytest.raises(ValueError, match=r"values not in groups \['a', 'b'\]: \['x'\]"):
        group_metrics([1, 0, 1], [1, 0, 0], sensitive_features=["a", "x", "b"], groups=["a", "b"])
    with pytest.raises(ValueError, match="groups for 'group' must be unique"):
        group_metrics([1, 0], [1, 0], sensitive_features=["a", "b"], groups=["a", "a", "b"])
    sf = pd.DataFrame({"s": ["a", "b"], "t": ["x", "y"]})
    with pytest.raises(ValueError, match=r"groups names columns \['u'\]"):
        group_metrics([1, 0], [1, 0], sensitive_features=sf, groups={"u": ["a"]})
    with pytest.raises(TypeError, match="groups must be a mapping column -> values"):
        group_metrics([1, 0], [1, 0], sensitive_features=sf, groups=["a", "b"])


def test_single_group_raises():
    with pytest.raises(ValueError, match="at least two groups to compare, got one: \\['a'\\]"):
        group_metrics([1, 0, 1], [1, 0, 0], sensitive_features=["a", "a", "a"])


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError, match="same length, got y_true has 3, y_pred has 2"):
        group_metrics([1, 0, 1], [1, 0], sensitive_features=["a", "b", "a"])
    with pytest.raises(
        ValueError, match=r"sensitive_features must have the same length as y_true \(3\), got 2"
    ):
        group_metrics([1, 0, 1], [1, 0, 1], sensitive_features=["a", "b"])


def test_bad_sensitive_feature_shapes_raise():
    with pytest.raises(ValueError, match="one value per row, got 'a'"):
        encode_groups("a", n=1)
    with pytest.raises(ValueError, match="at least one column"):
        encode_groups(pd.DataFrame(index=range(3)), n=3)
    codes, index = encode_groups(np.array([["a", "x"], ["b", "x"], ["a", "y"]]), n=3)
    assert index.names == ["feature_0", "feature_1"]
    assert codes.tolist() == [0, 2, 1]


def test_non_binary_labels_raise():
    with pytest.raises(ValueError, match=r"y_true contains values not in labels=\(0, 1\): \['2'\]"):
        group_metrics([0, 1, 2], [0, 1, 1], sensitive_features=["a", "b", "a"])
    with pytest.raises(ValueError, match=r"y_pred contains values not in labels"):
        group_metrics([0, 1, 1], ["no", "yes", "yes"], sensitive_features=["a", "b", "a"])
    with pytest.raises(ValueError, match="y_true must not contain NaN"):
        group_metrics([0, 1, np.nan], [0, 1, 1], sensitive_features=["a", "b", "a"])


def test_bad_metric_method_and_rate_raise():
    args = ([1, 0, 1, 0], [1, 0, 0, 0])
    with pytest.raises(ValueError, match="criterion must be one of"):
        disparity(*args, sensitive_features=list("aabb"), metric="recall")
    with pytest.raises(ValueError, match="method must be 'difference' or 'ratio', got 'diff'"):
        disparity(*args, sensitive_features=list("aabb"), method="diff")
    with pytest.raises(ValueError, match="rate must be one of"):
        rates_from_counts(np.zeros((2, 4)), "recall")


def test_counts_functions_are_vectorized_over_resamples():
    counts = np.array([[[10, 0, 0, 10], [15, 5, 0, 0]], [[5, 5, 5, 5], [5, 5, 5, 5]]])
    np.testing.assert_allclose(
        criterion_from_counts(counts, "demographic_parity", "difference"), [0.25, 0.0]
    )
    eo = criterion_from_counts(counts, "equalized_odds", "difference")
    assert np.isnan(eo[0])  # group 2 of resample 0 has no positives
    assert eo[1] == 0.0


def test_calibration_by_group_bins_and_gaps():
    rng = np.random.default_rng(1)
    s = rng.random(4000)
    g = rng.choice(["a", "b"], 4000)
    y = (rng.random(4000) < np.where(g == "a", s, s / 2)).astype(int)
    cal = calibration_by_group(y, s, sensitive_features=g, n_bins=5)
    assert set(cal.columns) >= {"group", "bin", "n", "mean_score", "observed_rate", "gap"}
    assert cal["n"].sum() == 4000
    gap = cal.groupby("group")["gap"].apply(lambda x: x.abs().mean())
    assert gap["a"] < 0.05 < gap["b"]
    q = calibration_by_group(y, s, sensitive_features=g, n_bins=4, strategy="quantile")
    assert q["bin"].nunique() == 4


def test_calibration_by_group_errors():
    with pytest.raises(ValueError, match=r"y_prob must be probabilities in \[0, 1\]"):
        calibration_by_group([0, 1], [0.2, 1.5], sensitive_features=["a", "b"])
    with pytest.raises(ValueError, match="n_bins must be a positive int, got 0"):
        calibration_by_group([0, 1], [0.2, 0.5], sensitive_features=["a", "b"], n_bins=0)
    with pytest.raises(ValueError, match="strategy must be 'uniform' or 'quantile'"):
        calibration_by_group([0, 1], [0.2, 0.5], sensitive_features=["a", "b"], strategy="kmeans")


def test_numpy_unicode_fast_path_matches_object_factorization():
    rng = np.random.default_rng(5)
    for _ in range(10):
        values = rng.choice(["b", "a", "", "ab", "ba", "Zz", "é", "a b"], rng.integers(2, 400))
        if len(set(values)) < 2:
            continue
        codes, index = encode_groups(values, n=len(values))
        ref_codes, ref_uniques = pd.factorize(values.astype(object), sort=True)
        np.testing.assert_array_equal(codes, ref_codes)
        assert index.tolist() == list(ref_uniques)


def test_nan_coerced_to_text_counts_as_missing():
    values = np.array(["a", np.nan, "b"])  # numpy stores the NaN as the text "nan"
    assert values.dtype.kind == "U"
    with pytest.raises(ValueError, match="has 1 missing value"):
        group_metrics([1, 0, 1], [1, 0, 0], sensitive_features=values)


_COUNTS = np.array([[5, 1, 2, 2], [3, 3, 3, 1]])


@pytest.mark.parametrize(
    "fn",
    [
        lambda c: rates_from_counts(c, "tpr"),
        lambda c: criterion_from_counts(c, "demographic_parity", "ratio"),
    ],
    ids=["rates_from_counts", "criterion_from_counts"],
)
@pytest.mark.parametrize(
    ("counts", "exc", "match"),
    [
        (np.array([[-1, 1, 2, 2], [3, 3, 3, 1]]), ValueError, "counts must be non-negative"),
        (_COUNTS[:, :3], ValueError, r"counts must have shape \(\.\.\., 4\)"),
        (np.where(_COUNTS == 5, np.nan, _COUNTS), ValueError, "counts must be finite"),
        (_COUNTS.astype(str), TypeError, "counts must hold numeric counts"),
    ],
)
def test_from_counts_reject_bad_counts(fn, counts, exc, match):
    with pytest.raises(exc, match=match):
        fn(counts)
