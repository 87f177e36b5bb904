"""The campaign plan: expected value per user and in total, from stated assumptions."""

import numpy as np
import pandas as pd
import pytest

from casebook.decisions.campaigns import campaign_plan

PROFILE = pd.DataFrame({"users": [100, 300, 50], "aov": [120.0, 25.0, 60.0]}, index=["a", "b", "c"])
ASSUME = {
    "response_rate": {"a": 0.3, "b": 0.1, "c": 0.5},
    "extra_orders": {"a": 1.0, "b": 2.0, "c": 1.0},
    "cost_per_user": {"a": 2.0, "b": 3.0, "c": 0.0},
    "margin": 0.25,
}


def test_values_by_hand():
    plan = campaign_plan(PROFILE, **ASSUME, actions={"a": "vip", "b": "coupon"})
    assert plan.loc["a", "value_per_responder"] == pytest.approx(120 * 0.25)
    assert plan.loc["a", "value_per_user"] == pytest.approx(0.3 * 30 - 2)
    assert plan.loc["b", "value_per_user"] == pytest.approx(0.1 * 2 * 25 * 0.25 - 3)
    assert plan.loc["a", "total_value"] == pytest.approx(700)
    assert plan.loc["a", "contact"] and not plan.loc["b", "contact"] and plan.loc["c", "contact"]
    assert plan.loc["total", "total_value"] == pytest.approx(700 + 50 * 0.5 * 60 * 0.25)
    assert plan.loc["total", "users"] == 150
    assert plan.loc["total", "total_cost"] == pytest.approx(200)
    assert plan.loc["c", "action"] == "" and plan.loc["a", "action"] == "vip"


def test_value_scales_with_margin_and_a_zero_response_never_pays():
    lo = campaign_plan(PROFILE, **{**ASSUME, "margin": 0.1})
    hi = campaign_plan(PROFILE, **{**ASSUME, "margin": 0.5})
    seg = ["a", "b", "c"]
    assert (hi.loc[seg, "value_per_user"] > lo.loc[seg, "value_per_user"]).all()
    none = campaign_plan(PROFILE, **{**ASSUME, "response_rate": dict.fromkeys("abc", 0.0)})
    assert not none.loc[seg, "contact"].any() and none.loc["total", "total_value"] == 0


@pytest.mark.parametrize(
    ("profile", "override", "error", "match"),
    [
        (PROFILE.to_numpy(), {}, TypeError, "profile must be a pandas DataFrame"),
        (PROFILE.drop(columns="aov"), {}, ValueError, "missing \\['aov'\\]"),
        (PROFILE.iloc[:0], {}, ValueError, "at least one segment"),
        (PROFILE.set_axis(["a", "a", "c"]), {}, ValueError, "unique"),
        (PROFILE.assign(aov=[1.0, np.nan, 2.0]), {}, ValueError, "profile\\['aov'\\]"),
        (PROFILE.assign(users=[1, -2, 3]), {}, ValueError, "profile\\['users'\\]"),
        (PROFILE, {"margin": 0.0}, ValueError, "margin"),
        (PROFILE, {"margin": True}, ValueError, "margin"),
        (PROFILE, {"response_rate": [0.1]}, TypeError, "response_rate must be a mapping"),
        (PROFILE, {"response_rate": {"a": 0.1}}, ValueError, "missing \\['b', 'c'\\]"),
        (
            PROFILE,
            {"response_rate": {"a": 1.5, "b": 0, "c": 0}},
            ValueError,
            "response_rate\\['a'\\]",
        ),
        (PROFILE, {"extra_orders": {"a": -1, "b": 0, "c": 0}}, ValueError, "extra_orders\\['a'\\]"),
        (
            PROFILE,
            {"cost_per_user": {"a": "2", "b": 0, "c": 0}},
            TypeError,
            "cost_per_user\\['a'\\]",
        ),
        (PROFILE, {"cost_per_user": {"a": np.inf, "b": 0, "c": 0}}, ValueError, "cost_per_user"),
        (PROFILE, {"actions": ["x"]}, TypeError, "actions must be a mapping"),
    ],
)
def test_bad_input(profile, override, error, match):
    with pytest.raises(error, match=match):
        campaign_plan(profile, **{**ASSUME, **override})
