"""A campaign plan per customer segment: action, expected response, cost and value.

:func:`campaign_plan` turns stated assumptions (for each persona: the share of
contacted users who respond, the extra orders a responder places, the cost of
contacting one user) and what the data says about each segment (its size and
its average order value) into the expected value of contacting a user, per
user and in total:

``value per responder = extra_orders x average order value x margin``

``expected value per user = response_rate x value per responder - cost_per_user``

A segment is worth contacting when its expected value per user is positive.
The response rates are assumptions until an experiment measures them (a
holdout group per segment): the plan says what must be true for a campaign to
pay, not that it will.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["campaign_plan"]


def _rate_map(values: Any, *, name: str, personas: list[Any], upper: float | None) -> pd.Series:
    if not isinstance(values, Mapping):
        raise TypeError(f"{name} must be a mapping persona -> number, got {type(values).__name__}")
    missing = [p for p in personas if p not in values]
    if missing:
        raise ValueError(f"{name} must have a value for every segment, missing {missing}")
    out = pd.Series({p: values[p] for p in personas}, dtype=object)
    for p, v in out.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name}[{p!r}] must be a number, got {v!r}")
        if not np.isfinite(v) or v < 0 or (upper is not None and v > upper):
            bound = f"[0, {upper:g}]" if upper is not None else ">= 0"
            raise ValueError(f"{name}[{p!r}] must be finite and in {bound}, got {v!r}")
    return out.astype(float)


def campaign_plan(
    profile: pd.DataFrame,
    *,
    response_rate: Mapping[Any, float],
    extra_orders: Mapping[Any, float],
    cost_per_user: Mapping[Any, float],
    margin: float,
    actions: Mapping[Any, str] | None = None,
) -> pd.DataFrame:
    """Expected value of a campaign per segment, per user and in total.

    Parameters
    ----------
    profile : pandas.DataFrame
        One row per segment (index = persona name), with columns ``users``
        (count) and ``aov`` (average order value in dollars, >= 0).
    response_rate : mapping
        Persona to the share of contacted users who respond, in [0, 1].
    extra_orders : mapping
        Persona to the extra orders one responder places (>= 0).
    cost_per_user : mapping
        Persona to the cost of contacting one user, in dollars (>= 0): the
        discount given away, the voucher, the message.
    margin : float
        Share of an order's value the shop keeps, in (0, 1].
    actions : mapping, optional
        Persona to a short description of the action.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``profile``: ``action`` (when given), ``users``,
        ``response_rate``, ``cost_per_user``, ``value_per_responder``,
        ``value_per_user`` (expected, after cost), ``total_value``
        (``value_per_user x users``), ``contact`` (value per user > 0) and
        ``total_cost``; a final ``"total"`` row sums ``users``,
        ``total_value`` and ``total_cost`` over the segments worth contacting.

    Examples
    --------
    >>> prof = pd.DataFrame({"users": [100, 300], "aov": [120.0, 25.0]},
    ...                     index=["loyal", "bargain"])
    >>> plan = campaign_plan(prof, response_rate={"loyal": 0.3, "bargain": 0.1},
    ...                      extra_orders={"loyal": 1, "bargain": 1},
    ...                      cost_per_user={"loyal": 2.0, "bargain": 3.0}, margin=0.3)
    >>> plan[["value_per_user", "total_value", "contact"]]
             value_per_user  total_value contact
    loyal              8.80        880.0    True
    bargain           -2.25       -675.0   False
    total               NaN        880.0     NaN
    """
    if not isinstance(profile, pd.DataFrame):
        raise TypeError(f"profile must be a pandas DataFrame, got {type(profile).__name__}")
    missing = [c for c in ("users", "aov") if c not in profile.columns]
    if missing:
        raise ValueError(f"profile must have columns ['users', 'aov'], missing {missing}")
    if profile.empty:
        raise ValueError("profile must have at least one segment (row), got none")
    if not profile.index.is_unique:
        raise ValueError(f"profile index (personas) must be unique, got {list(profile.index)}")
    users = pd.to_numeric(profile["users"], errors="coerce")
    aov = pd.to_numeric(profile["aov"], errors="coerce")
    for name, col in (("users", users), ("aov", aov)):
        if col.isna().any() or not np.isfinite(col.to_numpy(float)).all() or (col < 0).any():
            raise ValueError(f"profile[{name!r}] must be finite and >= 0, got {list(col)}")
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 < margin <= 1:
        raise ValueError(f"margin must be a number in (0, 1], got {margin!r}")
    personas = list(profile.index)
    rate = _rate_map(response_rate, name="response_rate", personas=personas, upper=1.0)
    extra = _rate_map(extra_orders, name="extra_orders", personas=personas, upper=None)
    cost = _rate_map(cost_per_user, name="cost_per_user", personas=personas, upper=None)
    out = pd.DataFrame(index=profile.index)
    if actions is not None:
        if not isinstance(actions, Mapping):
            raise TypeError(
                f"actions must be a mapping persona -> str, got {type(actions).__name__}"
            )
        out["action"] = [str(actions.get(p, "")) for p in personas]
    out["users"] = users.astype(int)
    out["response_rate"] = rate
    out["cost_per_user"] = cost
    out["value_per_responder"] = extra * aov * margin
    out["value_per_user"] = rate * out["value_per_responder"] - cost
    out["total_value"] = out["value_per_user"] * out["users"]
    out["contact"] = out["value_per_user"] > 0
    out["total_cost"] = cost * out["users"]
    chosen = out[out["contact"]]
    total = {
        "users": int(chosen["users"].sum()),
        "total_value": float(chosen["total_value"].sum()),
        "total_cost": float(chosen["total_cost"].sum()),
    }
    out = out.astype({"contact": object})
    out.loc["total"] = pd.Series(total)
    return out.astype({"users": int})
