"""Tests for casebook.monitoring.audit_log: an append-only, hash-chained, tamper-evident log."""

from __future__ import annotations

import json

import numpy as np
import pytest

from casebook.monitoring.audit_log import (
    AuditAnchor,
    _sha,
    append_audit,
    audit_anchor,
    audit_decisions,
    verify_audit_log,
)


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


# ---- what is detected, with and without an anchor, and the documented limits -------------


def _log(tmp_path, n=5):
    path = tmp_path / "log.jsonl"
    append_audit(path, [{"week": w, "decision": "none", "run_id": "r"} for w in range(1, n + 1)])
    return path


def _rechain(lines, edit_at=None, **change):
    """Forge: edit a record and recompute its hash and every later one (no key needed)."""
    out, prev = [], ""
    for i, line in enumerate(lines):
        rec = json.loads(line)
        rec.pop("sha256")
        if i == edit_at:
            rec.update(change)
        rec["prev_sha256"] = prev
        rec["sha256"] = prev = _sha(rec)
        out.append(json.dumps(rec, sort_keys=True, separators=(",", ":")))
    return out


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines))


def test_deleting_a_middle_line_is_detected(tmp_path):
    path = _log(tmp_path)
    lines = path.read_text().splitlines()
    _write(path, [*lines[:2], *lines[3:]])
    with pytest.raises(ValueError, match="line 3 does not follow line 2"):
        verify_audit_log(path)


def test_deleting_the_first_line_is_detected(tmp_path):
    path = _log(tmp_path)
    _write(path, path.read_text().splitlines()[1:])
    with pytest.raises(ValueError, match="line 1 does not follow line 0"):
        verify_audit_log(path)


def test_deleting_the_tail_is_detected_only_with_an_anchor(tmp_path):
    path = _log(tmp_path)
    anchor = audit_anchor(path)
    assert anchor == AuditAnchor(5, json.loads(path.read_text().splitlines()[-1])["sha256"])
    _write(path, path.read_text().splitlines()[:3])
    assert verify_audit_log(path) == 3  # documented limit: the chain alone cannot see it
    with pytest.raises(
        ValueError, match="holds 3 records, the anchor recorded 5: records were removed"
    ):
        verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head)
    path.write_text("")  # emptied
    with pytest.raises(ValueError, match="holds 0 records, the anchor recorded 5"):
        verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head)


@pytest.mark.parametrize("edit_at", [0, 2, 4])
def test_rewriting_with_recomputed_hashes_is_detected_only_with_an_anchor(tmp_path, edit_at):
    path = _log(tmp_path)
    anchor = audit_anchor(path)
    _write(path, _rechain(path.read_text().splitlines(), edit_at, decision="retrain"))
    assert verify_audit_log(path) == 5  # documented limit: unkeyed hashes can be recomputed
    with pytest.raises(
        ValueError, match="record 5 does not match the anchor's hash: the log was rewritten"
    ):
        verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head)


def test_anchor_protects_up_to_its_count_and_the_log_may_grow(tmp_path):
    path = _log(tmp_path)
    anchor = audit_anchor(path)
    append_audit(path, [{"week": 6, "decision": "retrain"}])
    assert verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head) == 6
    # documented limit: a record appended after the anchor can be rewritten with new hashes
    _write(path, _rechain(path.read_text().splitlines(), 5, decision="none"))
    assert verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head) == 6
    # ... but not one before it
    _write(path, _rechain(path.read_text().splitlines(), 1, decision="retrain"))
    with pytest.raises(ValueError, match="rewritten at or before line 5"):
        verify_audit_log(path, expected_count=anchor.count, expected_head=anchor.head)


def test_reordering_the_last_lines_is_detected(tmp_path):
    path = _log(tmp_path)
    lines = path.read_text().splitlines()
    _write(path, [*lines[:3], lines[4], lines[3]])
    with pytest.raises(ValueError, match="line 4 does not follow line 3"):
        verify_audit_log(path)


def test_empty_log_anchor(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text("")
    assert audit_anchor(path) == AuditAnchor(0, "")
    assert verify_audit_log(path, expected_count=0, expected_head="") == 0


def test_invalid_json_line_is_reported_by_number(tmp_path):
    path = _log(tmp_path)
    lines = path.read_text().splitlines()
    lines[1] = lines[1][:-5]
    _write(path, lines)
    with pytest.raises(ValueError, match="line 2 is not a valid record"):
        verify_audit_log(path)
    with pytest.raises(ValueError, match="line 2 is not a valid record"):
        append_audit(path, [{"week": 9}])
    with pytest.raises(ValueError, match="line 2 is not a valid record"):
        audit_decisions(path)


def _tear(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - keep])


def test_torn_last_line_is_reported_and_append_refuses_without_writing(tmp_path):
    path = _log(tmp_path, n=3)
    _tear(path, keep=20)  # the last write was interrupted
    before = path.read_bytes()
    with pytest.raises(ValueError, match=r"line 3 \(the last\) is torn.*lines 1-2 verify"):
        verify_audit_log(path)
    with pytest.raises(ValueError, match=r"line 3 \(the last\) is torn.*repair_torn_tail=True"):
        append_audit(path, [{"week": 4}])
    assert path.read_bytes() == before  # nothing appended, nothing dropped


def test_torn_last_line_is_moved_aside_only_on_request(tmp_path):
    path = _log(tmp_path, n=3)
    _tear(path, keep=20)
    torn = path.read_bytes().split(b"\n")[-1]
    assert append_audit(path, [{"week": 4}], repair_torn_tail=True) == 1
    side = list(tmp_path.glob("log.jsonl.torn-*"))
    assert len(side) == 1 and side[0].read_bytes() == torn  # the torn bytes are kept
    assert verify_audit_log(path) == 3
    assert audit_decisions(path)["week"].tolist() == [1, 2, 4]


def test_a_record_that_only_lost_its_newline_is_kept(tmp_path):
    path = _log(tmp_path, n=3)
    _tear(path, keep=1)  # the record is whole, only the newline is missing
    with pytest.raises(ValueError, match="line 3 \\(the last\\) is torn"):
        verify_audit_log(path)
    append_audit(path, [{"week": 4}], repair_torn_tail=True)
    assert not list(tmp_path.glob("*.torn-*"))
    assert audit_decisions(path)["week"].tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"expected_count": 3}, ValueError, "must be given together"),
        ({"expected_head": "a" * 64}, ValueError, "must be given together"),
        (
            {"expected_count": 1.5, "expected_head": "a" * 64},
            TypeError,
            "expected_count must be an integer",
        ),
        (
            {"expected_count": -1, "expected_head": "a" * 64},
            ValueError,
            "expected_count must be >= 0",
        ),
        (
            {"expected_count": 1, "expected_head": "abc"},
            ValueError,
            "expected_head must be a SHA-256",
        ),
    ],
)
def test_anchor_arguments_are_checked(tmp_path, kwargs, error, match):
    path = _log(tmp_path)
    with pytest.raises(error, match=match):
        verify_audit_log(path, **kwargs)


def test_anchor_accepts_numpy_counts_and_bad_paths_are_named(tmp_path):
    path = _log(tmp_path)
    anchor = audit_anchor(path)
    assert verify_audit_log(path, expected_count=np.int64(5), expected_head=anchor.head) == 5
    with pytest.raises(TypeError, match="path must be a str or path"):
        verify_audit_log(3)
    with pytest.raises(FileNotFoundError, match="no audit log"):
        verify_audit_log(tmp_path / "missing.jsonl")
    with pytest.raises(TypeError, match="records must be a sequence of dicts"):
        append_audit(path, {"week": 1})
