import pytest

pytestmark = pytest.mark.notebooks

NAME = "17_training_serving_skew"
SKEWS = ("inclusive_cutoff", "utc_vs_local", "missing_as_zero")


def _values(lesson_results):
    return {k: v["value"] for k, v in lesson_results(NAME)["results"].items()}


def test_scenario_has_non_gamblers_to_skew(lesson_results):
    r = _values(lesson_results)
    assert r["n_applications"] >= 5_000
    assert r["n_transactions"] > 100 * r["n_applications"]
    assert 0.15 < r["share_no_gambling_history"] < 0.4


def test_every_claim_holds(lesson_results):
    claims = lesson_results(NAME)["claims"]
    assert len(claims) >= 4
    assert all(c["holds"] for c in claims)


def test_the_skews_disagree_as_designed(lesson_results):
    r = _values(lesson_results)
    # serving missing as 0 changes exactly the applicants with no gambling history
    assert r["disagree_share_missing_as_zero"] == pytest.approx(
        r["share_no_gambling_history"], abs=0.05
    )
    assert r["disagree_share_utc_vs_local"] > r["disagree_share_missing_as_zero"]
    assert 0 <= r["disagree_share_inclusive_cutoff"] < 0.01


def test_damage_has_paired_intervals(lesson_results):
    r = _values(lesson_results)
    for skew in SKEWS:
        assert r[f"auc_lost_low_{skew}"] <= r[f"auc_lost_{skew}"] <= r[f"auc_lost_high_{skew}"]
        assert 0 <= r[f"flipped_{skew}"] < 0.2
    assert r["auc_lost_inclusive_cutoff"] == 0  # no production row changed
    assert r["score_change_ratio_missing_vs_utc"] > 0  # both bugs move scores; which more varies
    assert 0 < r["rejected_validated"] < 0.3
    # the AUC damage varies with the training sample: the refits show a range, not a point
    assert r["refit_auc_lost_min"] <= r["refit_auc_lost_max"]
    assert 0 <= r["refit_share_auc_lost_positive"] <= 1


def test_drift_monitor_sees_only_the_missing_as_zero_feature(lesson_results):
    r = _values(lesson_results)
    assert r["psi_missing_as_zero_skewed"] > 0.25
    assert r["psi_max_other_features"] < 0.1
    assert r["psi_max_utc_vs_local"] < 0.1


def test_exercises_are_registered(lesson_results):
    names = set(lesson_results(NAME)["exercises"])
    assert {
        "implement_path_agreement",
        "monitor_or_agreement_check",
        "psi_of_the_skewed_feature",
    } <= names


def test_key_figure(lesson_results):
    assert lesson_results(NAME)["key_figure"] == "figures/skew_psi.png"
