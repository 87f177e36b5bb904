"""Answer key of notebook 00 (start here): the Telco churn table."""

from __future__ import annotations

import pandas as pd

from casebook.course.answer_keys._key import AnswerKey

KEY = AnswerKey("00")


@KEY.number(
    "fiber_churn_rate",
    question="What share of fiber-optic internet customers churned?",
    form="a fraction between 0 and 1",
    hint="Narrow the table to the customers the question is about before you average anything.",
    abs_tol=0.005,
    wrong_example=lambda *, customers: float((customers["churn"] == "Yes").mean()),
    slip="that is the churn rate of all customers, not of the fiber-optic ones",
)
def fiber_churn_rate(*, customers: pd.DataFrame) -> float:
    fiber = customers["internet_service"] == "Fiber optic"
    return float((customers.loc[fiber, "churn"] == "Yes").mean())


@KEY.judgement(
    "who_to_call",
    question=(
        "The retention budget allows calling one contract group this month. Which group, "
        "and what is its churn rate?"
    ),
    hint="Call where the most customers are about to leave; the bar chart has the rates.",
    options={
        "Month-to-month": "in this data it is not the group that churns most",
        "One year": "a one-year contract locks customers in: its churn rate is far below the "
        "month-to-month group's, so a call there saves fewer customers",
        "Two year": "two-year customers almost never leave: calling them spends the budget on "
        "people who would have stayed anyway",
    },
    abs_tol=0.005,
)
def who_to_call(*, customers: pd.DataFrame) -> tuple[str, float]:
    rates = (customers["churn"] == "Yes").groupby(customers["contract"], observed=True).mean()
    return str(rates.idxmax()), float(rates.max())
