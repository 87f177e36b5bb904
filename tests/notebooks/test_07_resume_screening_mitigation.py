import pytest

pytestmark = pytest.mark.notebooks

NAME = "07_resume_screening_mitigation"


def test_planted_bias_and_proxies_are_visible(lesson_results):
    res = lesson_results(NAME)["results"]
    assert 0.55 < res["historical_selection_ratio"]["value"] < 0.75  # documented ~0.64
    assert res["truth_qualified_gap"]["value"] < 0.05
    assert res["proxy_auc"]["value"] > 0.8
    low, high = res["baseline_dp_ratio_ci"]["value"]
    assert low <= res["baseline_dp_ratio"]["value"] <= high < 1
    assert 0.03 < res["baseline_dp_difference"]["value"] < 0.2


def test_every_mitigation_reduces_disparity_cheaply(lesson_results):
    res = lesson_results(NAME)["results"]
    base = res["baseline_dp_difference"]["value"]
    for key in ("reweighing", "expgrad", "thresholds"):
        assert res[f"{key}_dp_difference"]["value"] < base, key
        est, low, high = res[f"{key}_gap_change_ci"]["value"]
        assert low <= est <= high < 0, key  # the paired interval of the gap change excludes zero
        est, low, high = res[f"{key}_accuracy_change_ci"]["value"]
        assert low <= est <= high and low > -0.04, key
        # points lost and the paired accuracy change are the same number in two units
        assert res[f"{key}_points_lost"]["value"] == pytest.approx(-100 * est, abs=1e-9), key


def test_truth_flips_the_verdict(lesson_results):
    res = lesson_results(NAME)["results"]
    base_truth = res["baseline_accuracy_truth"]["value"]
    assert 0.75 < base_truth < 0.9
    assert res["thresholds_accuracy_truth"]["value"] > base_truth
    est, low, high = res["chosen_truth_accuracy_change_ci"]["value"]
    assert low > -0.01
    assert res["chosen_accuracy_truth"]["value"] == pytest.approx(base_truth + est, abs=1e-9)
    # the truth is not what the model was trained on: historical accuracy is lower
    assert res["baseline_accuracy_historical"]["value"] < base_truth


def test_operating_point_and_price(lesson_results):
    data = lesson_results(NAME)
    res = data["results"]
    lawful = {
        "reweighing x0.5",
        "reweighing x1",
        "reweighing x1.5",
        "reweighing x2",
        "exp. gradient",
    }
    # the legal filter: a method that needs gender at decision time is never recommended
    assert res["chosen_method"]["value"] in lawful
    assert res["unlawful_pick"]["value"] in lawful | {
        "baseline",
        "thresholds",
        "thresholds tol=0.02",
        "thresholds tol=0.05",
    }
    est, low, high = res["chosen_gap_change_ci"]["value"]
    assert low <= est <= high < 0
    est, low, high = res["chosen_accuracy_change_ci"]["value"]
    assert low > -0.05
    assert res["chosen_points_lost"]["value"] == pytest.approx(-100 * est, abs=1e-9)
    for key in ("excluded_gap_change_ci", "excluded_accuracy_change_ci"):
        est, low, high = res[key]["value"]
        assert low <= est <= high, key
    assert data["key_figure"] == "figures/pareto_front.png"
    for fig in ("history_vs_truth", "mitigation_intervals", "lawful_vs_excluded"):
        assert f"figures/{fig}.png" in data["figures"], fig
    assert len(data["claims"]) >= 8
