"""Answer key of notebook 16 (customer segments): RFM as of a cut-off, a win-back offer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.modeling.customer_features import customer_features

KEY = AnswerKey("16")
RFM = ["recency_days", "frequency", "monetary"]
RICH_COST, RICH_RESPONSE, RICH_EXTRA_ORDERS = 6.0, 0.15, 1.0


KEY.choice(
    "query_a_month_later",
    question=(
        "A colleague builds the RFM features with a query run a month after the cut-off, on "
        "every event in the warehouse, and backtests the campaign plan on them. What goes wrong?"
    ),
    hint=(
        "Ask what the marketing team could have known on the decision date, and what section 2 "
        "measured when the features were built without the cut-off."
    ),
    options={
        "nothing": "the extra month was not known on the decision date: a campaign decided then "
        "cannot use it, so the features describe customers the team never saw",
        "leak": None,
        "only recency": "frequency and monetary move too: orders placed after the cut-off are "
        "counted, and section 2 measured how many users' order counts change",
    },
)


@KEY.judgement(
    "winback_offer",
    question=(
        "Marketing proposes a richer win-back offer for the lapsed segment: it costs $6 per "
        "contacted user and 15% respond, each with one extra order. Should the lapsed segment "
        "get the 'richer offer', the 'current offer' of the plan, or 'no win-back campaign' at "
        "all? Give the call and the richer offer's expected value per contacted lapsed user, "
        "in dollars."
    ),
    hint=(
        "Price the richer offer with the same formula as the plan (response rate x extra "
        "orders x average order value x margin - cost), using the lapsed segment's average "
        "order value from this run, and compare it with the current offer's value per user. "
        "Contacting only pays if the better of the two is positive."
    ),
    options={
        "richer offer": "the richer offer does not earn more per contacted lapsed user than "
        "the current one, or neither offer pays for its contacts",
        "current offer": "the current offer is not the best use of the lapsed segment: either "
        "the richer offer earns more per contacted user, or the current offer loses money",
        "no win-back campaign": "at least one of the offers earns more per contacted lapsed "
        "user than it costs, so skipping the segment leaves money on the table",
    },
    abs_tol=0.05,
)
def winback_offer(*, economics: pd.DataFrame, plan: pd.DataFrame, margin: float) -> tuple:
    aov = float(economics.loc["lapsed", "aov"])
    richer = RICH_RESPONSE * RICH_EXTRA_ORDERS * aov * margin - RICH_COST
    current = float(plan.loc["lapsed", "value_per_user"])
    if max(richer, current) <= 0:
        return "no win-back campaign", richer
    return ("richer offer" if richer > current else "current offer"), richer


def _rfm_by_hand(events, cutoff, *, keep_cutoff=False, last_any=False, total=False):
    """One pandas implementation with a switch per typical slip."""
    cut = pd.Timestamp(cutoff)
    before = (
        events[events["timestamp"] <= cut] if keep_cutoff else events[events["timestamp"] < cut]
    )
    days = (cut - before["timestamp"]).dt.total_seconds() / 86_400.0
    frame = before.assign(days=days, is_order=before["event"].eq("order"))
    frame = frame.assign(order_days=frame["days"].where(frame["is_order"]))
    frame = frame.assign(order_value=frame["value"].where(frame["is_order"], 0.0))
    users = frame.groupby("user_id", sort=True)
    frequency = users["is_order"].sum().astype(int)
    spent = users["order_value"].sum()
    last = users["days"].min() if last_any else users["order_days"].min()
    out = pd.DataFrame(
        {
            "recency_days": last.fillna(users["days"].max()),
            "frequency": frequency,
            "monetary": spent
            if total
            else (spent / frequency.clip(lower=1)).where(frequency > 0, 0.0),
        }
    )
    return out


def _keeps_cutoff(events, cutoff):
    return _rfm_by_hand(events, cutoff, keep_cutoff=True)


def _recency_of_any_event(events, cutoff):
    return _rfm_by_hand(events, cutoff, last_any=True)


def _total_not_average(events, cutoff):
    return _rfm_by_hand(events, cutoff, total=True)


def _log(*rows: tuple) -> pd.DataFrame:
    """Events from (user, session, time, event, value) rows."""
    frame = pd.DataFrame(rows, columns=["user_id", "session_id", "timestamp", "event", "value"])
    return frame.assign(timestamp=pd.to_datetime(frame["timestamp"]),
                        value=frame["value"].astype(float))  # fmt: skip


_CUT = pd.Timestamp("2025-01-01")
_TYPICAL = _log(
    (1, 10, "2024-12-01 10:00", "view", 0), (1, 10, "2024-12-01 10:05", "cart", 0),
    (1, 10, "2024-12-01 10:09", "order", 80), (1, 11, "2024-12-20 18:00", "order", 40),
    (1, 12, "2024-12-28 09:00", "view", 0), (2, 20, "2024-11-15 12:00", "view", 0),
    (2, 21, "2024-12-10 08:30", "order", 25), (3, 30, "2024-12-30 22:00", "view", 0),
    (3, 30, "2024-12-30 22:10", "cart", 0), (2, 22, "2025-01-05 09:00", "order", 60),
)  # fmt: skip
_AT_CUT = _log(
    (1, 10, "2024-12-15 10:00", "order", 50), (1, 11, "2025-01-01 00:00", "order", 90),
    (2, 20, "2024-12-31 23:00", "view", 0), (2, 20, "2025-01-01 00:00", "order", 30),
)  # fmt: skip
_AFTER_ONLY = _log(
    (1, 10, "2024-12-24 06:00", "order", 35), (1, 10, "2024-12-24 06:00", "view", 0),
    (5, 50, "2025-01-02 10:00", "order", 200), (5, 50, "2025-01-02 09:00", "view", 0),
)  # fmt: skip
_BROWSERS = _log(
    (7, 70, "2024-10-01 00:00", "view", 0), (7, 71, "2024-12-31 12:00", "view", 0),
    (8, 80, "2024-12-31 18:00", "cart", 0), (9, 90, "2024-12-01 00:00", "order", 0),
)  # fmt: skip


@KEY.implement(
    "implement_rfm",
    question=(
        "Write RFM as of a cut-off: a DataFrame indexed by user_id (sorted; only users with an "
        "event before the cut-off) with the columns recency_days, frequency, monetary, in that "
        "order. Only events strictly before `cutoff` count. recency_days is the time from the "
        "user's last order to the cut-off in fractional days (for a user without orders, from "
        "their first event); frequency is the number of orders; monetary is the average order "
        "value (0 without orders). Bad input (no event before the cut-off, a missing column, a "
        "cut-off that is not a date) raises ValueError or TypeError."
    ),
    signature="my_rfm(events, cutoff) -> DataFrame indexed by user_id",
    hint=(
        "Cut the log first, then build everything from what is left: the decision on the "
        "cut-off date could not see that day's events or anything later. Recency counts from "
        "the last order, not from the last visit, and money is per order, not per customer."
    ),
    cases=[
        Case("three users, mixed events", args=(_TYPICAL, _CUT)),
        Case("events exactly at the cut-off", args=(_AT_CUT, _CUT)),
        Case("a user seen only after the cut-off", args=(_AFTER_ONLY, _CUT)),
        Case("users without orders, and a free order", args=(_BROWSERS, _CUT)),
        Case("the cut-off given as text", args=(_TYPICAL, "2024-12-25")),
        Case("no event before the cut-off", args=(_TYPICAL, "2024-01-01")),
        Case("the value column is missing", args=(_TYPICAL.drop(columns="value"), _CUT)),
        Case("a cut-off that is not a date", args=(_TYPICAL, "next Monday")),
    ],
    slips={
        "keeps the events on the cut-off itself (<= instead of <)": _keeps_cutoff,
        "recency from the last event of any kind, not the last order": _recency_of_any_event,
        "monetary is the total spent, not the average order value": _total_not_average,
    },
)
def my_rfm(events: Any, cutoff: Any) -> pd.DataFrame:
    table = customer_features(events, cutoff=cutoff)[RFM]
    return table.astype({"frequency": np.int64})
