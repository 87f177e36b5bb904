"""Multi-class costs: a validated cost matrix and the minimum-expected-cost decision.

``CostMatrix.costs[i, j]`` is the cost of deciding ``labels[j]`` when the truth
is ``labels[i]``. :func:`min_expected_cost_decision` turns class probabilities
into the decision with the lowest expected cost, which differs from the argmax
whenever errors are priced differently (e.g. a Home item sold as Electronics is
returned, which costs far more than the reverse). Both are re-exported by
:mod:`casebook.decisions.costs`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import _show, as_1d, as_float_array, check_same_length

__all__ = ["CostMatrix", "min_expected_cost_decision"]


@dataclass(frozen=True, eq=False)
class CostMatrix:
    """A validated cost matrix: ``costs[i, j]`` is the cost of true ``labels[i]`` predicted ``labels[j]``.

    Parameters
    ----------
    labels : sequence of hashable
        The classes, unique, in the order of the matrix rows and columns.
    costs : array-like of shape (n_labels, n_labels)
        Finite, non-negative costs (rows = truth, columns = decision).

    Examples
    --------
    >>> cm = CostMatrix.from_mapping({("Home", "Electronics"): 40.0},
    ...                              labels=["Electronics", "Home"], default=5.0)
    >>> cm.cost("Home", "Electronics"), cm.cost("Electronics", "Home"), cm.cost("Home", "Home")
    (40.0, 5.0, 0.0)
    >>> CostMatrix.from_binary(fp_cost=1, fn_cost=20).costs.tolist()
    [[0.0, 1.0], [20.0, 0.0]]
    """

    labels: tuple[Hashable, ...]
    costs: np.ndarray

    def __post_init__(self) -> None:
        labels = tuple(x.item() if isinstance(x, np.generic) else x for x in self.labels)
        if len(labels) < 2:
            raise ValueError(f"labels must hold at least two classes, got {labels!r}")
        if len(set(labels)) != len(labels):
            dup = sorted({repr(x) for x in labels if labels.count(x) > 1})
            raise ValueError(f"labels must be unique, got duplicates {dup}")
        arr = as_float_array(self.costs, name="costs").copy()
        k = len(labels)
        if arr.shape != (k, k):
            raise ValueError(
                f"costs must be a square matrix of shape ({k}, {k}) matching labels, "
                f"got shape {arr.shape}"
            )
        if not np.isfinite(arr).all():
            raise ValueError(f"costs must be finite, got {_show(arr[~np.isfinite(arr)])}")
        if (arr < 0).any():
            raise ValueError(f"costs must be non-negative, got {_show(arr[arr < 0])}")
        arr.setflags(write=False)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "costs", arr)

    @classmethod
    def from_mapping(
        cls,
        mapping: Mapping[tuple[Hashable, Hashable], float],
        *,
        labels: Sequence[Hashable],
        default: float = 0.0,
        diagonal: float = 0.0,
    ) -> CostMatrix:
        """Build from ``{(true, predicted): cost}``; other errors cost ``default``.

        Correct decisions (the diagonal) cost ``diagonal`` unless listed.
        """
        labels = tuple(labels)
        index = {lab: i for i, lab in enumerate(labels)}
        k = len(labels)
        arr = np.full((k, k), float(default))
        np.fill_diagonal(arr, float(diagonal))
        for key, value in mapping.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise ValueError(f"mapping keys must be (true, predicted) pairs, got {key!r}")
            missing = [x for x in key if x not in index]
            if missing:
                raise ValueError(
                    f"mapping key {key!r} uses labels not in labels={labels!r}: {missing!r}"
                )
            arr[index[key[0]], index[key[1]]] = value
        return cls(labels, arr)

    @classmethod
    def from_binary(
        cls,
        *,
        fp_cost: float,
        fn_cost: float,
        tp_cost: float = 0.0,
        tn_cost: float = 0.0,
        labels: Sequence[Hashable] = (0, 1),
    ) -> CostMatrix:
        """Build a 2x2 matrix from the four cell costs; ``labels=(negative, positive)``."""
        return cls(tuple(labels), [[tn_cost, fp_cost], [fn_cost, tp_cost]])

    def cost(self, true: Hashable, predicted: Hashable) -> float:
        """Cost of deciding ``predicted`` when the truth is ``true``."""
        idx = {lab: i for i, lab in enumerate(self.labels)}
        for name, v in (("true", true), ("predicted", predicted)):
            if v not in idx:
                raise ValueError(f"{name} must be one of {self.labels!r}, got {v!r}")
        return float(self.costs[idx[true], idx[predicted]])

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a DataFrame (index: true label, columns: predicted label)."""
        return pd.DataFrame(
            self.costs,
            index=pd.Index(self.labels, name="true"),
            columns=pd.Index(self.labels, name="predicted"),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CostMatrix):
            return NotImplemented
        return self.labels == other.labels and np.array_equal(self.costs, other.costs)

    __hash__ = None  # type: ignore[assignment]


def _encode_multiclass(y: Any, labels: tuple[Hashable, ...], *, name: str) -> np.ndarray:
    arr = as_1d(y, name=name)
    codes = pd.Index(labels).get_indexer(pd.Index(arr))
    if (codes < 0).any():
        bad = pd.unique(arr[codes < 0])
        raise ValueError(f"{name} contains values not in labels={labels!r}: {_show(bad)}")
    return codes


def min_expected_cost_decision(
    proba: Any,
    *,
    cost_matrix: CostMatrix,
    classes: Sequence[Hashable] | None = None,
    review_cost: float | None = None,
    review_label: Hashable = "review",
) -> np.ndarray:
    """Pick, per row, the decision with the lowest expected cost (not the argmax).

    The expected cost of deciding ``j`` is ``sum_i proba[i] * costs[i, j]``.
    With ``review_cost``, one more action is offered next to the classes:
    *send to human review* (abstention, the reject option), whose cost is
    ``review_cost`` whatever the truth (a reviewer files the item correctly).
    A row goes to review when every class would cost more in expectation,
    i.e. when the model is too unsure for any category to be a cheap bet.
    Without it, a doubtful row is filed in whichever category is cheapest to
    get wrong, which can be a category it almost surely does not belong to.

    Parameters
    ----------
    proba : array-like of shape (n, n_classes)
        Class probabilities (e.g. ``predict_proba``), rows summing to 1.
    cost_matrix : CostMatrix
        Costs indexed by true and decided label.
    classes : sequence, optional
        The label of each ``proba`` column (e.g. ``model.classes_``); defaults
        to ``cost_matrix.labels``. Must be the same set of labels.
    review_cost : float, optional
        Cost of sending one row to human review (finite, non-negative). None
        (default) offers no review action.
    review_label : hashable, default="review"
        The decision returned for reviewed rows; must not be a class label.

    Returns
    -------
    numpy.ndarray of shape (n,)
        The chosen labels (and ``review_label`` for reviewed rows). Price
        them with :func:`casebook.decisions.costs.expected_cost` and the same
        ``review_cost``.

    Examples
    --------
    >>> cm = CostMatrix.from_mapping({("Home", "Elec"): 10.0}, labels=["Elec", "Home"], default=1.0)
    >>> min_expected_cost_decision([[0.7, 0.3], [0.95, 0.05]], cost_matrix=cm).tolist()
    ['Home', 'Elec']

    With a review action at 0.5, the doubtful first row goes to a person
    (filing it costs 0.7 as Home or 3.0 as Elec in expectation):

    >>> min_expected_cost_decision([[0.7, 0.3], [0.95, 0.05]], cost_matrix=cm,
    ...                            review_cost=0.5).tolist()
    ['review', 'Elec']
    """
    if not isinstance(cost_matrix, CostMatrix):
        raise TypeError(f"cost_matrix must be a CostMatrix, got {type(cost_matrix).__name__}")
    p = as_float_array(proba, name="proba")
    k = len(cost_matrix.labels)
    if p.ndim != 2 or p.shape[1] != k or p.shape[0] == 0:
        raise ValueError(
            f"proba must have shape (n_samples, {k}) matching cost_matrix labels, got {p.shape}"
        )
    if not np.isfinite(p).all():
        raise ValueError(f"proba must be finite, got {_show(p[~np.isfinite(p)])}")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"proba must be probabilities in [0, 1], got min={p.min():.6g}, max={p.max():.6g}"
        )
    sums = p.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-6):
        raise ValueError(
            f"proba rows must sum to 1, got row sums such as {_show(sums[~np.isclose(sums, 1.0)])}"
        )
    costs = cost_matrix.costs
    if classes is not None:
        classes = tuple(np.asarray(classes).tolist())
        if set(classes) != set(cost_matrix.labels) or len(classes) != len(set(classes)):
            raise ValueError(
                f"classes must be the cost matrix labels {cost_matrix.labels!r} in any order, "
                f"got {classes!r}"
            )
        order = [cost_matrix.labels.index(c) for c in classes]
        costs = costs[np.ix_(order, order)]
        labels = classes
    else:
        labels = cost_matrix.labels
    review = _check_review(review_cost, review_label, labels)
    expected = p @ costs
    decision = np.argmin(expected, axis=1)
    if review is None:
        return np.asarray(labels, dtype=object if not _same_kind(labels) else None)[decision]
    chosen = np.asarray(labels, dtype=object)[decision]
    chosen[expected.min(axis=1) > review] = review_label
    return chosen


def _check_review(
    review_cost: Any, review_label: Hashable, labels: Sequence[Hashable]
) -> float | None:
    """Validate the review action; None when there is none."""
    if review_cost is None:
        return None
    if isinstance(review_cost, bool) or not isinstance(review_cost, int | float | np.number):
        raise TypeError(f"review_cost must be a number or None, got {type(review_cost).__name__}")
    if not np.isfinite(review_cost) or review_cost < 0:
        raise ValueError(f"review_cost must be finite and non-negative, got {review_cost!r}")
    if review_label in labels:
        raise ValueError(
            f"review_label must differ from every class label {tuple(labels)!r}, "
            f"got {review_label!r}"
        )
    return float(review_cost)


def _matrix_cost(
    y_true: Any,
    y_pred: Any,
    cost_matrix: CostMatrix,
    *,
    review_cost: float | None,
    review_label: Hashable,
) -> np.ndarray:
    """Per-row cost of decisions under a cost matrix, reviewed rows at ``review_cost``."""
    review = _check_review(review_cost, review_label, cost_matrix.labels)
    yt = _encode_multiclass(y_true, cost_matrix.labels, name="y_true")
    if review is None:
        yp = _encode_multiclass(y_pred, cost_matrix.labels, name="y_pred")
    else:
        raw = as_1d(y_pred, name="y_pred").astype(object)
        is_review = pd.Index(raw).isin([review_label])
        raw[is_review] = cost_matrix.labels[0]  # any valid label; priced at review_cost below
        yp = _encode_multiclass(raw, cost_matrix.labels, name="y_pred")
    check_same_length(y_true=yt, y_pred=yp)
    per = cost_matrix.costs[yt, yp]
    if review is not None:
        per = np.where(is_review, review, per)
    return per


def _same_kind(labels: Sequence[Hashable]) -> bool:
    return len({type(x) for x in labels}) == 1
