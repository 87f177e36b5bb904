"""Answer key of notebook 12 (click latency): an engineered interaction, Shapley cost, percentiles."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey

KEY = AnswerKey("12")

PLANNED_FEATURES = 12  # the feature count the team plans for (exercise "page_explainer")
AUC_TOL = 0.003


def _with_mobile_evening(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(mobile_evening=frame["is_mobile"] * frame["hour"].between(18, 23))


def _logreg_auc(X_tr: pd.DataFrame, y_tr: Any, X_te: pd.DataFrame, y_te: Any) -> float:
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(X_tr.to_numpy(), y_tr)
    return float(roc_auc_score(y_te, model.predict_proba(X_te.to_numpy())[:, 1]))


def _auc_without_the_column(*, X_tr, y_tr, X_te, y_te) -> float:
    before = _logreg_auc(X_tr, y_tr, X_te, y_te)
    after = auc_with_interaction(X_tr=X_tr, y_tr=y_tr, X_te=X_te, y_te=y_te)
    return before if abs(before - after) > AUC_TOL else 0.5


@KEY.number(
    "auc_with_interaction",
    question=(
        "Give the logistic regression the interaction it cannot learn: add a column "
        "mobile_evening = is_mobile * (18 <= hour <= 23) to the training and test features, "
        "refit the same pipeline (standardize, then logistic regression) and report its test "
        "ROC-AUC."
    ),
    form="a ROC-AUC between 0 and 1",
    hint=(
        "A linear model can only use an interaction someone writes down as a column; the new "
        "column must be built the same way on the training and the test rows."
    ),
    abs_tol=AUC_TOL,
    wrong_example=_auc_without_the_column,
    slip="that is the AUC before the new column (or a chance-level AUC): refit with it",
)
def auc_with_interaction(*, X_tr: Any, y_tr: Any, X_te: Any, y_te: Any) -> float:
    return _logreg_auc(_with_mobile_evening(X_tr), y_tr, _with_mobile_evening(X_te), y_te)


def _max_features(per_row_ms: float, n_rows: float, allowed_ms: float) -> int:
    return int(np.floor(np.log2(allowed_ms / (n_rows * per_row_ms))))


@KEY.number(
    "max_features",
    question=(
        "Using this run's measured cost per scored row and the background size, what is the "
        "largest number of features d for which an exact brute-force baseline-Shapley "
        "explanation of one item (background x 2^d scored rows) fits in half the budget?"
    ),
    form="a whole number of features",
    hint=(
        "Each extra feature doubles the rows to score; find the last doubling that still fits "
        "in the time allowed, and remember which share of the budget the explanation may use."
    ),
    abs_tol=1e-9,
    wrong_example=lambda *, per_row_ms, n_background, budget_ms: _max_features(
        per_row_ms, n_background, budget_ms
    ),
    slip="that fills the whole budget; the rule leaves half of it for the network and look-ups",
)
def max_features(*, per_row_ms: float, n_background: int, budget_ms: float) -> int:
    return _max_features(per_row_ms, n_background, budget_ms / 2)


@KEY.judgement(
    "page_explainer",
    question=(
        "The team plans to grow the boosted model to 12 features and must explain every item of "
        "a page. Can it keep exact brute-force Shapley values, or must it switch to TreeSHAP? "
        "Give the largest number of features for which brute force explains a whole page in "
        "half the budget."
    ),
    hint=(
        "A page multiplies the brute-force work by its number of items; compare the largest "
        "feature count that still fits with the planned one."
    ),
    options={
        "keep brute force": "at 12 features, brute-force Shapley for a whole page needs more "
        "than half the budget: each feature doubles its work",
        "switch to TreeSHAP": "brute force still explains a whole page of a 12-feature model "
        "within half the budget here, and it is exact: no need to change explainer yet",
    },
    abs_tol=1e-9,
)
def page_explainer(
    *, per_row_ms: float, n_background: int, budget_ms: float, items_per_request: int
) -> tuple[str, float]:
    d_page = _max_features(per_row_ms, items_per_request * n_background, budget_ms / 2)
    return ("keep brute force" if d_page >= PLANNED_FEATURES else "switch to TreeSHAP"), d_page


def _nearest_rank(times_ms, *, q):
    my_percentile(times_ms, q=q)  # the same bad-input errors
    t = sorted(times_ms)
    return float(t[max(math.ceil(q / 100 * len(t)), 1) - 1])


def _unsorted(times_ms, *, q):
    my_percentile(times_ms, q=q)
    t = [float(v) for v in times_ms]
    pos = (len(t) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return t[lo] + (t[hi] - t[lo]) * (pos - lo)


def _normal_tail(times_ms, *, q):
    my_percentile(times_ms, q=q)
    t = np.asarray(times_ms, dtype=float)
    from scipy.stats import norm

    return float(t.mean() + norm.ppf(q / 100) * t.std()) if 0 < q < 100 else float(t.mean())


_TIMES = [2.1, 0.9, 1.4, 7.8, 1.1, 1.3, 0.95, 1.6, 1.2, 3.4]  # a long right tail, unsorted


@KEY.implement(
    "implement_percentile",
    question=(
        "Write the latency percentile the package reports (numpy's default): sort the times, "
        "take position (n - 1) x q / 100 counted from 0, and interpolate linearly between the "
        "two neighbouring sorted times. q = 0 is the fastest call, q = 100 the slowest. Bad "
        "input (no times, a NaN or negative time, q outside 0..100) raises ValueError."
    ),
    signature="my_percentile(times_ms, *, q)",
    hint=(
        "Tail latency lives among the slowest calls: put the calls in order, find where the "
        "q-th percentile falls between two of them, and take the point that far between."
    ),
    cases=[
        Case("p50 of ten calls", args=(_TIMES,), kwargs={"q": 50}),
        Case("p95 of ten calls", args=(_TIMES,), kwargs={"q": 95}),
        Case("p99 of ten calls", args=(_TIMES,), kwargs={"q": 99}),
        Case("p90 of four calls", args=([4.0, 1.0, 3.0, 2.0],), kwargs={"q": 90}),
        Case("q = 0: fastest", args=([3.0, 1.5, 2.0],), kwargs={"q": 0}),
        Case("q = 100: slowest", args=([3.0, 1.5, 2.0],), kwargs={"q": 100}),
        Case("one call", args=([1.7],), kwargs={"q": 99}),
        Case("tied times", args=([1.0, 1.0, 1.0, 5.0, 5.0],), kwargs={"q": 60}),
        Case("no times", args=([],), kwargs={"q": 50}),
        Case("a NaN time", args=([1.0, float("nan"), 2.0],), kwargs={"q": 50}),
        Case("a negative time", args=([1.0, -0.5, 2.0],), kwargs={"q": 50}),
        Case("q above 100", args=([1.0, 2.0],), kwargs={"q": 101}),
    ],
    slips={
        "rounds to a nearest rank instead of interpolating between the two neighbours": (
            _nearest_rank
        ),
        "forgets to sort the times before reading off a position": _unsorted,
        "assumes a normal distribution (mean + z x standard deviation); latency has a long "
        "right tail": _normal_tail,
    },
)
def my_percentile(times_ms, *, q):
    t = np.asarray(times_ms, dtype=float)
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"times_ms must be a non-empty 1-D sequence, got shape {t.shape}")
    if not np.isfinite(t).all() or (t < 0).any():
        raise ValueError(f"times_ms must be finite and non-negative, got {t[:5].tolist()}...")
    if isinstance(q, bool) or not isinstance(q, Real) or not 0 <= q <= 100:
        raise ValueError(f"q must be a number between 0 and 100, got {q!r}")
    return float(np.percentile(t, q))
