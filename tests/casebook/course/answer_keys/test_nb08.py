"""Answer key of notebook 08: a hand-written alert rule passes, typical slips do not."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from casebook.course.answer_keys import key_for
from casebook.synthetic.credit_stream import CREDIT_FEATURES, make_credit_stream

KEY = key_for("08")


def first_alert_by_records(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
    """The rule over plain dict records, written apart from the package's timeline."""
    if not isinstance(consecutive, int) or consecutive < 1:
        raise ValueError("consecutive must be a positive int")
    needed = {"batch", "min_group_n", "high"}
    if not needed <= set(kpis.columns):
        raise ValueError(f"kpis needs columns {sorted(needed)}")
    run = 0
    for row in kpis.to_dict("records"):
        if row["min_group_n"] < min_group_size or math.isnan(row["high"]):
            continue
        run = run + 1 if row["high"] < tolerance else 0
        if run >= consecutive:
            return int(row["batch"])
    return None


def test_a_hand_written_rule_passes():
    assert KEY.check("implement_alert_rule", first_alert_by_records) is None


def test_typical_wrong_implementations_are_rejected_with_the_failing_case():
    def small_weeks_judged(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
        return first_alert_by_records(
            kpis, tolerance=tolerance, min_group_size=0, consecutive=consecutive
        )

    def first_breach_alerts(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
        return first_alert_by_records(
            kpis, tolerance=tolerance, min_group_size=min_group_size, consecutive=1
        )

    message = KEY.check("implement_alert_rule", small_weeks_judged)
    assert message.startswith("case 'a quiet week inside a run of breaches'"), message
    message = KEY.check("implement_alert_rule", first_breach_alerts)
    assert message.startswith("case 'a drift that builds up'"), message


def test_first_alert_with_later_drift_is_a_judged_run_below_the_tolerance():
    stream = make_credit_stream(40, seed=0, batch_size=120, development_size=600, drift_week=30)
    features = list(CREDIT_FEATURES)
    dev = stream[stream["week"] == 0]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(dev[features], dev["repaid"])
    threshold = float(np.quantile(model.predict_proba(dev[features])[:, 1], 0.4))
    settings = {
        "n_resamples": 50,
        "seed": 0,
        "tolerance": 0.8,
        "min_group_size": 30,
        "consecutive": 2,
    }
    inputs = {"stream": stream, "model": model, "threshold": threshold, "settings": settings}
    exercise = KEY.exercise("first_alert_with_later_drift", inputs=inputs)  # computed once
    week = exercise.solution()
    assert 30 < week <= 40
    # by hand: the approval-rate ratio (min / max over age groups) of the alert week is below 0.8
    live = stream[stream["week"] == week]
    approved = pd.Series(model.predict_proba(live[features])[:, 1] >= threshold)
    rates = approved.groupby(live["age_group"].astype(str).to_numpy()).mean()
    assert rates.min() / rates.max() < 0.8
    assert exercise.feedback(week) is None
    assert "typical slip: that is the week of the injection" in exercise.feedback(30)


@pytest.mark.parametrize(("current", "call"), [(30, "raise"), (120, "keep")])
def test_min_group_size_call_follows_the_margin(current, call):
    needed = math.ceil(1.959964**2 * 0.6 * 0.4 / 0.10**2)  # z² p (1 - p) / margin²
    inputs = {"min_group_size": current}
    assert KEY.check("min_group_size_for_margin", (call, needed), inputs=inputs) is None
    other = "keep" if call == "raise" else "raise"
    assert "is not the right call" in KEY.check(
        "min_group_size_for_margin", (other, needed), inputs=inputs
    )
    assert "right call, but the number" in KEY.check(
        "min_group_size_for_margin", (call, 385), inputs=inputs
    )


@pytest.mark.parametrize(
    ("ci", "call"),
    [((0.95, 0.9, 0.99), "close"), ((0.8, 0.7, 0.9), "downgrade"), ((0.6, 0.5, 0.7), "keep open")],
)
def test_incident_status_follows_the_interval(ci, call):
    inputs = {"retrained_ratio_ci": list(ci), "tolerance": 0.8}
    assert KEY.check("incident_status", (call, ci[1]), inputs=inputs) is None
    wrong = next(c for c in ("close", "downgrade", "keep open") if c != call)
    assert KEY.check("incident_status", (wrong, ci[1]), inputs=inputs) is not None
    assert KEY.check("incident_status", (call, ci[2]), inputs=inputs) is not None  # upper end
