import numpy as np
import pandas as pd
import pytest

from casebook.fairness.data_checks import conditional_rate_gap, proxy_strength


@pytest.fixture
def people():
    rng = np.random.default_rng(0)
    n = 4000
    sex = rng.choice(["f", "m"], n)
    role = np.where(rng.random(n) < 0.9, np.where(sex == "f", "wife", "husband"), "other")
    hours = rng.normal(np.where(sex == "f", 36, 42), 6)
    noise = rng.random(n)
    job = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    # planted: within each job, men earn more often by 0.1; jobs differ too
    p = np.select([job == "a", job == "b"], [0.2, 0.4], 0.6) + 0.1 * (sex == "m")
    y = (rng.random(n) < p).astype(int)
    X = pd.DataFrame({"role": role, "hours": hours, "noise": noise})
    return X, sex, y, job


def test_proxy_strength_ranks_planted_proxies(people):
    X, sex, _, _ = people
    table = proxy_strength(X, sex, positive="f")
    assert list(table.index) == ["role", "hours", "noise"]
    assert table.loc["role", "auc"] > 0.9
    assert 0.6 < table.loc["hours", "auc"] < 0.9
    assert 0.5 <= table.loc["noise", "auc"] < 0.56
    assert table.loc["role", "kind"] == "categorical" and table.loc["hours", "kind"] == "numeric"


def test_proxy_strength_handles_missing_categories(people):
    X, sex, _, _ = people
    X = X.assign(role=X["role"].where(np.arange(len(X)) % 10 != 0, None))
    assert proxy_strength(X[["role"]], sex, positive="f").loc["role", "auc"] > 0.85


def test_conditional_rate_gap_recovers_planted_gap(people):
    _, sex, y, job = people
    out = conditional_rate_gap(y, sex, positive="f", strata=pd.DataFrame({"job": job}))
    assert out["adjusted_gap"] == pytest.approx(0.1, abs=0.04)
    assert out["share_compared"] == 1.0
    assert out["raw_gap"] == pytest.approx(y[sex == "m"].mean() - y[sex == "f"].mean())


def test_conditional_rate_gap_skips_one_sided_strata():
    y = [1, 0, 1, 0, 1]
    g = ["m", "f", "m", "f", "f"]
    strata = pd.DataFrame({"job": ["a", "a", "b", "b", "c"]})
    out = conditional_rate_gap(y, g, positive="f", strata=strata)
    assert out["share_compared"] == pytest.approx(2 / 3)
    assert out["adjusted_gap"] == 1.0


def test_errors(people):
    X, sex, y, job = people
    with pytest.raises(TypeError, match="features must be a pandas DataFrame, got ndarray"):
        proxy_strength(X.to_numpy(), sex, positive="f")
    with pytest.raises(ValueError, match=r"sensitive must have one value per row \(4000\), got 3"):
        proxy_strength(X, ["f", "m", "f"], positive="f")
    with pytest.raises(ValueError, match=r"sensitive has 1 missing value"):
        proxy_strength(X.iloc[:3], ["f", None, "m"], positive="f")
    with pytest.raises(ValueError, match=r"positive must be a value of sensitive \['f', 'm'\]"):
        proxy_strength(X, sex, positive="female")
    with pytest.raises(ValueError, match="at least two groups, got one"):
        proxy_strength(X.iloc[:3], ["f", "f", "f"], positive="f")
    with pytest.raises(ValueError, match=r"strata must be a DataFrame with one row per label"):
        conditional_rate_gap(y, sex, positive="f", strata=job)
    with pytest.raises(ValueError, match="y_true contains values not in labels"):
        conditional_rate_gap(y + 1, sex, positive="f", strata=pd.DataFrame({"j": job}))
