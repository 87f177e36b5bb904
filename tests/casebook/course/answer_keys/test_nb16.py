"""Answer key of notebook 16: an independent point-in-time RFM passes, typical slips do not."""

from __future__ import annotations

import pandas as pd
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("16")


def rfm_by_loops(events, cutoff):
    """Row by row with plain dicts, written apart from the reference's groupby."""
    cut = pd.Timestamp(cutoff)  # ValueError for text that is not a date
    missing = {"user_id", "timestamp", "event", "value"} - set(events.columns)
    if missing:
        raise ValueError(f"events lack the columns {sorted(missing)}")
    first, last_order, orders, spent = {}, {}, {}, {}
    for row in events[["user_id", "timestamp", "event", "value"]].itertuples(index=False):
        if not row.timestamp < cut:
            continue
        first[row.user_id] = min(first.get(row.user_id, row.timestamp), row.timestamp)
        if row.event == "order":
            last_order[row.user_id] = max(last_order.get(row.user_id, row.timestamp), row.timestamp)
            orders[row.user_id] = orders.get(row.user_id, 0) + 1
            spent[row.user_id] = spent.get(row.user_id, 0.0) + row.value
    if not first:
        raise ValueError("no event before the cut-off")
    rows = {}
    for user in sorted(first):
        since = last_order.get(user, first[user])
        n = orders.get(user, 0)
        rows[user] = {
            "recency_days": (cut - since).total_seconds() / 86_400,
            "frequency": n,
            "monetary": spent[user] / n if n else 0.0,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def test_an_independent_rfm_passes():
    assert KEY.check("implement_rfm", rfm_by_loops) is None


def test_typical_wrong_rfms_are_rejected_with_the_failing_case():
    def whole_days(events, cutoff):
        table = rfm_by_loops(events, cutoff)
        return table.assign(recency_days=table["recency_days"].astype(int))

    def averages_over_all_events(events, cutoff):
        table = rfm_by_loops(events, cutoff)
        before = events[events["timestamp"] < pd.Timestamp(cutoff)]
        return table.assign(monetary=before.groupby("user_id")["value"].mean())

    message = KEY.check("implement_rfm", whole_days)
    assert message.startswith("case 'three users, mixed events'"), message
    message = KEY.check("implement_rfm", averages_over_all_events)
    assert message.startswith("case 'three users, mixed events'"), message


def inputs(aov, current_value):
    economics = pd.DataFrame({"users": [100, 80], "aov": [90.0, aov]}, index=["loyal", "lapsed"])
    plan = pd.DataFrame(
        {"value_per_user": [5.0, current_value, 0.0]}, index=["loyal", "lapsed", "total"]
    )
    return {"economics": economics, "plan": plan, "margin": 0.3}


@pytest.mark.parametrize(
    ("aov", "current_value", "call"),
    [
        (300.0, 1.0, "richer offer"),  # 0.15 * 300 * 0.3 - 6 = 7.5 > 1
        (200.0, 3.0, "current offer"),  # 0.15 * 200 * 0.3 - 6 = 3.0, not more than 3
        (100.0, -1.0, "no win-back campaign"),  # -1.5 and -1: neither pays
    ],
)
def test_winback_offer_compares_both_offers(aov, current_value, call):
    richer = 0.15 * aov * 0.3 - 6
    data = inputs(aov, current_value)
    assert KEY.check("winback_offer", (call, richer), inputs=data) is None
    other = "richer offer" if call != "richer offer" else "current offer"
    assert "is not the right call" in KEY.check("winback_offer", (other, richer), inputs=data)
    before_cost = richer + 6  # the responses' value, forgetting the contact cost
    assert "right call, but the number" in KEY.check(
        "winback_offer", (call, before_cost), inputs=data
    )


def test_query_a_month_later_choice():
    assert KEY.check("query_a_month_later", "leak") is None
    assert "not known on the decision date" in KEY.check("query_a_month_later", "nothing")
    assert "frequency and monetary move too" in KEY.check("query_a_month_later", "only recency")
