"""The credit stream plants its drift, distractor and small weeks where documented."""

import numpy as np
import pandas as pd
import pytest

from casebook.synthetic.credit_stream import CREDIT_FEATURES, make_credit_stream

EMP = "years_continuous_employment"


@pytest.fixture(scope="module")
def big():
    return make_credit_stream(
        36, seed=5, batch_size=6000, development_size=20000, small_weeks=(6, 13, 19)
    )


def _mean(df, weeks, col, group=None):
    sub = df[df["week"].isin(list(weeks))]
    if group is not None:
        sub = sub[sub["age_group"] == group]
    return sub[col].mean()


def test_columns_and_determinism():
    df = make_credit_stream(10, seed=0, batch_size=50, development_size=200, small_weeks=(3,))
    assert list(df.columns[:2]) == ["week", "application_id"]
    assert set(CREDIT_FEATURES) <= set(df.columns)
    assert {"age", "age_group", "repaid", "drift_active"} <= set(df.columns)
    assert isinstance(df["age_group"].dtype, pd.CategoricalDtype)
    assert df["application_id"].is_unique
    again = make_credit_stream(10, seed=0, batch_size=50, development_size=200, small_weeks=(3,))
    pd.testing.assert_frame_equal(df, again)
    other = make_credit_stream(10, seed=1, batch_size=50, development_size=200, small_weeks=(3,))
    assert not df.equals(other)


def test_weeks_and_sizes(big):
    sizes = big.groupby("week").size()
    assert sizes.index.tolist() == list(range(37))
    assert sizes[0] == 20000
    for w in (6, 13, 19):
        assert sizes[w] < 100
    normal = sizes.drop([0, 6, 13, 19])
    assert ((normal > 5500) & (normal < 6500)).all()
    assert abs((big["age_group"] == "50_plus").mean() - 0.30) < 0.01
    older = big[big["age_group"] == "50_plus"]
    assert older["age"].between(50, 74).all()
    assert big.loc[big["age_group"] == "under_50", "age"].between(21, 49).all()


def test_outcome_rates_equal_across_age_groups(big):
    pre = range(0, 24)
    for g in ("under_50", "50_plus"):
        assert abs(_mean(big, pre, "repaid", g) - 0.80) < 0.025


def test_injected_drift_where_documented(big):
    pre, full = range(1, 24), range(26, 37)
    older_pre = _mean(big, pre, EMP, "50_plus")
    # no change before the drift week, for either group
    assert abs(_mean(big, range(20, 24), EMP, "50_plus") - older_pre) < 0.3
    # ramp: one third of 90% in week 24, two thirds in week 25, full from 26
    for week, r in ((24, 1 / 3), (25, 2 / 3)):
        assert _mean(big, [week], EMP, "50_plus") == pytest.approx(
            older_pre * (1 - 0.9 * r), rel=0.05
        )
    assert _mean(big, full, EMP, "50_plus") == pytest.approx(older_pre * 0.1, rel=0.05)
    # younger applicants untouched
    young_pre = _mean(big, pre, EMP, "under_50")
    assert _mean(big, full, EMP, "under_50") == pytest.approx(young_pre, rel=0.03)
    # the outcome does not follow the recorded feature
    assert abs(_mean(big, full, "repaid", "50_plus") - _mean(big, pre, "repaid", "50_plus")) < 0.02
    # the flag marks exactly the altered rows
    flagged = big[big["drift_active"] == 1]
    assert (flagged["week"] >= 24).all() and (flagged["age_group"] == "50_plus").all()


def test_global_income_drift_hits_both_groups(big):
    for g in ("under_50", "50_plus"):
        before = _mean(big, range(1, 12), "income_k", g)
        after = _mean(big, range(12, 24), "income_k", g)
        assert after / before == pytest.approx(1.08, abs=0.02)


def test_no_drift_options():
    df = make_credit_stream(
        30, seed=2, batch_size=2000, development_size=200, drift_week=None, income_drift_week=None
    )
    assert df["drift_active"].sum() == 0
    older = df[df["age_group"] == "50_plus"]
    early, late = older[older.week < 15][EMP].mean(), older[older.week >= 15][EMP].mean()
    assert abs(early / late - 1) < 0.05


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_weeks": 0}, ValueError, "n_weeks must be at least 1"),
        ({"n_weeks": 2.5}, TypeError, "n_weeks must be an int"),
        ({"seed": None}, TypeError, "seed must be an int"),
        ({"batch_size": 5}, ValueError, "batch_size must be at least 10"),
        ({"development_size": 10}, ValueError, "development_size must be at least 100"),
        ({"drift_week": 0}, ValueError, "drift_week must be at least 1"),
        ({"ramp_weeks": 0}, ValueError, "ramp_weeks must be at least 1"),
        ({"employment_shrink": 1.5}, ValueError, "employment_shrink must be a number in"),
        ({"small_weeks": (50,)}, ValueError, "small_weeks must lie in"),
        ({"income_drift_week": -1}, ValueError, "income_drift_week must be at least 1"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    args = {"n_weeks": 20, "seed": 0, "small_weeks": (3,)} | kwargs
    n = args.pop("n_weeks")
    with pytest.raises(exc, match=match):
        make_credit_stream(n, **args)


def test_small_weeks_have_tiny_older_groups():
    df = make_credit_stream(30, seed=0)
    older = df[df["age_group"] == "50_plus"].groupby("week").size()
    for w in (6, 13, 19):
        assert older.get(w, 0) < 30
    assert np.median(older.drop([0, 6, 13, 19])) > 90
