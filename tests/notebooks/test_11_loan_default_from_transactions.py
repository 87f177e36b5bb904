import pytest

pytestmark = pytest.mark.notebooks

NAME = "11_loan_default_from_transactions"


def _values(lesson_results):
    return {k: v["value"] for k, v in lesson_results(NAME)["results"].items()}


def test_tables_are_rare_defaults_with_thin_files(lesson_results):
    r = _values(lesson_results)
    assert 0.03 < r["default_rate"] < 0.07
    assert r["n_transactions"] > 300_000
    assert 0.01 < r["share_no_history"] < 0.06
    assert 0.2 < r["share_history_shorter_than_365d"] < 0.6
    assert r["n_features"] >= 3 * 4 + 2  # count/sum/mean/max per window, recency, history


def test_point_in_time_features_do_not_leak(lesson_results):
    r = _values(lesson_results)
    assert r["future_rows"] > 0.1 * r["n_transactions"]
    assert r["auc_leaky_random_split"] > 0.9  # late fees after the application give it away
    assert r["late_fee_univariate_auc_leaky"] > 0.9
    assert 0.6 < r["auc_random_split"] < 0.85


def test_out_of_time_gap_has_an_interval_and_the_drivers_drift(lesson_results):
    r = _values(lesson_results)
    gap = r["auc_gap_random_minus_oot"]
    assert gap == pytest.approx(r["auc_random_split"] - r["auc_out_of_time"])
    assert r["auc_gap_low"] < gap < r["auc_gap_high"]
    assert r["gambling_auc_train_minus_test"] > 0.05
    assert r["bnpl_auc_test_minus_train"] > 0.05
    assert r["auc_out_of_time_low"] < r["auc_out_of_time"] < r["auc_out_of_time_high"]
    assert 0.5 < r["auc_out_of_time"] < 0.8


def test_imbalanced_evaluation_and_cost_threshold(lesson_results):
    r = _values(lesson_results)
    assert r["prevalence_out_of_time"] < r["pr_auc_out_of_time"] < 0.5
    assert 0 < r["cost_threshold"] < 0.5  # a missed default costs far more than a lost margin
    assert 0 < r["oof_cost_saved_vs_approve_all"] < 0.5
    assert -0.3 < r["cost_saved_vs_approve_all"] < 0.5
    assert r["cost_approve_all"] > 0


def test_key_figure(lesson_results):
    assert lesson_results(NAME)["key_figure"] == "figures/random_vs_out_of_time.png"
