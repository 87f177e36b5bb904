"""A seeded weekly stream for backtesting retraining policies.

The story: an online retailer scores every visitor of the week with a
purchase model (will this visitor buy the promoted item?). Each wrong
decision costs money, and so does every retraining run. The stream plants
four things a retraining policy must cope with, at fixed weeks:

==========================  ==============  =================================
what                        weeks           effect
==========================  ==============  =================================
initial training data       0 - 7           concept A; the first model
concept drift with shift    26 onward       concept B, and ``x0`` shifts +1
benign covariate drift      40 - 47 (ramp)  ``x3`` drifts +2 and stays; it
                                            has weight 0 in every concept
external event (contam.)    56 - 61         a competitor's outage: visitors
                                            shift (``x1`` +1.5) and most
                                            buy (logit +4: ~78% against
                                            ~43% before)
silent concept drift        78 onward       concept C: the sign of ``x1``
                                            flips, features unchanged
==========================  ==============  =================================

Features ``x0..x3`` are independent normals (sd 1). Labels are Bernoulli
with ``P(buy) = sigmoid(w · x + b)`` for the week's concept:
A ``w=(1.5, -1.0, 0.5, 0), b=0``; B ``w=(-1.0, -1.0, 1.5, 0), b=0.5``;
C ``w=(-1.0, 1.0, 1.5, 0), b=0.5``. The event weeks use concept B with
``b + 4``; after the event the world returns to concept B, so a model fit to
event weeks is wrong afterwards. The event is public news: the incident is
declared for exactly those weeks (:attr:`RetrainingStream.hold`), and the
business rule for the incident is "treat every visitor as a buyer"
(:meth:`RetrainingStream.business_rule`).

Labels (did the visitor buy within the return window) arrive ``label_delay``
weeks after the visit: at week ``t`` only weeks ``<= t - label_delay`` are
labeled (:meth:`RetrainingStream.labeled_through`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RetrainingStream", "make_retraining_stream"]

N_STEPS = 104
N_FEATURES = 4
WARMUP = 8
DRIFT_POINTS = (26, 78)
BENIGN_SHIFT = (40, 48)
CONTAMINATED = (56, 62)

_CONCEPTS = {
    "A": (np.array([1.5, -1.0, 0.5, 0.0]), 0.0),
    "B": (np.array([-1.0, -1.0, 1.5, 0.0]), 0.5),
    "C": (np.array([-1.0, 1.0, 1.5, 0.0]), 0.5),
}
EVENT_LOGIT = 4.0
EVENT_SHIFT_X1 = 1.5
DRIFT_SHIFT_X0 = 1.0
BENIGN_SHIFT_X3 = 2.0


@dataclass(frozen=True)
class RetrainingStream:
    """The generated stream; rows are visitors, ``step`` is the week.

    Attributes
    ----------
    X : numpy.ndarray of shape (n_steps * batch_size, 4)
        Features ``x0..x3``.
    y : numpy.ndarray of int
        Bought (1) or not (0).
    step : numpy.ndarray of int
        The week of each row.
    batch_size : int
        Visitors per week.
    label_delay : int
        Weeks until a row's label arrives.
    retrain_cost : float
        Cost of one retraining run (compute, validation, review).
    cost_per_error : float
        Cost of one wrong decision.
    concept : tuple of str
        The concept ("A", "B", "C", or "event") of each week.
    """

    X: np.ndarray
    y: np.ndarray
    step: np.ndarray
    batch_size: int
    label_delay: int
    retrain_cost: float
    cost_per_error: float
    concept: tuple[str, ...]

    n_steps: int = N_STEPS
    warmup: int = WARMUP
    drift_points: tuple[int, ...] = DRIFT_POINTS
    benign_shift: tuple[int, int] = BENIGN_SHIFT
    contaminated: tuple[int, int] = CONTAMINATED
    feature_names: tuple[str, ...] = ("x0", "x1", "x2", "x3")

    def batch(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Features and labels of week ``t``."""
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)):
            raise TypeError(f"t must be an integer week, got {type(t).__name__}")
        if not 0 <= t < self.n_steps:
            raise ValueError(f"t must be in [0, {self.n_steps}), got {t}")
        sl = slice(t * self.batch_size, (t + 1) * self.batch_size)
        return self.X[sl], self.y[sl]

    @property
    def hold(self) -> np.ndarray:
        """Boolean per week: a contamination incident is declared."""
        weeks = np.arange(self.n_steps)
        return (weeks >= self.contaminated[0]) & (weeks < self.contaminated[1])

    def labeled_through(self, t: int) -> int:
        """Last week whose labels have arrived at week ``t`` (-1 if none)."""
        return t - self.label_delay

    def business_rule(self, X: np.ndarray) -> np.ndarray:
        """The incident's override: every visitor is treated as a buyer (1)."""
        return np.ones(len(X), dtype=int)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def make_retraining_stream(
    *,
    batch_size: int = 500,
    label_delay: int = 2,
    retrain_cost: float = 150.0,
    cost_per_error: float = 1.0,
    seed: int = 0,
) -> RetrainingStream:
    """Generate the 104-week stream described in the module docstring.

    Parameters
    ----------
    batch_size : int, default=500
        Visitors scored per week (>= 50).
    label_delay : int, default=2
        Weeks before a label arrives (0 to 8).
    retrain_cost : float, default=150.0
        Cost of one retraining run, in the same unit as ``cost_per_error``.
    cost_per_error : float, default=1.0
        Cost of one wrong buy / no-buy decision.
    seed : int, default=0
        Seed of the generator; same seed, same stream.

    Returns
    -------
    RetrainingStream

    Examples
    --------
    >>> s = make_retraining_stream(batch_size=100, seed=0)
    >>> s.X.shape, s.concept[25], s.concept[26], s.concept[56], s.concept[78]
    ((10400, 4), 'A', 'B', 'event', 'C')
    >>> int(s.hold.sum()), s.labeled_through(10)
    (6, 8)
    """
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 50
    ):
        raise ValueError(f"batch_size must be an integer >= 50, got {batch_size!r}")
    if isinstance(label_delay, bool) or not isinstance(label_delay, (int, np.integer)):
        raise TypeError(f"label_delay must be an integer, got {type(label_delay).__name__}")
    if not 0 <= label_delay <= 8:
        raise ValueError(f"label_delay must be in [0, 8], got {label_delay}")
    for name, value in (("retrain_cost", retrain_cost), ("cost_per_error", cost_per_error)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.integer, np.floating))
            or not value >= 0
        ):
            raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")

    rng = np.random.default_rng(seed)
    weeks = np.arange(N_STEPS)
    concept: list[str] = []
    X = rng.standard_normal((N_STEPS * batch_size, N_FEATURES))
    logits = np.empty(N_STEPS * batch_size)
    for t in weeks:
        sl = slice(t * batch_size, (t + 1) * batch_size)
        if t >= DRIFT_POINTS[0]:
            X[sl, 0] += DRIFT_SHIFT_X0
        ramp = np.clip((t - BENIGN_SHIFT[0] + 1) / (BENIGN_SHIFT[1] - BENIGN_SHIFT[0]), 0, 1)
        X[sl, 3] += BENIGN_SHIFT_X3 * ramp
        event = CONTAMINATED[0] <= t < CONTAMINATED[1]
        if event:
            X[sl, 1] += EVENT_SHIFT_X1
        name = "A" if t < DRIFT_POINTS[0] else "B" if t < DRIFT_POINTS[1] else "C"
        w, b = _CONCEPTS[name]
        logits[sl] = X[sl] @ w + b + (EVENT_LOGIT if event else 0.0)
        concept.append("event" if event else name)
    y = (rng.random(N_STEPS * batch_size) < _sigmoid(logits)).astype(int)
    return RetrainingStream(
        X=X,
        y=y,
        step=np.repeat(weeks, batch_size),
        batch_size=batch_size,
        label_delay=label_delay,
        retrain_cost=float(retrain_cost),
        cost_per_error=float(cost_per_error),
        concept=tuple(concept),
    )
