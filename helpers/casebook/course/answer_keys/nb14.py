"""Answer key of notebook 14 (retraining policy): label delay, holds, extra runs, the rule engine."""

from __future__ import annotations

from typing import Any

import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.monitoring.backtest import backtest
from casebook.monitoring.policy import (
    Observation,
    PolicyState,
    RetrainingPolicy,
    after_retrain,
    decide,
)

KEY = AnswerKey("14")
SCHEDULE, PERFORMANCE = "scheduled (monthly)", "performance + hold"


@KEY.number(
    "extra_cost_of_label_delay_4",
    question=(
        "Outcomes now take 4 weeks to arrive instead of 2. Backtest the 'performance + hold' "
        "policy on the same stream generated with label_delay=4: how much more does it cost in "
        "total than with the 2-week delay?"
    ),
    form="a difference of total costs, in cost units (negative if it costs less)",
    hint=(
        "A performance trigger waits for labels: later labels mean the model keeps making the "
        "same mistakes for longer after a change. Compare the two totals, slow minus current."
    ),
    rel_tol=0.001,
    wrong_example=lambda *, slow_stream, policy, total_now: backtest(slow_stream, policy).total,
    slip="that is the total cost with 4-week labels; the question asks how much more it costs "
    "than with 2-week labels",
)
def extra_cost_of_label_delay_4(
    *, slow_stream: Any, policy: RetrainingPolicy, total_now: float
) -> float:
    return backtest(slow_stream, policy).total - total_now


KEY.choice(
    "policy_during_flash_sale",
    question=(
        "A partner's flash sale starts tomorrow and runs for three weeks; buying behaviour will "
        "be unusual and the performance alert will almost certainly fire. What should the "
        "retraining policy do?"
    ),
    hint=(
        "Remember what happened in section 5 to the policy that learned from the outage weeks, "
        "and why the validation gate did not stop it."
    ),
    options={
        "a": "retraining on the sale weeks teaches the model a behaviour that ends with the "
        "sale: after it, the promoted model is wrong for weeks (section 5's outage)",
        "b": None,
        "c": "the gate's holdout comes from the sale weeks too, so a lower margin only lets the "
        "contaminated challenger through faster",
        "d": "a calendar does not know about the sale: a scheduled run during it trains on the "
        "unusual weeks all the same",
    },
)


def _per_extra_run(summary: pd.DataFrame) -> float:
    table = summary.set_index("policy")
    sched, perf = table.loc[SCHEDULE], table.loc[PERFORMANCE]
    extra = sched["retrains"] - perf["retrains"]
    return float((perf["cumulative_loss"] - sched["cumulative_loss"]) / extra)


@KEY.judgement(
    "keep_monthly_schedule",
    question=(
        "The head of data asks whether to keep the monthly retraining schedule or switch to "
        "'performance + hold'. From the backtest table of section 3, decide, and give the cost "
        "of wrong decisions the schedule avoided per extra run it made (compared with "
        "performance + hold), the number that justifies the call."
    ),
    hint=(
        "An extra run pays for itself only if it avoids more costly errors than one run costs. "
        "Divide the errors the schedule avoided by the number of runs it made on top of the "
        "performance policy's, and compare with the cost of one run."
    ),
    options={
        "keep the schedule": "each extra run of the schedule avoids less in costly errors than "
        "one run costs (or none at all): the extra runs do not pay for themselves",
        "switch to performance + hold": "each extra run of the schedule avoids more in costly "
        "errors than one run costs: here the schedule's extra runs pay for themselves",
    },
    abs_tol=0.05,
)
def keep_monthly_schedule(*, summary: pd.DataFrame, retrain_cost: float) -> tuple[str, float]:
    per_run = _per_extra_run(summary)
    if per_run > retrain_cost:
        return "keep the schedule", per_run
    return "switch to performance + hold", per_run


def _run(signal, *, threshold, disarm, cooldown, serve_late=True):
    """The engine loop shared by the reference and one slip."""
    policy = RetrainingPolicy("p", trigger="drift", threshold=threshold, disarm=disarm,
                              cooldown=cooldown)  # fmt: skip
    state, weeks = PolicyState.initial(trained_at=0), []
    for week, value in enumerate(signal, start=1):
        d = decide(policy, state, Observation(step=week, signal=value))
        state = d.state
        if d.action == "retrain":
            weeks.append(week)
            state = after_retrain(state, step=week, promoted=True)
        elif not serve_late:
            state = PolicyState(alert=state.alert, last_retrain=state.last_retrain)
    return weeks


def _no_hysteresis(signal, *, threshold, disarm, cooldown):
    return _run(signal, threshold=threshold, disarm=threshold, cooldown=cooldown)


def _no_cooldown(signal, *, threshold, disarm, cooldown):
    return _run(signal, threshold=threshold, disarm=disarm, cooldown=0)


def _blocked_request_dropped(signal, *, threshold, disarm, cooldown):
    return _run(signal, threshold=threshold, disarm=disarm, cooldown=cooldown, serve_late=False)


_T = {"threshold": 0.2, "disarm": 0.1}
_HOVER = [0.05, 0.25, 0.18, 0.22, 0.17, 0.21, 0.09, 0.23, 0.08]


@KEY.implement(
    "implement_retrain_weeks",
    question=(
        "Write the drift policy's rule engine for one signal. signal[k] is the signal of week "
        "k + 1 (higher is worse); the model was trained at week 0; every retrain is promoted "
        "and there is always enough fresh data. The alert switches on when the signal is >= "
        "threshold and off only when it is <= disarm. A retrain is requested when the alert "
        "switches on, or when the alert stays on, nothing is waiting, the signal is still >= "
        "threshold and at least max(cooldown, 1) weeks have passed since the last retrain. "
        "When the alert switches off, a waiting request is dropped. A waiting request is "
        "served (the week is a retrain week) as soon as at least `cooldown` weeks have passed "
        "since the last retrain. A None signal (not measured that week) changes nothing. "
        "Return the retrain weeks. Bad input (disarm above threshold, a negative cooldown, a "
        "NaN signal) raises ValueError or TypeError."
    ),
    signature="my_retrain_weeks(signal, *, threshold, disarm, cooldown) -> list of weeks",
    hint=(
        "Keep three things between weeks: whether the alert is on, whether a request is "
        "waiting, and the week of the last retrain. A request blocked by the cooldown is not "
        "forgotten: it waits, unless the alert clears first."
    ),
    cases=[
        Case("hovering signal", args=(_HOVER,), kwargs={**_T, "cooldown": 3}),
        Case("alert during the cooldown", args=([0.3, 0.0, 0.0],), kwargs={**_T, "cooldown": 3}),
        Case(
            "alert persists past the cooldown",
            args=([0.05, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3],),
            kwargs={**_T, "cooldown": 2},
        ),
        Case(
            "request waits for the cooldown",
            args=([0.3, 0.15, 0.15, 0.15, 0.05],),
            kwargs={**_T, "cooldown": 3},
        ),
        Case(
            "alert clears before the cooldown ends",
            args=([0.3, 0.05, 0.05, 0.05],),
            kwargs={**_T, "cooldown": 3},
        ),
        Case("exactly at the levels", args=([0.2, 0.1, 0.2],), kwargs={**_T, "cooldown": 0}),
        Case("missing weeks", args=([None, 0.25, None, 0.05, 0.3],), kwargs={**_T, "cooldown": 1}),
        Case("quiet signal", args=([0.0, 0.05, 0.1, 0.15],), kwargs={**_T, "cooldown": 0}),
        Case("no weeks", args=([],), kwargs={**_T, "cooldown": 2}),
        Case(
            "disarm above threshold",
            args=([0.3],),
            kwargs={"threshold": 0.2, "disarm": 0.3, "cooldown": 0},
        ),  # fmt: skip
        Case("negative cooldown", args=([0.3],), kwargs={**_T, "cooldown": -1}),
        Case("NaN signal", args=([0.1, float("nan")],), kwargs={**_T, "cooldown": 0}),
    ],
    slips={
        "no hysteresis: the alert switches off as soon as the signal drops below threshold": (
            _no_hysteresis
        ),
        "no cooldown: a retrain is served the week it is requested": _no_cooldown,
        "a request blocked by the cooldown is forgotten instead of waiting": (
            _blocked_request_dropped
        ),
    },
)
def my_retrain_weeks(signal: Any, *, threshold: float, disarm: float, cooldown: int) -> list:
    return _run(signal, threshold=threshold, disarm=disarm, cooldown=cooldown)
