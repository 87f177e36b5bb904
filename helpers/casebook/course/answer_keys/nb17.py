"""Answer key of notebook 17 (training-serving skew): the path-agreement check, monitor or test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.modeling.feature_paths import compare_feature_tables
from casebook.monitoring.drift.features import feature_drift
from casebook.monitoring.drift.stats import psi

KEY = AnswerKey("17")

SKEWED = "days_since_gambling"


@KEY.judgement(
    "monitor_or_agreement_check",
    question=(
        "The platform team proposes to rely on the weekly drift monitor instead of an agreement "
        "test between the batch and serving paths. For the timezone bug, is the drift monitor "
        "enough? Give the share of production rows on which days_since_gambling, served with "
        "the timezone bug, disagrees with the batch path."
    ),
    hint=(
        "Ask two questions of the same served table: does any feature's PSI against the "
        "training table reach the monitor's threshold (0.1), and on how many rows does the "
        "served value differ from the batch value at all?"
    ),
    options={
        "the drift monitor is enough": "the monitor's PSI stays under its threshold for the "
        "timezone bug while the served values differ from the batch values on many rows: the "
        "bug would ship unnoticed",
        "add the agreement check": "here the drift monitor already flags the timezone bug, so "
        "it would have caught it; the agreement check is still good practice, but not what "
        "these data show is missing",
    },
    abs_tol=0.01,
)
def monitor_or_agreement_check(
    *, batch: pd.DataFrame, served: pd.DataFrame, train: pd.DataFrame
) -> tuple[str, float]:
    names = list(batch.columns)
    table = feature_drift(train, served, numeric=names, categorical=[])
    share = 1 - compare_feature_tables(batch, served).set_index("feature").loc[SKEWED, "agreement"]
    monitor_sees_it = bool((table["effect_value"] >= 0.1).any())
    return ("the drift monitor is enough" if monitor_sees_it else "add the agreement check"), float(
        share
    )


@KEY.number(
    "psi_of_the_skewed_feature",
    question=(
        "What PSI does the drift monitor compute for days_since_gambling when the service "
        "serves an empty window as 0: the served values against the training table's values, "
        "on ten quantile bins of the training values?"
    ),
    form="a PSI, a number >= 0 (0.1 is the usual alert threshold)",
    hint=(
        "Bin the training values at their deciles, count the share of served values in each "
        "bin, and sum (served share - training share) x ln(served share / training share). "
        "Think about where the zeros land, and what happened to the missing values."
    ),
    abs_tol=0.03,
    wrong_example=lambda *, train, served: psi(train[SKEWED], train[SKEWED]).statistic,
    slip="comparing the training values with themselves (or with the batch path's values, "
    "whose missing values are dropped before binning) shows no shift; the monitor reads the "
    "served table, where the missing values have become zeros",
)
def psi_of_the_skewed_feature(*, train: pd.DataFrame, served: pd.DataFrame) -> float:
    return float(psi(train[SKEWED], served[SKEWED]).statistic)


def _nan_never_agrees(offline, online):
    return (offline == online).mean()


def _nan_as_zero(offline, online):
    return (offline.fillna(0) == online.fillna(0)).mean()


def _table(**cols) -> pd.DataFrame:
    return pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in cols.items()})


_A = _table(count=[1, 2, 3, 0], days=[2.5, np.nan, 10.0, np.nan])
_B = _table(count=[1, 3, 3, 0], days=[2.5, np.nan, 9.0, 0.0])
_SAME = _table(count=[4, 0], days=[np.nan, 1.25])
_SWAPPED = _A[["days", "count"]]
_SHIFTED = _B.set_axis([10, 11, 12, 13])


@KEY.implement(
    "implement_path_agreement",
    question=(
        "Given two feature tables of the same requests (same index, same columns), return for "
        "each column the share of rows on which they agree, as a pandas Series indexed by column "
        "name. Equal numbers agree; a NaN agrees only with a NaN. Different columns or a "
        "different index raise ValueError."
    ),
    signature="my_agreement(offline, online)",
    hint=(
        "Compare value by value, then decide what two missing values mean: the same "
        "'no event' on both paths is agreement, while a missing value against a 0 is exactly "
        "the bug this check exists to find."
    ),
    cases=[
        Case("typical: counts and days since the last event", args=(_A, _B)),
        Case("identical tables with NaN on both sides", args=(_SAME, _SAME.copy())),
        Case("NaN served as 0", args=(_A, _A.fillna(0.0))),
        Case("columns in another order", args=(_A, _SWAPPED)),
        Case("another index (other requests)", args=(_A, _SHIFTED)),
    ],
    slips={
        "compares with == only, so two NaN never agree": _nan_never_agrees,
        "fills NaN with 0 before comparing, so a NaN served as 0 counts as agreement": (
            _nan_as_zero
        ),
    },
)
def my_agreement(offline, online):
    table = compare_feature_tables(offline, online)
    return pd.Series(table["agreement"].to_numpy(), index=table["feature"].to_numpy())
