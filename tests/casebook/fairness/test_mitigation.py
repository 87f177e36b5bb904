"""Mitigation runners work on the locked stack and the trade-off helpers are exact."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from casebook.fairness.criteria import demographic_parity_difference
from casebook.fairness.mitigation import (
    exponentiated_gradient_predictions,
    reweighing_predictions,
    reweighing_weights,
    threshold_optimizer_predictions,
)
from casebook.fairness.operating_point import (
    accuracy_cost_per_disparity,
    choose_operating_point,
    mitigation_table,
    pareto_front,
)
from casebook.synthetic.applicants import APPLICANT_FEATURES, PROXY_FEATURES, make_applicants

FEATURES = [*APPLICANT_FEATURES, *PROXY_FEATURES]


@pytest.fixture(scope="module")
def split():
    df = make_applicants(3000, seed=0)
    tr, te = df.iloc[:2000], df.iloc[2000:]
    sc = StandardScaler().fit(tr[FEATURES])
    return {
        "X_tr": sc.transform(tr[FEATURES]),
        "y_tr": tr["hired"].to_numpy(),
        "g_tr": tr["gender"].astype(str).to_numpy(),
        "X_te": sc.transform(te[FEATURES]),
        "y_te": te["hired"].to_numpy(),
        "t_te": te["qualified"].to_numpy(),
        "g_te": te["gender"].astype(str).to_numpy(),
    }


def _dp(split, pred):
    return demographic_parity_difference(split["y_te"], pred, sensitive_features=split["g_te"])


@pytest.fixture(scope="module")
def baseline(split):
    model = LogisticRegression(max_iter=1000).fit(split["X_tr"], split["y_tr"])
    return model, model.predict(split["X_te"])


def test_reweighing_weights_match_the_formula():
    rng = np.random.default_rng(0)
    g = rng.choice(["f", "m"], 500)
    y = (rng.random(500) < np.where(g == "m", 0.5, 0.25)).astype(int)
    w = reweighing_weights(y, sensitive_features=g)
    for gg in ("f", "m"):
        for yy in (0, 1):
            cell = (g == gg) & (y == yy)
            expected = (g == gg).mean() * (y == yy).mean() / cell.mean()
            assert np.allclose(w[cell], expected)
    # weighted label rate is the same in both groups after reweighing
    rates = [np.average(y[g == gg], weights=w[g == gg]) for gg in ("f", "m")]
    assert rates[0] == pytest.approx(rates[1])
    assert np.allclose(reweighing_weights(y, sensitive_features=g, strength=0.0), 1.0)
    assert np.allclose(reweighing_weights(y, sensitive_features=g, strength=2.0), w**2)


def test_reweighing_reduces_disparity(split, baseline):
    _, base = baseline
    pred = reweighing_predictions(
        LogisticRegression(max_iter=1000),
        split["X_tr"],
        split["y_tr"],
        split["X_te"],
        sensitive_features=split["g_tr"],
    )
    assert set(np.unique(pred)) <= {0, 1}
    assert _dp(split, pred) < 0.7 * _dp(split, base)


def test_exponentiated_gradient_reduces_disparity(split, baseline):
    _, base = baseline
    args = (LogisticRegression(max_iter=1000), split["X_tr"], split["y_tr"], split["X_te"])
    pred = exponentiated_gradient_predictions(*args, sensitive_features=split["g_tr"], seed=1)
    again = exponentiated_gradient_predictions(*args, sensitive_features=split["g_tr"], seed=1)
    np.testing.assert_array_equal(pred, again)  # seeded randomized predictions
    assert _dp(split, pred) < 0.8 * _dp(split, base)


def test_threshold_optimizer_equalizes_selection(split, baseline):
    model, base = baseline
    pred = threshold_optimizer_predictions(
        model,
        split["X_tr"],
        split["y_tr"],
        split["X_te"],
        sensitive_features=split["g_tr"],
        sensitive_features_eval=split["g_te"],
        seed=0,
    )
    assert _dp(split, pred) < 0.5 * _dp(split, base)
    assert _dp(split, pred) < 0.06


def test_mitigation_table_values(split, baseline):
    _, base = baseline
    fair = base.copy()
    table = mitigation_table(
        {"baseline": base, "same": fair},
        y_historical=split["y_te"],
        y_truth=split["t_te"],
        sensitive_features=split["g_te"],
        families={"same": "none"},
    )
    assert table.loc["baseline", "accuracy_historical"] == pytest.approx(
        np.mean(base == split["y_te"])
    )
    assert table.loc["baseline", "accuracy_truth"] == pytest.approx(np.mean(base == split["t_te"]))
    f = split["g_te"] == "female"
    assert table.loc["baseline", "selection_rate_female"] == pytest.approx(base[f].mean())
    assert table.loc["baseline", "dp_difference"] == pytest.approx(_dp(split, base))
    assert table.loc["same", "disparity_removed"] == 0.0
    assert np.isnan(table.loc["same", "points_per_disparity_point"])
    assert table.loc["same", "family"] == "none"
    t = split["t_te"] == 1
    tpr_gap = abs(base[t & f].mean() - base[t & ~f].mean())
    assert table.loc["baseline", "tpr_gap_truth"] == pytest.approx(tpr_gap)


def test_mitigation_table_errors():
    with pytest.raises(ValueError, match="baseline must be a key"):
        mitigation_table({"a": [0, 1]}, y_historical=[0, 1], sensitive_features=["x", "y"])
    with pytest.raises(ValueError, match="must have the same length"):
        mitigation_table({"baseline": [0, 1]}, y_historical=[0, 1], sensitive_features=["x"])
    with pytest.raises(ValueError, match=r"predictions\['baseline'\] must have 2 decisions"):
        mitigation_table({"baseline": [0]}, y_historical=[0, 1], sensitive_features=["x", "y"])


def test_pareto_front():
    d = [0.10, 0.05, 0.05, 0.02, 0.06]
    a = [0.80, 0.79, 0.78, 0.75, 0.70]
    assert pareto_front(d, a).tolist() == [True, True, False, True, False]
    # duplicates are both on the front (neither strictly dominates)
    assert pareto_front([0.1, 0.1], [0.8, 0.8]).tolist() == [True, True]
    with pytest.raises(ValueError, match="same length"):
        pareto_front([0.1, 0.2], [0.8])


def test_accuracy_cost_per_disparity():
    assert accuracy_cost_per_disparity(0.80, 0.78, 0.12, 0.02) == pytest.approx(0.2)
    assert accuracy_cost_per_disparity(0.80, 0.81, 0.12, 0.02) == pytest.approx(-0.1)
    with pytest.warns(RuntimeWarning, match="no disparity removed"):
        assert np.isnan(accuracy_cost_per_disparity(0.8, 0.7, 0.05, 0.06))


def test_choose_operating_point():
    t = pd.DataFrame(
        {"dp_difference": [0.10, 0.03, 0.03, 0.01], "accuracy_historical": [0.8, 0.77, 0.77, 0.7]},
        index=["base", "a", "b", "c"],
    )
    assert choose_operating_point(t, max_disparity=0.05) == "a"
    assert choose_operating_point(t, max_disparity=0.02) == "c"
    assert choose_operating_point(t, max_disparity=1.0) == "base"
    with pytest.raises(ValueError, match="is met by no candidate"):
        choose_operating_point(t, max_disparity=0.001)
    with pytest.raises(ValueError, match="must have a column 'nope'"):
        choose_operating_point(t, max_disparity=0.1, accuracy="nope")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: reweighing_weights([0, 1, 1], sensitive_features=["a", "a", "a"]),
            "exactly 2 groups",
        ),
        (lambda: reweighing_weights([0, 1], sensitive_features=["a", None]), "missing values"),
        (lambda: reweighing_weights([0, 2], sensitive_features=["a", "b"]), "y must be binary"),
        (
            lambda: reweighing_weights([0, 1], sensitive_features=["a", "b"], strength=-1),
            "strength",
        ),
        (lambda: reweighing_weights([0, 1], sensitive_features=["a"]), "1-D with 2 rows"),
        (
            lambda: reweighing_predictions(
                LogisticRegression(), [1, 2], [0, 1], [[1]], sensitive_features=["a", "b"]
            ),
            "X_train must be 2-D",
        ),
        (
            lambda: exponentiated_gradient_predictions(
                LogisticRegression(), [[1], [2]], [0, 1], [[1]], sensitive_features=["a"]
            ),
            "one group per row",
        ),
        (
            lambda: exponentiated_gradient_predictions(
                LogisticRegression(),
                [[1], [2]],
                [0, 1],
                [[1]],
                sensitive_features=["a", "b"],
                constraint="nope",
            ),
            "constraint must be one of",
        ),
        (
            lambda: threshold_optimizer_predictions(
                None,
                [[1], [2]],
                [0, 1, 1],
                [[1]],
                sensitive_features=["a", "b"],
                sensitive_features_eval=["a"],
            ),
            "y_train must have one label per row",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- bad input: every raise path names the parameter ------------------------------


def test_pareto_front_rejects_non_finite_and_strings():
    with pytest.raises(ValueError, match="disparity must be finite"):
        pareto_front([0.1, np.nan], [0.8, 0.9])
    with pytest.raises(ValueError, match="accuracy must be finite"):
        pareto_front([0.1, 0.2], [0.8, np.inf])
    with pytest.raises(TypeError, match="accuracy must be numeric"):
        pareto_front([0.1, 0.2], ["a", "b"])


def test_accuracy_cost_per_disparity_rejects_bad_scalars():
    with pytest.raises(ValueError, match="accuracy_baseline must be a finite number"):
        accuracy_cost_per_disparity(np.nan, 0.79, 0.1, 0.02)
    with pytest.raises(ValueError, match="disparity_mitigated must be a finite number"):
        accuracy_cost_per_disparity(0.8, 0.79, 0.1, np.inf)
    with pytest.raises(ValueError, match="disparity_baseline must be >= 0"):
        accuracy_cost_per_disparity(0.8, 0.79, -0.1, 0.02)
    with pytest.raises(TypeError, match="accuracy_mitigated must be a number"):
        accuracy_cost_per_disparity(0.8, "0.79", 0.1, 0.02)


def test_choose_operating_point_rejects_bad_tables():
    t = pd.DataFrame({"dp_difference": [0.1, 0.04], "accuracy_historical": [0.8, 0.78]})
    with pytest.raises(ValueError, match="table must have at least one row"):
        choose_operating_point(t.iloc[:0], max_disparity=0.05)
    bad = t.assign(dp_difference=[np.nan, 0.04])
    with pytest.raises(ValueError, match=r"table\['dp_difference'\] must be finite"):
        choose_operating_point(bad, max_disparity=0.05)
    with pytest.raises(ValueError, match="max_disparity must be a finite number"):
        choose_operating_point(t, max_disparity=np.nan)
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        choose_operating_point([0.1], max_disparity=0.05)


def test_reweighing_weights_rejects_bad_strength_and_single_class():
    g = ["a", "a", "b", "b"]
    with pytest.raises(ValueError, match="strength must be a finite number"):
        reweighing_weights([0, 1, 0, 1], sensitive_features=g, strength=np.nan)
    with pytest.raises(ValueError, match="strength must be >= 0"):
        reweighing_weights([0, 1, 0, 1], sensitive_features=g, strength=-1)
    with pytest.raises(ValueError, match="y must contain both classes"):
        reweighing_weights([1, 1, 1, 1], sensitive_features=g)


_X = np.column_stack([np.arange(8.0), np.arange(8.0) % 3])
_Y = np.array([0, 1] * 4)
_G = np.array(["a"] * 4 + ["b"] * 4)


@pytest.mark.parametrize(
    "fit",
    [
        lambda **kw: reweighing_predictions(LogisticRegression(), **kw),
        lambda **kw: exponentiated_gradient_predictions(LogisticRegression(), max_iter=1, **kw),
        lambda **kw: threshold_optimizer_predictions(
            LogisticRegression().fit(_X, _Y), sensitive_features_eval=_G[:3], **kw
        ),
    ],
    ids=["reweighing", "exponentiated_gradient", "threshold_optimizer"],
)
@pytest.mark.parametrize(
    ("change", "exc", "match"),
    [
        ({"X_train": np.where(_X == 0, np.nan, _X)}, ValueError, "X_train must be finite"),
        ({"X_eval": np.full((3, 2), np.inf)}, ValueError, "X_eval must be finite"),
        ({"X_train": np.full((8, 2), "s")}, TypeError, "X_train must hold numbers"),
        ({"y_train": _Y[:-1]}, ValueError, "y_train must have one label per row of X_train"),
        ({"y_train": np.r_[7, _Y[1:]]}, ValueError, "y_train must be binary 0/1"),
        ({"y_train": np.ones(8, int)}, ValueError, "y_train must contain both classes"),
        (
            {"X_train": _X[:0], "y_train": _Y[:0], "sensitive_features": _G[:0]},
            ValueError,
            "y_train must have at least one row",
        ),
    ],
)
def test_fit_functions_name_the_bad_argument(fit, change, exc, match):
    kwargs = {"X_train": _X, "y_train": _Y, "X_eval": _X[:3], "sensitive_features": _G}
    with pytest.raises(exc, match=match):
        fit(**(kwargs | change))


def test_threshold_optimizer_checks_group_lengths():
    model = LogisticRegression().fit(_X, _Y)
    kwargs = {"X_train": _X, "y_train": _Y, "X_eval": _X[:3]}
    with pytest.raises(ValueError, match="sensitive_features must be 1-D with one group per row"):
        threshold_optimizer_predictions(
            model, **kwargs, sensitive_features=_G[:-1], sensitive_features_eval=_G[:3]
        )
    with pytest.raises(ValueError, match="sensitive_features_eval must be 1-D"):
        threshold_optimizer_predictions(
            model, **kwargs, sensitive_features=_G, sensitive_features_eval=_G[:2]
        )


def test_mitigation_table_rejects_bad_labels_and_groups():
    hist, g = [0, 1, 0, 1], ["a", "a", "b", "b"]
    with pytest.raises(ValueError, match=r"predictions\['baseline'\] must be binary 0/1"):
        mitigation_table({"baseline": [0, np.nan, 1, 1]}, y_historical=hist, sensitive_features=g)
    with pytest.raises(ValueError, match="y_historical must be binary 0/1"):
        mitigation_table(
            {"baseline": [0, 1, 1, 1]}, y_historical=[7, 1, 0, 1], sensitive_features=g
        )
    with pytest.raises(ValueError, match="y_truth must be binary 0/1"):
        mitigation_table(
            {"baseline": [0, 1, 1, 1]},
            y_historical=hist,
            sensitive_features=g,
            y_truth=[2, 1, 0, 1],
        )
    with pytest.raises(ValueError, match="sensitive_features must not contain missing values"):
        mitigation_table(
            {"baseline": [0, 1, 1, 1]}, y_historical=hist, sensitive_features=["a", None, "b", "b"]
        )


def test_choose_operating_point_excludes_decision_time_attribute():
    t = pd.DataFrame(
        {
            "dp_difference": [0.10, 0.01, 0.03, 0.02],
            "accuracy_historical": [0.80, 0.79, 0.77, 0.75],
            "needs_attribute_at": ["none", "decision_time", "training", "none"],
        },
        index=["base", "thresholds", "reweighing", "dropped"],
    )
    # without the legal filter the group thresholds win; with it, the best lawful point
    assert choose_operating_point(t, max_disparity=0.05) == "thresholds"
    lawful = choose_operating_point(t, max_disparity=0.05, exclude_decision_time_attribute=True)
    assert lawful == "reweighing"
    # the filter is hard: a tighter tolerance met only by the excluded method raises
    with pytest.raises(ValueError, match="is met by no candidate"):
        choose_operating_point(t, max_disparity=0.015, exclude_decision_time_attribute=True)
    with pytest.raises(ValueError, match="needs a 'needs_attribute_at' column"):
        choose_operating_point(
            t.drop(columns="needs_attribute_at"),
            max_disparity=0.05,
            exclude_decision_time_attribute=True,
        )
    only_post = t.loc[["thresholds"]]
    with pytest.raises(ValueError, match="leaves no candidate"):
        choose_operating_point(only_post, max_disparity=0.05, exclude_decision_time_attribute=True)
    with pytest.raises(TypeError, match="exclude_decision_time_attribute must be a bool"):
        choose_operating_point(t, max_disparity=0.05, exclude_decision_time_attribute="yes")


def test_mitigation_table_records_attribute_use():
    g = ["f"] * 4 + ["m"] * 4
    hist = [0, 0, 1, 0, 1, 1, 0, 0]
    preds = {"baseline": hist, "post": [1, 0, 1, 0, 1, 1, 0, 0]}
    t = mitigation_table(
        preds,
        y_historical=hist,
        sensitive_features=g,
        needs_attribute_at={"baseline": "none", "post": "decision_time"},
    )
    assert t["needs_attribute_at"].tolist() == ["none", "decision_time"]
    assert choose_operating_point(t, max_disparity=1.0, exclude_decision_time_attribute=True) == (
        "baseline"
    )
    with pytest.raises(ValueError, match="needs_attribute_at must map every method"):
        mitigation_table(
            preds, y_historical=hist, sensitive_features=g, needs_attribute_at={"baseline": "none"}
        )
    with pytest.raises(ValueError, match="invalid"):
        mitigation_table(
            preds,
            y_historical=hist,
            sensitive_features=g,
            needs_attribute_at={"baseline": "none", "post": "at lunch"},
        )


def test_choose_operating_point_fallback_to_fairest_keeps_the_legal_filter():
    t = pd.DataFrame(
        {
            "dp_difference": [0.10, 0.001, 0.03, 0.02],
            "accuracy_historical": [0.80, 0.79, 0.77, 0.75],
            "needs_attribute_at": ["none", "decision_time", "training", "none"],
        },
        index=["base", "thresholds", "reweighing", "dropped"],
    )
    assert choose_operating_point(t, max_disparity=0.005, if_none="fairest") == "thresholds"
    lawful = choose_operating_point(
        t, max_disparity=0.005, exclude_decision_time_attribute=True, if_none="fairest"
    )
    assert lawful == "dropped"
    with pytest.raises(ValueError, match="if_none must be 'raise' or 'fairest'"):
        choose_operating_point(t, max_disparity=0.05, if_none="closest")
