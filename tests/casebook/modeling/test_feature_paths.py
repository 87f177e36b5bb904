"""The batch and per-request paths agree on the shared definition; every skew is detected."""

import math

import numpy as np
import pandas as pd
import pytest

from casebook.modeling.feature_paths import (
    WindowFeature,
    batch_features,
    compare_feature_tables,
    online_features,
    window_value,
)

FEATURES = [
    WindowFeature("count_all_30d", days=30),
    WindowFeature("count_food_7d", days=7, category="food"),
    WindowFeature("sum_cash_30d", days=30, agg="sum", category="cash"),
    WindowFeature("since_bet_90d", days=90, agg="days_since_last", category="bet"),
]


def _tables(seed: int, *, tz: str | None = None, n_cust: int = 25, n_ev: int = 500):
    """Whole-day times, so events at the cut-off and at the window start happen often."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2024-01-01", tz=tz)
    events = pd.DataFrame({
        "customer_id": rng.integers(0, n_cust, n_ev),
        "timestamp": t0 + pd.to_timedelta(rng.integers(0, 200, n_ev), unit="D")
        + pd.to_timedelta(rng.choice([0, 0, 0, 7], n_ev), unit="h"),
        "amount": rng.gamma(2.0, 20.0, n_ev).round(2),
        "category": rng.choice(["food", "cash", "bet"], n_ev),
    })  # fmt: skip
    requests = pd.DataFrame({
        "customer_id": rng.integers(0, n_cust + 5, 60),  # some customers have no events
        "application_date": t0 + pd.to_timedelta(rng.integers(0, 220, 60), unit="D"),
    })  # fmt: skip
    return requests, events


def _brute(requests, events, feature):
    """One request, one event at a time, straight from the definition."""
    out = []
    for cust, at in zip(requests["customer_id"], requests["application_date"], strict=True):
        start = at - pd.Timedelta(days=feature.days)
        rows = events[(events["customer_id"] == cust) & (events["timestamp"] >= start)
                      & (events["timestamp"] < at)]  # fmt: skip
        if feature.category is not None:
            rows = rows[rows["category"] == feature.category]
        if feature.agg == "count":
            out.append(float(len(rows)))
        elif feature.agg == "sum":
            out.append(float(rows["amount"].sum()))
        else:
            last = rows["timestamp"].max()
            out.append((at - last) / pd.Timedelta(days=1) if len(rows) else math.nan)
    return np.array(out)


@pytest.mark.parametrize("seed", range(6))
def test_paths_agree_exactly_and_match_a_brute_force(seed):
    requests, events = _tables(seed)
    batch = batch_features(requests, events, features=FEATURES)
    online = online_features(requests, events, features=FEATURES)
    check = compare_feature_tables(batch, online)
    assert check["agree"].all(), check
    pd.testing.assert_frame_equal(batch, online)  # bit for bit, sums included
    for f in FEATURES:
        np.testing.assert_allclose(batch[f.name], _brute(requests, events, f), rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_paths_agree_with_timezone_aware_times(seed):
    requests, events = _tables(seed, tz="Europe/Paris")
    batch = batch_features(requests, events, features=FEATURES)
    assert compare_feature_tables(batch, online_features(requests, events, features=FEATURES))[
        "agree"
    ].all()
    # the same instants in UTC give the same features
    utc = events.assign(timestamp=events["timestamp"].dt.tz_convert("UTC"))
    pd.testing.assert_frame_equal(batch_features(requests, utc, features=FEATURES), batch)


AT = pd.Timestamp("2024-06-01 12:00")
EDGE_REQ = pd.DataFrame({"customer_id": [1, 2], "application_date": [AT, AT]})
EDGE_EV = pd.DataFrame({
    "customer_id": [1, 1, 1, 1],
    "timestamp": [AT, AT - pd.Timedelta(days=30), AT - pd.Timedelta(hours=2),
                  AT - pd.Timedelta(days=3)],
    "amount": [50.0, 20.0, 30.0, 10.0],
    "category": ["food", "cash", "bet", "food"],
})  # fmt: skip


def test_edge_cases_follow_the_conventions():
    f = batch_features(EDGE_REQ, EDGE_EV, features=FEATURES)
    # the event at the request instant is excluded, the one at the window start included
    assert f.loc[0, "count_all_30d"] == 3
    assert f.loc[0, "sum_cash_30d"] == 20.0
    assert f.loc[0, "since_bet_90d"] == pytest.approx(2 / 24)
    # customer 2 has no history: counts and sums 0, days since last NaN
    assert f.loc[1, ["count_all_30d", "count_food_7d", "sum_cash_30d"]].tolist() == [0, 0, 0]
    assert math.isnan(f.loc[1, "since_bet_90d"])
    pd.testing.assert_frame_equal(f, online_features(EDGE_REQ, EDGE_EV, features=FEATURES))


def test_no_events_at_all_and_no_event_of_a_category():
    empty = EDGE_EV.iloc[:0]
    for events in (empty, EDGE_EV[EDGE_EV["category"] != "bet"]):
        batch = batch_features(EDGE_REQ, events, features=FEATURES)
        online = online_features(EDGE_REQ, events, features=FEATURES)
        assert compare_feature_tables(batch, online)["agree"].all()
        assert batch["since_bet_90d"].isna().all()


@pytest.mark.parametrize(
    ("skew", "column"),
    [("inclusive_cutoff", "count_food_7d"), ("inclusive_cutoff", "sum_cash_30d"),
     ("utc_vs_local", "since_bet_90d"), ("missing_as_zero", "since_bet_90d")],
)  # fmt: skip
def test_every_skew_is_detected_on_the_edge_events(skew, column):
    batch = batch_features(EDGE_REQ, EDGE_EV, features=FEATURES)
    served = online_features(EDGE_REQ, EDGE_EV, features=FEATURES, skew=skew)
    check = compare_feature_tables(batch, served).set_index("feature")
    assert not check.loc[column, "agree"]
    assert not check["agree"].all()


@pytest.mark.parametrize("skew", ["inclusive_cutoff", "utc_vs_local", "missing_as_zero"])
def test_every_skew_is_detected_on_random_data(skew):
    requests, events = _tables(0)
    batch = batch_features(requests, events, features=FEATURES)
    served = online_features(requests, events, features=FEATURES, skew=skew,
                             utc_offset_hours=-8.0)  # fmt: skip
    assert compare_feature_tables(batch, served)["n_disagree"].sum() > 0


def test_missing_as_zero_changes_only_missing_values():
    requests, events = _tables(1)
    batch = batch_features(requests, events, features=FEATURES)
    served = online_features(requests, events, features=FEATURES, skew="missing_as_zero")
    check = compare_feature_tables(batch, served).set_index("feature")
    assert check.loc["since_bet_90d", "n_disagree"] == batch["since_bet_90d"].isna().sum() > 0
    assert (
        check.loc["since_bet_90d", "missing_mismatch"] == check.loc["since_bet_90d", "n_disagree"]
    )
    assert check.drop(index="since_bet_90d")["agree"].all()


def test_utc_vs_local_shifts_the_request_by_the_offset():
    f = [WindowFeature("since", days=30, agg="days_since_last")]
    req = EDGE_REQ.iloc[:1]
    ev = EDGE_EV.iloc[[1]]  # one event 30 days before
    a = online_features(req, ev, features=f)["since"].iloc[0]
    b = online_features(req, ev, features=f, skew="utc_vs_local", utc_offset_hours=-6)
    assert b["since"].iloc[0] == pytest.approx(a - 0.25)


def test_compare_reports_the_size_of_a_difference():
    a = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    b = pd.DataFrame({"x": [1.0, 2.25, 3.0]})
    row = compare_feature_tables(a, b).iloc[0]
    assert (row["n_disagree"], row["max_abs_diff"]) == (1, 0.25)
    assert row["agreement"] == pytest.approx(2 / 3)
    assert compare_feature_tables(a, b, atol=0.3)["agree"].all()


def test_window_value_matches_the_paths():
    day = 86_400 * 10**9
    t = np.array([0, 5, 10]) * day
    f = WindowFeature("s", days=10, agg="sum")
    assert window_value(t, np.array([1.0, 2.0, 4.0]), as_of=10 * day, feature=f) == 3.0
    assert window_value(t, np.ones(3), as_of=10 * day, feature=f, inclusive=True) == 2.0


# --- bad input -------------------------------------------------------------------------


def test_window_feature_rejects_bad_definitions():
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        WindowFeature("", days=3)
    with pytest.raises(TypeError, match="days must be a whole number"):
        WindowFeature("x", days=2.5)
    with pytest.raises(ValueError, match="days must be positive"):
        WindowFeature("x", days=0)
    with pytest.raises(ValueError, match="agg must be one of"):
        WindowFeature("x", days=3, agg="mean")
    with pytest.raises(TypeError, match="category must be a str or None"):
        WindowFeature("x", days=3, category=3)


def test_paths_reject_bad_input():
    ok = {"features": FEATURES}
    with pytest.raises(TypeError, match="features must be a sequence of WindowFeature"):
        batch_features(EDGE_REQ, EDGE_EV, features=FEATURES[0])
    with pytest.raises(ValueError, match="features must hold at least one"):
        batch_features(EDGE_REQ, EDGE_EV, features=[])
    with pytest.raises(TypeError, match="features must hold only WindowFeature"):
        online_features(EDGE_REQ, EDGE_EV, features=["count_30d"])
    with pytest.raises(ValueError, match="features must have distinct names"):
        online_features(EDGE_REQ, EDGE_EV, features=[FEATURES[0], FEATURES[0]])
    with pytest.raises(TypeError, match="requests must be a pandas DataFrame"):
        batch_features(EDGE_REQ.to_dict(), EDGE_EV, **ok)
    with pytest.raises(ValueError, match="events must have columns"):
        batch_features(EDGE_REQ, EDGE_EV.drop(columns="amount"), **ok)
    with pytest.raises(TypeError, match=r"requests\['application_date'\] must hold datetimes"):
        batch_features(EDGE_REQ.assign(application_date="2024-06-01"), EDGE_EV, **ok)
    with pytest.raises(ValueError, match="must not contain missing times"):
        batch_features(EDGE_REQ, EDGE_EV.assign(timestamp=[AT, pd.NaT, AT, AT]), **ok)
    with pytest.raises(ValueError, match="both be timezone-aware or both naive"):
        batch_features(
            EDGE_REQ, EDGE_EV.assign(timestamp=EDGE_EV["timestamp"].dt.tz_localize("UTC")), **ok
        )
    with pytest.raises(TypeError, match=r"events\['amount'\] must be numeric"):
        online_features(EDGE_REQ, EDGE_EV.assign(amount="1"), **ok)
    with pytest.raises(ValueError, match=r"events\['amount'\] must be finite"):
        online_features(EDGE_REQ, EDGE_EV.assign(amount=[1.0, np.nan, 1.0, 1.0]), **ok)
    with pytest.raises(ValueError, match="customer_id must not contain missing values"):
        batch_features(EDGE_REQ.assign(customer_id=[1, None]), EDGE_EV, **ok)
    with pytest.raises(ValueError, match="skew must be one of"):
        online_features(EDGE_REQ, EDGE_EV, skew="bogus", **ok)
    with pytest.raises(TypeError, match="utc_offset_hours must be a number"):
        online_features(EDGE_REQ, EDGE_EV, utc_offset_hours="-5", **ok)
    with pytest.raises(ValueError, match="utc_offset_hours must be finite"):
        online_features(EDGE_REQ, EDGE_EV, utc_offset_hours=math.inf, **ok)
    with pytest.raises(TypeError, match="feature must be a WindowFeature"):
        window_value(np.zeros(1, np.int64), np.ones(1), as_of=0, feature="count")
    f = FEATURES[0]
    t = np.array([0, 1], dtype=np.int64)
    with pytest.raises(TypeError, match="times must be a 1-D array of integer nanoseconds"):
        window_value(t.astype(float), np.ones(2), as_of=0, feature=f)
    with pytest.raises(ValueError, match="amounts must be numbers aligned with times"):
        window_value(t, np.ones(3), as_of=0, feature=f)
    with pytest.raises(ValueError, match="amounts must be finite"):
        window_value(t, np.array([1.0, np.nan]), as_of=0, feature=f)
    with pytest.raises(ValueError, match="times must be sorted"):
        window_value(t[::-1], np.ones(2), as_of=0, feature=f)
    with pytest.raises(TypeError, match="as_of must be an integer number of nanoseconds"):
        window_value(t, np.ones(2), as_of=1.5, feature=f)


def test_compare_rejects_bad_input():
    a = pd.DataFrame({"x": [1.0, 2.0]})
    with pytest.raises(TypeError, match="offline must be a pandas DataFrame"):
        compare_feature_tables([1.0], a)
    with pytest.raises(ValueError, match="online must have the columns of offline"):
        compare_feature_tables(a, a.rename(columns={"x": "y"}))
    with pytest.raises(ValueError, match="online must have the index of offline"):
        compare_feature_tables(a, a.set_axis([5, 6]))
    with pytest.raises(ValueError, match="atol must be a finite number >= 0"):
        compare_feature_tables(a, a, atol=-1.0)
    with pytest.raises(TypeError, match=r"online\['x'\] must be numeric"):
        compare_feature_tables(a, a.assign(x=["a", "b"]))
