import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from casebook.monitoring.drift.stats import chi_square, jensen_shannon, psi, quantile_edges
from casebook.monitoring.drift.summaries import (
    CategorySummary,
    HistogramSummary,
    chi_square_from_summaries,
    jensen_shannon_from_summaries,
    merge,
    merge_all,
    psi_from_summaries,
    summarize_categories,
    summarize_numeric,
)

RNG = np.random.default_rng(0)
REF = RNG.lognormal(size=5000)
CUR = RNG.lognormal(0.2, 1.1, size=4000)
CUR[::50] = np.nan
EDGES = quantile_edges(REF, bins=10)


def _parts(values, n_parts, seed):
    idx = np.random.default_rng(seed).permutation(len(values))
    return [values[i] for i in np.array_split(idx, n_parts)]


def test_histogram_summary_counts_and_missing():
    s = summarize_numeric(CUR, edges=EDGES)
    assert s.n_missing == 80
    assert s.n == 4000 - 80
    assert s.counts == tuple(np.histogram(CUR[~np.isnan(CUR)], EDGES)[0].tolist())
    assert s.minimum == np.nanmin(CUR)
    assert s.maximum == np.nanmax(CUR)


@pytest.mark.parametrize("n_parts", [1, 3, 17])
def test_psi_from_merged_equals_full_data_any_order(n_parts):
    ref_s = summarize_numeric(REF, edges=EDGES)
    parts = [summarize_numeric(p, edges=EDGES) for p in _parts(CUR, n_parts, n_parts)]
    full = psi(REF, CUR)
    for order in (parts, parts[::-1], sorted(parts, key=lambda s: s.counts)):
        merged = merge_all(order)
        assert merged == summarize_numeric(CUR, edges=EDGES)
        assert psi_from_summaries(ref_s, merged) == full
    if n_parts > 1:
        half = n_parts // 2
        tree = merge(merge_all(parts[half:]), merge_all(parts[:half]))
        assert psi_from_summaries(ref_s, tree) == full


def test_js_from_summaries_equals_full():
    ref_s = summarize_numeric(REF, edges=EDGES)
    cur_s = merge_all(summarize_numeric(p, edges=EDGES) for p in np.array_split(CUR, 4))
    assert jensen_shannon_from_summaries(ref_s, cur_s) == jensen_shannon(REF, CUR)
    ref_c = summarize_categories(["a", "b", "b"])
    cur_c = summarize_categories(["b", "c"])
    assert jensen_shannon_from_summaries(ref_c, cur_c) == jensen_shannon(
        ["a", "b", "b"], ["b", "c"]
    )


def test_chi_square_from_merged_equals_full_incl_unseen():
    cats = np.array(["mail", "card", "bank", None], dtype=object)
    ref = pd.Series(RNG.choice(cats[:3], size=3000, p=[0.5, 0.3, 0.2]))
    cur = pd.Series(RNG.choice(cats, size=2000, p=[0.4, 0.3, 0.2, 0.1]))
    cur.iloc[:30] = "crypto"  # unseen in the reference
    full = chi_square(ref, cur)
    ref_s = summarize_categories(ref)
    parts = [summarize_categories(cur.iloc[i::5]) for i in range(5)]
    for perm in itertools.islice(itertools.permutations(parts), 0, 120, 17):
        merged = merge_all(perm)
        assert merged == summarize_categories(cur)
        assert chi_square_from_summaries(ref_s, merged) == full
    assert "crypto" in full.detail


def test_numeric_and_string_categories_merge_consistently():
    a = summarize_categories(pd.Series([0, 1, 1]))
    b = summarize_categories(np.array([1, 0, 0]))
    assert merge(a, b).as_dict() == {0: 3, 1: 3}


def test_empty_partition_is_identity():
    s = summarize_numeric(CUR[:100], edges=EDGES)
    empty = summarize_numeric(np.array([], dtype=float), edges=EDGES)
    assert merge(s, empty) == s
    assert merge(empty, s) == s
    assert empty.minimum is None
    c = summarize_categories(["a"])
    assert merge(c, summarize_categories(np.array([], dtype=object))) == c


@settings(max_examples=60, deadline=None)
@given(
    hst.lists(
        hst.lists(hst.one_of(hst.floats(-1e6, 1e6), hst.just(float("nan"))), max_size=30),
        min_size=3,
        max_size=3,
    )
)
def test_histogram_merge_associative_commutative(chunks):
    a, b, c = (summarize_numeric(np.array(x, dtype=float), edges=EDGES) for x in chunks)
    assert merge(a, b) == merge(b, a)
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@settings(max_examples=60, deadline=None)
@given(
    hst.lists(
        hst.lists(hst.sampled_from(["x", "y", "z", 3, None]), max_size=20), min_size=3, max_size=3
    )
)
def test_category_merge_associative_commutative(chunks):
    a, b, c = (summarize_categories(np.array(x, dtype=object)) for x in chunks)
    assert merge(a, b) == merge(b, a)
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


def test_errors():
    h = summarize_numeric([1.0], edges=EDGES)
    other = summarize_numeric([1.0], edges=[-np.inf, 0.0, np.inf])
    c = summarize_categories(["a"])
    with pytest.raises(TypeError, match="a and b must be summaries of the same kind"):
        merge(h, c)
    with pytest.raises(ValueError, match="a and b must share the same edges"):
        merge(h, other)
    with pytest.raises(ValueError, match="summaries must hold at least one summary"):
        merge_all([])
    with pytest.raises(ValueError, match="edges must be 1-d, start at -inf"):
        summarize_numeric([1.0], edges=[0.0, 1.0])
    with pytest.raises(ValueError, match="edges must be strictly increasing"):
        summarize_numeric([1.0], edges=[-np.inf, 2.0, 1.0, np.inf])
    with pytest.raises(TypeError, match="values must be numeric"):
        summarize_numeric(pd.Series(["a"]), edges=EDGES)
    with pytest.raises(TypeError, match="values must be numeric"):
        summarize_numeric(np.array(["a"]), edges=EDGES)
    with pytest.raises(ValueError, match="reference and current must share the same edges"):
        psi_from_summaries(h, other)
    with pytest.raises(TypeError, match="reference and current must be HistogramSummary"):
        psi_from_summaries(h, c)
    empty = summarize_numeric(np.array([np.nan]), edges=EDGES)
    with pytest.raises(ValueError, match="current must summarise at least one non-missing"):
        psi_from_summaries(h, empty)
    with pytest.raises(TypeError, match="current must be a CategorySummary"):
        chi_square_from_summaries(c, h)
    with pytest.raises(ValueError, match="reference must summarise at least one"):
        chi_square_from_summaries(summarize_categories([None]), c)
    with pytest.raises(ValueError, match="unseen must be 'include' or 'error'"):
        chi_square_from_summaries(c, c, unseen="skip")
    with pytest.raises(ValueError, match="categories unseen in the reference"):
        chi_square_from_summaries(c, summarize_categories(["b"]), unseen="error")
    assert isinstance(h, HistogramSummary)
    assert isinstance(c, CategorySummary)


def test_bad_edges_and_values_name_the_parameter():
    with pytest.raises(ValueError, match="edges must not contain NaN"):
        summarize_numeric([1.0], edges=[-np.inf, np.nan, np.inf])
    with pytest.raises(TypeError, match="edges must be numeric, got list"):
        summarize_numeric([1.0], edges=[-np.inf, "a", np.inf])
    with pytest.raises(ValueError, match=r"values must be 1-dimensional, got shape \(2, 2\)"):
        summarize_categories([["a", "b"], ["c", "d"]])
