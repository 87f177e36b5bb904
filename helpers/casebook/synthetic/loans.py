"""Seeded loan applications with a raw transactions table, rare defaults, a leak and drift.

:func:`make_loan_data` returns two tables, as a lender's warehouse holds them:

* ``applications``: ``application_id``, ``customer_id``, ``application_date``,
  ``loan_amount``, ``term_months``, ``defaulted`` (0/1, observed within 180
  days of the application);
* ``transactions``: ``customer_id``, ``timestamp``, ``amount`` (positive),
  ``category``, covering each customer's history **before and after** the
  application (up to 180 days after it).

Planted structure (each customer has one application; ``tau`` is the
application's position in the application period, 0 at the start, 1 at the
end):

* **signals before the application.** The default log-odds rise with the
  customer's gambling rate (coefficient ``1.5 * (1 - tau)`` per SD of
  ``log(1 + 300 * rate)``, see drift), with a *recent stress* flag (15% of
  customers; coefficient ``+2.0``) that triples cash withdrawals and cuts
  salary credits by 40% in the 90 days before the application, and fall with
  the salary level (``-0.5`` per SD of log salary). The ``bnpl`` (buy now,
  pay later) rate adds ``+1.5`` per SD of ``log(1 + 100 * rate)``, but
  ``bnpl`` transactions only exist from the product's launch at ``tau = 0.8``
  (:data:`BNPL_LAUNCH_TAU`), and it counts only for applications after it.
* **temporal drift.** The gambling effect fades linearly to zero over the
  period while the ``bnpl`` effect appears at
  ``tau = 0.8``, so a model fitted on the first 75% of applications
  overweights gambling and has never seen ``bnpl``: validated on the last
  25%, it scores lower than a random split suggests. The intercept is solved
  so the default rate is ``default_rate`` overall.
* **leakage trap.** After the application, customers who will default get
  ``late_fee`` transactions (about 6 in 180 days; others about 0.1) and lose
  40% of their salary credits. Features computed without the application
  date as cut-off see these and look far better than anything deployable.
* **thin files.** 3% of customers have no transaction before their
  application; history lengths are uniform between 60 and 900 days, so a
  365-day window is often longer than the history.

Everyday spending (``groceries``, ``restaurants``, ``transport``,
``utilities``) carries no signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit

__all__ = ["BNPL_LAUNCH_TAU", "POST_WINDOW_DAYS", "LoanData", "make_loan_data"]

_DAY = np.timedelta64(86_400, "s")
# category: (daily rate, log-amount mean, log-amount sd)
_EVERYDAY = {
    "groceries": (0.08, 3.3, 0.5),
    "restaurants": (0.04, 3.2, 0.6),
    "transport": (0.03, 2.5, 0.6),
    "utilities": (1 / 30, 4.5, 0.3),
}
POST_WINDOW_DAYS = 180
BNPL_LAUNCH_TAU = 0.8


@dataclass(frozen=True)
class LoanData:
    """The two tables of :func:`make_loan_data` and the data's cut dates."""

    applications: pd.DataFrame
    transactions: pd.DataFrame
    bnpl_launch: pd.Timestamp
    extracted_at: pd.Timestamp


def _segments(rng, cust, start, end, rate, category, mu, sd):
    """Poisson events per customer segment, timestamps uniform in [start, end)."""
    dur = np.maximum((end - start) / _DAY, 0.0)
    n = rng.poisson(rate * dur)
    rep = np.repeat(np.arange(len(cust)), n)
    offset = rng.random(len(rep)) * dur[rep] * 86_400
    times = start[rep] + offset.astype("int64").astype("timedelta64[s]")
    mu_r = np.broadcast_to(mu, len(cust))[rep]
    return pd.DataFrame(
        {
            "customer_id": cust[rep],
            "timestamp": times,
            "amount": np.round(np.exp(mu_r + sd * rng.standard_normal(len(rep))), 2),
            "category": category,
        }
    )


def make_loan_data(
    n_customers: int = 10_000,
    *,
    default_rate: float = 0.05,
    start: str = "2023-01-01",
    end: str = "2024-12-31",
    seed: int,
) -> LoanData:
    """Generate applications and raw transactions with the planted structure above.

    Parameters
    ----------
    n_customers : int, default=10_000
        Customers, one application each; at least 200.
    default_rate : float, default=0.05
        Overall share of defaults, in (0, 0.5).
    start, end : str
        First and last possible application date.
    seed : int
        Seed of the random generator; the same seed gives the same tables.

    Returns
    -------
    LoanData
        ``applications`` sorted by date, ``transactions`` sorted by customer and
        time, ``bnpl_launch`` (``tau = 0.8``) and ``extracted_at`` (``end`` plus
        180 days: the last transaction on file).

    Examples
    --------
    >>> data = make_loan_data(500, seed=0)
    >>> data.applications.columns.tolist()
    ['application_id', 'customer_id', 'application_date', 'loan_amount', 'term_months', 'defaulted']
    >>> int(data.applications["defaulted"].sum()) > 0
    True
    """
    if isinstance(n_customers, bool) or not isinstance(n_customers, Integral):
        raise TypeError(f"n_customers must be an int, got {type(n_customers).__name__}")
    if n_customers < 200:
        raise ValueError(f"n_customers must be at least 200, got {n_customers}")
    if not 0 < default_rate < 0.5:
        raise ValueError(f"default_rate must be in (0, 0.5), got {default_rate!r}")
    t0, t1 = np.datetime64(pd.Timestamp(start), "s"), np.datetime64(pd.Timestamp(end), "s")
    if t1 <= t0:
        raise ValueError(f"end must be after start, got start={start!r}, end={end!r}")
    rng = np.random.default_rng(seed)
    n = n_customers
    cust = np.arange(100_001, 100_001 + n)
    span = (t1 - t0) / _DAY
    tau = rng.random(n)
    app = t0 + (tau * span * 86_400).astype("int64").astype("timedelta64[s]")
    launch = t0 + np.int64(BNPL_LAUNCH_TAU * span * 86_400).astype("timedelta64[s]")
    hist_days = rng.uniform(60, 900, n)
    thin = rng.random(n) < 0.03
    hist_start = app - (hist_days * 86_400).astype("int64").astype("timedelta64[s]")
    hist_start = np.where(thin, app, hist_start)
    recent = np.maximum(app - 90 * _DAY, hist_start)
    post_end = app + POST_WINDOW_DAYS * _DAY

    log_salary = rng.normal(7.6, 0.35, n)  # monthly salary, median about 2000
    gamble = rng.gamma(0.6, 1 / 30, n)  # daily rate, mean 0.02
    stress = rng.random(n) < 0.15
    bnpl = rng.gamma(0.7, 1 / 20, n)  # daily rate once launched, mean 0.035
    z = lambda v: (v - v.mean()) / v.std()  # noqa: E731
    bnpl_on = app > launch
    logit_wo_b0 = (
        1.5 * (1 - tau) * z(np.log1p(300 * gamble))
        + 2.0 * stress
        - 0.5 * z(log_salary)
        + 1.5 * bnpl_on * z(np.log1p(100 * bnpl))
    )
    b0 = brentq(lambda b: expit(b + logit_wo_b0).mean() - default_rate, -20, 5)
    defaulted = rng.random(n) < expit(b0 + logit_wo_b0)

    parts = []
    for cat, (rate, mu, sd) in _EVERYDAY.items():
        rates = rate * rng.gamma(4, 0.25, n)
        parts.append(_segments(rng, cust, hist_start, post_end, rates, cat, mu, sd))
    salary_pre = np.where(stress, 0.6, 1.0)
    salary_post = np.where(defaulted, 0.6, 1.0)
    for a, b, mult in (
        (hist_start, recent, 1.0),
        (recent, app, salary_pre),
        (app, post_end, salary_post),
    ):
        parts.append(_segments(rng, cust, a, b, mult / 30, "salary", log_salary, 0.05))
    for a, b, mult in (
        (hist_start, recent, 1.0),
        (recent, app, np.where(stress, 3.0, 1.0)),
        (app, post_end, 1.0),
    ):
        parts.append(_segments(rng, cust, a, b, 0.05 * mult, "cash_withdrawal", 4.6, 0.6))
    parts.append(_segments(rng, cust, hist_start, post_end, gamble, "gambling", 3.5, 0.9))
    bnpl_start = np.maximum(hist_start, launch)
    parts.append(_segments(rng, cust, bnpl_start, post_end, bnpl, "bnpl", 4.0, 0.5))
    late_rate = np.where(defaulted, 6 / POST_WINDOW_DAYS, 0.1 / POST_WINDOW_DAYS)
    parts.append(_segments(rng, cust, app, post_end, late_rate, "late_fee", 3.4, 0.2))
    tx = pd.concat(parts, ignore_index=True)
    tx["timestamp"] = tx["timestamp"].astype("datetime64[s]")
    # stable sort by (customer, time); np.lexsort is stable and much faster than sort_values
    order = np.lexsort((tx["timestamp"].to_numpy().view("int64"), tx["customer_id"].to_numpy()))
    tx = tx.take(order).reset_index(drop=True)
    tx["category"] = tx["category"].astype("string")

    apps = pd.DataFrame(
        {
            "customer_id": cust,
            "application_date": pd.to_datetime(app).as_unit("s"),
            "loan_amount": np.round(np.exp(log_salary + rng.normal(0.8, 0.4, n)), -1),
            "term_months": rng.choice([12, 24, 36, 48], size=n),
            "defaulted": defaulted.astype(int),
        }
    ).sort_values("application_date", kind="stable")
    apps.insert(0, "application_id", np.arange(1, n + 1))
    apps = apps.reset_index(drop=True)
    return LoanData(
        applications=apps,
        transactions=tx,
        bnpl_launch=pd.Timestamp(launch),
        extracted_at=pd.Timestamp(t1 + POST_WINDOW_DAYS * _DAY),
    )
