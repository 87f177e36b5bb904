"""Notebook 12's answer key: an independent percentile passes, typical slips are rejected."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from casebook.course.answer_keys.nb12 import KEY


def stdlib_percentile(times_ms, *, q):
    """The standard library's 'inclusive' quantiles are numpy's linear percentiles."""
    t = [float(v) for v in times_ms]
    if not t or any(math.isnan(v) or v < 0 for v in t) or not 0 <= q <= 100:
        raise ValueError("need non-negative times and q in 0..100")
    if len(t) == 1 or q in (0, 100):
        return min(t) if q == 0 else max(t) if q == 100 else t[0]
    cuts = statistics.quantiles(t, n=10_000, method="inclusive")  # cut points 1..9999
    step = round(q * 100)
    assert math.isclose(step, q * 100), "this reference handles q in steps of 0.01"
    return cuts[step - 1]


def test_independent_percentile_passes():
    assert KEY.check("implement_percentile", stdlib_percentile) is None


def test_typical_wrong_percentiles_are_rejected():
    def midpoint_of_neighbours(times_ms, *, q):
        stdlib_percentile(times_ms, q=q)
        t = sorted(times_ms)
        pos = (len(t) - 1) * q / 100
        return (t[math.floor(pos)] + t[math.ceil(pos)]) / 2

    def no_checks(times_ms, *, q):
        return float(np.percentile(times_ms, q))

    message = KEY.check("implement_percentile", midpoint_of_neighbours)
    assert message.startswith("case 'p95 of ten calls'"), message
    message = KEY.check("implement_percentile", no_checks)
    assert message.startswith("case '"), message
    assert "bad input" in message


def test_max_features_and_page_explainer():
    inputs = {"per_row_ms": 0.001, "n_background": 8, "budget_ms": 50.0}
    # 8 x 2^d x 0.001 ms <= 25 ms  <=>  2^d <= 3125  <=>  d <= 11
    assert KEY.check("max_features", 11, inputs=inputs) is None
    assert "typical slip" in KEY.check("max_features", 12, inputs=inputs)
    assert KEY.check("max_features", math.log2(3125), inputs=inputs) is not None
    page = inputs | {"items_per_request": 10}  # 2^d <= 312.5  <=>  d <= 8 < 12
    assert KEY.check("page_explainer", ("switch to TreeSHAP", 8), inputs=page) is None
    message = KEY.check("page_explainer", ("keep brute force", 8), inputs=page)
    assert "more than half the budget" in message
    fast_rows = page | {"per_row_ms": 1e-6}  # 2^d <= 312500  <=>  d <= 18 >= 12
    assert KEY.check("page_explainer", ("keep brute force", 18), inputs=fast_rows) is None


def test_auc_with_interaction_on_a_small_log():
    rng = np.random.default_rng(0)
    n = 2000
    frame = pd.DataFrame(
        {"hour": rng.integers(0, 24, n), "is_mobile": rng.integers(0, 2, n), "x": rng.random(n)}
    )
    boost = (frame["is_mobile"] == 1) & frame["hour"].between(18, 23)
    y = (rng.random(n) < 0.03 + 0.5 * boost + 0.05 * frame["x"]).astype(int).to_numpy()
    X_tr, X_te, y_tr, y_te = frame.iloc[:1500], frame.iloc[1500:], y[:1500], y[1500:]
    plus_tr = X_tr.assign(mobile_evening=boost[:1500].astype(int))
    plus_te = X_te.assign(mobile_evening=boost[1500:].astype(int))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    right = roc_auc_score(y_te, model.fit(plus_tr, y_tr).predict_proba(plus_te)[:, 1])
    before = roc_auc_score(y_te, model.fit(X_tr, y_tr).predict_proba(X_te)[:, 1])
    inputs = {"X_tr": X_tr, "y_tr": y_tr, "X_te": X_te, "y_te": y_te}
    assert KEY.check("auc_with_interaction", right, inputs=inputs) is None
    assert right > before + 0.003  # the column helps: the old AUC is a slip, not an answer
    assert "typical slip" in KEY.check("auc_with_interaction", before, inputs=inputs)
