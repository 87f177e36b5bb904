import pytest

pytestmark = pytest.mark.notebooks

POLICIES = {
    "scheduled (monthly)",
    "drift (naive)",
    "drift",
    "performance, no hold",
    "performance + hold",
}


def test_cost_per_policy_is_complete_and_adds_up(lesson_results):
    res = lesson_results("14_retraining_policy")["results"]
    costs = res["cost_per_policy"]["value"]
    assert set(costs) == POLICIES
    for row in costs.values():
        assert row["total"] == pytest.approx(row["cumulative_loss"] + row["retraining_cost"])
        assert row["retrains"] >= 0 and row["cumulative_loss"] > 0
    assert costs["scheduled (monthly)"]["retrains"] >= 20  # 96 weeks / 4, minus holds
    assert costs["scheduled (monthly)"]["alerts"] == 0  # no signal, no alerts


def test_ranking_over_many_streams(lesson_results):
    res = lesson_results("14_retraining_policy")["results"]
    assert res["n_streams"]["value"] >= 5
    ranking = res["ranking_over_streams"]["value"]
    assert set(ranking) == POLICIES
    means = {name: row["mean total"] for name, row in ranking.items()}
    assert min(means, key=means.get) == res["best_policy_over_streams"]["value"]
    assert res["best_policy_over_streams"]["value"] == "performance + hold"
    for row in ranking.values():
        assert row["95% CI low"] <= row["mean total"] <= row["95% CI high"]
        assert row["min"] <= row["mean total"] <= row["max"]
    assert sum(row["share of streams cheapest"] for row in ranking.values()) >= 1 - 1e-9
    assert res["share_streams_performance_hold_cheapest"]["value"] >= 0.8
    assert 0 < res["gap_to_runner_up_low"]["value"] <= res["gap_to_runner_up"]["value"]
    assert res["gap_to_runner_up"]["value"] <= res["gap_to_runner_up_high"]["value"]


def test_headline_numbers(lesson_results):
    res = lesson_results("14_retraining_policy")["results"]
    assert res["best_policy"]["value"] in POLICIES
    assert res["promotions_scheduled"]["value"] <= res["retrains_scheduled"]["value"]
    assert res["retrains_performance_hold"]["value"] <= 4
    assert 0.15 <= res["saving_vs_scheduled"]["value"] <= 0.6
    assert res["drift_retrains_after_silent_drift"]["value"] == 0
    assert (
        res["performance_reaction_weeks_silent_drift"]["value"] == 3
    )  # label delay 2 + 2 fresh weeks - 1
    assert res["loss_event_hold"]["value"] < 0.8 * res["loss_event_no_hold"]["value"]
    assert res["hold_saving"]["value"] > 0
    assert res["toy_alerts_with_hysteresis"]["value"] == 1


def test_registry_rollback_recorded(lesson_results):
    data = lesson_results("14_retraining_policy")
    res = data["results"]
    assert res["registry_versions"]["value"] >= 2
    assert 1 <= res["rolled_back_to_version"]["value"] < res["registry_versions"]["value"]
    assert data["key_figure"] == "figures/policy_costs.png"
    assert "figures/policy_costs_over_streams.png" in data["figures"]


def test_canary_release_recorded(lesson_results):
    data = lesson_results("14_retraining_policy")
    res = data["results"]
    for rule in ("sprt", "fixed"):
        assert 0 < res[f"canary_type1_{rule}"]["value"] <= 0.05 + 3 * (0.05 * 0.95 / 2000) ** 0.5
        assert res[f"canary_caught_bad_{rule}"]["value"] >= 0.95
        low, mean, high = (res[f"canary_harm_bad_{rule}{s}"]["value"] for s in ("_q05", "", "_q95"))
        assert 0 < low <= high and mean > 0
    assert (
        res["canary_requests_bad_sprt"]["value"] < 0.5 * res["canary_requests_bad_fixed"]["value"]
    )
    assert res["canary_harm_bad_sprt"]["value"] < res["canary_harm_bad_fixed"]["value"]
    assert res["canary_harm_bad_fixed"]["value"] < res["canary_harm_bad_no_canary"]["value"]
    assert res["canary_requests_good_sprt"]["value"] < res["canary_requests_good_fixed"]["value"]
    assert set(res["canary_decisions"]["value"].values()) <= {"promote", "roll back"}
    assert "figures/canary_sprt.png" in data["figures"]
