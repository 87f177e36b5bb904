"""Tests for casebook.course.audit_documents and the site's governance pages.

The fixtures in ``data/`` are results.json files of real fast runs (values only); the tests
change one recorded number at a time and check that the documents follow it.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.course.audit_documents import (
    DOCUMENTED,
    audit_documents,
    audit_sheet_rows,
    show_audit_documents,
    write_audit_documents,
)
from casebook.fairness.audit import audit_sheet
from casebook.governance.render import to_markdown

DATA = Path(__file__).parent / "data"


def results(short: str) -> dict:
    return json.loads((DATA / f"results_{short}.json").read_text())


def set_value(res: dict, key: str, value) -> dict:
    res = copy.deepcopy(res)
    res["results"][key]["value"] = value
    return res


@pytest.fixture(params=["05", "06", "08"])
def recorded(request):
    return results(request.param)


def test_documents_are_built_from_the_recorded_numbers(recorded):
    card, memo = audit_documents(recorded)
    assert card.prepared.isoformat() == recorded["started"][:10]
    assert card.review_date > card.prepared and memo.review_date == card.review_date
    assert f"seed {recorded['seed']}" in card.source and "fast mode" in card.source
    assert all(m.low is not None for m in memo.metrics)  # the memo's numbers carry intervals
    text = to_markdown(memo)
    assert "## Recommendation" in text and "nan" not in text.lower().split()


@pytest.mark.parametrize(
    ("status", "low", "high", "words"),
    [("fail", 0.26, 0.36, "Do not launch with one threshold of 0.5"),
     ("pass", 0.82, 0.95, "The four-fifths rule is met"),
     ("inconclusive", 0.7, 0.9, "The evidence does not settle the four-fifths rule")],
)  # fmt: skip
def test_05_recommendation_follows_the_four_fifths_verdict(status, low, high, words):
    res = results("05")
    rows = copy.deepcopy(res["results"]["audit_sheet_rows"]["value"])
    dp = next(r for r in rows if r["criterion"] == "demographic_parity" and r["method"] == "ratio")
    dp.update(status=status, low=low, high=high)
    card, memo = audit_documents(set_value(res, "audit_sheet_rows", rows))
    assert memo.recommendation.startswith(words)
    assert f"{low:.2f} to {high:.2f}" in memo.recommendation or status == "inconclusive"
    ratio = next(m for m in memo.metrics if m.name.startswith("selection-rate ratio"))
    assert (ratio.low, ratio.high) == (low, high)
    assert ratio.reading().endswith("excludes 0.8)" if status != "inconclusive" else "from 0.8)")


def test_05_options_are_the_recorded_policies():
    res = results("05")
    _, memo = audit_documents(res)
    policies = [p["policy"] for p in res["results"]["policy_table"]["value"]]
    assert [s.split(":")[0] for s in memo.next_steps[: len(policies)]] == [
        f"Option, {p}" for p in policies
    ]


def test_06_verdicts_are_the_recorded_sheets():
    res = results("06")
    card, _ = audit_documents(res)
    rows = res["results"]["age_sheet_rows"]["value"] + res["results"]["sex_sheet_rows"]["value"]
    assert [f.status for f in card.findings] == [r["status"] for r in rows]
    assert card.findings[0].criterion == "age: demographic parity (difference)"


@pytest.mark.parametrize(
    ("status", "words"),
    [("fail", "Report a breach for age"), ("pass", "within tolerance"),
     ("inconclusive", "Neither certify the scorecard for age nor report a breach")],
)  # fmt: skip
def test_06_recommendation_follows_the_age_gap_verdict(status, words):
    res = results("06")
    rows = copy.deepcopy(res["results"]["age_sheet_rows"]["value"])
    rows[0]["status"] = status  # demographic parity, difference
    _, memo = audit_documents(set_value(res, "age_sheet_rows", rows))
    assert memo.recommendation.startswith(words) or words in memo.recommendation


def test_06_next_steps_follow_the_numbers():
    res = results("06")
    gap = res["results"]["age_dp_gap"]["value"]
    _, memo = audit_documents(set_value(res, "no_age_gap_ci", [0.9 * gap, 0.0, 0.3]))
    assert any("most of it survives" in s for s in memo.next_steps)
    _, memo = audit_documents(set_value(res, "no_age_gap_ci", [0.2 * gap, 0.0, 0.3]))
    assert any("closes more than half" in s for s in memo.next_steps)
    _, memo = audit_documents(set_value(res, "young_needed_to_settle", 50))
    assert any("already settles" in s for s in memo.next_steps)


def test_08_recommendation_follows_the_paired_intervals():
    res = results("08")
    _, memo = audit_documents(res)
    assert memo.recommendation.count("Replace the deployed model") == 1
    worse = set_value(res, "retrain_accuracy_change_ci", [-0.02, -0.04, 0.01])
    _, memo = audit_documents(worse)
    assert "did not improve both" in memo.recommendation


def test_08_findings_follow_the_alert_and_the_reaudit():
    res = results("08")
    card, _ = audit_documents(set_value(res, "first_alert_week", None))
    assert card.findings[0].status == "pass" and "no alert" in card.findings[0].evidence
    tol = res["results"]["kpi_settings"]["value"]["tolerance"]
    card, _ = audit_documents(set_value(res, "retrained_ratio_after_ci", [0.7, 0.6, tol - 0.01]))
    assert card.findings[-1].status == "fail"
    card, _ = audit_documents(set_value(res, "retrained_ratio_after_ci", [0.8, 0.7, 0.95]))
    assert card.findings[-1].status == "inconclusive"


def test_a_missing_result_is_named():
    res = results("06")
    del res["results"]["model_auc_ci"]
    with pytest.raises(ValueError, match="lack 'model_auc_ci': run the notebook to its documents"):
        audit_documents(res)


def test_a_sheet_without_the_judged_row_is_named():
    res = results("05")
    rows = [r for r in res["results"]["audit_sheet_rows"]["value"] if r["method"] != "ratio"]
    with pytest.raises(ValueError, match=r"no row for demographic_parity \(ratio\)"):
        audit_documents(set_value(res, "audit_sheet_rows", rows))


def test_only_documented_notebooks_and_mappings():
    with pytest.raises(ValueError, match="results must come from one of"):
        audit_documents({"notebook": "01_spam_false_positives", "results": {}})
    with pytest.raises(TypeError, match="results must be a mapping"):
        audit_documents([("notebook", "06_german_credit_age_audit")])
    res = results("06")
    res["started"] = "yesterday"
    with pytest.raises(ValueError, match="results must carry the run's start date"):
        audit_documents(res)
    assert set(DOCUMENTED) == {
        "05_adult_bias_audit", "06_german_credit_age_audit", "08_credit_api_bias_monitoring"
    }  # fmt: skip


def test_audit_sheet_rows_are_json_safe():
    rng = np.random.default_rng(0)
    g = rng.choice(["a", "b"], 300)
    y = rng.integers(0, 2, 300)
    p = (rng.random(300) < np.where(g == "a", 0.6, 0.3)).astype(int)
    sheet = audit_sheet(y, p, sensitive_features=g, n_resamples=100)
    sheet.loc[0, "high"] = math.nan
    rows = audit_sheet_rows(sheet)
    assert len(rows) == len(sheet) and rows[0]["high"] is None
    assert json.loads(json.dumps(rows, allow_nan=False)) == rows
    assert {r["status"] for r in rows} <= {"pass", "fail", "inconclusive"}


@pytest.mark.parametrize(
    ("sheet", "error", "match"),
    [
        ([{"criterion": "x"}], TypeError, "sheet must be a pandas DataFrame, got list"),
        (pd.DataFrame({"criterion": ["x"]}), ValueError, "missing"),
        (pd.DataFrame(columns=["criterion", "method", "value", "low", "high", "tolerance",
                               "status", "reason"]), ValueError, "at least one row"),
    ],
)  # fmt: skip
def test_audit_sheet_rows_refuses_what_is_not_a_sheet(sheet, error, match):
    with pytest.raises(error, match=match):
        audit_sheet_rows(sheet)


def test_write_audit_documents(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(results("08")))
    written = write_audit_documents(tmp_path)
    assert sorted(written) == [
        "audit_memo.html", "audit_memo.md", "model_card.html", "model_card.md"
    ]  # fmt: skip
    assert all(
        p.parent == tmp_path / "documents" and p.stat().st_size > 500 for p in written.values()
    )
    assert written["audit_memo.html"].read_text().startswith("<!DOCTYPE html>")
    with pytest.raises(FileNotFoundError, match="no results.json in"):
        write_audit_documents(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="output_dir must be a str or path"):
        write_audit_documents(3)


def test_a_failed_build_leaves_the_documents_already_written(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(results("08")))
    write_audit_documents(tmp_path)
    before = (tmp_path / "documents" / "audit_memo.md").read_text()
    broken = results("08")
    del broken["results"]["kpi_settings"]
    (tmp_path / "results.json").write_text(json.dumps(broken))
    with pytest.raises(ValueError, match="kpi_settings"):
        write_audit_documents(tmp_path)
    assert (tmp_path / "documents" / "audit_memo.md").read_text() == before


def test_show_audit_documents_displays_the_memo_and_folds_the_card(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    (tmp_path / "results.json").write_text(json.dumps(results("06")))
    card, memo = show_audit_documents(tmp_path, card_label="The <card>")
    markdown, folded = shown
    assert markdown.data == to_markdown(memo)
    assert folded.data.startswith("<details><summary><b>The &lt;card&gt;</b>")
    assert card.title in folded.data and (tmp_path / "documents" / "model_card.md").is_file()
    with pytest.raises(ValueError, match="card_label must be a non-empty string"):
        show_audit_documents(tmp_path, card_label=" ")
