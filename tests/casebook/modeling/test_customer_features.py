"""Customer features: RFM and behaviour, point-in-time; scaling with skew handling."""

import numpy as np
import pandas as pd
import pytest

from casebook.modeling.customer_features import FEATURES, customer_features, scale_features

CUT = pd.Timestamp("2025-01-11")


@pytest.fixture
def events():
    return pd.DataFrame(
        {
            "user_id": [1, 1, 1, 1, 1, 2, 2, 3],
            "session_id": [10, 10, 10, 11, 11, 20, 21, 30],
            "timestamp": pd.to_datetime(
                [
                    "2025-01-01 10:00",
                    "2025-01-01 10:05",
                    "2025-01-01 10:10",
                    "2025-01-06 12:00",
                    "2025-01-06 12:05",
                    "2025-01-02 00:00",
                    "2025-01-04 00:00",
                    "2025-01-10 00:00",
                ]
            ),
            "event": ["view", "cart", "order", "view", "cart", "view", "view", "view"],
            "value": [0, 0, 40.0, 0, 0, 0, 0, 0],
        }
    )


def test_hand_computed_values(events):
    f = customer_features(events, cutoff=CUT)
    assert list(f.columns) == list(FEATURES)
    assert f.index.tolist() == [1, 2, 3]
    u1 = f.loc[1]
    assert u1["recency_days"] == pytest.approx(10 - 10 / 24 - 10 / 1440)  # last order 01-01 10:10
    assert u1["frequency"] == 1 and u1["monetary"] == 40 and u1["revenue"] == 40
    assert u1["sessions"] == 2 and u1["views_per_session"] == 1.0
    assert u1["cart_to_order"] == 0.5  # two carts, one order
    assert u1["browse_only_share"] == 0.0
    assert u1["days_since_visit"] == pytest.approx(5 - 12 / 24 - 5 / 1440)  # 01-06 12:05
    assert u1["tenure_days"] == pytest.approx(10 - 10 / 24)
    u2 = f.loc[2]
    assert u2["frequency"] == 0 and u2["monetary"] == 0 and u2["cart_to_order"] == 0
    assert u2["recency_days"] == u2["tenure_days"] == 9  # never ordered: days since first seen
    assert u2["browse_only_share"] == 1.0 and u2["views_per_session"] == 1.0


def test_an_event_after_the_cutoff_changes_nothing(events):
    before = customer_features(events, cutoff=CUT)
    late = pd.DataFrame(
        {
            "user_id": [1, 2, 4, 3],
            "session_id": [12, 22, 40, 30],
            "timestamp": pd.to_datetime(["2025-01-11", "2025-01-12", "2025-02-01", "2025-01-11"]),
            "event": ["order", "cart", "view", "order"],
            "value": [999.0, 0, 0, 5.0],
        }
    )
    after = customer_features(pd.concat([events, late], ignore_index=True), cutoff=CUT)
    pd.testing.assert_frame_equal(before, after)  # exactly at the cut-off is excluded too
    # the same events one second earlier do count
    early = late.assign(timestamp=late["timestamp"].clip(upper=CUT - pd.Timedelta(seconds=1)))
    moved = customer_features(pd.concat([events, early], ignore_index=True), cutoff=CUT)
    assert moved.loc[1, "frequency"] == 2 and 4 in moved.index


def test_only_users_seen_before_the_cutoff(events):
    f = customer_features(events, cutoff="2025-01-03")
    assert f.index.tolist() == [1, 2]
    assert f.loc[1, "sessions"] == 1


def test_on_the_synthetic_log_every_feature_is_finite():
    from casebook.synthetic.shoppers import make_shoppers

    data = make_shoppers(200, seed=1)
    f = customer_features(data.events, cutoff=data.cutoff)
    assert len(f) == 200 and np.isfinite(f.to_numpy(float)).all()
    assert ((f["browse_only_share"] >= 0) & (f["browse_only_share"] <= 1)).all()
    assert ((f["cart_to_order"] >= 0) & (f["cart_to_order"] <= 1)).all()


@pytest.mark.parametrize(
    ("mutate", "error", "match"),
    [
        (lambda e: e.to_numpy(), TypeError, "events must be a pandas DataFrame"),
        (lambda e: e.drop(columns="value"), ValueError, "missing \\['value'\\]"),
        (lambda e: e.assign(timestamp=e["timestamp"].astype(str)), TypeError, "datetime64"),
        (lambda e: e.assign(timestamp=e["timestamp"].where(e.index > 0)), ValueError, "NaN/NaT"),
        (lambda e: e.assign(event=e["event"].replace("cart", "wish")), ValueError, "wish"),
        (lambda e: e.assign(value=-e["value"]), ValueError, "non-negative"),
        (lambda e: e.assign(value=e["value"].replace(0, np.nan)), ValueError, "non-negative"),
    ],
)
def test_bad_events(events, mutate, error, match):
    with pytest.raises(error, match=match):
        customer_features(mutate(events), cutoff=CUT)


@pytest.mark.parametrize(
    ("cutoff", "match"),
    [("not a date", "cutoff must be a date"), (None, "cutoff"), ("2020-01-01", "before cutoff")],
)
def test_bad_cutoff(events, cutoff, match):
    with pytest.raises(ValueError, match=match):
        customer_features(events, cutoff=cutoff)


def test_scale_features_methods():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"orders": rng.poisson(0.5, 300) ** 2, "value": rng.lognormal(3, 1, 300)})
    for method in ("log1p", "quantile", "standard"):
        Z = scale_features(df, method=method)
        assert Z.shape == (300, 2)
        assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    skew = pd.DataFrame(scale_features(df, method="standard")).skew()
    assert (pd.DataFrame(scale_features(df, method="log1p")).skew().abs() < skew.abs()).all()


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        (np.zeros((3, 2)), {}, TypeError, "frame must be a pandas DataFrame"),
        (pd.DataFrame({"a": [1.0]}), {}, ValueError, "at least 2 rows"),
        (pd.DataFrame({"a": ["x", "y"]}), {}, TypeError, "non-numeric"),
        (pd.DataFrame({"a": [1.0, np.nan]}), {}, ValueError, "finite"),
        (pd.DataFrame({"a": [1.0, -2.0]}), {}, ValueError, "log1p"),
        (pd.DataFrame({"a": [1.0, 2.0]}), {"method": "boxcox"}, ValueError, "method must be"),
    ],
)
def test_scale_features_bad_input(frame, kwargs, error, match):
    with pytest.raises(error, match=match):
        scale_features(frame, **kwargs)
