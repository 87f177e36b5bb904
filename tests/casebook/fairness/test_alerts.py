"""Per-batch fairness KPIs, alert rules robust to small groups, and the diagnosis."""

import warnings

import numpy as np
import pandas as pd
import pytest

from casebook.decisions.bootstrap import bootstrap_ci
from casebook.fairness.alerts import (
    alert_timeline,
    fairness_kpis_by_batch,
    first_alert,
    rank_shifted_features,
)
from casebook.fairness.criteria import demographic_parity_ratio


def _stream(seed=0, weeks=20, n=400, drop_from=12, small=(5,)):
    rng = np.random.default_rng(seed)
    rows = []
    for w in range(1, weeks + 1):
        size = 30 if w in small else n
        g = rng.choice(["old", "young"], size, p=[0.3, 0.7])
        p_old = 0.3 if w >= drop_from else 0.6
        pred = (rng.random(size) < np.where(g == "old", p_old, 0.6)).astype(int)
        rows.append(pd.DataFrame({"week": w, "g": g, "pred": pred}))
    return pd.concat(rows, ignore_index=True)


def test_kpis_match_the_metric_and_bootstrap_ci():
    df = _stream()
    k = fairness_kpis_by_batch(
        df["pred"], df["pred"], sensitive_features=df["g"], batch=df["week"], n_resamples=2000
    )
    assert k["batch"].tolist() == list(range(1, 21))
    one = df[df["week"] == 3]
    expected = demographic_parity_ratio(one["pred"], one["pred"], sensitive_features=one["g"])
    row = k.set_index("batch").loc[3]
    assert row["estimate"] == pytest.approx(expected)
    assert row["n"] == len(one)
    assert row["min_group_n"] == (one["g"] == "old").sum()
    assert row["selection_rate_old"] == pytest.approx(one.loc[one["g"] == "old", "pred"].mean())
    # the count-based bootstrap agrees with the generic row bootstrap (stratified by group)
    ci = bootstrap_ci(
        lambda p, g: demographic_parity_ratio(p, p, sensitive_features=g),
        one["pred"].to_numpy(),
        one["g"].to_numpy(),
        n_resamples=2000,
        stratify=one["g"].to_numpy(),
        seed=1,
    )
    assert row["low"] == pytest.approx(ci.low, abs=0.03)
    assert row["high"] == pytest.approx(ci.high, abs=0.03)


def test_empty_group_in_a_batch_is_nan_not_zero():
    df = pd.DataFrame(
        {
            "week": [1] * 6 + [2] * 3,
            "g": ["a", "b"] * 3 + ["a"] * 3,
            "p": [1, 0, 1, 1, 0, 1, 1, 0, 1],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        k = fairness_kpis_by_batch(
            df["p"], df["p"], sensitive_features=df["g"], batch=df["week"], n_resamples=50
        )
    row = k.set_index("batch").loc[2]
    assert row["min_group_n"] == 0
    assert np.isnan(row["estimate"]) and np.isnan(row["low"]) and np.isnan(row["high"])
    assert np.isnan(row["selection_rate_b"])
    t = alert_timeline(k, tolerance=0.8, min_group_size=1)
    assert t.set_index("batch").loc[2, "status"] == "insufficient"


def test_robust_rule_ignores_small_batch_and_fires_after_the_drop():
    df = _stream(seed=3)
    k = fairness_kpis_by_batch(
        df["pred"], df["pred"], sensitive_features=df["g"], batch=df["week"], n_resamples=500
    )
    # force the small week to look terrible on the point estimate
    k.loc[k["batch"] == 5, ["estimate", "low"]] = [0.2, 0.0]
    robust = alert_timeline(k, tolerance=0.8, min_group_size=30, consecutive=2)
    naive = alert_timeline(k, tolerance=0.8, rule="point", min_group_size=0, consecutive=1)
    assert robust.set_index("batch").loc[5, "status"] == "insufficient"
    assert first_alert(naive) == 5
    assert not robust.loc[robust["batch"] < 12, "alert"].any()
    assert 13 <= first_alert(robust) <= 14


def test_consecutive_logic_and_directions():
    k = pd.DataFrame(
        {
            "batch": range(1, 8),
            "min_group_n": [50, 50, 50, 5, 50, 50, 50],
            "estimate": [0.5, 0.9, 0.5, 0.1, 0.5, 0.5, 0.9],
            "low": [0.4, 0.85, 0.4, 0.0, 0.4, 0.4, 0.85],
            "high": [0.6, 0.95, 0.6, 0.9, 0.6, 0.6, 0.95],
        }
    )
    t = alert_timeline(k, tolerance=0.8, consecutive=2)
    assert t["status"].tolist() == [
        "breach",
        "ok",
        "breach",
        "insufficient",
        "alert",
        "alert",
        "ok",
    ]
    assert t["streak"].tolist() == [1, 0, 1, 1, 2, 3, 0]
    assert first_alert(t) == 5
    t3 = alert_timeline(k, tolerance=0.8, consecutive=3)
    assert first_alert(t3) == 6
    # "above": differences where large is bad
    d = k.assign(estimate=1 - k["estimate"], low=1 - k["high"], high=1 - k["low"])
    assert (
        alert_timeline(d, tolerance=0.2, direction="above")["status"].tolist()
        == t["status"].tolist()
    )
    # interval vs point: a point past the tolerance with an interval straddling it
    s = pd.DataFrame(
        {"batch": [1], "min_group_n": [50], "estimate": [0.75], "low": [0.6], "high": [0.9]}
    )
    assert alert_timeline(s, tolerance=0.8, consecutive=1)["status"].tolist() == ["ok"]
    assert alert_timeline(s, tolerance=0.8, rule="point", consecutive=1)["status"].tolist() == [
        "alert"
    ]
    assert first_alert(alert_timeline(s, tolerance=0.8)) is None


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"direction": "up"}, ValueError, "direction must be"),
        ({"rule": "vibes"}, ValueError, "rule must be"),
        ({"tolerance": "0.8"}, TypeError, "tolerance must be a number"),
        ({"consecutive": 0}, ValueError, "consecutive must be an int >= 1"),
        ({"min_group_size": -1}, ValueError, "min_group_size must be an int >= 0"),
    ],
)
def test_alert_timeline_bad_arguments(kwargs, exc, match):
    k = pd.DataFrame(
        {"batch": [1], "min_group_n": [50], "estimate": [0.7], "low": [0.6], "high": [0.8]}
    )
    args = {"tolerance": 0.8} | kwargs
    with pytest.raises(exc, match=match):
        alert_timeline(k, **args)


def test_alert_timeline_missing_columns():
    with pytest.raises(ValueError, match="kpis must have columns"):
        alert_timeline(pd.DataFrame({"batch": [1]}), tolerance=0.8)


def test_kpis_bad_input():
    with pytest.raises(ValueError, match="batch must have the same length"):
        fairness_kpis_by_batch([1, 0], [1, 0], sensitive_features=["a", "b"], batch=[1])
    with pytest.raises(ValueError, match="must not contain missing values"):
        fairness_kpis_by_batch([1, 0], [1, 0], sensitive_features=["a", None], batch=[1, 1])


def test_rank_shifted_features_finds_the_group_specific_shift():
    rng = np.random.default_rng(0)
    n = 4000
    df = pd.DataFrame(
        {
            "week": rng.integers(1, 11, n),
            "g": rng.choice(["a", "b"], n),
            "cause": rng.normal(size=n),
            "everyone": rng.normal(size=n),
            "noise": rng.normal(size=n),
        }
    )
    late = df["week"] >= 6
    df.loc[late & (df["g"] == "b"), "cause"] -= 1.0
    df.loc[late, "everyone"] += 1.0  # global drift: shifts both groups
    r = rank_shifted_features(
        df,
        features=["noise", "everyone", "cause"],
        group="g",
        period="week",
        reference=range(1, 6),
        current=range(6, 11),
    )
    assert r.index.tolist()[0] == "cause"
    assert r.loc["cause", "most_shifted_group"] == "b"
    assert r.loc["everyone", "overall_shift"] > r.loc["cause", "overall_shift"]
    assert r.loc["everyone", "differential_shift"] < 0.1
    assert r.loc["cause", "shift_b"] > 0.3 > r.loc["cause", "shift_a"]


def test_rank_shifted_features_bad_input():
    df = pd.DataFrame({"week": [1, 2], "g": ["a", "b"], "x": [0.0, 1.0]})
    with pytest.raises(ValueError, match="column 'y' is not in frame"):
        rank_shifted_features(
            df, features=["y"], group="g", period="week", reference=[1], current=[2]
        )
    with pytest.raises(ValueError, match="must select rows"):
        rank_shifted_features(
            df, features=["x"], group="g", period="week", reference=[9], current=[2]
        )


def test_fairness_kpis_by_batch_rejects_empty_and_missing_batch():
    y = np.array([0, 1, 1, 0])
    g = np.array(["a", "b", "a", "b"])
    with pytest.raises(ValueError, match="must not be empty"):
        fairness_kpis_by_batch(y[:0], y[:0], sensitive_features=g[:0], batch=y[:0])
    with pytest.raises(ValueError, match="batch must not contain missing values"):
        fairness_kpis_by_batch(y, y, sensitive_features=g, batch=[1.0, np.nan, 2.0, 2.0])


def _kpis():
    return pd.DataFrame(
        {"min_group_n": [50, 50], "estimate": [0.9, 0.6], "low": [0.8, 0.5], "high": [1.0, 0.7]}
    )


def test_alert_timeline_rejects_non_finite_inputs():
    with pytest.raises(ValueError, match="tolerance must be a finite number"):
        alert_timeline(_kpis(), tolerance=np.nan)
    with pytest.raises(ValueError, match=r"kpis\['estimate'\] must not contain infinity"):
        alert_timeline(_kpis().assign(estimate=[np.inf, 0.6]), tolerance=0.8)
    with pytest.raises(TypeError, match=r"kpis\['low'\] must be numeric"):
        alert_timeline(_kpis().assign(low=["x", "y"]), tolerance=0.8)
    with pytest.raises(TypeError, match="kpis must be a pandas DataFrame"):
        alert_timeline([0.9, 0.6], tolerance=0.8)


def test_first_alert_rejects_bad_timelines():
    with pytest.raises(ValueError, match=r"timeline is missing column\(s\) \['alert'\]"):
        first_alert(pd.DataFrame({"batch": [1, 2]}))
    with pytest.raises(TypeError, match="timeline must be a pandas DataFrame"):
        first_alert([False, True])


def test_rank_shifted_features_rejects_empty_and_non_numeric():
    df = pd.DataFrame({"week": [1, 2], "g": ["a", "b"], "x": [0.0, 1.0]})
    kw = {"features": ["x"], "group": "g", "period": "week", "reference": [1], "current": [2]}
    with pytest.raises(ValueError, match="frame must have at least one row"):
        rank_shifted_features(df.iloc[:0], **kw)
    with pytest.raises(TypeError, match=r"frame\['x'\] must be numeric"):
        rank_shifted_features(df.assign(x=["s0", "s1"]), **kw)


def test_kpi_intervals_need_enough_resamples_for_their_level():
    p = np.array([0, 1] * 20)
    g = np.array(["a", "b"] * 20)
    week = np.repeat([1, 2], 20)
    with pytest.raises(ValueError, match="n_resamples must be at least 40 .* got 2$"):
        fairness_kpis_by_batch(p, p, sensitive_features=g, batch=week, n_resamples=2)
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        fairness_kpis_by_batch(p, p, sensitive_features=g, batch=week, confidence=1.0)
