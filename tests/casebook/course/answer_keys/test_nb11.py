"""Notebook 11's answer key: an independent point-in-time count passes, typical slips fail."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from casebook.course.answer_keys.nb11 import KEY


def loop_window_count(applications, transactions, *, days):
    """One application at a time, one transaction at a time."""
    if isinstance(days, bool) or not isinstance(days, Integral) or days <= 0:
        raise ValueError(f"days must be a positive whole number, got {days!r}")
    if transactions["timestamp"].isna().any():
        raise ValueError("transactions must not have missing timestamps")
    window = pd.Timedelta(days=days)
    counts = []
    for customer, cutoff in zip(
        applications["customer_id"], applications["application_date"], strict=True
    ):
        n = 0
        for who, when in zip(transactions["customer_id"], transactions["timestamp"], strict=True):
            if who == customer and cutoff - window <= when < cutoff:
                n += 1
        counts.append(n)
    return counts


def test_independent_window_count_passes():
    assert KEY.check("implement_window_count", loop_window_count) is None


def test_typical_wrong_window_counts_are_rejected():
    def start_exclusive(applications, transactions, *, days):
        # a transaction exactly `days` days before the cut-off is left out
        merged = applications.reset_index().merge(transactions, on="customer_id", how="left")
        start = merged["application_date"] - pd.Timedelta(days=days)
        keep = (merged["timestamp"] > start) & (merged["timestamp"] < merged["application_date"])
        return merged[keep].groupby("index").size().reindex(applications.index, fill_value=0)

    def drops_newcomers(applications, transactions, *, days):
        merged = applications.reset_index().merge(transactions, on="customer_id")
        start = merged["application_date"] - pd.Timedelta(days=days)
        keep = (merged["timestamp"] >= start) & (merged["timestamp"] < merged["application_date"])
        return merged[keep].groupby("index").size().to_numpy()

    message = KEY.check("implement_window_count", start_exclusive)
    assert message.startswith("case 'at the cut-off, after it, and at the window start'"), message
    message = KEY.check("implement_window_count", drops_newcomers)
    assert message.startswith("case '"), message
    assert "shape" in message


def test_oot_auc_365_only_on_small_data():
    rng = np.random.default_rng(0)
    n = 400
    features = pd.DataFrame(
        {
            "count_365d": rng.poisson(5, n).astype(float),
            "count_30d": rng.poisson(1, n).astype(float),
            "history_days": rng.uniform(10, 900, n),
        }
    )
    y = (rng.random(n) < 0.2 + 0.05 * (features["count_365d"] > 6)).astype(int)
    train_idx, test_idx = np.arange(300), np.arange(300, n)
    model = DecisionTreeClassifier(max_depth=2, random_state=0)
    kept = features[["count_365d", "history_days"]]
    fitted = DecisionTreeClassifier(max_depth=2, random_state=0).fit(
        kept.iloc[train_idx], y[train_idx]
    )
    right = roc_auc_score(y[test_idx], fitted.predict_proba(kept.iloc[test_idx])[:, 1])
    inputs = {"features": features, "model": model, "y": y, "train_idx": train_idx}
    inputs["test_idx"] = test_idx
    assert KEY.check("oot_auc_365_only", right, inputs=inputs) is None
    assert KEY.check("oot_auc_365_only", right + 0.1, inputs=inputs) is not None
    assert not hasattr(model, "tree_"), "the reference must not refit the notebook's model"


def test_which_auc_to_report():
    assert KEY.check("which_auc_to_report", "out-of-time with interval") is None
    assert "hides the drift" in KEY.check("which_auc_to_report", "random split")


def test_threshold_decision_prices_both_policies():
    y = np.array([0, 0, 1, 0, 1, 0])
    score = np.array([0.1, 0.6, 0.7, 0.2, 0.3, 0.05])
    fp_cost, fn_cost = np.full(6, 8.0), np.full(6, 60.0)
    inputs = {"y_test": y, "score_test": score, "threshold": 0.5}
    inputs |= {"fp_cost": fp_cost, "fn_cost": fn_cost}
    # threshold 0.5 rejects rows 1 and 2: one lost margin (8) and one missed default (60);
    # approving everyone misses both defaults (120): saved 1 - 68 / 120
    saved = 1 - 68 / 120
    assert (
        KEY.check("threshold_pays_out_of_time", ("apply the threshold", saved), inputs=inputs)
        is None
    )
    message = KEY.check("threshold_pays_out_of_time", ("approve everyone", saved), inputs=inputs)
    assert "still costs less" in message
    inputs["threshold"] = 0.01  # rejects everyone: 4 lost margins (32) against 120, still pays
    assert (
        KEY.check(
            "threshold_pays_out_of_time", ("apply the threshold", 1 - 32 / 120), inputs=inputs
        )
        is None
    )
    inputs["fp_cost"] = np.full(6, 40.0)  # now rejecting everyone costs 160 > 120
    message = KEY.check(
        "threshold_pays_out_of_time", ("apply the threshold", -1 / 3), inputs=inputs
    )
    assert "drift erased" in message
