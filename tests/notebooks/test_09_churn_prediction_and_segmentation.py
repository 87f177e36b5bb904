"""Checks on the recorded results of notebook 09 (fast run, solutions on)."""

import pytest

pytestmark = pytest.mark.notebooks

NB = "09_churn_prediction_and_segmentation"


def test_data_checks_found_the_blanks_and_the_leakage_candidate(lesson_results):
    res = lesson_results(NB)["results"]
    assert res["n_missing_total_charges"]["value"] == 11
    assert 0.2 < res["churn_rate"]["value"] < 0.33
    assert res["corr_total_vs_tenure_x_monthly"]["value"] > 0.99


def test_models_are_good_tied_and_calibrated(lesson_results):
    res = lesson_results(NB)["results"]
    for key in ("auc_logreg", "auc_hgb"):
        assert 0.8 < res[key]["value"] < 0.9
    assert res["auc_diff_low"]["value"] <= res["auc_diff_hgb_minus_logreg"]["value"]
    assert res["auc_diff_hgb_minus_logreg"]["value"] <= res["auc_diff_high"]["value"]
    assert res["auc_diff_high"]["value"] < 0.02
    # the Nadeau-Bengio interval is wider than the naive fold t-interval around the same mean
    naive = res["auc_diff_naive_high"]["value"] - res["auc_diff_naive_low"]["value"]
    assert res["auc_diff_high"]["value"] - res["auc_diff_low"]["value"] > 1.2 * naive
    assert 0 <= res["auc_diff_p_value"]["value"] <= 1
    assert 0.5 < res["pr_auc_logreg"]["value"] < 0.8
    assert res["ece_logreg"]["value"] < 0.05
    assert res["precision_top10_logreg"]["value"] > 2 * res["churn_rate"]["value"]
    tops = res["top_features_logreg"]["value"] + res["top_features_hgb"]["value"]
    assert "contract" in tops and "tenure" in tops


def test_shap_summary_agrees_on_the_drivers(lesson_results):
    res = lesson_results(NB)["results"]
    assert res["treeshap_additivity_error_hgb"]["value"] < 1e-6
    for model in ("logreg", "hgb"):
        top = res[f"top_shap_features_{model}"]["value"]
        assert len(top) == 3
        assert {"contract", "tenure"} & set(top)
    assert "figures/shap_summary.png" in lesson_results(NB)["figures"]


def test_segments_are_stable_and_differ_in_churn(lesson_results):
    res = lesson_results(NB)["results"]
    k = res["k_chosen"]["value"]
    assert 2 <= k <= 7
    # the rule falls back to the most stable k when none reaches 0.9 (lowest seen: 0.83)
    assert res["stability_chosen_k"]["value"] >= 0.75
    rates = res["segment_churn_rates"]["value"]
    assert len(rates) == k
    assert max(rates.values()) > 0.3 > min(rates.values())
    by_k = res["segment_churn_ratio_by_k"]["value"]
    assert by_k[str(k)] == pytest.approx(res["segment_churn_ratio"]["value"])
    assert min(v for kk, v in by_k.items() if int(kk) >= 3) >= 3


def test_uplift_beats_risk_ranking_on_the_planted_truth(lesson_results):
    res = lesson_results(NB)["results"]
    risk = res["uplift_prevented_by_risk_ranking"]["value"]
    low, high = res["uplift_prevented_by_uplift_ranking_range"]["value"]
    assert low <= res["uplift_prevented_by_uplift_ranking"]["value"] <= high
    assert low >= 3 * risk
    assert high <= res["uplift_prevented_oracle"]["value"] + 1e-9
    assert res["uplift_risk_list_share_unsaveable"]["value"] > 0.5


def test_campaign_profit_beats_contacting_everyone(lesson_results):
    res = lesson_results(NB)["results"]
    best = res["best_profit"]["value"]
    assert best > res["profit_contact_all"]["value"]
    assert 0.1 < res["best_depth"]["value"] < 0.8
    assert res["break_even_rule_profit"]["value"] >= 0.8 * best
    depths = res["segment_best_depth"]["value"]
    assert max(depths.values()) > min(depths.values())


def test_key_figure_and_exercises(lesson_results):
    data = lesson_results(NB)
    assert data["key_figure"] == "figures/segments.png"
    assert set(data["exercises"]) == {
        "richer_offer_depth",
        "which_model",
        "implement_profit_curve",
    }
