"""Cost-sensitive decisions: cost matrices, expected cost and the cost-optimal threshold.

Conventions used throughout:

* binary labels are given as ``labels=(negative, positive)`` (default ``(0, 1)``);
  every value of ``y_true`` / ``y_pred`` must be one of them;
* a score ``s`` is flagged positive when ``s >= threshold`` (scikit-learn's
  ``roc_curve`` convention); the threshold ``inf`` flags nothing;
* costs are non-negative; each of ``fp_cost``, ``fn_cost``, ``tp_cost`` and
  ``tn_cost`` is a scalar or one value per example (example-dependent costs,
  e.g. a missed fraud costs its amount), and a total is the sum over examples.

Multi-class cost matrices (:class:`CostMatrix`, :func:`min_expected_cost_decision`)
live in :mod:`casebook.decisions.cost_matrix` and are re-exported here.

The threshold search is exact: it sorts the scores once, takes cumulative
sums of the per-example cost change and evaluates every distinct score in
O(n log n), instead of re-counting a confusion matrix per grid point.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import (
    check_cost,
    check_same_length,
    check_scores,
    encode_binary,
)
from casebook.decisions.cost_matrix import (
    CostMatrix,
    _matrix_cost,
    min_expected_cost_decision,
)

__all__ = [
    "CostMatrix",
    "ThresholdChoice",
    "cost_curve",
    "cost_optimal_threshold",
    "expected_cost",
    "min_expected_cost_decision",
    "operating_point",
    "threshold_for_budget",
]


@dataclass(frozen=True)
class ThresholdChoice:
    """An operating point: flag ``y_score >= threshold``, with its counts and cost.

    ``cost`` is the total cost over the examples (``None`` when no costs were
    given, e.g. for a pure budget constraint).
    """

    threshold: float
    cost: float | None
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def n(self) -> int:
        """Number of examples."""
        return self.tp + self.fp + self.tn + self.fn

    @property
    def recall(self) -> float:
        """True-positive rate (sensitivity)."""
        return self.tp / (self.tp + self.fn)

    @property
    def specificity(self) -> float:
        """True-negative rate."""
        return self.tn / (self.tn + self.fp)

    @property
    def fpr(self) -> float:
        """False-positive rate, ``1 - specificity``."""
        return self.fp / (self.tn + self.fp)

    @property
    def precision(self) -> float:
        """Positive predictive value; NaN when nothing is flagged."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else float("nan")

    @property
    def flag_rate(self) -> float:
        """Share of examples flagged positive."""
        return (self.tp + self.fp) / self.n

    def predict(self, y_score: Any) -> np.ndarray:
        """Boolean decisions ``y_score >= threshold`` for new scores."""
        return check_scores(y_score) >= self.threshold


def _binary_costs(
    is_pos: np.ndarray, *, fp_cost: Any, fn_cost: Any, tp_cost: Any, tn_cost: Any
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Per-example cost if flagged and if not flagged (scalars when all costs are)."""
    n = is_pos.shape[0]
    c = {
        name: check_cost(v, name=name, n=n)
        for name, v in (
            ("fp_cost", fp_cost),
            ("fn_cost", fn_cost),
            ("tp_cost", tp_cost),
            ("tn_cost", tn_cost),
        )
    }
    if all(np.ndim(v) == 0 for v in c.values()):
        return np.nan, np.nan  # signals the scalar fast path
    flagged = np.where(is_pos, c["tp_cost"], c["fp_cost"])
    unflagged = np.where(is_pos, c["fn_cost"], c["tn_cost"])
    return flagged, unflagged


def _sweep(
    y_true: Any,
    y_score: Any,
    *,
    labels: Sequence[Hashable],
    costs: dict[str, Any] | None,
) -> dict[str, np.ndarray]:
    """Counts (and costs) at every distinct threshold, highest first, plus ``inf``."""
    is_pos = encode_binary(y_true, labels=labels, name="y_true", require_both=True)
    score = check_scores(y_score, name="y_score")
    n = check_same_length(y_true=is_pos, y_score=score)
    order = np.argsort(-score)
    s = score[order]
    y = is_pos[order]
    ends = np.flatnonzero(np.diff(s))
    ends = np.append(ends, n - 1)
    tp = np.zeros(ends.size + 1, dtype=np.int64)
    tp[1:] = np.cumsum(y, dtype=np.int64)[ends]
    fp = np.zeros_like(tp)
    fp[1:] = ends + 1 - tp[1:]
    n_pos = int(tp[-1])
    out = {
        "threshold": np.concatenate(([np.inf], s[ends])),
        "tp": tp,
        "fp": fp,
        "tn": (n - n_pos) - fp,
        "fn": n_pos - tp,
    }
    if costs is not None:
        flagged, unflagged = _binary_costs(is_pos, **costs)
        if np.ndim(flagged) == 0:  # scalar costs: combine the counts
            c = {k: float(v) for k, v in costs.items()}
            out["cost"] = (
                c["tp_cost"] * tp
                + c["fp_cost"] * fp
                + c["fn_cost"] * out["fn"]
                + c["tn_cost"] * out["tn"]
            )
            out["_scale"] = float(n) * max(c.values())
        else:
            delta = (flagged - unflagged)[order]
            cost = np.empty(ends.size + 1)
            cost[0] = float(np.sum(unflagged))
            cost[1:] = cost[0] + np.cumsum(delta)[ends]
            out["cost"] = cost
            out["_scale"] = float(np.sum(flagged) + cost[0])
    return out


def _choice(sweep: dict[str, np.ndarray], i: int) -> ThresholdChoice:
    return ThresholdChoice(
        threshold=float(sweep["threshold"][i]),
        cost=float(sweep["cost"][i]) if "cost" in sweep else None,
        tp=int(sweep["tp"][i]),
        fp=int(sweep["fp"][i]),
        tn=int(sweep["tn"][i]),
        fn=int(sweep["fn"][i]),
    )


def expected_cost(
    y_true: Any,
    y_pred: Any,
    *,
    fp_cost: Any = None,
    fn_cost: Any = None,
    tp_cost: Any = 0.0,
    tn_cost: Any = 0.0,
    cost_matrix: CostMatrix | None = None,
    labels: Sequence[Hashable] = (0, 1),
    normalize: bool = False,
    review_cost: float | None = None,
    review_label: Hashable = "review",
) -> float:
    """Total (or mean) cost of decisions ``y_pred`` against the truth ``y_true``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True labels and decisions, each one of ``labels``.
    fp_cost, fn_cost, tp_cost, tn_cost : float or array-like of shape (n,)
        Cost of each binary outcome, a scalar or one value per example.
        Required (``fp_cost`` and ``fn_cost``) unless ``cost_matrix`` is given.
    cost_matrix : CostMatrix, optional
        For multi-class decisions, instead of the four binary costs; its
        labels are the valid classes.
    labels : pair, default=(0, 1)
        ``(negative, positive)`` for the binary form.
    normalize : bool, default=False
        Return the mean cost per example instead of the total.
    review_cost, review_label : optional
        With ``cost_matrix`` only: decisions equal to ``review_label`` (sent to
        human review by :func:`min_expected_cost_decision`) cost ``review_cost``.

    Returns
    -------
    float
        Total cost, or mean cost per example if ``normalize``. One-class
        ``y_true`` is allowed here (the cost of a batch is always defined).

    Examples
    --------
    >>> expected_cost([0, 1, 1, 0], [1, 0, 1, 0], fp_cost=1, fn_cost=10)
    11.0
    >>> expected_cost([0, 1], [0, 0], fp_cost=5, fn_cost=[120.0, 80.0])  # a missed fraud costs its amount
    80.0
    """
    if cost_matrix is not None:
        if fp_cost is not None or fn_cost is not None:
            raise ValueError("pass either cost_matrix or fp_cost/fn_cost, got both")
        if not isinstance(cost_matrix, CostMatrix):
            raise TypeError(f"cost_matrix must be a CostMatrix, got {type(cost_matrix).__name__}")
        per = _matrix_cost(
            y_true, y_pred, cost_matrix, review_cost=review_cost, review_label=review_label
        )
        return float(per.sum()) / per.size if normalize else float(per.sum())
    if review_cost is not None:
        raise ValueError("review_cost needs cost_matrix (a multi-class decision), got no matrix")
    if fp_cost is None or fn_cost is None:
        raise ValueError(
            f"fp_cost and fn_cost are required without cost_matrix, got fp_cost={fp_cost!r}, "
            f"fn_cost={fn_cost!r}"
        )
    t = encode_binary(y_true, labels=labels, name="y_true")
    p = encode_binary(y_pred, labels=labels, name="y_pred")
    n = check_same_length(y_true=t, y_pred=p)
    c = {
        name: check_cost(v, name=name, n=n)
        for name, v in (
            ("fp_cost", fp_cost),
            ("fn_cost", fn_cost),
            ("tp_cost", tp_cost),
            ("tn_cost", tn_cost),
        )
    }
    per = np.where(
        t, np.where(p, c["tp_cost"], c["fn_cost"]), np.where(p, c["fp_cost"], c["tn_cost"])
    )
    total = float(np.sum(per))
    return total / n if normalize else total


def cost_optimal_threshold(
    y_true: Any,
    y_score: Any,
    *,
    fp_cost: Any,
    fn_cost: Any,
    tp_cost: Any = 0.0,
    tn_cost: Any = 0.0,
    labels: Sequence[Hashable] = (0, 1),
) -> ThresholdChoice:
    """The threshold with the lowest total cost, searched exactly over all distinct scores.

    Every distinct score is a candidate (plus ``inf``, flag nothing); tied
    scores are always flagged together, so a choice never splits a tie.
    Among thresholds whose cost ties within floating-point rounding
    (1e-12 of the cost magnitude) the highest one, flagging fewest, wins.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels, values in ``labels``; both classes must be present.
    y_score : array-like of shape (n,)
        Finite scores, higher = more likely positive (any scale).
    fp_cost, fn_cost, tp_cost, tn_cost : float or array-like of shape (n,)
        Non-negative cost per outcome, scalar or per example.
    labels : pair, default=(0, 1)
        ``(negative, positive)``.

    Returns
    -------
    ThresholdChoice

    Examples
    --------
    >>> choice = cost_optimal_threshold([0, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.2],
    ...                                 fp_cost=1, fn_cost=5)
    >>> choice.threshold, choice.cost, (choice.tp, choice.fp, choice.tn, choice.fn)
    (0.35, 1.0, (2, 1, 2, 0))
    """
    sweep = _sweep(
        y_true,
        y_score,
        labels=labels,
        costs={"fp_cost": fp_cost, "fn_cost": fn_cost, "tp_cost": tp_cost, "tn_cost": tn_cost},
    )
    cost = sweep["cost"]
    tol = 1e-12 * sweep["_scale"]
    best = int(np.flatnonzero(cost <= cost.min() + tol)[0])
    return _choice(sweep, best)


def operating_point(
    y_true: Any,
    y_score: Any,
    *,
    threshold: float,
    fp_cost: Any = None,
    fn_cost: Any = None,
    tp_cost: Any = 0.0,
    tn_cost: Any = 0.0,
    labels: Sequence[Hashable] = (0, 1),
) -> ThresholdChoice:
    """Counts (and cost, when ``fp_cost`` and ``fn_cost`` are given) at a fixed threshold.

    Use it to describe a threshold chosen elsewhere (on another data set, or
    the default 0.5) on new data. One-class ``y_true`` is allowed; rates that
    need the missing class are then undefined (division by zero).

    Examples
    --------
    >>> p = operating_point([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6], threshold=0.5, fp_cost=1, fn_cost=9)
    >>> (p.tp, p.fp, p.tn, p.fn), p.cost
    ((1, 1, 1, 1), 10.0)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
        raise ValueError(f"threshold must be a number, got {threshold!r}")
    if np.isnan(threshold):
        raise ValueError(f"threshold must not be NaN, got {threshold!r}")
    t = encode_binary(y_true, labels=labels, name="y_true")
    score = check_scores(y_score, name="y_score")
    check_same_length(y_true=t, y_score=score)
    pred = score >= threshold
    cost = None
    if fp_cost is not None or fn_cost is not None:
        cost = expected_cost(t, pred, fp_cost=fp_cost, fn_cost=fn_cost, tp_cost=tp_cost,
                             tn_cost=tn_cost, labels=(False, True))  # fmt: skip
    return ThresholdChoice(
        threshold=float(threshold), cost=cost, tp=int(np.sum(t & pred)), fp=int(np.sum(~t & pred)),
        tn=int(np.sum(~t & ~pred)), fn=int(np.sum(t & ~pred)),
    )  # fmt: skip


def cost_curve(
    y_true: Any,
    y_score: Any,
    *,
    fp_cost: Any,
    fn_cost: Any,
    tp_cost: Any = 0.0,
    tn_cost: Any = 0.0,
    labels: Sequence[Hashable] = (0, 1),
) -> pd.DataFrame:
    """Total cost and confusion counts at every distinct threshold.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold`` (descending, first row ``inf`` = flag nothing),
        ``cost``, ``tp``, ``fp``, ``tn``, ``fn``, ``tpr`` and ``fpr``.

    Examples
    --------
    >>> cost_curve([0, 1, 1], [0.2, 0.6, 0.9], fp_cost=1, fn_cost=3)[["threshold", "cost", "tp"]]
       threshold  cost  tp
    0        inf   6.0   0
    1        0.9   3.0   1
    2        0.6   0.0   2
    3        0.2   1.0   2
    """
    sweep = _sweep(
        y_true,
        y_score,
        labels=labels,
        costs={"fp_cost": fp_cost, "fn_cost": fn_cost, "tp_cost": tp_cost, "tn_cost": tn_cost},
    )
    frame = pd.DataFrame({k: sweep[k] for k in ("threshold", "cost", "tp", "fp", "tn", "fn")})
    frame["tpr"] = frame["tp"] / (frame["tp"] + frame["fn"])
    frame["fpr"] = frame["fp"] / (frame["fp"] + frame["tn"])
    return frame


def threshold_for_budget(
    y_true: Any,
    y_score: Any,
    *,
    max_fpr: float | None = None,
    max_fp: int | None = None,
    min_recall: float | None = None,
    labels: Sequence[Hashable] = (0, 1),
) -> ThresholdChoice:
    """The best threshold under a false-positive budget and/or a sensitivity floor.

    With only ``max_fp``/``max_fpr``: the threshold with the highest recall
    whose false positives stay within budget. With ``min_recall``: the
    threshold with the fewest false positives (best specificity) whose recall
    reaches the floor, also within any FP budget given. Ties go to the
    fewest false positives, then the highest threshold.

    Raises
    ------
    ValueError
        If no constraint is given, a constraint is out of range, or no
        threshold satisfies all constraints at once.

    Examples
    --------
    >>> y, s = [0, 0, 1, 1, 0, 1], [0.1, 0.5, 0.35, 0.8, 0.2, 0.6]
    >>> threshold_for_budget(y, s, max_fp=0).threshold
    0.6
    >>> c = threshold_for_budget(y, s, min_recall=1.0)
    >>> c.threshold, c.fp
    (0.35, 1)
    """
    if max_fpr is None and max_fp is None and min_recall is None:
        raise ValueError("give at least one of max_fpr, max_fp or min_recall, got none")
    for name, v in (("max_fpr", max_fpr), ("min_recall", min_recall)):
        if v is not None and not (
            isinstance(v, (int, float, np.integer, np.floating)) and 0.0 <= v <= 1.0
        ):
            raise ValueError(f"{name} must be a number in [0, 1], got {v!r}")
    if max_fp is not None and not (
        isinstance(max_fp, (int, np.integer)) and not isinstance(max_fp, bool) and max_fp >= 0
    ):
        raise ValueError(f"max_fp must be a non-negative integer, got {max_fp!r}")
    sweep = _sweep(y_true, y_score, labels=labels, costs=None)
    tp, fp = sweep["tp"], sweep["fp"]
    n_pos, n_neg = int(tp[-1]), int(fp[-1])
    ok = np.ones(tp.size, dtype=bool)
    if max_fp is not None:
        ok &= fp <= max_fp
    if max_fpr is not None:
        ok &= fp <= max_fpr * n_neg + 1e-9 * n_neg
    if min_recall is not None:
        ok &= tp >= min_recall * n_pos - 1e-9 * n_pos
    if not ok.any():
        raise ValueError(
            f"no threshold meets max_fpr={max_fpr!r}, max_fp={max_fp!r} and "
            f"min_recall={min_recall!r} together"
        )
    idx = np.flatnonzero(ok)
    if min_recall is None:
        idx = idx[tp[idx] == tp[idx].max()]
    return _choice(sweep, int(idx[np.argmin(fp[idx])]))
