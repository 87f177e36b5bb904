"""Property-based invariants of the package's metrics (hypothesis)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from casebook.decisions.confusion import binary_rates, confusion_table, rates_table
from casebook.decisions.costs import cost_optimal_threshold, expected_cost
from casebook.fairness.metrics import disparity, group_metrics
from casebook.monitoring.drift.stats import psi
from casebook.monitoring.drift.summaries import merge_all, psi_from_summaries, summarize_numeric

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LABELS = ["a", "b", "c"]


@st.composite
def labelled_pairs(draw, labels=LABELS, min_size=1, max_size=80):
    n = draw(st.integers(min_size, max_size))
    yt = draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n))
    yp = draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n))
    return np.array(yt), np.array(yp)


@st.composite
def binary_with_both_classes(draw, max_size=120):
    n = draw(st.integers(4, max_size))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    y[0], y[1] = 0, 1
    return y


@SETTINGS
@given(labelled_pairs(), st.randoms())
def test_confusion_counts_sum_to_n_and_ignore_row_order(pair, rnd):
    yt, yp = pair
    table = confusion_table(yt, yp, labels=LABELS)
    assert table.n == len(yt)
    order = list(range(len(yt)))
    rnd.shuffle(order)
    shuffled = confusion_table(yt[order], yp[order], labels=LABELS)
    assert shuffled.counts.equals(table.counts)


@SETTINGS
@given(labelled_pairs())
def test_rates_lie_in_unit_interval(pair):
    yt, yp = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined rates are NaN with a warning, by design
        rates = rates_table(yt, yp, labels=LABELS)
        table = confusion_table(yt, yp, labels=LABELS)
    for frame in (
        rates[["precision", "recall", "f1"]],
        table.rates,
    ):
        values = frame.to_numpy(dtype=float)
        finite = values[~np.isnan(values)]
        assert ((finite >= 0) & (finite <= 1)).all()


@SETTINGS
@given(labelled_pairs(labels=[0, 1], min_size=2))
def test_binary_rates_in_unit_interval(pair):
    yt, yp = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rates = binary_rates(yt, yp, labels=[0, 1], pos_label=1)
    values = rates.drop(["tp", "fp", "tn", "fn"]).to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 1)).all()


finite_samples = arrays(
    np.float64,
    st.integers(20, 300),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(finite_samples)
def test_psi_of_a_sample_with_itself_is_zero(a):
    assert psi(a, a).statistic == pytest.approx(0.0, abs=1e-12)


@SETTINGS
@given(finite_samples, finite_samples)
def test_psi_is_non_negative(a, b):
    assert psi(a, b).statistic >= -1e-12


@SETTINGS
@given(binary_with_both_classes(), st.data())
def test_disparity_ratios_lie_in_unit_interval(y, data):
    n = len(y)
    yp = data.draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    groups = np.array(
        data.draw(st.lists(st.sampled_from(["g1", "g2", "g3"]), min_size=n, max_size=n))
    )
    groups[:3] = ["g1", "g2", "g3"]
    for metric in ("selection_rate", "tpr", "fpr", "ppv"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = disparity(y, yp, sensitive_features=groups, metric=metric, method="ratio")
        assert np.isnan(value) or 0.0 <= value <= 1.0


@SETTINGS
@given(binary_with_both_classes(), st.data())
def test_cost_optimal_threshold_beats_every_grid_threshold(y, data):
    n = len(y)
    scores = data.draw(arrays(np.float64, n, elements=st.floats(0, 1, allow_nan=False)))
    fp_cost = data.draw(st.floats(0.1, 10))
    fn_cost = data.draw(st.floats(0.1, 50))
    best = cost_optimal_threshold(y, scores, fp_cost=fp_cost, fn_cost=fn_cost)
    for t in np.linspace(0, 1.0001, 41):
        grid_cost = expected_cost(y, (scores >= t).astype(int), fp_cost=fp_cost, fn_cost=fn_cost)
        assert best.cost <= grid_cost + 1e-9 * max(1.0, grid_cost)


@SETTINGS
@given(binary_with_both_classes(), st.data())
def test_group_metrics_of_a_single_group_equal_overall(y, data):
    n = len(y)
    yp = data.draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the declared but empty group "b" is NaN with a warning
        gm = group_metrics(y, yp, sensitive_features=np.array(["a"] * n), groups=["a", "b"])
        overall = binary_rates(y, yp, labels=[0, 1], pos_label=1)
    row = gm.loc["a"]
    assert row["n"] == n
    assert row["selection_rate"] == pytest.approx(yp.mean())
    assert row["tpr"] == pytest.approx(overall["tpr"], nan_ok=True)
    assert row["fpr"] == pytest.approx(overall["fpr"], nan_ok=True)
    assert row["ppv"] == pytest.approx(overall["precision"], nan_ok=True)


@SETTINGS
@given(
    arrays(np.float64, st.integers(50, 400), elements=st.floats(-100, 100, allow_nan=False)),
    arrays(np.float64, st.integers(50, 400), elements=st.floats(-100, 100, allow_nan=False)),
    st.integers(2, 6),
    st.randoms(),
)
def test_merged_summaries_give_the_same_psi_in_any_order(ref, cur, parts, rnd):
    edges = np.concatenate([[-np.inf], np.linspace(-100, 100, 11), [np.inf]])
    reference = summarize_numeric(ref, edges=edges)
    pieces = [summarize_numeric(chunk, edges=edges) for chunk in np.array_split(cur, parts)]
    whole = psi_from_summaries(reference, summarize_numeric(cur, edges=edges)).statistic
    rnd.shuffle(pieces)
    shuffled = psi_from_summaries(reference, merge_all(pieces)).statistic
    assert shuffled == pytest.approx(whole, rel=1e-12, abs=1e-15)
