"""A synthetic stream of weekly credit applications with an injected bias drift.

The monitoring lesson needs a stream where we *know* when and why fairness
breaks. :func:`make_credit_stream` produces a development sample (week 0) to
train the scoring model on, then ``n_weeks`` live weekly batches. Three
things are planted, at documented weeks:

1. **The injected bias drift** (the cause the diagnosis must find): from
   ``drift_week`` on, the *recorded* ``years_continuous_employment`` of
   applicants aged 50 or more shrinks, as if an upstream data vendor had
   started counting only the current job, so career changers and people
   with gaps restart at zero. Their true repayment behaviour is unchanged
   (it depends on the true employment history), so a model that relies on
   the recorded feature starts rejecting older applicants who would repay.
2. **A harmless global drift** (a distractor): from ``income_drift_week`` on
   every applicant's income is 8% higher (wage growth). It moves a feature's
   distribution for both age groups alike and is not a fairness problem.
3. **Small-group weeks**: in ``small_weeks`` the batch is tiny (an outage or
   a holiday), so the 50+ group has only about a dozen applicants and any
   point estimate of a group rate is noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
import pandas as pd

__all__ = ["CREDIT_FEATURES", "make_credit_stream"]

#: Features the scoring model sees (age itself is not one of them).
CREDIT_FEATURES: tuple[str, ...] = (
    "income_k",
    "debt_to_income",
    "credit_history_years",
    "years_continuous_employment",
    "late_payments_2y",
)
_OLDER_SHARE = 0.30
_INCOME_GROWTH = 1.08


def _check_int(name: str, value: object, *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def _applicants(
    rng: np.random.Generator, n: int, *, week: int, older_share: float
) -> dict[str, np.ndarray]:
    older = rng.random(n) < older_share
    age = np.where(older, rng.uniform(50, 75, n), rng.uniform(21, 50, n)).astype(int)
    income = rng.lognormal(np.where(older, np.log(40), np.log(50)), 0.35, n)
    dti = rng.beta(np.where(older, 2.6, 2.2), 5.0, n)
    history = np.clip((age - 19) * rng.uniform(0.2, 0.6, n), 0, None)
    employment = np.minimum(
        np.where(older, rng.gamma(3.0, 3.0, n), rng.gamma(2.0, 2.5, n)), age - 18
    )
    late = rng.poisson(np.where(older, 0.6, 0.45), n)
    # True repayment depends on the *true* employment history.
    logit = (
        0.9
        + 1.1 * np.log(income / 48)
        - 4.0 * (dti - 0.3)
        + 0.02 * np.minimum(history, 30)
        + 0.16 * np.minimum(employment, 20)
        - 0.55 * late
        - 0.2 * older
    )
    repaid = rng.random(n) < 1 / (1 + np.exp(-logit))
    return {
        "week": np.full(n, week),
        "age": age,
        "age_group": np.where(older, "50_plus", "under_50"),
        "income_k": income,
        "debt_to_income": dti,
        "credit_history_years": history,
        "years_continuous_employment": employment,
        "late_payments_2y": late,
        "repaid": repaid.astype(int),
    }


def make_credit_stream(
    n_weeks: int = 40,
    *,
    seed: int,
    batch_size: int = 400,
    development_size: int = 4000,
    drift_week: int | None = 24,
    ramp_weeks: int = 3,
    employment_shrink: float = 0.9,
    income_drift_week: int | None = 12,
    small_weeks: Sequence[int] = (6, 13, 19),
    small_batch_size: int = 40,
) -> pd.DataFrame:
    """Generate a development sample and weekly batches with a planted bias drift.

    Planted structure (population values):

    * Week 0 is the development sample (``development_size`` rows); weeks
      1 to ``n_weeks`` are live batches of about ``batch_size`` applications
      (Poisson-distributed size), except ``small_weeks`` (about
      ``small_batch_size``). 30% of applicants are aged 50+ (``age_group``
      "50_plus", ages 50-74), the rest 21-49.
    * Features (50+ vs younger): ``income_k`` ~ lognormal with median 40 vs
      50 (thousands), ``debt_to_income`` ~ Beta(2.6, 5) vs Beta(2.2, 5),
      ``credit_history_years`` = (age - 19) x U(0.2, 0.6), true
      ``years_continuous_employment`` ~ Gamma(3, 3) (mean 9) vs Gamma(2, 2.5)
      (mean 5), capped at age - 18, ``late_payments_2y`` ~ Poisson(0.6) vs
      Poisson(0.45). ``repaid`` (the outcome) is drawn from a logistic model
      of these *true* values (+0.16 log-odds per year of employment up to
      20): about 80% repay in both age groups, and a model trained on week 0
      approves both groups at similar rates.
    * **Bias drift**: from ``drift_week`` on, the recorded employment of 50+
      applicants is multiplied by ``1 - employment_shrink * r`` with ``r``
      rising linearly from ``1 / ramp_weeks`` in ``drift_week`` to 1 after
      ``ramp_weeks`` weeks (full effect from ``drift_week + ramp_weeks - 1``).
      ``repaid`` is untouched. Younger applicants are unaffected.
    * **Global drift**: from ``income_drift_week`` on, every income is 8%
      higher; ``repaid`` is drawn from the pre-growth income.

    Parameters
    ----------
    n_weeks : int, default=40
        Number of live weeks.
    seed : int
        Seed; the same seed gives the same stream.
    batch_size, development_size, small_batch_size : int
        Expected rows per live week, in week 0, and in a small week.
    drift_week : int or None, default=24
        First week of the bias drift; None for no drift.
    ramp_weeks : int, default=3
        Weeks until the drift reaches full strength.
    employment_shrink : float, default=0.9
        Share of the recorded employment removed at full strength, in [0, 1].
    income_drift_week : int or None, default=12
        First week of the 8% income growth; None for none.
    small_weeks : sequence of int, default=(6, 13, 19)
        Live weeks with tiny batches.

    Returns
    -------
    pandas.DataFrame
        One row per application: ``week``, ``application_id``, ``age``,
        ``age_group`` (category), the :data:`CREDIT_FEATURES`, ``repaid``
        (0/1) and ``drift_active`` (1 where the recorded employment was
        altered, for checking the diagnosis; a real stream has no such column).

    Examples
    --------
    >>> df = make_credit_stream(30, seed=0, batch_size=200, development_size=500)
    >>> int(df["week"].max()), sorted(df["age_group"].cat.categories)
    (30, ['50_plus', 'under_50'])
    >>> int(df.loc[df["week"] < 24, "drift_active"].sum())
    0
    """
    n_weeks = _check_int("n_weeks", n_weeks, low=1)
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    batch_size = _check_int("batch_size", batch_size, low=10)
    development_size = _check_int("development_size", development_size, low=100)
    small_batch_size = _check_int("small_batch_size", small_batch_size, low=1)
    ramp_weeks = _check_int("ramp_weeks", ramp_weeks, low=1)
    if drift_week is not None:
        drift_week = _check_int("drift_week", drift_week, low=1)
    if income_drift_week is not None:
        income_drift_week = _check_int("income_drift_week", income_drift_week, low=1)
    if (
        isinstance(employment_shrink, bool)
        or not isinstance(employment_shrink, Real)
        or not 0 <= employment_shrink <= 1
    ):
        raise ValueError(f"employment_shrink must be a number in [0, 1], got {employment_shrink!r}")
    small = {int(w) for w in small_weeks}
    if any(not 1 <= w <= n_weeks for w in small):
        raise ValueError(f"small_weeks must lie in 1..n_weeks={n_weeks}, got {sorted(small)}")

    rng = np.random.default_rng(seed)
    parts = []
    for week in range(n_weeks + 1):
        if week == 0:
            n = development_size
        else:
            n = max(2, int(rng.poisson(small_batch_size if week in small else batch_size)))
        cols = _applicants(rng, n, week=week, older_share=_OLDER_SHARE)
        older = cols["age_group"] == "50_plus"
        active = np.zeros(n, dtype=int)
        if drift_week is not None and week >= drift_week:
            r = min(1.0, (week - drift_week + 1) / ramp_weeks)
            cols["years_continuous_employment"] = np.where(
                older,
                cols["years_continuous_employment"] * (1 - employment_shrink * r),
                cols["years_continuous_employment"],
            )
            active = older.astype(int)
        if income_drift_week is not None and week >= income_drift_week:
            cols["income_k"] = cols["income_k"] * _INCOME_GROWTH
        cols["drift_active"] = active
        parts.append(pd.DataFrame(cols))
    df = pd.concat(parts, ignore_index=True)
    df.insert(1, "application_id", np.arange(len(df)))
    df["age_group"] = pd.Categorical(df["age_group"], categories=["under_50", "50_plus"])
    for col in (
        "income_k",
        "debt_to_income",
        "credit_history_years",
        "years_continuous_employment",
    ):
        df[col] = df[col].round(2)
    return df
