"""Backtest retraining policies side by side on a :class:`RetrainingStream`.

Each week of the stream the backtest

1. scores the week's visitors with the champion, or with the business rule
   when the policy obeys a declared hold (the override), and books the cost
   of the wrong decisions;
2. computes the policy's signal: for ``"drift"`` the largest PSI over the
   features between the drift reference and this week
   (:func:`casebook.monitoring.drift.stats.psi`, 10 quantile bins of the reference); for
   ``"performance"`` the champion's error rate on the newest labeled week
   (labels arrive ``label_delay`` weeks late); none for ``"scheduled"``;
3. counts the *fresh* labeled rows: weeks newer than the champion's
   training data and, for a triggered policy, not older than the evidence
   that switched the alert on (the week whose drift or errors raised it), so
   a retrain learns the new regime, not a mix of old and new;
4. asks :func:`casebook.monitoring.policy.decide` what to do, and on ``"retrain"``
   trains a challenger (logistic regression) on the newest ``train_window``
   fresh weeks, except the newest ``holdout_weeks`` which form the holdout
   of the champion/challenger gate.

Policies that obey holds (``respect_hold=True``) drop contaminated weeks
everywhere: from training, holdout, fresh-data count and signals (no drift
signal during a hold; the performance signal uses the newest clean labeled
week), and during the hold they decide with the business rule.

Every retraining run costs ``stream.retrain_cost``, promoted or not. After a
run the drift reference becomes the features of every week from the run's
first training week to the current week (labels are not needed for it): the
new normal has been reviewed, so an alert on a drift that does not hurt
clears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from casebook.monitoring.drift.stats import psi
from casebook.monitoring.policy import (
    Observation,
    PolicyState,
    RetrainingPolicy,
    after_retrain,
    decide,
    validation_gate,
)
from casebook.synthetic.stream import RetrainingStream

__all__ = [
    "BacktestResult",
    "ModelVersion",
    "backtest",
    "compare_policies",
    "compare_policies_over_streams",
]


@dataclass(frozen=True)
class ModelVersion:
    """One trained model: the initial one or a challenger.

    Attributes
    ----------
    version : int
        1 for the initial model, then one per retraining run.
    step : int
        Week it was trained (after that week's monitoring).
    train_weeks : tuple of int
        Weeks of its training data.
    promoted : bool
        Whether it became champion.
    champion_loss, challenger_loss : float or None
        Holdout error rates at the gate (None for the initial model).
    contaminated : bool
        Whether its training data contains contaminated weeks.
    model : LogisticRegression
        The fitted model.
    """

    version: int
    step: int
    train_weeks: tuple[int, ...]
    promoted: bool
    champion_loss: float | None
    challenger_loss: float | None
    contaminated: bool
    model: LogisticRegression = field(repr=False, compare=False)


@dataclass(frozen=True)
class BacktestResult:
    """What one policy cost over the stream.

    Attributes
    ----------
    policy : RetrainingPolicy
    weeks : pandas.DataFrame
        One row per monitored week: ``step, loss, errors, signal, alert,
        action, promoted, override, champion``.
    versions : tuple of ModelVersion
    """

    policy: RetrainingPolicy
    weeks: pd.DataFrame
    versions: tuple[ModelVersion, ...]
    retrain_cost: float

    @property
    def retrains(self) -> int:
        """Retraining runs (promoted or not)."""
        return int((self.weeks["action"] == "retrain").sum())

    @property
    def alert_episodes(self) -> int:
        """Times the alert switched on (what an on-call person is paged for)."""
        alert = self.weeks["alert"].to_numpy(dtype=bool)
        return int(np.sum(alert & ~np.concatenate([[False], alert[:-1]])))

    @property
    def promotions(self) -> int:
        """Challengers promoted to champion."""
        return int(self.weeks["promoted"].sum())

    @property
    def cumulative_loss(self) -> float:
        """Cost of wrong decisions over the monitored weeks."""
        return float(self.weeks["loss"].sum())

    @property
    def retraining_cost(self) -> float:
        """Retraining runs times the cost of one run."""
        return self.retrains * self.retrain_cost

    @property
    def total(self) -> float:
        """Cumulative loss plus retraining cost."""
        return self.cumulative_loss + self.retraining_cost

    def summary(self) -> dict[str, float | int | str]:
        """One row for :func:`compare_policies`."""
        return {
            "policy": self.policy.name,
            "alerts": self.alert_episodes,
            "retrains": self.retrains,
            "promotions": self.promotions,
            "cumulative_loss": self.cumulative_loss,
            "retraining_cost": self.retraining_cost,
            "total": self.total,
        }


def _predict(model: LogisticRegression, X: np.ndarray) -> np.ndarray:
    """``model.predict(X)`` for a 0/1 logistic regression, without sklearn's per-call checks.

    The same arithmetic as ``decision_function`` (``X @ coef_.T + intercept_``) and the
    same rule (positive when the score is > 0); a backtest calls it thousands of times.
    """
    scores = (X @ model.coef_.T + model.intercept_).ravel()
    return model.classes_[(scores > 0).astype(int)]


def _error_rate(model: LogisticRegression, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(_predict(model, X) != y))


def _fit(X: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(solver="newton-cholesky").fit(X, y)


def _drift_signal(reference: np.ndarray, current: np.ndarray) -> float:
    return max(
        psi(reference[:, j], current[:, j], threshold=0.2).statistic
        for j in range(reference.shape[1])
    )


def backtest(
    stream: RetrainingStream,
    policy: RetrainingPolicy,
    *,
    train_window: int = 6,
    holdout_weeks: int = 1,
) -> BacktestResult:
    """Replay ``policy`` over the stream and book losses and retraining costs.

    Parameters
    ----------
    stream : RetrainingStream
        From :func:`casebook.synthetic.stream.make_retraining_stream`.
    policy : RetrainingPolicy
        The rules to replay.
    train_window : int, default=6
        Labeled weeks per retraining run, holdout included.
    holdout_weeks : int, default=1
        Newest labeled weeks kept out of training for the gate.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> from casebook.synthetic.stream import make_retraining_stream
    >>> s = make_retraining_stream(batch_size=100, seed=0)
    >>> p = RetrainingPolicy("quarterly", trigger="scheduled", every=13)
    >>> r = backtest(s, p)
    >>> r.retrains, len(r.weeks)
    (7, 96)
    """
    if not isinstance(stream, RetrainingStream):
        raise TypeError(f"stream must be a RetrainingStream, got {type(stream).__name__}")
    if not isinstance(policy, RetrainingPolicy):
        raise TypeError(f"policy must be a RetrainingPolicy, got {type(policy).__name__}")
    for name, value, low in (
        ("train_window", train_window, 2),
        ("holdout_weeks", holdout_weeks, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    if holdout_weeks >= train_window:
        raise ValueError(
            f"holdout_weeks must be < train_window ({train_window}), got {holdout_weeks}"
        )

    hold = stream.hold
    n = stream.batch_size
    X_by_week = stream.X.reshape(stream.n_steps, n, -1)
    y_by_week = stream.y.reshape(stream.n_steps, n)

    warm = tuple(range(stream.warmup))
    champion = _fit(
        X_by_week[: stream.warmup].reshape(-1, X_by_week.shape[2]), stream.y[: stream.warmup * n]
    )
    versions = [ModelVersion(1, stream.warmup - 1, warm, True, None, None, False, champion)]
    champion_version = 1
    reference = X_by_week[: stream.warmup].reshape(-1, X_by_week.shape[2])
    state = PolicyState.initial(trained_at=stream.warmup - 1)
    cutoff = stream.warmup - 1  # newest week already used for training
    regime_start = 0  # first week of the evidence behind the current alert
    rows = []
    for t in range(stream.warmup, stream.n_steps):
        Xt, yt = X_by_week[t], y_by_week[t]
        obeys_hold = bool(hold[t] and policy.respect_hold)
        pred = stream.business_rule(Xt) if obeys_hold else _predict(champion, Xt)
        errors = int(np.sum(pred != yt))

        labeled = stream.labeled_through(t)
        usable = [w for w in range(labeled + 1) if not (policy.respect_hold and hold[w])]
        signal, evidence = None, t
        if policy.trigger == "drift" and not obeys_hold:
            signal = _drift_signal(reference, Xt)
        elif policy.trigger == "performance" and usable:
            evidence = usable[-1]
            signal = _error_rate(champion, X_by_week[evidence], y_by_week[evidence])
        if signal is not None and not state.alert and signal >= policy.threshold:
            regime_start = evidence
        fresh_weeks = [w for w in usable if w > cutoff and w >= regime_start]
        obs = Observation(
            step=t, signal=signal, fresh_labels=n * len(fresh_weeks), hold=bool(hold[t])
        )
        decision = decide(policy, state, obs)
        state = decision.state
        promoted = False
        if decision.action == "retrain":
            window = fresh_weeks[-train_window:]
            if len(window) <= holdout_weeks:  # too little fresh data: newest usable weeks
                window = usable[-train_window:]
            train_w, hold_w = window[:-holdout_weeks], window[-holdout_weeks:]
            Xtr = X_by_week[train_w].reshape(-1, X_by_week.shape[2])
            challenger = _fit(Xtr, y_by_week[train_w].ravel())
            Xh = X_by_week[hold_w].reshape(-1, X_by_week.shape[2])
            yh = y_by_week[hold_w].ravel()
            gate = validation_gate(
                _error_rate(champion, Xh, yh),
                _error_rate(challenger, Xh, yh),
                margin=policy.gate_margin,
                n_holdout=len(yh),
            )
            promoted = gate.promote
            versions.append(
                ModelVersion(
                    len(versions) + 1,
                    t,
                    tuple(train_w),
                    promoted,
                    gate.champion_loss,
                    gate.challenger_loss,
                    bool(hold[list(train_w)].any()),
                    challenger,
                )
            )
            if promoted:
                champion, champion_version = challenger, len(versions)
            recent = [w for w in range(window[0], t + 1) if not (policy.respect_hold and hold[w])]
            reference = X_by_week[recent].reshape(-1, X_by_week.shape[2])
            cutoff = labeled
            state = after_retrain(state, step=t, promoted=promoted)
        rows.append(
            {
                "step": t,
                "errors": errors,
                "loss": errors * stream.cost_per_error,
                "signal": np.nan if signal is None else signal,
                "alert": decision.alert,
                "action": decision.action,
                "promoted": promoted,
                "override": obeys_hold,
                "champion": champion_version,
                "reasons": "; ".join(decision.reasons),
            }
        )
    return BacktestResult(policy, pd.DataFrame(rows), tuple(versions), stream.retrain_cost)


def compare_policies(
    stream: RetrainingStream, policies: Sequence[RetrainingPolicy], **kwargs: int
) -> tuple[pd.DataFrame, dict[str, BacktestResult]]:
    """Backtest several policies on the same stream.

    Parameters
    ----------
    stream : RetrainingStream
    policies : sequence of RetrainingPolicy
        Names must be unique.
    **kwargs
        Passed to :func:`backtest` (``train_window``, ``holdout_weeks``).

    Returns
    -------
    summary : pandas.DataFrame
        One row per policy: retrains, promotions, cumulative_loss,
        retraining_cost, total; sorted by total.
    results : dict of str to BacktestResult
    """
    names = [p.name for p in policies]
    if not names:
        raise ValueError("policies must hold at least one policy, got none")
    if len(set(names)) != len(names):
        raise ValueError(f"policies must have unique names, got {names}")
    results = {p.name: backtest(stream, p, **kwargs) for p in policies}
    summary = pd.DataFrame([r.summary() for r in results.values()])
    return summary.sort_values("total", ignore_index=True), results


def compare_policies_over_streams(
    streams: Sequence[RetrainingStream], policies: Sequence[RetrainingPolicy], **kwargs: int
) -> pd.DataFrame:
    """Backtest the same policies on several streams (e.g. one per seed).

    One stream is one draw of the world: which policy is cheapest can change
    from draw to draw, so a ranking should rest on the distribution of the
    total over many streams, not on one backtest.

    Parameters
    ----------
    streams : sequence of RetrainingStream
        At least two, e.g. ``make_retraining_stream(seed=s)`` for several ``s``.
    policies : sequence of RetrainingPolicy
        Names must be unique.
    **kwargs
        Passed to :func:`backtest` (``train_window``, ``holdout_weeks``).

    Returns
    -------
    pandas.DataFrame
        One row per stream and policy: ``stream`` (position in ``streams``),
        ``policy``, ``alerts``, ``retrains``, ``promotions``, ``cumulative_loss``,
        ``retraining_cost``, ``total`` and ``rank`` (1 = cheapest on that stream,
        ties share the lower rank).

    Examples
    --------
    >>> from casebook.synthetic.stream import make_retraining_stream
    >>> streams = [make_retraining_stream(batch_size=50, seed=s) for s in range(2)]
    >>> ps = [RetrainingPolicy("quarterly", trigger="scheduled", every=13),
    ...       RetrainingPolicy("monthly", trigger="scheduled", every=4)]
    >>> table = compare_policies_over_streams(streams, ps)
    >>> table.shape, sorted(table["rank"].unique().tolist())
    ((4, 9), [1, 2])
    """
    if isinstance(streams, RetrainingStream) or not isinstance(streams, Sequence):
        raise TypeError(
            f"streams must be a sequence of RetrainingStream, got {type(streams).__name__}"
        )
    if len(streams) < 2:
        raise ValueError(f"streams must hold at least two streams, got {len(streams)}")
    for i, s in enumerate(streams):
        if not isinstance(s, RetrainingStream):
            raise TypeError(f"streams[{i}] must be a RetrainingStream, got {type(s).__name__}")
    frames = []
    for i, stream in enumerate(streams):
        summary, _ = compare_policies(stream, policies, **kwargs)
        summary.insert(0, "stream", i)
        summary["rank"] = summary["total"].rank(method="min").astype(int)
        frames.append(summary)
    return pd.concat(frames, ignore_index=True)
