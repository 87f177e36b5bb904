import pytest

pytestmark = pytest.mark.notebooks


def _values(lesson_results):
    return {k: v["value"] for k, v in lesson_results("10_fraud_imbalance")["results"].items()}


def test_synthetic_set_is_below_one_in_a_thousand(lesson_results):
    r = _values(lesson_results)
    assert r["synthetic_prevalence"] < 0.001
    assert r["synthetic_n_frauds"] >= 100
    assert r["accuracy_always_legit"] == pytest.approx(1 - r["synthetic_prevalence"])


def test_pr_auc_separates_what_roc_auc_does_not(lesson_results):
    r = _values(lesson_results)
    assert r["min_shortfall_ratio"] > 1.5
    assert 10 * r["synthetic_prevalence"] < r["max_pr_auc"] < 0.9
    assert r["pr_auc_spread"] > r["roc_auc_spread"]


def test_resampling_before_the_split_leaks(lesson_results):
    r = _values(lesson_results)
    assert r["leaky_cv_pr_auc"] > 0.95
    assert r["honest_cv_pr_auc"] < r["leaky_real_rows_pr_auc"] < r["leaky_cv_pr_auc"]


def test_money_and_real_data(lesson_results):
    r = _values(lesson_results)
    assert r["random_under_savings_default"] < 0  # review costs swamp the savings at 0.5
    assert 0 < r["best_savings_moved"] < r["fraud_at_stake"]
    assert 0.0005 < r["real_prevalence"] < 0.004  # ULB: 492 / 284,807 overall; test = latest 25%
    assert r["real_n_test_frauds"] >= 40
    for est, low, high in r["real_pr_auc_gain_vs_none"].values():
        assert low <= est <= high
    assert r["real_roc_auc_none"] > 0.93
    assert 0.5 < r["real_pr_auc_none"] < 0.95
    assert 0 <= r["real_roc_auc_spread"] < 0.1
    assert r["real_recall_at_precision_none"] > 0.5
    assert r["real_savings_none"] > 0


def test_train_on_synthetic_test_on_real(lesson_results):
    r = _values(lesson_results)
    assert 0.5 <= r["tstr_best_ratio"] < 1.5
    assert 0.3 < r["tstr_gmm_ratio"] <= r["tstr_best_ratio"]
    gaps = r["tstr_gap_vs_real"]
    assert set(gaps) == {"smote", "borderline_smote", "adasyn", "gaussian_mixture"}
    for est, low, high in gaps.values():
        assert low <= est <= high
    assert max(est for est, _, _ in gaps.values()) < 0.1  # no generator beats real frauds
    assert 0.5 < r["tstr_real_pr_auc"] < 0.97


def test_key_figure(lesson_results):
    assert lesson_results("10_fraud_imbalance")["key_figure"] == "figures/pr_curves_and_scores.png"
