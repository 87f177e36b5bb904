"""Seeded synthetic card transactions with fewer than 0.1% frauds.

The generator plants three kinds of fraud among ordinary card payments so a
lesson can show what a model can and cannot learn under heavy imbalance:

* **card testing** (40% of frauds): tiny amounts, many transactions in the
  last 24 hours, almost never card-present, riskier merchants;
* **account takeover** (40%): large amounts, mostly at night, far from home,
  often foreign, rarely card-present;
* **mimic** (20%): drawn from exactly the same distribution as legitimate
  payments, so no model can find them. They cap the achievable recall near
  80%.

The number of frauds is exact (``round(n_transactions * fraud_rate)``), so the
positive rate is known to the row.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd

from casebook._validation.arrays import check_frame, numeric_column

__all__ = ["FRAUD_FEATURES", "FRAUD_PATTERNS", "fraud_feature_matrix", "make_fraud_transactions"]

#: The model's input columns (``fraud_pattern`` and ``is_fraud`` are labels).
FRAUD_FEATURES: tuple[str, ...] = (
    "amount",
    "hour",
    "distance_km",
    "merchant_risk",
    "tx_last_24h",
    "foreign",
    "card_present",
    "account_age_days",
)

#: Share of each fraud pattern among frauds.
FRAUD_PATTERNS: dict[str, float] = {"card_testing": 0.4, "account_takeover": 0.4, "mimic": 0.2}

# Hour-of-day profile of legitimate payments: quiet at night, busy 10-20h.
_DAY_PROFILE = np.array(
    [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3, 4, 5, 6, 6.5, 7, 6.5, 6, 6, 6.5, 7, 7, 6, 5, 4, 3, 2]
)


def _legit(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "amount": rng.lognormal(3.5, 1.0, n),
        "hour": rng.choice(24, size=n, p=_DAY_PROFILE / _DAY_PROFILE.sum()),
        "distance_km": rng.lognormal(1.5, 1.0, n),
        "merchant_risk": rng.beta(2, 8, n),
        "tx_last_24h": rng.poisson(2, n),
        "foreign": rng.random(n) < 0.03,
        "card_present": rng.random(n) < 0.7,
        "account_age_days": rng.gamma(2.0, 750.0, n),
    }


def _card_testing(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    base = _legit(rng, n)
    base.update(
        amount=rng.lognormal(1.0, 0.6, n),
        tx_last_24h=rng.poisson(9, n),
        card_present=rng.random(n) < 0.05,
        merchant_risk=rng.beta(4, 5, n),
        foreign=rng.random(n) < 0.2,
    )
    return base


def _account_takeover(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    base = _legit(rng, n)
    night = rng.random(n) < 0.7
    base.update(
        amount=rng.lognormal(5.5, 0.8, n),
        hour=np.where(night, rng.integers(0, 6, n), base["hour"]),
        distance_km=rng.lognormal(3.5, 1.2, n),
        foreign=rng.random(n) < 0.5,
        card_present=rng.random(n) < 0.1,
        merchant_risk=rng.beta(3, 6, n),
    )
    return base


def make_fraud_transactions(
    n_transactions: int = 200_000, *, fraud_rate: float = 0.0008, seed: int
) -> pd.DataFrame:
    """Generate card transactions with a small, exact share of frauds.

    Legitimate payments: ``amount`` log-normal (median about 33), ``hour``
    following a day-time profile, ``distance_km`` log-normal (median about
    4.5 km), ``merchant_risk`` Beta(2, 8) (mean 0.2), ``tx_last_24h``
    Poisson(2), ``foreign`` 3%, ``card_present`` 70%, ``account_age_days``
    Gamma(2, 750) (mean 1500).

    Frauds (see :data:`FRAUD_PATTERNS`): *card testing* has amounts with
    median about 2.7 and Poisson(9) transactions in 24 h, 5% card-present and
    20% foreign; *account takeover* has median amount about 245, 70% of them
    between midnight and 6h, distance median about 33 km, 50% foreign, 10%
    card-present; *mimic* frauds are drawn from the legitimate distribution.
    ``account_age_days`` carries no signal for any pattern.

    Parameters
    ----------
    n_transactions : int, default=200_000
        Number of rows, at least 1000.
    fraud_rate : float, default=0.0008
        Share of frauds, in (0, 0.5); the number of frauds is
        ``round(n_transactions * fraud_rate)`` and must be at least 5.
    seed : int
        Seed of the random generator; the same seed gives the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``transaction_id`` plus :data:`FRAUD_FEATURES`, then
        ``fraud_pattern`` (category: ``"legit"`` or a pattern name; a label,
        never a feature) and ``is_fraud`` (int 0/1). Rows are shuffled.

    Examples
    --------
    >>> df = make_fraud_transactions(20_000, seed=0)
    >>> int(df["is_fraud"].sum()), bool(df["is_fraud"].mean() < 0.001)
    (16, True)
    >>> sorted(df.loc[df["is_fraud"] == 1, "fraud_pattern"].unique())
    ['account_takeover', 'card_testing', 'mimic']
    """
    if isinstance(n_transactions, bool) or not isinstance(n_transactions, Integral):
        raise TypeError(f"n_transactions must be an int, got {type(n_transactions).__name__}")
    if n_transactions < 1000:
        raise ValueError(f"n_transactions must be at least 1000, got {n_transactions}")
    if not isinstance(fraud_rate, Real) or not 0 < fraud_rate < 0.5:
        raise ValueError(f"fraud_rate must be a number in (0, 0.5), got {fraud_rate!r}")
    n_fraud = round(n_transactions * fraud_rate)
    if n_fraud < 5:
        raise ValueError(
            f"n_transactions * fraud_rate must give at least 5 frauds, got {n_fraud} "
            f"({n_transactions} * {fraud_rate})"
        )
    rng = np.random.default_rng(seed)
    counts = {k: int(np.floor(n_fraud * v)) for k, v in FRAUD_PATTERNS.items()}
    counts["mimic"] += n_fraud - sum(counts.values())
    parts = [("legit", _legit(rng, n_transactions - n_fraud))]
    parts.append(("card_testing", _card_testing(rng, counts["card_testing"])))
    parts.append(("account_takeover", _account_takeover(rng, counts["account_takeover"])))
    parts.append(("mimic", _legit(rng, counts["mimic"])))
    frames = []
    for pattern, cols in parts:
        frame = pd.DataFrame(cols)
        frame["fraud_pattern"] = pattern
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    df = df.iloc[rng.permutation(len(df))].reset_index(drop=True)
    df["amount"] = df["amount"].round(2).clip(lower=0.5)
    df["distance_km"] = df["distance_km"].round(1)
    df["merchant_risk"] = df["merchant_risk"].round(3)
    df["account_age_days"] = df["account_age_days"].round().astype(int)
    df["hour"] = df["hour"].astype(int)
    df["tx_last_24h"] = df["tx_last_24h"].astype(int)
    for col in ("foreign", "card_present"):
        df[col] = df[col].astype(int)
    df["is_fraud"] = (df["fraud_pattern"] != "legit").astype(int)
    df["fraud_pattern"] = pd.Categorical(df["fraud_pattern"], categories=["legit", *FRAUD_PATTERNS])
    df.insert(0, "transaction_id", np.arange(len(df)))
    return df[["transaction_id", *FRAUD_FEATURES, "fraud_pattern", "is_fraud"]]


def fraud_feature_matrix(df: pd.DataFrame) -> np.ndarray:
    """Return :data:`FRAUD_FEATURES` as a float matrix, amounts and distances logged.

    Every feature must be numeric and finite (``ValueError``/``TypeError``
    naming the column otherwise). ``amount`` and ``distance_km`` are log-normal; their logarithms (``log``
    and ``log1p``) keep distance-based resamplers such as SMOTE from being
    dominated by a few large values.

    Examples
    --------
    >>> X = fraud_feature_matrix(make_fraud_transactions(2_000, fraud_rate=0.01, seed=0))
    >>> X.shape
    (2000, 8)
    """
    check_frame(df, name="df", columns=FRAUD_FEATURES)
    X = np.column_stack([numeric_column(df, c, name="df") for c in FRAUD_FEATURES])
    X[:, 0] = np.log(np.clip(X[:, 0], 0.01, None))
    X[:, 2] = np.log1p(np.clip(X[:, 2], 0, None))
    return X
