"""The applicant generator plants exactly the structure its docstring documents."""

import numpy as np
import pandas as pd
import pytest

from casebook.synthetic.applicants import APPLICANT_FEATURES, PROXY_FEATURES, make_applicants

N = 60_000  # large enough that sampling noise is ~0.005 on a rate


@pytest.fixture(scope="module")
def big():
    return make_applicants(N, seed=7)


def _rate(df, col, gender, where=None):
    sub = df[df["gender"] == gender]
    if where is not None:
        sub = sub[sub[where] == 1]
    return sub[col].mean()


def test_columns_and_types():
    df = make_applicants(100, seed=0)
    expected = {"applicant_id", "gender", "female", "kw_chess_club", "qualified", "hired"}
    assert expected | set(APPLICANT_FEATURES) | set(PROXY_FEATURES) == set(df.columns)
    assert isinstance(df["gender"].dtype, pd.CategoricalDtype)
    numeric = df.drop(columns="gender")
    assert all(np.issubdtype(t, np.number) for t in numeric.dtypes)
    assert set(df["qualified"].unique()) <= {0, 1}
    assert set(df["hired"].unique()) <= {0, 1}
    assert (df["female"] == (df["gender"] == "female")).all()


def test_deterministic_per_seed():
    pd.testing.assert_frame_equal(make_applicants(500, seed=3), make_applicants(500, seed=3))
    assert not make_applicants(500, seed=3).equals(make_applicants(500, seed=4))


def test_truth_has_equal_base_rates(big):
    assert abs(big["qualified"].mean() - 0.40) < 0.01
    f, m = _rate(big, "qualified", "female"), _rate(big, "qualified", "male")
    assert abs(f - m) < 0.015


def test_job_features_do_not_depend_on_gender(big):
    for col in APPLICANT_FEATURES:
        f = big.loc[big["female"] == 1, col]
        m = big.loc[big["female"] == 0, col]
        assert abs(f.mean() - m.mean()) < 0.05 * big[col].std(), col


def test_historical_bias_matches_documented_effect(big):
    # P(hired | qualified) = 0.92 for men, 0.92 * (1 - 0.40) = 0.552 for women
    assert abs(_rate(big, "hired", "male", where="qualified") - 0.92) < 0.01
    assert abs(_rate(big, "hired", "female", where="qualified") - 0.552) < 0.015
    # unqualified applicants hired at 0.06 whatever their gender
    unq = big[big["qualified"] == 0]
    for g in ("female", "male"):
        assert abs(unq.loc[unq["gender"] == g, "hired"].mean() - 0.06) < 0.01
    # selection rates ~0.26 vs ~0.40: four-fifths rule violated
    ratio = _rate(big, "hired", "female") / _rate(big, "hired", "male")
    assert 0.58 < ratio < 0.70


def test_gender_bias_zero_removes_the_gap():
    df = make_applicants(N, seed=1, gender_bias=0.0)
    assert abs(_rate(df, "hired", "female") - _rate(df, "hired", "male")) < 0.015


def test_proxies_carry_gender_not_merit(big):
    assert abs(_rate(big, "gap_years", "female") - 1.5) < 0.03
    assert abs(_rate(big, "gap_years", "male") - 0.2) < 0.02
    assert abs(_rate(big, "kw_womens_network", "female") - 0.40) < 0.01
    assert abs(_rate(big, "kw_womens_network", "male") - 0.02) < 0.005
    assert abs(_rate(big, "kw_rugby_club", "male") - 0.25) < 0.01
    assert abs(_rate(big, "kw_rugby_club", "female") - 0.02) < 0.005
    # placebo keyword: same rate for both
    assert abs(_rate(big, "kw_chess_club", "female") - _rate(big, "kw_chess_club", "male")) < 0.01
    # within a gender, proxies are unrelated to the truth
    for g in ("female", "male"):
        sub = big[big["gender"] == g]
        for col in (*PROXY_FEATURES, "kw_chess_club"):
            r = np.corrcoef(sub[col], sub["qualified"])[0, 1]
            assert abs(r) < 0.02, (g, col, r)


def test_female_share():
    df = make_applicants(N, seed=2, female_share=0.3)
    assert abs(df["female"].mean() - 0.3) < 0.01


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_applicants": 5}, ValueError, "n_applicants must be at least 10"),
        ({"n_applicants": 10.5}, TypeError, "n_applicants must be an int"),
        ({"seed": "0"}, TypeError, "seed must be an int"),
        ({"gender_bias": 1.0}, ValueError, "gender_bias must be in"),
        ({"gender_bias": "high"}, TypeError, "gender_bias must be a number"),
        ({"female_share": 0.0}, ValueError, "female_share must be in"),
    ],
)
def test_bad_arguments(kwargs, exc, match):
    args = {"n_applicants": 100, "seed": 0} | kwargs
    n = args.pop("n_applicants")
    with pytest.raises(exc, match=match):
        make_applicants(n, **args)
