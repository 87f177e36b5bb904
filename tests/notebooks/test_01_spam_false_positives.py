"""Checks on the recorded results of notebooks/01_spam_false_positives.ipynb."""

import pytest

pytestmark = pytest.mark.notebooks

NB = "01_spam_false_positives"


@pytest.fixture
def res(lesson_results):
    return lesson_results(NB)["results"]


def value(res, key):
    return res[key]["value"]


def test_accuracy_hides_the_false_positives(res):
    assert 0.10 < value(res, "spam_share") < 0.16  # the collection is 13.4% spam
    assert value(res, "accuracy_at_05") > value(res, "accuracy_always_ham")
    assert value(res, "accuracy_always_ham") == pytest.approx(
        1 - value(res, "spam_share"), abs=0.02
    )
    assert 0.015 <= value(res, "fpr_at_05") <= 0.10
    assert value(res, "fp_at_05") >= 15
    assert value(res, "spam_recall_at_05") >= 0.85


def test_taxonomy_finds_over_represented_categories(res):
    assert 0.3 <= value(res, "fp_share_explained_by_rules") <= 1.0
    assert 0.15 <= value(res, "fp_top_category_share") <= 0.6
    assert value(res, "fp_share_score_below_09") >= 0.5
    # lift = share among false positives / share among all legitimate messages
    assert value(res, "fp_named_lift") > 1
    assert value(res, "fp_call_lift") > 1
    assert value(res, "fp_call_lift_low") <= value(res, "fp_call_lift")
    assert value(res, "fp_held_out_lift") >= 1.2  # judged on test, chosen on validation
    assert 0.3 <= value(res, "labelling_kappa") <= 1.0


def test_cost_threshold_saves_cost_and_lost_messages(res):
    assert 0.5 < value(res, "threshold_cost_optimal") < 1.0
    assert value(res, "cost_saved_fraction") >= 0.5
    assert value(res, "test_cost_at_cost_optimal") < value(res, "test_cost_at_05")
    assert value(res, "fp_at_cost_optimal") <= value(res, "fp_at_05") / 3


def test_fp_budget_threshold(res):
    assert 0.5 < value(res, "threshold_fp_budget") < 1.0
    assert value(res, "test_fpr_at_budget") <= 0.5 * value(res, "fpr_at_05")
    assert value(res, "test_spam_recall_at_budget") >= 1 / 3
    assert 0.0 <= value(res, "budget_met_share_of_resamples") <= 1.0


def test_runs_are_versioned_and_figures_saved(lesson_results):
    data = lesson_results(NB)
    assert data["results"]["mlflow_runs_logged"]["value"] == 3
    assert data["key_figure"] == "figures/cost_curve.png"
    assert {
        "figures/confusion_shipped.png",
        "figures/fp_taxonomy.png",
        "figures/confusion_by_fix.png",
        "figures/score_histogram.png",
        "figures/error_explorer.png",
    } <= set(data["figures"])


def test_error_explorer_slices(res):
    before, after = value(res, "explorer_top_slice_fp")
    assert 1 <= before <= value(res, "fp_at_05") and 0 <= after <= before
    assert isinstance(value(res, "explorer_top_slice"), str)
    fpr, low, high = value(res, "explorer_length_worst_fpr")
    assert 0 <= low <= fpr <= high <= 1 and high > low
    assert fpr >= value(res, "fpr_at_05")  # the worst slice is at least as bad as all rows
