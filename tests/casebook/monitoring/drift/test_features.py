import numpy as np
import pandas as pd
import pytest

from casebook.monitoring.drift.features import _as_text, feature_drift
from casebook.monitoring.drift.stats import chi_square, jensen_shannon, ks, psi, wasserstein

RNG = np.random.default_rng(0)
N = 3000
REF = pd.DataFrame({
    "x": RNG.normal(size=N),
    "y": RNG.gamma(2, 1, N),
    "c": pd.Series(RNG.choice(["a", "b", "c"], N, p=[0.5, 0.3, 0.2])).astype("category"),
    "d": RNG.choice(["u", "v"], N),
})  # fmt: skip
NUM, CAT = ["x", "y"], ["c", "d"]


def _clean(seed, n=400):
    return REF.sample(n, replace=True, random_state=seed).reset_index(drop=True)


def test_feature_drift_flags_only_shifted_feature():
    cur = _clean(9)
    cur["x"] = cur["x"] + 0.8
    t = feature_drift(REF, cur, numeric=NUM, categorical=CAT)
    assert t.set_index("feature")["drifted"].to_dict() == {"x": True, "y": False, "c": False,
                                                           "d": False}  # fmt: skip
    assert t["test"].tolist() == ["ks", "ks", "chi_square", "chi_square"]
    assert t["effect"].tolist() == ["psi", "psi", "jensen_shannon", "jensen_shannon"]
    assert (t["p_adjusted"] >= t["p_value"]).all()


def test_effect_size_gate_and_correction():
    cur = _clean(10)
    cur["x"] = cur["x"] + 0.15  # significant at n=400? small effect, PSI < 0.1
    t = feature_drift(REF, cur, numeric=["x"], categorical=[], alpha=0.5)
    assert bool(t["significant"].iloc[0])
    assert t["effect_value"].iloc[0] < 0.1
    assert not bool(t["drifted"].iloc[0])
    bonf = feature_drift(REF, _clean(11), numeric=NUM, categorical=CAT, correction="bonferroni")
    none = feature_drift(REF, _clean(11), numeric=NUM, categorical=CAT, correction="none")
    assert (bonf["p_adjusted"] >= none["p_adjusted"]).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"reference": REF.drop(columns=["x"])},
            ValueError,
            r"reference is missing column\(s\) \['x'\]",
        ),
        (
            {"current": REF.drop(columns=["c"])},
            ValueError,
            r"current is missing column\(s\) \['c'\]",
        ),
        ({"reference": REF.assign(x=np.inf)}, ValueError, r"reference\['x'\] must be finite"),
        ({"current": _clean(1).assign(y=-np.inf)}, ValueError, r"current\['y'\] must be finite"),
        ({"alpha": np.nan}, ValueError, r"alpha must be a significance level in \(0, 1\), got nan"),
        ({"alpha": "0.01"}, TypeError, "alpha must be a number, got str"),
        ({"current": [1, 2]}, TypeError, "current must be a DataFrame, got list"),
        ({"psi_threshold": 0}, ValueError, "psi_threshold must be a positive distance, got 0"),
        ({"js_threshold": "x"}, TypeError, "js_threshold must be a number, got str"),
        ({"reference": REF.assign(x="a")}, TypeError, "reference must be numeric"),
        ({"current": _clean(1).assign(d=None)}, ValueError, "current must hold at least one"),
    ],
)
def test_feature_drift_errors(kwargs, error, match):
    args = {"reference": REF, "current": _clean(1), "numeric": NUM, "categorical": CAT, **kwargs}
    with pytest.raises(error, match=match):
        feature_drift(**args)


def test_feature_drift_equals_the_statistics_column_by_column():
    cur = _clean(12)
    cur["y"] = cur["y"] * 1.3
    t = feature_drift(REF, cur, numeric=NUM, categorical=CAT, alpha=0.05, psi_threshold=0.2,
                      js_threshold=0.05).set_index("feature")  # fmt: skip
    for col in NUM:
        assert t.loc[col, "statistic"] == ks(REF[col], cur[col]).statistic
        assert t.loc[col, "p_value"] == ks(REF[col], cur[col]).p_value
        assert t.loc[col, "effect_value"] == psi(REF[col], cur[col]).statistic
        assert t.loc[col, "wasserstein"] == wasserstein(REF[col], cur[col]).statistic
        assert t.loc[col, "effect_threshold"] == 0.2
    for col in CAT:
        assert t.loc[col, "p_value"] == chi_square(REF[col], cur[col]).p_value
        text = jensen_shannon(REF[col].dropna().astype(str), cur[col].dropna().astype(str))
        assert t.loc[col, "effect_value"] == text.statistic
        assert t.loc[col, "effect_threshold"] == 0.05


def test_categories_compared_as_text_merge_labels_that_print_alike():
    assert _as_text({1: 3, "1": 2, "a": 1}) == {"1": 5, "a": 1}
    ref = pd.DataFrame({"s": pd.Series([0, 1] * 50 + [None] * 4, dtype=object)})
    cur = pd.DataFrame({"s": pd.Series([0] * 30 + ["1"] * 10 + [1] * 10, dtype=object)})
    t = feature_drift(ref, cur, numeric=[], categorical=["s"])
    text = jensen_shannon(ref["s"].dropna().astype(str), cur["s"].dropna().astype(str))
    assert t["effect_value"].iloc[0] == text.statistic
    assert "unseen in reference: ['1']" in t["detail"].iloc[0]  # chi-square keeps the types
