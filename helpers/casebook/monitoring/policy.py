"""A pure, declarative retraining-policy engine.

A :class:`RetrainingPolicy` says *when* a model may be retrained; the engine
never trains anything itself. At every monitoring step the caller builds an
:class:`Observation` (the monitored signal, how much fresh labeled data there
is, whether a data-contamination hold is declared) and calls :func:`decide`
with the previous :class:`PolicyState`. The answer is a :class:`Decision`:
the action, the reasons, and the next state. Everything is an immutable
dataclass and every function is pure, so a backtest and a production job
replay the same decisions from the same inputs.

The rules, in the order :func:`decide` applies them
----------------------------------------------------
1. **Hold.** While a hold is declared (an incident made the fresh data
   unrepresentative, e.g. an external event), the policy never retrains and
   the action is ``"override"``: decisions come from a business rule until
   the data is clean. A pending request survives the hold.
2. **Trigger with hysteresis.** ``"drift"`` and ``"performance"`` policies
   watch a signal (higher = worse). The alert switches on when the signal
   reaches ``threshold`` (the arm level) and off only when it falls to
   ``disarm`` or below; in between it keeps its state, so a signal hovering
   around the threshold is one alert, not many. A retrain is *requested* when
   the alert switches on, and again when the alert persists: the signal is
   still at or above ``threshold`` at least ``max(cooldown, 1)`` steps after
   the last retrain (that retrain did not fix the problem); a signal in the
   band between ``disarm`` and ``threshold`` keeps the alert on but requests
   nothing. ``"scheduled"`` policies request a retrain whenever ``every``
   steps have passed since the last retrain attempt and ignore the signal.
3. **Cooldown.** A request waits until ``cooldown`` steps have passed since
   the last retrain attempt (``"blocked_cooldown"``).
4. **Minimum fresh data.** A request waits until at least
   ``min_fresh_labels`` clean labeled rows arrived since the last retrain
   (``"blocked_min_data"``).
5. Otherwise the action is ``"retrain"``: train a challenger.
6. **Validation gate.** :func:`validation_gate` compares the challenger with
   the champion on a holdout; :func:`after_retrain` records the attempt and,
   if the challenger was promoted, clears the request (a rejected challenger
   leaves a triggered request pending, to be retried with more data after the
   cooldown; a scheduled policy waits for its next date).

Hysteresis limits *alerts* (what pages a person); the cooldown and the
fresh-data minimum limit *retrains*.

A request is also dropped when the alert switches off before it was served
(the problem went away on its own).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

import numpy as np

__all__ = [
    "Action",
    "Decision",
    "GateResult",
    "Observation",
    "PolicyState",
    "RetrainingPolicy",
    "Trigger",
    "after_retrain",
    "decide",
    "policy_from_dict",
    "validation_gate",
]

Trigger = Literal["scheduled", "drift", "performance"]
Action = Literal["none", "retrain", "override", "blocked_cooldown", "blocked_min_data"]

_TRIGGERS: tuple[str, ...] = get_args(Trigger)


def _check_number(value: Any, *, name: str, minimum: float | None = None) -> float:
    """A real number (Python or numpy, never a bool), finite, at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return float(value)


def _check_int(value: Any, *, name: str, minimum: int) -> int:
    """An integer (Python or numpy, never a bool) of at least ``minimum``, as a Python int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def _store(obj: Any, **values: Any) -> None:
    """Keep checked values as Python numbers on a frozen dataclass (numpy scalars converted)."""
    for key, value in values.items():
        object.__setattr__(obj, key, value)


@dataclass(frozen=True)
class RetrainingPolicy:
    """When a model may be retrained: trigger, hysteresis, cooldown, data and gate.

    Parameters
    ----------
    name : str
        Label used in reports, e.g. ``"drift (PSI >= 0.2)"``.
    trigger : {"scheduled", "drift", "performance"}
        What requests a retrain: the calendar, a drift signal, or a
        performance signal (both signals: higher = worse).
    threshold : float, default=0.0
        Arm level: the alert switches on when the signal is ``>= threshold``.
        Ignored by scheduled policies.
    disarm : float or None, default=None
        Disarm level (``<= threshold``): the alert switches off when the
        signal is ``<= disarm``. ``None`` means ``threshold`` (no hysteresis).
    every : int or None, default=None
        Scheduled policies only: steps between retrains (required there).
    cooldown : int, default=0
        Minimum steps between two retrain attempts.
    min_fresh_labels : int, default=0
        Minimum fresh labeled rows: clean rows newer than the champion's
        training data (the caller may further restrict them to the regime
        that raised the alert, as :mod:`casebook.monitoring.backtest` does).
    gate_margin : float, default=0.0
        The challenger must beat the champion's holdout loss by at least this
        much to be promoted (:func:`validation_gate`).
    respect_hold : bool, default=True
        Obey a declared data-contamination hold (no retraining, business-rule
        override). ``False`` models a policy that ignores incidents.

    Examples
    --------
    >>> p = RetrainingPolicy("perf", trigger="performance", threshold=0.3, disarm=0.2,
    ...                      cooldown=4, min_fresh_labels=1000)
    >>> p.hysteresis
    True
    >>> RetrainingPolicy("weekly", trigger="scheduled", every=4).every
    4
    """

    name: str
    trigger: Trigger
    threshold: float = 0.0
    disarm: float | None = None
    every: int | None = None
    cooldown: int = 0
    min_fresh_labels: int = 0
    gate_margin: float = 0.0
    respect_hold: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if self.trigger not in _TRIGGERS:
            raise ValueError(f"trigger must be one of {list(_TRIGGERS)}, got {self.trigger!r}")
        _store(self, threshold=_check_number(self.threshold, name="threshold"))
        if self.disarm is not None:
            _store(self, disarm=_check_number(self.disarm, name="disarm"))
            if self.disarm > self.threshold:
                raise ValueError(
                    f"disarm must be <= threshold ({self.threshold}), got {self.disarm}"
                )
        if self.trigger == "scheduled":
            if self.every is None:
                raise ValueError("every must be set for a scheduled policy, got None")
            _store(self, every=_check_int(self.every, name="every", minimum=1))
        elif self.every is not None:
            raise ValueError(
                f"every is only for scheduled policies, got every={self.every!r} "
                f"with trigger={self.trigger!r}"
            )
        _store(
            self,
            cooldown=_check_int(self.cooldown, name="cooldown", minimum=0),
            min_fresh_labels=_check_int(self.min_fresh_labels, name="min_fresh_labels", minimum=0),
            gate_margin=_check_number(self.gate_margin, name="gate_margin", minimum=0.0),
        )
        if not isinstance(self.respect_hold, bool):
            raise TypeError(f"respect_hold must be a bool, got {type(self.respect_hold).__name__}")

    @property
    def disarm_level(self) -> float:
        """The level at or below which the alert switches off."""
        return self.threshold if self.disarm is None else float(self.disarm)

    @property
    def hysteresis(self) -> bool:
        """True when the disarm level is strictly below the arm level."""
        return self.disarm_level < self.threshold


@dataclass(frozen=True)
class PolicyState:
    """What the engine remembers between steps.

    Attributes
    ----------
    alert : bool
        Whether the signal's alert is on (hysteresis state).
    pending : bool
        Whether a retrain request waits to be served.
    last_retrain : int or None
        Step of the last retrain attempt (None: never; the initial model's
        training counts as step ``start`` in :meth:`initial`).
    retrains : int
        Number of retrain attempts so far.
    """

    alert: bool = False
    pending: bool = False
    last_retrain: int | None = None
    retrains: int = 0

    @classmethod
    def initial(cls, *, trained_at: int | None = None) -> PolicyState:
        """State of a freshly deployed model trained at step ``trained_at``.

        Examples
        --------
        >>> PolicyState.initial(trained_at=10).last_retrain
        10
        """
        return cls(last_retrain=trained_at)


@dataclass(frozen=True)
class Observation:
    """The inputs of one monitoring step.

    Attributes
    ----------
    step : int
        The current step (e.g. week number).
    signal : float or None
        The monitored signal (higher = worse); ``None`` when not available
        yet (e.g. no labels have arrived), which leaves the alert unchanged.
    fresh_labels : int
        Clean labeled rows available since the last retrain.
    hold : bool
        Whether a data-contamination hold is declared at this step.
    """

    step: int
    signal: float | None = None
    fresh_labels: int = 0
    hold: bool = False

    def __post_init__(self) -> None:
        _store(self, step=_check_int(self.step, name="step", minimum=0))
        if self.signal is not None:
            _store(self, signal=_check_number(self.signal, name="signal"))
        _store(self, fresh_labels=_check_int(self.fresh_labels, name="fresh_labels", minimum=0))
        if not isinstance(self.hold, bool):
            raise TypeError(f"hold must be a bool, got {type(self.hold).__name__}")


@dataclass(frozen=True)
class Decision:
    """What :func:`decide` concluded at one step.

    Attributes
    ----------
    step : int
        The observation's step.
    action : {"none", "retrain", "override", "blocked_cooldown", "blocked_min_data"}
        What to do now.
    reasons : tuple of str
        Plain-language reasons, in the order the rules fired.
    state : PolicyState
        The state to pass to the next call (before any retrain outcome;
        use :func:`after_retrain` once the gate has spoken).
    """

    step: int
    action: Action
    reasons: tuple[str, ...] = field(default_factory=tuple)
    state: PolicyState = field(default_factory=PolicyState)

    @property
    def alert(self) -> bool:
        """Whether the alert is on after this step."""
        return self.state.alert


def _update_alert(policy: RetrainingPolicy, alert: bool, signal: float | None) -> bool:
    if signal is None:
        return alert
    if not alert and signal >= policy.threshold:
        return True
    if alert and signal <= policy.disarm_level:
        return False
    return alert


def decide(policy: RetrainingPolicy, state: PolicyState, obs: Observation) -> Decision:
    """Apply the policy's rules to one observation.

    Parameters
    ----------
    policy : RetrainingPolicy
        The rules.
    state : PolicyState
        The state returned by the previous step (or :meth:`PolicyState.initial`).
    obs : Observation
        This step's signal, fresh data and hold flag.

    Returns
    -------
    Decision
        The action, its reasons and the next state.

    Examples
    --------
    >>> p = RetrainingPolicy("drift", trigger="drift", threshold=0.2, disarm=0.1,
    ...                      cooldown=2, min_fresh_labels=100)
    >>> s = PolicyState.initial(trained_at=0)
    >>> d = decide(p, s, Observation(step=5, signal=0.25, fresh_labels=500))
    >>> d.action, d.reasons
    ('retrain', ('alert on: signal 0.25 >= 0.2',))
    >>> decide(p, s, Observation(step=5, signal=0.25, fresh_labels=500, hold=True)).action
    'override'
    """
    if not isinstance(policy, RetrainingPolicy):
        raise TypeError(f"policy must be a RetrainingPolicy, got {type(policy).__name__}")
    if not isinstance(state, PolicyState):
        raise TypeError(f"state must be a PolicyState, got {type(state).__name__}")
    if not isinstance(obs, Observation):
        raise TypeError(f"obs must be an Observation, got {type(obs).__name__}")
    if state.last_retrain is not None and obs.step < state.last_retrain:
        raise ValueError(
            f"obs.step must be >= the last retrain step {state.last_retrain}, got {obs.step}"
        )
    reasons: list[str] = []
    pending = state.pending
    alert = state.alert
    since = None if state.last_retrain is None else obs.step - state.last_retrain

    if policy.trigger == "scheduled":
        # the calendar decides; a rejected run simply waits for the next date
        pending = since is None or (policy.every is not None and since >= policy.every)
        if pending:
            reasons.append(f"schedule: {since} steps since the last retrain")
    else:
        new_alert = _update_alert(policy, alert, obs.signal)
        if new_alert and not alert:
            reasons.append(f"alert on: signal {obs.signal:.4g} >= {policy.threshold:.4g}")
            pending = True
        elif (
            new_alert
            and not pending
            and obs.signal is not None
            and obs.signal >= policy.threshold
            and since is not None
            and since >= max(policy.cooldown, 1)
        ):
            reasons.append(
                f"alert persists: signal {obs.signal:.4g} >= {policy.threshold:.4g} "
                f"{since} steps after the last retrain"
            )
            pending = True
        elif alert and not new_alert:
            reasons.append(f"alert off: signal {obs.signal:.4g} <= {policy.disarm_level:.4g}")
            if pending:
                reasons.append("request dropped: the alert cleared before it was served")
            pending = False
        alert = new_alert

    new_state = replace(state, alert=alert, pending=pending)
    if obs.hold and policy.respect_hold:
        reasons.append("hold: contaminated data, business-rule override")
        return Decision(obs.step, "override", tuple(reasons), new_state)
    if not pending:
        return Decision(obs.step, "none", tuple(reasons), new_state)
    if since is not None and since < policy.cooldown:
        reasons.append(f"cooldown: {since} of {policy.cooldown} steps since the last retrain")
        return Decision(obs.step, "blocked_cooldown", tuple(reasons), new_state)
    if obs.fresh_labels < policy.min_fresh_labels:
        reasons.append(
            f"min data: {obs.fresh_labels} of {policy.min_fresh_labels} fresh labeled rows"
        )
        return Decision(obs.step, "blocked_min_data", tuple(reasons), new_state)
    return Decision(obs.step, "retrain", tuple(reasons), new_state)


@dataclass(frozen=True)
class GateResult:
    """Outcome of the champion/challenger validation gate.

    Attributes
    ----------
    promote : bool
        Whether the challenger replaces the champion.
    champion_loss, challenger_loss : float
        Holdout losses (lower is better).
    margin : float
        Required improvement.
    reason : str
        One sentence for the audit trail.
    """

    promote: bool
    champion_loss: float
    challenger_loss: float
    margin: float
    reason: str


def validation_gate(
    champion_loss: float,
    challenger_loss: float,
    *,
    margin: float = 0.0,
    n_holdout: int = 1,
    min_holdout: int = 1,
) -> GateResult:
    """Promote the challenger only if it beats the champion on a holdout.

    Parameters
    ----------
    champion_loss, challenger_loss : float
        Losses of both models on the same holdout (lower is better).
    margin : float, default=0.0
        Promote iff ``challenger_loss <= champion_loss - margin``.
    n_holdout : int, default=1
        Rows in the holdout.
    min_holdout : int, default=1
        Refuse to promote on a holdout smaller than this.

    Returns
    -------
    GateResult

    Examples
    --------
    >>> validation_gate(0.30, 0.22, margin=0.02).promote
    True
    >>> validation_gate(0.30, 0.29, margin=0.02).reason
    'rejected: challenger 0.29 does not beat champion 0.3 by 0.02'
    """
    champion_loss = _check_number(champion_loss, name="champion_loss")
    challenger_loss = _check_number(challenger_loss, name="challenger_loss")
    margin = _check_number(margin, name="margin", minimum=0.0)
    _check_int(n_holdout, name="n_holdout", minimum=0)
    _check_int(min_holdout, name="min_holdout", minimum=1)
    if n_holdout < min_holdout:
        return GateResult(
            False,
            champion_loss,
            challenger_loss,
            margin,
            f"rejected: holdout of {n_holdout} rows is below the minimum {min_holdout}",
        )
    if challenger_loss <= champion_loss - margin:
        reason = (
            f"promoted: challenger {challenger_loss:.4g} beats champion "
            f"{champion_loss:.4g} by >= {margin:.4g}"
        )
        return GateResult(True, champion_loss, challenger_loss, margin, reason)
    reason = (
        f"rejected: challenger {challenger_loss:.4g} does not beat champion "
        f"{champion_loss:.4g} by {margin:.4g}"
    )
    return GateResult(False, champion_loss, challenger_loss, margin, reason)


def after_retrain(state: PolicyState, *, step: int, promoted: bool) -> PolicyState:
    """Record a retrain attempt at ``step`` and the gate's verdict.

    The attempt starts the cooldown and resets the fresh-data clock. A
    promotion serves the pending request; a rejection keeps it pending.

    Examples
    --------
    >>> s = after_retrain(PolicyState(alert=True, pending=True), step=7, promoted=True)
    >>> s.pending, s.last_retrain, s.retrains
    (False, 7, 1)
    >>> after_retrain(PolicyState(pending=True), step=7, promoted=False).pending
    True
    """
    if not isinstance(state, PolicyState):
        raise TypeError(f"state must be a PolicyState, got {type(state).__name__}")
    step = _check_int(step, name="step", minimum=0)
    if not isinstance(promoted, bool):
        raise TypeError(f"promoted must be a bool, got {type(promoted).__name__}")
    return replace(
        state,
        pending=state.pending and not promoted,
        last_retrain=step,
        retrains=state.retrains + 1,
    )


_FIELDS = {
    "name",
    "trigger",
    "threshold",
    "disarm",
    "every",
    "cooldown",
    "min_fresh_labels",
    "gate_margin",
    "respect_hold",
}


def policy_from_dict(spec: Mapping[str, Any], *, name: str | None = None) -> RetrainingPolicy:
    """Build a policy from a plain mapping (e.g. one entry of a YAML config).

    Parameters
    ----------
    spec : mapping
        Keys are :class:`RetrainingPolicy` fields; unknown keys are refused.
    name : str, optional
        Used when ``spec`` has no ``name``.

    Examples
    --------
    >>> policy_from_dict({"trigger": "drift", "threshold": 0.2, "disarm": 0.1},
    ...                  name="fraud-eu").hysteresis
    True
    """
    if not isinstance(spec, Mapping):
        raise TypeError(f"spec must be a mapping, got {type(spec).__name__}")
    unknown = sorted(set(spec) - _FIELDS)
    if unknown:
        raise ValueError(f"spec has unknown policy keys {unknown}; allowed: {sorted(_FIELDS)}")
    if "trigger" not in spec:
        raise ValueError("spec must set 'trigger' (scheduled, drift or performance), got none")
    kwargs = dict(spec)
    kwargs.setdefault("name", name if name is not None else str(spec["trigger"]))
    return RetrainingPolicy(**kwargs)
