"""A seeded click log: one row per recommendation shown, 1 = clicked.

The features are what a feature store hands a ranking service at request
time, already numeric (the device is a 0/1 flag). The click probability is
a logistic function of the features with the following *planted* effects
(log-odds):

======================  =======================================  ==========================
feature                 distribution                             planted effect on log-odds
======================  =======================================  ==========================
``position``            slot on the page, uniform 1..10          -0.22 per slot below the top
``relevance``           recommender score, uniform [0, 1]        +2.0 per unit
``user_ctr_30d``        user's past click rate, Beta(2, 60)      +12 per unit (+0.12 per point)
``hour``                local hour, uniform 0..23                -1.5 at night (0 to 5 h)
``is_mobile``           1 with probability 0.6                   none on its own (see below)
``price``               item price, log-normal, median 30        -0.35 per unit of ``log(price/30)``
``item_age_days``       days since listing, exponential, mean 30 +0.7 if younger than 2 days
``user_tenure_days``    days since sign-up, uniform 0..2000      none (a planted null feature)
======================  =======================================  ==========================

plus an **interaction**: +2.5 when ``is_mobile == 1`` and ``18 <= hour <=
23`` (evening phone browsing). A linear model without engineered features
cannot represent it (the effect of ``hour`` is not monotone - low at
night, high in the evening - and the evening bump exists only for phones);
a tree ensemble can. The intercept (:data:`INTERCEPT`)
puts the overall click rate near 3%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CLICK_FEATURES", "INTERCEPT", "PLANTED_EFFECTS", "click_logit", "make_click_log"]

CLICK_FEATURES = [
    "position",
    "relevance",
    "user_ctr_30d",
    "hour",
    "is_mobile",
    "price",
    "item_age_days",
    "user_tenure_days",
]

INTERCEPT = -4.9

PLANTED_EFFECTS = {
    "position_per_slot": -0.22,
    "relevance": 2.0,
    "user_ctr_30d": 12.0,
    "log_price_ratio": -0.35,
    "fresh_item": 0.7,
    "night": -1.5,
    "mobile_evening": 2.5,
    "user_tenure_days": 0.0,
}


def click_logit(frame: pd.DataFrame) -> np.ndarray:
    """The planted log-odds of a click for each row of ``frame``.

    Examples
    --------
    >>> row = pd.DataFrame({"position": [1], "relevance": [1.0], "user_ctr_30d": [0.0],
    ...                     "hour": [20], "is_mobile": [1], "price": [30.0],
    ...                     "item_age_days": [10.0], "user_tenure_days": [5]})
    >>> round(float(click_logit(row)[0]), 2)
    -0.4
    """
    missing = [c for c in CLICK_FEATURES if c not in frame.columns]
    if missing:
        raise ValueError(f"frame must have the click features; missing {missing}")
    for col in CLICK_FEATURES:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            raise TypeError(f"frame column {col!r} must be numeric, got dtype {frame[col].dtype}")
        if not np.isfinite(frame[col].to_numpy(dtype=float)).all():
            raise ValueError(f"frame column {col!r} must be finite, got NaN or inf")
    e = PLANTED_EFFECTS
    evening = (frame["hour"].to_numpy() >= 18) & (frame["hour"].to_numpy() <= 23)
    return (
        INTERCEPT
        + e["position_per_slot"] * (frame["position"].to_numpy() - 1)
        + e["relevance"] * frame["relevance"].to_numpy()
        + e["user_ctr_30d"] * frame["user_ctr_30d"].to_numpy()
        + e["log_price_ratio"] * np.log(frame["price"].to_numpy() / 30.0)
        + e["fresh_item"] * (frame["item_age_days"].to_numpy() < 2)
        + e["night"] * (frame["hour"].to_numpy() <= 5)
        + e["mobile_evening"] * (evening & (frame["is_mobile"].to_numpy() == 1))
        + e["user_tenure_days"] * frame["user_tenure_days"].to_numpy()
    )


def make_click_log(
    n_rows: int = 100_000, *, seed: int, with_probability: bool = False
) -> pd.DataFrame:
    """Generate a click log with the structure documented in the module docstring.

    Parameters
    ----------
    n_rows : int, default=100_000
        Impressions to generate (at least 100).
    seed : int
        Seed; the same seed gives the same log.
    with_probability : bool, default=False
        Add ``click_probability``, the planted probability (never a feature:
        a real log does not have it; use it to know the best achievable score).

    Returns
    -------
    pandas.DataFrame
        :data:`CLICK_FEATURES` plus ``clicked`` (int 0/1).

    Examples
    --------
    >>> log = make_click_log(20_000, seed=0)
    >>> list(log.columns) == CLICK_FEATURES + ["clicked"]
    True
    >>> bool(0.02 < log["clicked"].mean() < 0.045)
    True
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, (int, np.integer)) or n_rows < 100:
        raise ValueError(f"n_rows must be an integer >= 100, got {n_rows!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    rng = np.random.default_rng(seed)
    n = int(n_rows)
    frame = pd.DataFrame(
        {
            "position": rng.integers(1, 11, n),
            "relevance": rng.uniform(0, 1, n).round(3),
            "user_ctr_30d": rng.beta(2, 60, n).round(4),
            "hour": rng.integers(0, 24, n),
            "is_mobile": (rng.uniform(size=n) < 0.6).astype(int),
            "price": np.exp(rng.normal(np.log(30.0), 0.8, n)).round(2),
            "item_age_days": rng.exponential(30.0, n).round(2),
            "user_tenure_days": rng.integers(0, 2001, n),
        }
    )
    p = 1 / (1 + np.exp(-click_logit(frame)))
    frame["clicked"] = (rng.uniform(size=n) < p).astype(int)
    if with_probability:
        frame["click_probability"] = p
    return frame
