"""Tests for casebook._validation: nullable, Arrow and object input with pd.NA, numpy scalars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook._validation.arrays import (
    check_columns_present,
    check_n_resamples,
    min_resamples,
    plain_frame,
)
from casebook._validation.binary import (
    as_1d,
    as_float_array,
    check_no_missing,
    check_no_na,
    encode_binary,
)
from casebook.decisions.confusion import confusion_table
from casebook.fairness.criteria import demographic_parity_difference

NA_LABELS = [
    pd.array([None, True, False, True], dtype="boolean"),
    pd.array([None, 1, 0, 1], dtype="Int64"),
    pd.array([None, 1, 0, 1], dtype="int64[pyarrow]"),
    np.array([pd.NA, 1, 0, 1], dtype=object),
    pd.Series([None, "a", "b", "a"], dtype="string[pyarrow]"),
]


@pytest.mark.parametrize("labels", NA_LABELS, ids=lambda a: str(getattr(a, "dtype", "")))
def test_na_in_labels_is_a_named_error_not_pandas_ambiguity(labels):
    if np.asarray(labels).dtype == object:  # numeric nullable arrays become NaN instead
        with pytest.raises(ValueError, match=r"y_true must not contain missing values \(pd.NA"):
            as_1d(labels, name="y_true")
    pair = pd.unique(np.asarray(labels)[1:]).tolist()
    with pytest.raises(ValueError, match="y_true must not contain (missing values|NaN)"):
        encode_binary(labels, labels=pair, name="y_true")


def test_public_functions_name_the_parameter_for_boolean_na():
    y = pd.array([None, True, False, True], dtype="boolean")
    with pytest.raises(ValueError, match=r"y_pred has values not in labels \[0, 1\]: \[<NA>\]"):
        confusion_table([1, 1, 0, 1], y, labels=[0, 1])
    with pytest.raises(ValueError, match="y_true must not contain missing values"):
        demographic_parity_difference(y, [1, 0, 0, 1], sensitive_features=list("abab"))


def test_nullable_arrays_without_na_just_work():
    plain = confusion_table([0, 1, 1, 0], [0, 1, 0, 0], labels=[0, 1]).counts
    nullable = confusion_table(
        pd.array([0, 1, 1, 0], dtype="Int64"),
        pd.array([0, 1, 0, 0], dtype="int64[pyarrow]"),
        labels=[0, 1],
    ).counts
    assert nullable.equals(plain)


def test_float_conversion_turns_na_into_nan_like_none():
    out = as_float_array(pd.array([0.5, None], dtype="Float64"), name="y_score")
    assert np.isnan(out[1]) and out[0] == 0.5
    out = as_float_array(np.array([pd.NA, 2], dtype=object), name="x")
    assert np.isnan(out[0]) and out[1] == 2.0


def test_missing_checks():
    assert check_no_na(np.array([np.nan, 1.0]), name="x").size == 2  # NaN is the caller's rule
    with pytest.raises(
        ValueError, match=r"x must not contain missing values, got 2 at position\(s\) \[0, 2\]"
    ):
        check_no_missing(np.array([np.nan, 1.0, None], dtype=object), name="x")


@pytest.mark.parametrize(
    ("confidence", "expected"), [(0.95, 40), (0.9, 20), (0.99, 200), (0.8, 10)]
)
def test_min_resamples(confidence, expected):
    assert min_resamples(confidence) == expected


def test_check_n_resamples():
    assert check_n_resamples(np.int64(40), confidence=0.95) == 40
    assert check_n_resamples(1) == 1
    with pytest.raises(ValueError, match="n_resamples must be at least 40 for a 0.95 interval"):
        check_n_resamples(39, confidence=0.95)
    with pytest.raises(TypeError, match="n_resamples must be an int, got bool"):
        check_n_resamples(True)
    with pytest.raises(ValueError, match="n_resamples must be >= 1, got 0"):
        check_n_resamples(0)


def test_plain_frame_turns_na_into_nan_and_keeps_numpy_frames():
    frame = pd.DataFrame(
        {
            "n": pd.array([1, 2], dtype="int64[pyarrow]"),
            "x": pd.array([0.5, None], dtype="Float64"),
            "flag": pd.array([True, None], dtype="boolean"),
            "name": pd.array(["a", None], dtype="string[pyarrow]"),
            "cat": pd.Categorical(["u", "v"]),
        }
    )
    out = plain_frame(frame)
    assert out["n"].dtype == np.int64 and out["n"].tolist() == [1, 2]
    assert out["x"].dtype == np.float64 and np.isnan(out.loc[1, "x"])
    assert out["flag"].dtype == np.float64 and np.isnan(out.loc[1, "flag"])  # like NaN in bools
    assert out.loc[0, "name"] == "a" and pd.isna(out.loc[1, "name"])
    assert isinstance(out["cat"].dtype, pd.CategoricalDtype)
    assert frame["x"].dtype == "Float64"  # the caller's frame is not modified
    numpy_frame = pd.DataFrame({"a": [1.0, np.nan]})
    assert plain_frame(numpy_frame) is numpy_frame
    assert plain_frame([1, 2]) == [1, 2]
    series = plain_frame(pd.Series([1, None], dtype="Int64", name="s"))
    assert series.dtype == np.float64 and series.name == "s"


def test_check_columns_present():
    frame = pd.DataFrame({"group": ["a", None], "rate": [0.5, np.nan]})
    check_columns_present(frame, ["rate"][:0], name="table")
    with pytest.raises(
        ValueError, match=r"table\['group'\] must not contain missing values, got 1"
    ):
        check_columns_present(frame, None, name="table")  # labels: every non-numeric column
    with pytest.raises(ValueError, match=r"table\['rate'\] must not contain missing values"):
        check_columns_present(frame, ["rate"], name="table")
