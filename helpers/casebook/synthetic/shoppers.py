"""Seeded e-commerce shoppers: an event log with five planted behavioural segments.

:func:`make_shoppers` returns two tables, as a shop's event warehouse holds them:

* ``users``: ``user_id``, ``segment`` (the planted persona, hidden from any
  analysis that mimics real life), ``first_seen`` (timestamp of the user's
  first session);
* ``events``: one row per event, ``user_id``, ``session_id``, ``timestamp``,
  ``event`` (``"view"``, ``"cart"`` or ``"order"``) and ``value`` (the order
  value in dollars for orders, 0 otherwise), sorted by time.

The log covers ``history_days`` (default 180) days before the cut-off
``cutoff`` (default 2025-01-01) and ``after_days`` (default 30) days after it,
so that point-in-time features can be checked against events they must not see.

Planted structure. Each user belongs to one segment (shares below, exact up
to rounding: the counts are ``round(share * n_users)``, the last segment takes
the remainder). While a user is active, sessions arrive as a Poisson process
with the segment's rate; every session has ``1 + Poisson(views - 1)`` product
views; a session puts something in the cart with probability ``cart``; a
session with a cart ends in an order with probability ``order``; an order's
value is lognormal with median ``aov`` dollars and log-sd 0.35. Events of a
session fall within 30 minutes after its start (views, then the cart, then the
order).

==============  =====  ==============  =====  =====  =====  =====  ============================
segment         share  sessions / 30d  views  cart   order  aov $  active period
==============  =====  ==============  =====  =====  =====  =====  ============================
loyal           0.20   4               4      0.60   0.85   120    whole log
bargain         0.25   4               6      0.50   0.70   25     whole log
browser         0.25   4               8      0.15   0.10   60     whole log
lapsed          0.18   3               4      0.45   0.75   70     log start to a stop date
new             0.12   6               4      0.35   0.60   50     signup to log end
==============  =====  ==============  =====  =====  =====  =====  ============================

* ``lapsed`` users stop for good at a date uniform between 150 and 60 days
  before the cut-off (:data:`LAPSE_DAYS`);
* ``new`` users sign up at a time uniform in the 45 days before the cut-off
  (:data:`NEW_DAYS`);
* every user has a session at the start of their active period (the log
  start, or the signup), so every user is seen before the cut-off.

The table is available as :data:`SEGMENTS`. Which users buy, browse or
lapse is the only signal; there is no noise segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

__all__ = ["LAPSE_DAYS", "NEW_DAYS", "SEGMENTS", "ShopperData", "make_shoppers"]

# segment: (share, sessions per 30 days, mean views per session, P(cart), P(order | cart), aov $)
SEGMENTS: dict[str, tuple[float, float, float, float, float, float]] = {
    "loyal": (0.20, 4.0, 4.0, 0.60, 0.85, 120.0),
    "bargain": (0.25, 4.0, 6.0, 0.50, 0.70, 25.0),
    "browser": (0.25, 4.0, 8.0, 0.15, 0.10, 60.0),
    "lapsed": (0.18, 3.0, 4.0, 0.45, 0.75, 70.0),
    "new": (0.12, 6.0, 4.0, 0.35, 0.60, 50.0),
}
LAPSE_DAYS = (60.0, 150.0)  # lapsed users stop between 150 and 60 days before the cut-off
NEW_DAYS = 45.0  # new users sign up within the last 45 days before the cut-off
ACTIVITY_SHAPE = 4.0  # per-user session-rate multiplier ~ Gamma(4, scale 1/4): mean 1, CV 0.5
SPEND_SD = 0.3  # per-user order-value multiplier ~ lognormal(0, 0.3)
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class ShopperData:
    """The two tables of :func:`make_shoppers` and the cut-off date."""

    users: pd.DataFrame
    events: pd.DataFrame
    cutoff: pd.Timestamp


def make_shoppers(
    n_users: int = 3000,
    *,
    history_days: float = 180.0,
    after_days: float = 30.0,
    cutoff: str | pd.Timestamp = "2025-01-01",
    seed: int = 0,
) -> ShopperData:
    """Generate users and their session / view / cart / order events.

    Parameters
    ----------
    n_users : int, default=3000
        Number of users (at least 20, so every segment is present).
    history_days : float, default=180.0
        Days of log before the cut-off (more than 150, the longest lapse).
    after_days : float, default=30.0
        Days of log after the cut-off (>= 0).
    cutoff : str or pandas.Timestamp, default="2025-01-01"
    seed : int, default=0

    Returns
    -------
    ShopperData

    Examples
    --------
    >>> data = make_shoppers(200, seed=0)
    >>> data.users["segment"].value_counts().sort_index().to_dict()
    {'loyal': 40, 'bargain': 50, 'browser': 50, 'lapsed': 36, 'new': 24}
    >>> sorted(data.events["event"].unique())
    ['cart', 'order', 'view']
    """
    if isinstance(n_users, bool) or not isinstance(n_users, Integral) or n_users < 20:
        raise ValueError(f"n_users must be an integer >= 20, got {n_users!r}")
    if not np.isfinite(history_days) or history_days <= LAPSE_DAYS[1]:
        raise ValueError(f"history_days must be more than {LAPSE_DAYS[1]:g}, got {history_days!r}")
    if not np.isfinite(after_days) or after_days < 0:
        raise ValueError(f"after_days must be a finite number >= 0, got {after_days!r}")
    cut = pd.Timestamp(cutoff)
    rng = np.random.default_rng(seed)
    names = list(SEGMENTS)
    counts = [round(SEGMENTS[s][0] * n_users) for s in names[:-1]]
    counts.append(int(n_users) - sum(counts))
    seg = np.repeat(np.arange(len(names)), counts)
    rng.shuffle(seg)
    params = np.array([SEGMENTS[s] for s in names])[seg]
    # active period in days relative to the cut-off
    start = np.full(n_users, -float(history_days))
    stop = np.full(n_users, float(after_days))
    lapsed, new = seg == names.index("lapsed"), seg == names.index("new")
    stop[lapsed] = -rng.uniform(LAPSE_DAYS[0], LAPSE_DAYS[1], lapsed.sum())
    start[new] = -rng.uniform(0.0, NEW_DAYS, new.sum())
    # sessions: one at the start of the active period, then a Poisson process
    activity = rng.gamma(ACTIVITY_SHAPE, 1.0 / ACTIVITY_SHAPE, n_users)
    spend = np.exp(rng.normal(0.0, SPEND_SD, n_users))
    n_sess = 1 + rng.poisson(activity * params[:, 1] / 30.0 * (stop - start))
    user = np.repeat(np.arange(n_users), n_sess)
    first = np.r_[0, np.cumsum(n_sess)[:-1]]
    t = rng.uniform(start[user], stop[user])
    t[first] = start
    p = params[user]
    n_views = 1 + rng.poisson(p[:, 2] - 1.0)
    cart = rng.random(len(user)) < p[:, 3]
    order = cart & (rng.random(len(user)) < p[:, 4])
    aov = p[:, 5] * spend[user]
    value = np.where(order, np.round(aov * np.exp(rng.normal(0.0, 0.35, len(user))), 2), 0.0)
    sid = np.arange(len(user))
    v_sess = np.repeat(sid, n_views)
    offsets = np.r_[
        rng.uniform(0, 20, len(v_sess)), np.full(cart.sum(), 25.0), np.full(order.sum(), 28.0)
    ]
    ev_sess = np.r_[v_sess, sid[cart], sid[order]]
    kind = np.r_[
        np.full(len(v_sess), "view"), np.full(cart.sum(), "cart"), np.full(order.sum(), "order")
    ]
    stamp = cut + pd.to_timedelta(t[ev_sess], unit="D") + pd.to_timedelta(offsets, unit="min")
    events = pd.DataFrame(
        {
            "user_id": user[ev_sess],
            "session_id": ev_sess,
            "timestamp": stamp.floor("s"),
            "event": kind,
            "value": np.where(kind == "order", value[ev_sess], 0.0),
        }
    )
    events = events.sort_values(["timestamp", "session_id"], kind="stable").reset_index(drop=True)
    users = pd.DataFrame(
        {
            "user_id": np.arange(n_users),
            "segment": pd.Categorical(np.array(names)[seg], categories=names),
            "first_seen": (cut + pd.to_timedelta(start, unit="D")).floor("s"),
        }
    )
    return ShopperData(users=users, events=events, cutoff=cut)
