"""Answer key of notebook 05: an independent four-fifths check passes, typical slips do not."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("05")


def four_fifths_by_loops(y_pred, groups):
    """Counts with plain Python, written apart from the reference's bincount."""
    y_pred, groups = list(y_pred), list(groups)
    if len(y_pred) != len(groups):
        raise ValueError("y_pred and groups must have the same length")
    if not y_pred:
        raise ValueError("no rows")
    if any(g is None or (isinstance(g, float) and math.isnan(g)) for g in groups):
        raise ValueError("a group label is missing")
    if any(v not in (0, 1) for v in y_pred):
        raise ValueError("y_pred must hold 0/1 decisions")
    size, chosen = Counter(groups), Counter(g for g, v in zip(groups, y_pred, strict=True) if v)
    if len(size) < 2:
        raise ValueError("need two groups")
    rates = {g: chosen[g] / size[g] for g in size}
    if max(rates.values()) == 0:
        raise ValueError("nobody selected")
    return rates, min(rates.values()) / max(rates.values())


def test_an_independent_implementation_passes():
    assert KEY.check("implement_four_fifths", four_fifths_by_loops) is None


def test_typical_wrong_implementations_are_rejected_with_the_failing_case():
    def difference_not_ratio(y_pred, groups):
        rates, _ = four_fifths_by_loops(y_pred, groups)
        return rates, max(rates.values()) - min(rates.values())

    def no_bad_input_checks(y_pred, groups):
        rates = pd.Series(y_pred, dtype=float).groupby(pd.Series(groups)).mean()
        return rates.to_dict(), float(rates.min() / rates.max()) if rates.max() else 0.0

    message = KEY.check("implement_four_fifths", difference_not_ratio)
    assert message.startswith("case 'two groups, women selected less'"), message
    message = KEY.check("implement_four_fifths", no_bad_input_checks)
    assert message.startswith("case 'nobody selected at all'"), message
    assert "bad input" in message


def test_race_ratio_reads_only_the_two_groups():
    race = ["White"] * 4 + ["Black"] * 4 + ["Other"] * 2
    y_pred = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    inputs = {"y_pred": y_pred, "race": race}
    assert KEY.check("race_dp_ratio", 0.5, inputs=inputs) is None
    assert "typical slip: that is the difference" in KEY.check("race_dp_ratio", 0.25, inputs=inputs)
    assert KEY.check("race_dp_ratio", 0.0, inputs=inputs) is not None  # "Other" counted


def test_criteria_conflict_choice():
    assert KEY.check("criteria_conflict", "perfect model or equal base rates") is None
    assert "however good the model" in KEY.check("criteria_conflict", "better model")


def sheet(low, high):
    return pd.DataFrame(
        {
            "criterion": ["demographic_parity", "demographic_parity"],
            "method": ["difference", "ratio"],
            "low": [0.1, low],
            "high": [0.2, high],
        }
    )


@pytest.mark.parametrize(
    ("low", "high", "call"),
    [(0.3, 0.4, "hold"), (0.82, 0.95, "launch"), (0.7, 0.9, "collect more data")],
)
def test_launch_decision_follows_the_whole_interval(low, high, call):
    inputs = {"sheet": sheet(low, high)}
    assert KEY.check("launch_under_four_fifths", (call, high), inputs=inputs) is None
    wrong = "launch" if call != "launch" else "hold"
    assert "is not the right call" in KEY.check(
        "launch_under_four_fifths", (wrong, high), inputs=inputs
    )
    assert "right call, but the number" in KEY.check(
        "launch_under_four_fifths", (call, low), inputs=inputs
    )


def test_extra_women_selected_counts_people_not_rates():
    score = [0.9, 0.45, 0.42, 0.3, 0.6, 0.48, 0.2, 0.55]
    sex = ["Female"] * 5 + ["Male"] * 3
    inputs = {"score": score, "sex": sex, "thresholds": {"Female": 0.4, "Male": 0.52}}
    # women at 0.5: 0.9 and 0.6 (2); at 0.4: also 0.45 and 0.42 (4); men do not count
    assert KEY.check("extra_women_selected", 2, inputs=inputs) is None
    assert "typical slip: that is the change in the women's selection rate" in KEY.check(
        "extra_women_selected", 2 / 5, inputs=inputs
    )
    assert KEY.check("extra_women_selected", 1, inputs=inputs) is not None  # men's change mixed in
