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


def test_headline_numbers(lesson_results):
    res = lesson_results("14_retraining_policy")["results"]
    assert res["best_policy"]["value"] == "performance + hold"
    assert res["retrains_performance_hold"]["value"] <= 4
    assert 0.15 <= res["saving_vs_scheduled"]["value"] <= 0.6
    assert res["drift_retrains_after_silent_drift"]["value"] == 0
    assert 1 <= res["performance_reaction_weeks_silent_drift"]["value"] <= 8
    assert res["loss_event_hold"]["value"] < 0.8 * res["loss_event_no_hold"]["value"]
    assert res["hold_saving"]["value"] > 0
    assert res["toy_alerts_with_hysteresis"]["value"] == 1


def test_registry_rollback_recorded(lesson_results):
    data = lesson_results("14_retraining_policy")
    res = data["results"]
    assert res["registry_versions"]["value"] >= 2
    assert 1 <= res["rolled_back_to_version"]["value"] < res["registry_versions"]["value"]
    assert data["key_figure"] == "figures/policy_costs.png"
