"""Customer features from an event log, as of a cut-off date: RFM and browsing behaviour.

:func:`customer_features` turns a raw event log (one row per product view, cart
or order, with a user, a session and a timestamp) into one row per user,
computed **point-in-time**: only events strictly before ``cutoff`` count, so a
segmentation or a campaign decided on the cut-off date sees exactly what was
known then. :func:`scale_features` puts the columns on one scale for distance-
based clustering, with the skew handled first.

Conventions (days are fractional, 86,400 seconds):

* ``recency_days``: days from the user's last order to the cut-off; a user who
  never ordered gets the days since their first event (they have been "not
  buying" for as long as we have known them);
* ``frequency``: number of orders; ``monetary``: mean order value (0 without
  orders); ``revenue``: total order value;
* ``sessions``: distinct sessions with an event before the cut-off;
  ``views_per_session``: product views / sessions;
* ``cart_to_order``: orders / carts (0 without a cart), the share of filled
  carts that became orders;
* ``browse_only_share``: share of sessions with views but no cart and no order;
* ``days_since_visit``: days from the last event of any kind to the cut-off;
  ``tenure_days``: days from the first event to the cut-off.

Users with no event before the cut-off do not appear (they were unknown then).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.preprocessing import QuantileTransformer, StandardScaler

__all__ = ["FEATURES", "customer_features", "scale_features"]

FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "revenue",
    "sessions",
    "views_per_session",
    "cart_to_order",
    "browse_only_share",
    "days_since_visit",
    "tenure_days",
)
_COLUMNS = ("user_id", "session_id", "timestamp", "event", "value")
_EVENTS = {"view", "cart", "order"}


def _check_events(events: Any) -> pd.DataFrame:
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, got {type(events).__name__}")
    missing = [c for c in _COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events must have columns {list(_COLUMNS)}, missing {missing}")
    if not pd.api.types.is_datetime64_any_dtype(events["timestamp"]):
        raise TypeError(f"events['timestamp'] must be datetime64, got {events['timestamp'].dtype}")
    if events["timestamp"].isna().any() or events["user_id"].isna().any():
        raise ValueError("events must not have missing user_id or timestamp values, got NaN/NaT")
    unknown = set(events["event"].unique()) - _EVENTS
    if unknown:
        raise ValueError(f"events['event'] must be one of {sorted(_EVENTS)}, got {sorted(unknown)}")
    value = pd.to_numeric(events["value"], errors="coerce")
    if value.isna().any() or not np.isfinite(value.to_numpy(float)).all() or (value < 0).any():
        raise ValueError(
            "events['value'] must be finite non-negative numbers, got NaN/inf/negative"
        )
    return events


def customer_features(events: pd.DataFrame, *, cutoff: Any) -> pd.DataFrame:
    """One row per user: RFM and behavioural features from events before ``cutoff``.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``user_id``, ``session_id``, ``timestamp`` (datetime64),
        ``event`` (``"view"``, ``"cart"`` or ``"order"``) and ``value``
        (order value, >= 0; ignored for other events).
    cutoff : str or pandas.Timestamp
        Only events strictly before it count.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``user_id`` (sorted), the columns of :data:`FEATURES`
        (see the module docstring for their definitions).

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "user_id": [1, 1, 1, 1, 2, 1],
    ...     "session_id": [10, 10, 10, 11, 20, 12],
    ...     "timestamp": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-01",
    ...                                  "2025-01-05", "2025-01-03", "2025-02-01"]),
    ...     "event": ["view", "cart", "order", "view", "view", "order"],
    ...     "value": [0, 0, 40.0, 0, 0, 99.0],
    ... })
    >>> f = customer_features(ev, cutoff="2025-01-11")
    >>> f[["recency_days", "frequency", "monetary", "sessions", "browse_only_share"]]
             recency_days  frequency  monetary  sessions  browse_only_share
    user_id
    1                10.0          1      40.0         2                0.5
    2                 8.0          0       0.0         1                1.0
    """
    ev = _check_events(events)
    try:
        cut = pd.Timestamp(cutoff)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"cutoff must be a date, got {cutoff!r}") from exc
    if pd.isna(cut):
        raise ValueError(f"cutoff must be a date, got {cutoff!r}")
    ev = ev.loc[ev["timestamp"] < cut]
    if ev.empty:
        raise ValueError(f"events must have at least one event before cutoff {cut}, got none")
    days = (cut - ev["timestamp"]).dt.total_seconds().to_numpy() / 86_400.0
    kind = ev["event"].to_numpy()
    frame = pd.DataFrame(
        {
            "user_id": ev["user_id"].to_numpy(),
            "session_id": ev["session_id"].to_numpy(),
            "days": days,
            "view": kind == "view",
            "cart": kind == "cart",
            "order": kind == "order",
            "value": np.where(kind == "order", ev["value"].to_numpy(float), 0.0),
        }
    )
    frame["order_days"] = np.where(frame["order"], days, np.nan)
    users = frame.groupby("user_id", sort=True)
    out = pd.DataFrame(
        {
            "tenure_days": users["days"].max(),
            "days_since_visit": users["days"].min(),
            "frequency": users["order"].sum().astype(int),
            "revenue": users["value"].sum(),
            "views": users["view"].sum(),
            "carts": users["cart"].sum(),
            "last_order": users["order_days"].min(),
            "sessions": users["session_id"].nunique(),
        }
    )
    per_session = frame.groupby(["user_id", "session_id"])[["cart", "order"]].any()
    bought_or_cart = per_session.any(axis=1).groupby(level="user_id").sum()
    out["recency_days"] = out["last_order"].fillna(out["tenure_days"])
    out["monetary"] = np.where(out["frequency"] > 0, out["revenue"] / out["frequency"].clip(1), 0.0)
    out["views_per_session"] = out["views"] / out["sessions"]
    out["cart_to_order"] = np.where(out["carts"] > 0, out["frequency"] / out["carts"].clip(1), 0.0)
    out["browse_only_share"] = 1.0 - bought_or_cart / out["sessions"]
    return out[list(FEATURES)]


def scale_features(
    frame: pd.DataFrame,
    *,
    method: Literal["log1p", "quantile", "standard"] = "log1p",
    seed: int = 0,
) -> np.ndarray:
    """Put customer features on one scale for clustering, taming the skew first.

    Counts and money are right-skewed: a few heavy buyers would dominate every
    distance. ``"log1p"`` takes ``log(1 + x)`` of each column (all must be
    >= 0) and then standardizes (mean 0, SD 1); ``"quantile"`` maps each column
    through its empirical quantiles to a standard normal (robust to any skew
    and outlier, but it flattens real gaps into ranks); ``"standard"`` only
    standardizes (the skewed baseline).

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric, finite features (e.g. from :func:`customer_features`).
    method : {"log1p", "quantile", "standard"}, default="log1p"
    seed : int, default=0
        Used by the quantile transform's subsampling.

    Returns
    -------
    numpy.ndarray of shape (n, d)

    Examples
    --------
    >>> df = pd.DataFrame({"orders": [0, 1, 2, 50], "days": [3.0, 30.0, 60.0, 90.0]})
    >>> Z = scale_features(df)
    >>> Z.mean(axis=0).round(6).tolist(), Z.std(axis=0).round(6).tolist()
    ([0.0, 0.0], [1.0, 1.0])
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if len(frame) < 2 or frame.shape[1] == 0:
        raise ValueError(f"frame must have at least 2 rows and 1 column, got shape {frame.shape}")
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        raise TypeError(f"frame must have numeric columns only, got non-numeric {bad}")
    arr = frame.to_numpy(dtype=float)
    if not np.isfinite(arr).all():
        raise ValueError("frame must be finite (no NaN or inf), got NaN or inf")
    if method == "log1p":
        if (arr < 0).any():
            raise ValueError("frame must be >= 0 for method='log1p', got a negative value")
        arr = np.log1p(arr)
    elif method == "quantile":
        qt = QuantileTransformer(
            n_quantiles=min(1000, len(arr)), output_distribution="normal", random_state=seed
        )
        arr = qt.fit_transform(arr)
    elif method != "standard":
        raise ValueError(f"method must be 'log1p', 'quantile' or 'standard', got {method!r}")
    return StandardScaler().fit_transform(arr)
