"""The synthetic shoppers plant the segment rates, order values and activity periods documented."""

import numpy as np
import pandas as pd
import pytest

from casebook.synthetic.shoppers import LAPSE_DAYS, NEW_DAYS, SEGMENTS, make_shoppers


@pytest.fixture(scope="module")
def data():
    return make_shoppers(3000, seed=7)


@pytest.fixture(scope="module")
def sessions(data):
    """One row per session: user, segment, start day (vs the cut-off), views, cart, order, value."""
    ev = data.events.merge(data.users[["user_id", "segment"]], on="user_id")
    ev["day"] = (ev["timestamp"] - data.cutoff).dt.total_seconds() / 86_400
    for kind in ("view", "cart", "order"):
        ev[kind] = ev["event"] == kind
    g = ev.groupby("session_id")
    return pd.DataFrame(
        {
            "user_id": g["user_id"].first(),
            "segment": g["segment"].first(),
            "day": g["day"].min(),
            "views": g["view"].sum(),
            "cart": g["cart"].any(),
            "order": g["order"].any(),
            "value": g["value"].sum(),
        }
    )


def test_tables(data):
    users, ev = data.users, data.events
    assert list(ev.columns) == ["user_id", "session_id", "timestamp", "event", "value"]
    assert users["user_id"].is_unique and len(users) == 3000
    assert ev["timestamp"].is_monotonic_increasing
    assert set(ev["event"]) == {"view", "cart", "order"}
    assert (ev.loc[ev["event"] != "order", "value"] == 0).all()
    assert (ev.loc[ev["event"] == "order", "value"] > 0).all()
    assert ev["timestamp"].min() >= data.cutoff - pd.Timedelta(days=180)
    assert ev["timestamp"].max() < data.cutoff + pd.Timedelta(days=30, hours=1)
    assert (ev["timestamp"] >= data.cutoff).mean() > 0.05  # events after the cut-off exist


def test_shares_are_exact(data):
    counts = data.users["segment"].value_counts()
    for name, (share, *_) in SEGMENTS.items():
        assert abs(counts[name] - share * 3000) <= 1


def test_deterministic():
    a, b = make_shoppers(100, seed=3), make_shoppers(100, seed=3)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.users, b.users)
    assert not a.events.equals(make_shoppers(100, seed=4).events)


def test_planted_rates_are_recovered(data, sessions):
    """Per segment: sessions per active 30 days, views, P(cart), P(order | cart), median order."""
    users = data.users.set_index("user_id")
    for name, (_, rate, views, p_cart, p_order, aov) in SEGMENTS.items():
        s = sessions[sessions["segment"] == name]
        ids = users.index[users["segment"] == name]
        first = (users.loc[ids, "first_seen"] - data.cutoff).dt.total_seconds() / 86_400
        # sessions after each user's forced first one; lapsed users: only while all are active
        end = -LAPSE_DAYS[1] if name == "lapsed" else 30.0
        later = s[(s["day"] > first.reindex(s["user_id"]).to_numpy() + 1 / 48) & (s["day"] < end)]
        active = float((end - first).clip(lower=0).sum())
        assert len(later) / active * 30 == pytest.approx(rate, rel=0.1), name
        assert s["views"].mean() == pytest.approx(views, rel=0.05), name
        assert s["cart"].mean() == pytest.approx(p_cart, abs=0.03), name
        assert s.loc[s["cart"], "order"].mean() == pytest.approx(p_order, abs=0.05), name
        orders = s.loc[s["order"], "value"]
        assert not s.loc[~s["cart"], "order"].any()  # no order without a cart
        assert orders.median() == pytest.approx(aov, rel=0.12), name


def test_lapsed_stop_and_new_start_where_documented(data, sessions):
    users = data.users.set_index("user_id")
    last = sessions.groupby("user_id")["day"].max()
    first = sessions.groupby("user_id")["day"].min()
    lapsed = users.index[users["segment"] == "lapsed"]
    assert last.loc[lapsed].max() < -LAPSE_DAYS[0]
    assert np.quantile(last.loc[lapsed], 0.9) > -LAPSE_DAYS[1]  # stop dates spread over the range
    new = users.index[users["segment"] == "new"]
    assert first.loc[new].min() >= -NEW_DAYS
    old = users.index[users["segment"] != "new"]
    assert first.loc[old].max() < -179  # everyone else is seen from the log start
    assert (first < 0).all()  # every user is seen before the cut-off


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_users": 5}, "n_users"),
        ({"n_users": 100.0}, "n_users"),
        ({"history_days": 100}, "history_days"),
        ({"after_days": -1}, "after_days"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_shoppers(**{"n_users": 100, **kwargs})
