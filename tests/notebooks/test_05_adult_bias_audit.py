"""Checks on the recorded results of notebook 05 (UCI Adult bias audit)."""

import pytest

pytestmark = pytest.mark.notebooks


@pytest.fixture
def res(lesson_results):
    return lesson_results("05_adult_bias_audit")["results"]


def _v(res, key):
    return res[key]["value"]


def test_data_checks(res):
    assert 0.3 < _v(res, "share_women") < 0.36
    assert _v(res, "base_rate_men") > 2 * _v(res, "base_rate_women")
    assert _v(res, "proxy_auc_relationship") > 0.8
    assert _v(res, "proxy_auc_all_features") > 0.85
    assert (
        0.5 * _v(res, "label_gap_raw") < _v(res, "label_gap_adjusted") <= _v(res, "label_gap_raw")
    )


def test_model_and_metric_suite(res):
    assert 0.85 < _v(res, "model_auc") < 0.95
    assert 0.8 < _v(res, "model_accuracy") < 0.9
    assert _v(res, "sex_demographic_parity_ratio") < 0.5
    low, high = _v(res, "sex_dp_ratio_ci")
    assert low < _v(res, "sex_demographic_parity_ratio") < high < 0.8
    assert _v(res, "sex_predictive_parity_ratio") > 0.85
    for crit in ("demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity"):
        assert 0 <= _v(res, f"sex_{crit}_difference") <= 1
        assert 0 <= _v(res, f"sex_{crit}_ratio") <= 1
    assert _v(res, "audit_statuses")["demographic_parity ratio"] == "fail"
    assert max(_v(res, "calibration_error_women"), _v(res, "calibration_error_men")) < 0.05


def test_agreement_with_aif360_and_fairlearn(res):
    assert _v(res, "max_abs_difference_vs_aif360_fairlearn") < 1e-9


def test_intersections_and_conflict(res):
    assert _v(res, "intersection_lowest_group") == "Female / 17-29"
    assert _v(res, "intersection_dp_ratio") < _v(res, "sex_demographic_parity_ratio")
    assert _v(res, "implied_fpr_women") < 0.5 * _v(res, "fpr_men")
    table = {row["policy"]: row for row in _v(res, "policy_table")}
    assert table["equal selection rates"]["selection-rate ratio"] > 0.95
    assert table["equal selection rates"]["PPV gap"] > 0.15
    assert table["equal TPR"]["TPR gap"] < 0.03


def test_subgroup_explorer(lesson_results):
    data = lesson_results("05_adult_bias_audit")
    res = data["results"]
    (w_before, w_after), (m_before, m_after) = (
        _v(res, "explorer_tpr_women"),
        _v(res, "explorer_tpr_men"),
    )
    assert w_before < m_before  # at 0.5 qualified women are selected less often
    assert abs(w_after - m_after) < 0.03  # the equal-TPR thresholds of section 7
    extra, qualified = (
        _v(res, "explorer_extra_women_selected"),
        _v(res, "explorer_extra_women_qualified"),
    )
    assert (
        extra > 0 and 0 <= qualified <= extra
    )  # one lower threshold adds TPs and FPs, never removes
    assert _v(res, "explorer_age_band_largest_tpr_change") in {"17-29", "30-49", "50+"}
    assert 0 <= _v(res, "explorer_age_band_largest_tpr_change_size") <= 1
    assert "figures/subgroup_explorer.png" in data["figures"]


def test_the_audit_ends_in_a_card_and_a_memo(lesson_results, curriculum_run):
    from pathlib import Path

    from casebook.course.audit_documents import audit_documents

    data = lesson_results("05_adult_bias_audit")
    card, memo = audit_documents(data)
    folder = Path(curriculum_run["05_adult_bias_audit"].output_dir) / "documents"
    assert (folder / "model_card.md").read_text().startswith(f"# {card.title}")
    low, high = data["results"]["sex_dp_ratio_ci"]["value"]
    assert memo.recommendation.startswith("Do not launch")
    assert f"({low:.2f} to {high:.2f})" in memo.recommendation  # the interval of section 6
    assert len(card.findings) == 8 and card.metrics[0].low is not None
    assert data["results"]["n_test"]["value"] == 8000  # fast mode samples the test split
