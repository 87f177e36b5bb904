import pytest

pytestmark = pytest.mark.notebooks


def test_start_here_records_the_accuracy_paradox(lesson_results):
    res = lesson_results("00_start_here")["results"]
    churn = res["churn_rate"]["value"]
    assert 0.2 < churn < 0.33  # the Telco sample churns about 26.5%
    assert res["majority_baseline_accuracy"]["value"] == pytest.approx(1 - churn)
    assert res["churn_rate_month_to_month"]["value"] > 1.4 * churn


def test_start_here_saves_its_key_figure(lesson_results):
    data = lesson_results("00_start_here")
    assert data["key_figure"] == "figures/churn_by_contract.png"


def test_start_here_draws_the_learners_map(lesson_results):
    assert "figures/curriculum_map.png" in lesson_results("00_start_here")["figures"]
