"""Tests for casebook.monitoring.audit_log: an append-only, hash-chained, tamper-evident log."""

from __future__ import annotations

import json

import pytest

from casebook.monitoring.audit_log import append_audit, audit_decisions, verify_audit_log


def test_append_only_chain_continues(tmp_path):
    path = tmp_path / "log.jsonl"
    assert append_audit(path, [{"a": 1}, {"a": 2}]) == 2
    append_audit(path, [{"a": 3}])
    assert verify_audit_log(path) == 3
    assert audit_decisions(path)["a"].tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="must not set sha256"):
        append_audit(path, [{"sha256": "x"}])
    with pytest.raises(TypeError, match="records must hold dicts"):
        append_audit(path, ["x"])
    assert verify_audit_log(path) == 3  # refused records wrote nothing


def test_edits_deletions_and_reordering_are_detected(tmp_path):
    path = tmp_path / "log.jsonl"
    append_audit(path, [{"week": w, "decision": "none", "run_id": "r"} for w in range(1, 6)])
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["prev_sha256"] == ""
    assert set(audit_decisions(path).columns) == {"week", "decision"}  # per-run fields dropped
    edited = json.loads(lines[2])
    edited["decision"] = "retrain"
    bad = tmp_path / "edited.jsonl"
    bad.write_text("\n".join([*lines[:2], json.dumps(edited), *lines[3:]]) + "\n")
    with pytest.raises(ValueError, match="line 3 was altered"):
        verify_audit_log(bad)
    bad.write_text("\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n")
    with pytest.raises(ValueError, match="line 2 does not follow line 1"):
        verify_audit_log(bad)
