"""Plot of a campaign plan: one bar per segment, contact vs not, titled and labeled."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from casebook.decisions.campaigns import campaign_plan
from casebook.plots.campaigns import plot_campaign_plan

PLAN = campaign_plan(
    pd.DataFrame({"users": [100, 300], "aov": [120.0, 25.0]}, index=["loyal", "bargain"]),
    response_rate={"loyal": 0.3, "bargain": 0.1},
    extra_orders={"loyal": 1, "bargain": 1},
    cost_per_user={"loyal": 2.0, "bargain": 3.0},
    margin=0.3,
)


def test_one_bar_per_segment_and_labels():
    ax = plot_campaign_plan(PLAN)
    assert len(ax.patches) == 2 and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["loyal", "bargain"]
    assert len(ax.get_legend().get_texts()) == 2
    plt.close("all")


@pytest.mark.parametrize(
    ("plan", "error", "match"),
    [
        (PLAN.to_numpy(), TypeError, "plan must be a pandas DataFrame"),
        (PLAN.drop(columns="contact"), ValueError, "campaign_plan table"),
        (PLAN.loc[["total"]], ValueError, "at least one segment"),
        (PLAN.assign(users=[1, None, 1]), ValueError, "plan\\['users'\\] must be finite"),
    ],
)
def test_bad_input(plan, error, match):
    with pytest.raises(error, match=match):
        plot_campaign_plan(plan)
