"""Answer key of notebook 14: an independent rule engine passes, typical slips do not."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("14")


def retrain_weeks_by_hand(signal, *, threshold, disarm, cooldown):
    """The rules of section 2 as a plain loop, without the package's policy engine."""
    if disarm > threshold:
        raise ValueError("disarm must be <= threshold")
    if cooldown < 0:
        raise ValueError("cooldown must be >= 0")
    alert, waiting, last, weeks = False, False, 0, []
    for week, value in enumerate(signal, start=1):
        if value is not None and math.isnan(value):
            raise ValueError("NaN signal")
        since = week - last
        if value is not None:
            if not alert and value >= threshold:
                alert, waiting = True, True
            elif alert and value <= disarm:
                alert, waiting = False, False
            elif alert and not waiting and value >= threshold and since >= max(cooldown, 1):
                waiting = True
        if waiting and since >= cooldown:
            weeks.append(week)
            waiting, last = False, week
    return weeks


def test_an_independent_engine_passes():
    assert KEY.check("implement_retrain_weeks", retrain_weeks_by_hand) is None


def test_typical_wrong_engines_are_rejected_with_the_failing_case():
    def cooldown_with_strict_inequality(signal, *, threshold, disarm, cooldown):
        return retrain_weeks_by_hand(signal, threshold=threshold, disarm=disarm,
                                     cooldown=cooldown + 1)  # fmt: skip

    def retrain_on_every_week_above(signal, *, threshold, disarm, cooldown):
        return [w for w, v in enumerate(signal, start=1) if v is not None and v >= threshold]

    message = KEY.check("implement_retrain_weeks", cooldown_with_strict_inequality)
    assert message.startswith("case 'hovering signal'"), message
    message = KEY.check("implement_retrain_weeks", retrain_on_every_week_above)
    assert message.startswith("case 'hovering signal'"), message


def test_flash_sale_choice():
    assert KEY.check("policy_during_flash_sale", "b") is None
    assert "holdout comes from the sale weeks" in KEY.check("policy_during_flash_sale", "c")


def summary(sched_loss, perf_loss, sched_runs=24, perf_runs=4):
    return pd.DataFrame(
        {
            "policy": ["scheduled (monthly)", "performance + hold", "drift"],
            "retrains": [sched_runs, perf_runs, 9],
            "cumulative_loss": [sched_loss, perf_loss, 5000.0],
        }
    )


@pytest.mark.parametrize(
    ("sched_loss", "perf_loss", "call"),
    [
        (4000.0, 4400.0, "switch to performance + hold"),  # 20 per extra run < 150
        (4000.0, 8000.0, "keep the schedule"),  # 200 per extra run > 150
        (4500.0, 4400.0, "switch to performance + hold"),  # the schedule made more errors
    ],
)
def test_keep_schedule_compares_per_run_saving_with_run_cost(sched_loss, perf_loss, call):
    inputs = {"summary": summary(sched_loss, perf_loss), "retrain_cost": 150.0}
    per_run = (perf_loss - sched_loss) / 20
    assert KEY.check("keep_monthly_schedule", (call, per_run), inputs=inputs) is None
    other = "keep the schedule" if call != "keep the schedule" else "switch to performance + hold"
    assert "is not the right call" in KEY.check(
        "keep_monthly_schedule", (other, per_run), inputs=inputs
    )
    runs_per_promotion = 24 / 6
    assert "right call, but the number" in KEY.check(
        "keep_monthly_schedule", (call, runs_per_promotion), inputs=inputs
    )


def test_label_delay_difference_on_a_small_stream():
    from casebook.monitoring.backtest import backtest
    from casebook.monitoring.policy import RetrainingPolicy
    from casebook.synthetic.stream import make_retraining_stream

    policy = RetrainingPolicy("q", trigger="scheduled", every=13)
    slow = make_retraining_stream(batch_size=100, label_delay=4, seed=0)
    now = backtest(make_retraining_stream(batch_size=100, seed=0), policy).total
    inputs = {"slow_stream": slow, "policy": policy, "total_now": now}
    right = backtest(slow, policy).total - now
    assert KEY.check("extra_cost_of_label_delay_4", right, inputs=inputs) is None
    message = KEY.check("extra_cost_of_label_delay_4", right + now, inputs=inputs)
    assert "typical slip: that is the total cost" in message
