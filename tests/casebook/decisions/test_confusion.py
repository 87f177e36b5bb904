"""Tests for casebook.decisions.confusion."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from casebook.decisions.confusion import (
    UndefinedRateWarning,
    binary_rates,
    confusion_table,
    rates_table,
    top_confused_pairs,
)

LABELS = ["Electronics", "Home", "Clothing"]


@pytest.fixture
def multi():
    rng = np.random.default_rng(0)
    y_true = rng.choice(LABELS, size=300)
    y_pred = np.where(rng.random(300) < 0.7, y_true, rng.choice(LABELS, size=300))
    return y_true, y_pred


def test_counts_match_sklearn_with_explicit_labels(multi):
    y_true, y_pred = multi
    table = confusion_table(y_true, y_pred, labels=LABELS)
    expected = confusion_matrix(y_true, y_pred, labels=LABELS)
    np.testing.assert_array_equal(table.counts.to_numpy(), expected)
    assert list(table.counts.index) == LABELS
    assert list(table.counts.columns) == LABELS
    assert table.n == 300
    assert table.n_errors == int((y_true != y_pred).sum())
    assert table.accuracy == pytest.approx(np.mean(y_true == y_pred))


def test_rates_are_row_normalised(multi):
    table = confusion_table(*multi, labels=LABELS)
    np.testing.assert_allclose(table.rates.sum(axis=1), 1.0)
    np.testing.assert_allclose(
        table.rates.to_numpy(),
        confusion_matrix(*multi, labels=LABELS, normalize="true"),
    )


def test_label_order_is_respected():
    table = confusion_table(["a", "b"], ["b", "b"], labels=["b", "a"])
    assert table.counts.loc["a", "b"] == 1
    assert table.counts.iloc[0, 0] == 1  # b -> b


def test_one_class_batch_keeps_full_shape_and_nan_rates():
    table = confusion_table(["ham"] * 4, ["ham", "spam", "ham", "ham"], labels=["ham", "spam"])
    assert table.counts.shape == (2, 2)
    assert table.counts.loc["spam"].sum() == 0
    assert table.rates.loc["spam"].isna().all()
    assert table.rates.loc["ham", "spam"] == pytest.approx(0.25)


def test_rates_table_matches_sklearn(multi):
    y_true, y_pred = multi
    got = rates_table(y_true, y_pred, labels=LABELS)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=LABELS)
    np.testing.assert_allclose(got["precision"], p)
    np.testing.assert_allclose(got["recall"], r)
    np.testing.assert_allclose(got["f1"], f)
    np.testing.assert_array_equal(got["support"], s)


def test_rates_table_one_class_batch_warns_and_gives_nan():
    with pytest.warns(UndefinedRateWarning, match="precision of 'spam', recall of 'spam'"):
        got = rates_table(["ham", "ham"], ["ham", "ham"], labels=["ham", "spam"])
    assert np.isnan(got.loc["spam", "recall"])
    assert np.isnan(got.loc["spam", "f1"])
    assert got.loc["ham", "recall"] == 1.0


def test_rates_table_f1_zero_when_precision_and_recall_zero():
    got = rates_table(["a", "b"], ["b", "a"], labels=["a", "b"])
    assert got["f1"].tolist() == [0.0, 0.0]


def test_binary_rates_cells_and_rates():
    y_true = np.array([0] * 90 + [1] * 10)
    y_pred = np.array([0] * 85 + [1] * 5 + [1] * 6 + [0] * 4)
    r = binary_rates(y_true, y_pred, labels=[0, 1], pos_label=1)
    assert (r["tp"], r["fp"], r["tn"], r["fn"]) == (6, 5, 85, 4)
    assert r["tpr"] == pytest.approx(0.6)
    assert r["fnr"] == pytest.approx(0.4)
    assert r["fpr"] == pytest.approx(5 / 90)
    assert r["tnr"] == pytest.approx(85 / 90)
    assert r["precision"] == pytest.approx(6 / 11)
    assert r["npv"] == pytest.approx(85 / 89)
    assert r["accuracy"] == pytest.approx(0.91)


def test_binary_rates_pos_label_first_in_labels():
    with pytest.warns(UndefinedRateWarning, match="npv"):
        r = binary_rates(
            ["spam", "ham"], ["spam", "spam"], labels=["spam", "ham"], pos_label="spam"
        )
    assert (r["tp"], r["fp"]) == (1, 1)


def test_binary_rates_one_class_batch():
    with pytest.warns(UndefinedRateWarning, match="tpr, fnr"):
        r = binary_rates([0, 0, 0], [0, 1, 0], labels=[0, 1], pos_label=1)
    assert np.isnan(r["tpr"]) and np.isnan(r["fnr"])
    assert r["fpr"] == pytest.approx(1 / 3)


def test_top_confused_pairs_sorted_and_shares(multi):
    y_true, y_pred = multi
    top = top_confused_pairs(y_true, y_pred, labels=LABELS, k=10)
    assert len(top) == 6
    assert top["count"].is_monotonic_decreasing
    assert top["share_of_errors"].sum() == pytest.approx(1.0)
    assert (top["true"] != top["predicted"]).all()
    first = top.iloc[0]
    counts = confusion_table(y_true, y_pred, labels=LABELS).counts
    assert counts.loc[first["true"], first["predicted"]] == first["count"]


def test_top_confused_pairs_no_errors_is_empty():
    top = top_confused_pairs(["a", "b"], ["a", "b"], labels=["a", "b"])
    assert top.empty
    assert list(top.columns) == ["true", "predicted", "count", "rate", "share_of_errors"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y_true": ["a", "b"], "y_pred": ["a"], "labels": ["a", "b"]}, "same length"),
        ({"y_true": [], "y_pred": [], "labels": ["a", "b"]}, "y_true must not be empty"),
        ({"y_true": ["a", "z"], "y_pred": ["a", "b"], "labels": ["a", "b"]}, r"y_true .*\['z'\]"),
        ({"y_true": ["a", "b"], "y_pred": ["a", "q"], "labels": ["a", "b"]}, r"y_pred .*\['q'\]"),
        ({"y_true": ["a"], "y_pred": ["a"], "labels": ["a"]}, "at least two"),
        ({"y_true": ["a"], "y_pred": ["a"], "labels": ["a", "a"]}, "unique"),
        ({"y_true": ["a"], "y_pred": ["a"], "labels": "ab"}, "sequence of class labels"),
        ({"y_true": [["a"]], "y_pred": [["a"]], "labels": ["a", "b"]}, "1-dimensional"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        confusion_table(kwargs["y_true"], kwargs["y_pred"], labels=kwargs["labels"])


def test_binary_rates_bad_labels():
    with pytest.raises(ValueError, match="exactly two classes"):
        binary_rates([0], [0], labels=[0, 1, 2], pos_label=1)
    with pytest.raises(ValueError, match="pos_label must be one of"):
        binary_rates([0], [0], labels=[0, 1], pos_label=2)


@pytest.mark.parametrize("k", [0, -1, 1.5, True])
def test_top_confused_pairs_bad_k(k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        top_confused_pairs(["a"], ["b"], labels=["a", "b"], k=k)


def test_accepts_pandas_categorical():
    y = pd.Series(["ham", "spam", "ham"], dtype="category")
    table = confusion_table(y, y, labels=["ham", "spam"])
    assert table.accuracy == 1.0
