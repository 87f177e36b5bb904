"""Weekly scoring batches derived from the real Telco churn data, with documented injections.

The Telco table is split (stratified on churn, seeded) into a *training* set
(50%) for the model, a *reference* set (25%) the monitor compares against,
and a *pool* (25%) from which each week's batch is drawn with replacement.
A clean week is therefore the same population as the reference; an injected
week departs from it in one planted, documented way.

Default schedule (16 weeks, see :data:`DEFAULT_INJECTIONS`)
------------------------------------------------------------
======  =================  ==================================================
weeks   kind               what is planted
======  =================  ==================================================
1-3     control            clean batches
4-6     gradual_shift      short-tenure customers are over-sampled with
                           weights ``exp(-beta * z_tenure)``, ``beta`` = 0.6,
                           0.9, 1.2 (on the Telco data the batch tenure
                           mean falls from ~33 to ~19, ~15, ~11 months)
7       control            clean
8-9     sudden_shift       a promotion brings fiber-optic customers: 80% of
                           the rows come from fiber-optic customers (share
                           rises from ~44% to ~89%)
10      control            clean
11      unit_change        pipeline bug: ``monthly_charges`` sent in cents
                           (x100)
12      control            clean
13      schema_change      upstream rename ``total_charges`` ->
                           ``TotalCharges`` and ``senior_citizen`` sent as
                           text ``"0"``/``"1"``
14      control            clean
15      default_fill       pipeline bug: failed join fills ``tenure`` with
                           its default 0 for every row
16      control            clean
======  =================  ==================================================

Labels (``churn``) travel with each batch; a monitor should only use them
once they "arrive" (the notebook delays them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from casebook._validation.arrays import check_columns_present, plain_frame

__all__ = ["DEFAULT_INJECTIONS", "Injection", "WeeklyBatches", "make_weekly_batches"]

Kind = Literal["gradual_shift", "sudden_shift", "unit_change", "schema_change", "default_fill"]
_KINDS = ("gradual_shift", "sudden_shift", "unit_change", "schema_change", "default_fill")
_REQUIRED = ("tenure", "monthly_charges", "total_charges", "internet_service", "senior_citizen")
_NUMERIC = ("tenure", "monthly_charges", "total_charges", "senior_citizen")


@dataclass(frozen=True)
class Injection:
    """One planted change to the weekly batches.

    Attributes
    ----------
    name : str
        Short identifier shown in reports.
    kind : {"gradual_shift", "sudden_shift", "unit_change", "schema_change", "default_fill"}
        What is planted (module docstring).
    start_week, end_week : int
        First and last affected week (1-based, inclusive).
    columns : tuple of str
        Columns changed directly.
    description : str
        One sentence for the schedule.
    """

    name: str
    kind: Kind
    start_week: int
    end_week: int
    columns: tuple[str, ...]
    description: str


DEFAULT_INJECTIONS: tuple[Injection, ...] = (
    Injection("gradual_tenure_shift", "gradual_shift", 4, 6, ("tenure",),
              "short-tenure customers over-sampled, growing each week"),
    Injection("fiber_promotion", "sudden_shift", 8, 9, ("internet_service",),
              "promotion: 80% of rows from fiber-optic customers"),
    Injection("charges_in_cents", "unit_change", 11, 11, ("monthly_charges",),
              "pipeline bug: monthly_charges sent in cents (x100)"),
    Injection("upstream_schema_change", "schema_change", 13, 13,
              ("total_charges", "senior_citizen"),
              "total_charges renamed TotalCharges; senior_citizen sent as text"),
    Injection("tenure_default_fill", "default_fill", 15, 15, ("tenure",),
              "pipeline bug: failed join fills tenure with 0"),
)  # fmt: skip

GRADUAL_BETAS = (0.6, 0.9, 1.2)
FIBER_SHARE = 0.8


@dataclass(frozen=True)
class WeeklyBatches:
    """The split data, the weekly batches and their schedule.

    Attributes
    ----------
    train : pandas.DataFrame
        Rows for fitting the model (50%).
    reference : pandas.DataFrame
        Held-out rows the monitor compares against (25%).
    batches : dict of int -> pandas.DataFrame
        Week number (1-based) to that week's batch, labels included.
    schedule : pandas.DataFrame
        One row per week: ``week``, ``kind`` ("control" or the injection's
        kind), ``injection`` (name or ""), ``starts`` (first week of an
        injection), ``columns``, ``description``.
    """

    train: pd.DataFrame
    reference: pd.DataFrame
    batches: dict[int, pd.DataFrame]
    schedule: pd.DataFrame


def _validate(
    data: pd.DataFrame, target: str, n_weeks: int, batch_size: int, injections: Sequence[Injection]
) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in (target, *_REQUIRED) if c not in data.columns]
    if missing:
        raise ValueError(f"data must have the Telco columns {missing}; got {list(data.columns)}")
    if len(data) == 0:
        raise ValueError("data must have rows to split into reference and batches, got 0 rows")
    check_columns_present(data, [target], name="data")
    not_numeric = [
        c
        for c in _NUMERIC
        if not pd.api.types.is_numeric_dtype(data[c]) or pd.api.types.is_bool_dtype(data[c])
    ]
    if not_numeric:
        dtypes = {c: str(data[c].dtype) for c in not_numeric}
        raise TypeError(f"data columns {not_numeric} must be numeric, got dtypes {dtypes}")
    if isinstance(n_weeks, bool) or not isinstance(n_weeks, (int, np.integer)) or n_weeks < 1:
        raise ValueError(f"n_weeks must be a positive integer, got {n_weeks!r}")
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 10
    ):
        raise ValueError(f"batch_size must be an integer >= 10, got {batch_size!r}")
    taken: set[int] = set()
    for inj in injections:
        if inj.kind not in _KINDS:
            raise ValueError(f"injection kind must be one of {_KINDS}, got {inj.kind!r}")
        if not 1 <= inj.start_week <= inj.end_week <= n_weeks:
            raise ValueError(
                f"injection {inj.name!r} weeks must satisfy 1 <= start <= end <= {n_weeks}, "
                f"got {inj.start_week}..{inj.end_week}"
            )
        weeks = set(range(inj.start_week, inj.end_week + 1))
        if weeks & taken:
            raise ValueError(f"injections must not overlap, {inj.name!r} overlaps another")
        taken |= weeks


def _draw(
    pool: pd.DataFrame, n: int, rng: np.random.Generator, weights: np.ndarray | None = None
) -> pd.DataFrame:
    p = None if weights is None else weights / weights.sum()
    idx = rng.choice(len(pool), size=n, replace=True, p=p)
    return pool.iloc[idx].reset_index(drop=True)


def _inject(
    inj: Injection, week: int, pool: pd.DataFrame, n: int, rng: np.random.Generator
) -> pd.DataFrame:
    if inj.kind == "gradual_shift":
        step = min(week - inj.start_week, len(GRADUAL_BETAS) - 1)
        tenure = pool["tenure"].to_numpy(dtype=float)
        z = (tenure - tenure.mean()) / tenure.std()
        return _draw(pool, n, rng, np.exp(-GRADUAL_BETAS[step] * z))
    if inj.kind == "sudden_shift":
        fiber = pool[pool["internet_service"].astype(str) == "Fiber optic"]
        n_fiber = int(round(FIBER_SHARE * n))
        batch = pd.concat([_draw(fiber, n_fiber, rng), _draw(pool, n - n_fiber, rng)])
        return batch.sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(drop=True)
    batch = _draw(pool, n, rng)
    if inj.kind == "unit_change":
        batch["monthly_charges"] = batch["monthly_charges"] * 100
    elif inj.kind == "schema_change":
        batch = batch.rename(columns={"total_charges": "TotalCharges"})
        batch["senior_citizen"] = batch["senior_citizen"].astype(str)
    else:  # default_fill
        batch["tenure"] = 0
    return batch


def make_weekly_batches(
    data: pd.DataFrame,
    *,
    n_weeks: int = 16,
    batch_size: int = 500,
    injections: Sequence[Injection] = DEFAULT_INJECTIONS,
    target: str = "churn",
    seed: int = 0,
) -> WeeklyBatches:
    """Split the Telco data and derive weekly batches with planted injections.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`casebook.data.load_telco_churn` output (or a subsample of it).
    n_weeks : int, default=16
        Number of weeks; weeks without an injection are clean controls.
    batch_size : int, default=500
        Rows per week, drawn with replacement from the pool.
    injections : sequence of Injection, default=DEFAULT_INJECTIONS
        What to plant and when (non-overlapping; module docstring).
    target : str, default="churn"
        Label column, used to stratify the split.
    seed : int, default=0
        Seed of the split and of every draw.

    Returns
    -------
    WeeklyBatches

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> toy = pd.DataFrame({
    ...     "tenure": rng.integers(0, 72, 400), "monthly_charges": rng.uniform(18, 119, 400),
    ...     "total_charges": rng.uniform(18, 8000, 400), "senior_citizen": rng.integers(0, 2, 400),
    ...     "internet_service": rng.choice(["DSL", "Fiber optic", "No"], 400),
    ...     "churn": rng.choice(["No", "Yes"], 400)})
    >>> wb = make_weekly_batches(toy, batch_size=50, seed=0)
    >>> wb.schedule.loc[wb.schedule["starts"], ["week", "kind"]].to_numpy().tolist()
    [[4, 'gradual_shift'], [8, 'sudden_shift'], [11, 'unit_change'], [13, 'schema_change'], [15, 'default_fill']]
    >>> "TotalCharges" in wb.batches[13].columns
    True
    """
    data = plain_frame(data)  # nullable / Arrow columns: pd.NA behaves like NaN
    _validate(data, target, n_weeks, batch_size, injections)
    train, rest = train_test_split(data, train_size=0.5, stratify=data[target], random_state=seed)
    reference, pool = train_test_split(
        rest, train_size=0.5, stratify=rest[target], random_state=seed + 1
    )
    pool = pool.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    by_week = {w: inj for inj in injections for w in range(inj.start_week, inj.end_week + 1)}
    batches, rows = {}, []
    for week in range(1, n_weeks + 1):
        inj = by_week.get(week)
        if inj is None:
            batches[week] = _draw(pool, batch_size, rng)
            rows.append((week, "control", "", False, "", "clean batch"))
        else:
            batches[week] = _inject(inj, week, pool, batch_size, rng)
            rows.append((week, inj.kind, inj.name, week == inj.start_week,
                         ", ".join(inj.columns), inj.description))  # fmt: skip
    schedule = pd.DataFrame(
        rows, columns=["week", "kind", "injection", "starts", "columns", "description"]
    )
    return WeeklyBatches(
        train.reset_index(drop=True), reference.reset_index(drop=True), batches, schedule
    )
