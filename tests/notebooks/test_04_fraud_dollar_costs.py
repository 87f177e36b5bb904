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
    # against the accuracy-optimal threshold the money-optimal one is not reliably cheaper on a
    # later period (4 of 30 seeds in the sweep), so only the claim against 0.5 is asserted
    assert money <= 0.95 * res["test_loss_at_05_eur"]["value"]
    assert money < res["test_fraud_amount_eur"]["value"]  # better than having no model
    assert 0.0 < res["money_optimal_threshold"]["value"] < 1.0
    assert res["saved_vs_05_fraction"]["value"] >= 0.05


def test_calibration_and_per_transaction_rule(lesson_results):
    res = lesson_results(NAME)["results"]
    observed = res["observed_frauds_test"]["value"]
    assert observed > 0
    calibrated = res["expected_frauds_test_calibrated"]["value"]
    assert abs(calibrated - observed) <= 3 * observed**0.5
    # the rule's recorded loss is no more than the cost of flagging nothing
    assert 0 < res["test_loss_per_transaction_eur"]["value"] < res["test_fraud_amount_eur"]["value"]
    for key in ("threshold", "sklearn", "amount_weighted"):
        low, est, high = (
            res[f"rule_saving_vs_{key}{part}_eur"]["value"] for part in ("_low", "", "_high")
        )
        assert low <= est <= high
        # the rule's loss stays within 10% of each alternative's (alternative = rule + saving)
        rule = res["test_loss_per_transaction_eur"]["value"]
        assert rule <= 1.10 * (rule + est)
    saving = res["rule_saving_vs_threshold_eur"]["value"]
    assert saving == pytest.approx(
        res["test_loss_money_optimal_eur"]["value"] - res["test_loss_per_transaction_eur"]["value"]
    )


def test_class_weights_and_sklearn_comparison(lesson_results):
    res = lesson_results(NAME)["results"]
    assert res["test_loss_weighted_at_05_eur"]["value"] < res["test_fraud_amount_eur"]["value"]
    assert 0 < res["test_loss_tuned_sklearn_eur"]["value"] < res["test_fraud_amount_eur"]["value"]
    assert res["mlflow_runs_logged"]["value"] == 6
