"""Tests for casebook.monitoring.policy: every rule of the engine can fail a test."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from casebook.monitoring.policy import (
    Observation,
    PolicyState,
    RetrainingPolicy,
    after_retrain,
    decide,
    policy_from_dict,
    validation_gate,
)


def drift_policy(**kw):
    base = dict(
        name="d", trigger="drift", threshold=0.2, disarm=0.1, cooldown=3, min_fresh_labels=100
    )
    base.update(kw)
    return RetrainingPolicy(**base)


def run(policy, signals, *, fresh=10_000, holds=None, promote=True, first_step=1):
    """Replay signals from ``first_step`` (model trained at step 0); return the actions."""
    state = PolicyState.initial(trained_at=0)
    actions = []
    for i, sig in enumerate(signals):
        step = first_step + i
        hold = bool(holds and step in holds)
        d = decide(policy, state, Observation(step=step, signal=sig, fresh_labels=fresh, hold=hold))
        state = d.state
        if d.action == "retrain":
            state = after_retrain(state, step=step, promoted=promote)
        actions.append(d.action)
    return actions, state


def test_threshold_arms_only_at_or_above_the_threshold():
    actions, _ = run(drift_policy(cooldown=0), [0.05, 0.19, 0.2])
    assert actions == ["none", "none", "retrain"]


def alerts(policy, signals):
    state, n = PolicyState.initial(trained_at=0), 0
    for i, sig in enumerate(signals):
        d = decide(policy, state, Observation(step=10 + i, signal=sig, fresh_labels=0))
        n += d.state.alert and not state.alert
        state = d.state
    return n


def test_hysteresis_one_alert_for_a_signal_hovering_around_the_threshold():
    hovering = [0.25, 0.18, 0.22, 0.17, 0.21, 0.19, 0.23]
    assert alerts(drift_policy(), hovering) == 1
    assert alerts(drift_policy(disarm=None), hovering) == 4


def test_band_between_disarm_and_threshold_requests_nothing():
    actions, state = run(drift_policy(cooldown=1), [0.3, 0.15, 0.15, 0.12, 0.15])
    assert actions == ["retrain", "none", "none", "none", "none"]
    assert state.alert  # still on: the signal never fell to 0.1


def test_persisting_alert_requests_again_after_the_cooldown():
    actions, _ = run(drift_policy(cooldown=3), [0.3, 0.3, 0.3, 0.3, 0.3], first_step=10)
    assert actions == ["retrain", "none", "none", "retrain", "none"]
    assert (
        "alert persists"
        in decide(
            drift_policy(cooldown=3),
            PolicyState(alert=True, last_retrain=10),
            Observation(step=13, signal=0.3, fresh_labels=10_000),
        ).reasons[0]
    )


def test_alert_rearms_after_falling_below_disarm():
    actions, state = run(drift_policy(cooldown=0), [0.3, 0.05, 0.3])
    assert actions == ["retrain", "none", "retrain"]
    assert state.retrains == 2


def test_cooldown_counts_from_the_initial_training():
    actions, _ = run(drift_policy(cooldown=3), [0.3, 0.3, 0.3])
    assert actions == ["blocked_cooldown", "blocked_cooldown", "retrain"]


def test_cooldown_blocks_then_serves_the_request():
    p = drift_policy(cooldown=3, disarm=None)
    actions, _ = run(p, [0.3, 0.0, 0.3, 0.3, 0.3], first_step=10)
    # step 10 retrain; 11 alert off; 12 new alert but only 2 steps since; 13 served
    assert actions == ["retrain", "none", "blocked_cooldown", "retrain", "none"]


def test_min_fresh_labels_blocks_until_enough_data():
    p = drift_policy(cooldown=0, min_fresh_labels=500)
    state = PolicyState.initial(trained_at=0)
    d = decide(p, state, Observation(step=1, signal=0.5, fresh_labels=499))
    assert d.action == "blocked_min_data"
    assert "499 of 500" in d.reasons[-1]
    d2 = decide(p, d.state, Observation(step=2, signal=0.5, fresh_labels=500))
    assert d2.action == "retrain"


def test_hold_overrides_and_keeps_the_request_pending():
    p = drift_policy(cooldown=0)
    actions, state = run(p, [0.3, 0.3, 0.3, 0.3], holds={1, 2, 3})
    assert actions == ["override", "override", "override", "retrain"]
    assert state.retrains == 1


def test_policy_ignoring_hold_retrains_on_contaminated_data():
    p = drift_policy(cooldown=0, respect_hold=False)
    actions, _ = run(p, [0.3, 0.3], holds={1, 2})
    assert actions[0] == "retrain"


def test_request_dropped_when_alert_clears_before_service():
    p = drift_policy(cooldown=0, min_fresh_labels=10_000)
    actions, state = run(p, [0.3, 0.05], fresh=0)
    assert actions == ["blocked_min_data", "none"]
    assert not state.pending


def test_rejected_challenger_keeps_request_and_retries_after_cooldown():
    p = drift_policy(cooldown=2)
    actions, state = run(p, [0.3, 0.3, 0.3, 0.3], promote=False, first_step=10)
    assert actions == ["retrain", "blocked_cooldown", "retrain", "blocked_cooldown"]
    assert state.pending


def test_scheduled_policy_retrains_every_n_steps_regardless_of_signal():
    p = RetrainingPolicy("s", trigger="scheduled", every=3)
    actions, state = run(p, [None] * 9)
    assert [i + 1 for i, a in enumerate(actions) if a == "retrain"] == [3, 6, 9]
    assert state.retrains == 3


def test_scheduled_rejected_run_waits_for_the_next_date():
    p = RetrainingPolicy("s", trigger="scheduled", every=3)
    actions, _ = run(p, [None] * 6, promote=False)
    assert [i + 1 for i, a in enumerate(actions) if a == "retrain"] == [3, 6]


def test_scheduled_policy_never_trained_requests_at_once():
    p = RetrainingPolicy("s", trigger="scheduled", every=5)
    d = decide(p, PolicyState(), Observation(step=0))
    assert d.action == "retrain"


def test_missing_signal_keeps_alert_state():
    p = drift_policy(cooldown=0, min_fresh_labels=0)
    s = PolicyState(alert=True)
    assert decide(p, s, Observation(step=1, signal=None)).state.alert


def test_performance_policy_uses_the_same_rules():
    p = RetrainingPolicy("p", trigger="performance", threshold=0.3, disarm=0.25, cooldown=5)
    actions, _ = run(p, [0.2, 0.31, 0.28, 0.35], first_step=10)
    assert actions == ["none", "retrain", "none", "none"]


def test_decision_and_state_are_frozen():
    d = decide(drift_policy(), PolicyState(), Observation(step=0, signal=0.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.action = "retrain"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.state.alert = True  # type: ignore[misc]


def test_validation_gate_promotes_only_with_margin():
    assert validation_gate(0.30, 0.27, margin=0.02).promote
    assert not validation_gate(0.30, 0.29, margin=0.02).promote
    assert validation_gate(0.30, 0.30).promote  # margin 0: ties promote
    small = validation_gate(0.3, 0.1, n_holdout=5, min_holdout=50)
    assert not small.promote and "below the minimum 50" in small.reason


def test_after_retrain_counts_and_resets():
    s = after_retrain(PolicyState(pending=True, retrains=2), step=9, promoted=True)
    assert (s.pending, s.last_retrain, s.retrains) == (False, 9, 3)


def test_policy_from_dict_round_trip_and_errors():
    p = policy_from_dict({"trigger": "scheduled", "every": 4, "cooldown": 1}, name="x")
    assert p.name == "x" and p.every == 4
    with pytest.raises(ValueError, match="unknown policy keys"):
        policy_from_dict({"trigger": "drift", "treshold": 0.2})
    with pytest.raises(ValueError, match="must set 'trigger'"):
        policy_from_dict({"threshold": 0.2})
    with pytest.raises(TypeError, match="spec must be a mapping"):
        policy_from_dict([("trigger", "drift")])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"name": ""}, ValueError, "name must be a non-empty string"),
        ({"trigger": "weekly"}, ValueError, "trigger must be one of"),
        ({"threshold": "high"}, TypeError, "threshold must be a number"),
        ({"threshold": float("nan")}, ValueError, "threshold must be finite"),
        ({"disarm": 0.3}, ValueError, "disarm must be <= threshold"),
        ({"disarm": "x"}, TypeError, "disarm must be a number"),
        ({"every": 3}, ValueError, "every is only for scheduled"),
        ({"cooldown": -1}, ValueError, "cooldown must be >= 0"),
        ({"cooldown": 1.5}, TypeError, "cooldown must be an integer"),
        ({"min_fresh_labels": -5}, ValueError, "min_fresh_labels must be >= 0"),
        ({"gate_margin": -0.1}, ValueError, "gate_margin must be >= 0"),
        ({"respect_hold": "yes"}, TypeError, "respect_hold must be a bool"),
    ],
)
def test_policy_validation(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        drift_policy(**kwargs)


def test_scheduled_policy_needs_every():
    with pytest.raises(ValueError, match="every must be set"):
        RetrainingPolicy("s", trigger="scheduled")
    with pytest.raises(ValueError, match="every must be >= 1"):
        RetrainingPolicy("s", trigger="scheduled", every=0)


def test_observation_validation():
    with pytest.raises(ValueError, match="step must be >= 0"):
        Observation(step=-1)
    with pytest.raises(TypeError, match="signal must be a number"):
        Observation(step=1, signal="0.3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fresh_labels must be >= 0"):
        Observation(step=1, fresh_labels=-1)
    with pytest.raises(TypeError, match="hold must be a bool"):
        Observation(step=1, hold=1)  # type: ignore[arg-type]


def test_decide_type_and_order_errors():
    p, s, o = drift_policy(), PolicyState(), Observation(step=1)
    with pytest.raises(TypeError, match="policy must be a RetrainingPolicy"):
        decide({}, s, o)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="state must be a PolicyState"):
        decide(p, {}, o)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="obs must be an Observation"):
        decide(p, s, {})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="obs.step must be >= the last retrain step 5"):
        decide(p, PolicyState(last_retrain=5), o)


def test_gate_and_after_retrain_errors():
    with pytest.raises(TypeError, match="champion_loss must be a number"):
        validation_gate("a", 0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="margin must be >= 0"):
        validation_gate(0.2, 0.1, margin=-1)
    with pytest.raises(ValueError, match="min_holdout must be >= 1"):
        validation_gate(0.2, 0.1, min_holdout=0)
    with pytest.raises(TypeError, match="state must be a PolicyState"):
        after_retrain(None, step=1, promoted=True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="promoted must be a bool"):
        after_retrain(PolicyState(), step=1, promoted=1)  # type: ignore[arg-type]


def test_numpy_scalars_are_accepted_and_stored_as_python_numbers():
    from casebook.monitoring.policy import Observation, PolicyState, RetrainingPolicy, after_retrain

    obs = Observation(step=np.int64(5), signal=np.float32(0.25), fresh_labels=np.int32(500))
    assert obs == Observation(step=5, signal=0.25, fresh_labels=500)
    assert type(obs.step) is int and type(obs.fresh_labels) is int and type(obs.signal) is float
    p = RetrainingPolicy("w", trigger="scheduled", every=np.int64(4), cooldown=np.int8(1))
    assert (p.every, p.cooldown) == (4, 1) and type(p.every) is int
    assert (
        after_retrain(PolicyState(pending=True), step=np.int64(7), promoted=True).last_retrain == 7
    )
    assert validation_gate(np.float64(0.3), np.float32(0.2), margin=np.float64(0.02)).promote
    with pytest.raises(TypeError, match="step must be an integer, got bool"):
        Observation(step=np.bool_(True))
    with pytest.raises(TypeError, match="step must be an integer, got float64"):
        Observation(step=np.float64(5.0))
