"""Checks on the recorded results of 04_fraud_dollar_costs (fast run, solutions on)."""

import pytest

pytestmark = pytest.mark.notebooks

NAME = "04_fraud_dollar_costs"


def test_accuracy_paradox(lesson_results):
    res = lesson_results(NAME)["results"]
    assert res["fraud_rate"]["value"] == pytest.approx(492 / 284_807)
    assert res["accuracy_never_flag"]["value"] >= 0.998
    assert res["accuracy_at_05"]["value"] - res["accuracy_never_flag"]["value"] < 0.002
    assert 0.3 < res["fraud_recall_at_05"]["value"] < 0.95


def test_money_optimal_threshold_beats_alternatives(lesson_results):
    res = lesson_results(NAME)["results"]
    money = res["test_loss_money_optimal_eur"]["value"]
    assert money < res["test_loss_accuracy_optimal_eur"]["value"]
    assert money <= 0.95 * res["test_loss_at_05_eur"]["value"]
    assert money < res["test_fraud_amount_eur"]["value"]  # better than having no model
    assert (
        0.0 < res["money_optimal_threshold"]["value"] < res["accuracy_optimal_threshold"]["value"]
    )
    assert res["saved_vs_05_fraction"]["value"] >= 0.05


def test_class_weights_and_sklearn_comparison(lesson_results):
    res = lesson_results(NAME)["results"]
    assert res["test_loss_weighted_at_05_eur"]["value"] > res["test_fraud_amount_eur"]["value"]
    assert (
        res["test_loss_weighted_tuned_eur"]["value"]
        < 0.5 * res["test_loss_weighted_at_05_eur"]["value"]
    )
    assert 0 < res["test_loss_tuned_sklearn_eur"]["value"] < res["test_fraud_amount_eur"]["value"]
    assert res["mlflow_runs_logged"]["value"] == 5
