"""Checks on the recorded results of notebook 16 (fast run, solutions on)."""

import pytest

pytestmark = pytest.mark.notebooks

NB = "16_ecommerce_customer_segments"
PERSONAS = {"loyal", "bargain", "browser", "lapsed", "new"}


def test_event_log_and_point_in_time_features(lesson_results):
    res = lesson_results(NB)["results"]
    assert res["n_users"]["value"] == 1500
    assert 0.05 < res["share_events_after_cutoff"]["value"] < 0.3
    assert 0.3 <= res["share_users_orders_change_without_cutoff"]["value"] < 0.7


def test_scaling_choice_is_graded(lesson_results):
    res = lesson_results(NB)["results"]
    ari = res["scaling_ari"]["value"]
    assert set(ari) == {"standard", "log1p", "quantile"}
    assert ari["standard"] >= ari["log1p"] + 0.2
    assert res["skew_monetary"]["value"] > 0.5
    assert res["share_browsers_without_orders"]["value"] > 0.4


def test_method_choice_recovers_the_personas(lesson_results):
    res = lesson_results(NB)["results"]
    assert 4 <= res["k_chosen"]["value"] <= 7
    chosen = res["chosen_method"]["value"]
    assert chosen in {"kmeans", "gmm", "hdbscan"}
    ari = res["method_ari_vs_planted"]["value"]
    assert set(ari) == {"kmeans", "gmm", "hdbscan"}
    assert ari[chosen] == res["ari_chosen"]["value"] >= 0.8
    assert max(v for m, v in ari.items() if m != chosen) + 0.03 <= ari[chosen]
    assert res["method_stability"]["value"][chosen] >= 0.9
    assert res["method_noise_share"]["value"][chosen] <= 0.1
    low, high = res["ari_chosen_resample_range"]["value"]
    assert 0.8 <= low <= high <= 1


def test_personas_and_campaign(lesson_results):
    res = lesson_results(NB)["results"]
    purity = res["persona_purity"]["value"]
    assert set(purity) == PERSONAS and min(purity.values()) >= 0.7
    per_user = res["value_per_user"]["value"]
    contacted = res["contacted_personas"]["value"]
    assert contacted == sorted(p for p, v in per_user.items() if v > 0)
    assert "loyal" in contacted and "lapsed" not in contacted  # under the default assumptions
    total, planted = res["campaign_value"]["value"], res["campaign_value_planted"]["value"]
    assert total > 0 and abs(total - planted) <= 0.15 * planted


def test_key_figure_and_exercises(lesson_results):
    data = lesson_results(NB)
    assert data["key_figure"] == "figures/segments.png"
    assert set(data["exercises"]) == {"implement_rfm", "query_a_month_later", "winback_offer"}
