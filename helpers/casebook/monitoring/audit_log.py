"""An append-only, hash-chained JSON-lines audit log of monitoring decisions.

Each record is one decision (e.g. about one model in one week). Every line
carries the previous line's SHA-256 and its own; :func:`audit_decisions`
reads the log back as a table without the per-run fields, so two runs of the
same job compare equal.

What :func:`verify_audit_log` detects, and what it cannot
-----------------------------------------------------------
The hashes are not keyed: anyone who can write the file can also recompute
them. On its own the chain therefore proves only that the file is
*internally consistent*. Detected without an anchor:

* a line edited without recomputing its hash;
* a line deleted, inserted or moved anywhere but at the end (the next line
  no longer names its predecessor);
* a line that is not valid JSON, and a torn last line (a write that was
  interrupted), each reported by line number.

**Not** detected without an anchor: deleting the last lines, emptying the
file, or rewriting a line and recomputing its hash and every later one.

An **anchor** closes those gaps up to a point. After each run, take
:func:`audit_anchor` (the record count and the last line's hash) and store it
where the log's writer cannot rewrite it: a ticket, a signed message, a
write-once bucket, a registry tag. Verifying with
``expected_count=``/``expected_head=`` then also detects deleting lines up to
the anchored count and any rewrite of those lines, recomputed hashes or not.
Lines appended after the anchor are protected only by the chain until the
next anchor; anyone who can write the file can append well-formed forged
records after it; an anchor stored next to the log protects nothing; and no
check can reveal a decision that was never written.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from numbers import Integral
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["AuditAnchor", "append_audit", "audit_anchor", "audit_decisions", "verify_audit_log"]

_SHA_LEN = 64


@dataclass(frozen=True)
class AuditAnchor:
    """The state of an audit log to record outside the writer's reach.

    Attributes
    ----------
    count : int
        Number of records.
    head : str
        SHA-256 of the last record (``""`` for an empty log).
    """

    count: int
    head: str


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def _sha(obj: Any) -> str:
    return hashlib.sha256(_canonical(obj).encode()).hexdigest()


def _path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    return Path(path)


def _check_line(path: Path, n: int, raw: bytes, prev: str) -> str:
    """Verify line ``n`` against the previous hash; return its own hash."""
    try:
        rec = json.loads(raw.decode("utf-8"))
        if not isinstance(rec, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"path {path}: line {n} is not a valid record ({exc})") from None
    sha = rec.pop("sha256", None)
    if rec.get("prev_sha256") != prev:
        raise ValueError(f"path {path}: line {n} does not follow line {n - 1} (chain broken)")
    if _sha(rec) != sha:
        raise ValueError(f"path {path}: line {n} was altered (hash mismatch)")
    return sha


def _read_chain(path: Path) -> tuple[int, str, bytes, int]:
    """Verify the complete lines; return (records, head hash, torn tail bytes, tail offset)."""
    prev, offset = "", 0
    lines = path.read_bytes().split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline
    for n, raw in enumerate(lines, start=1):
        prev = _check_line(path, n, raw, prev)
        offset += len(raw) + 1
    return len(lines), prev, tail, offset


def _torn_message(path: Path, n: int) -> str:
    return (
        f"path {path}: line {n} (the last) is torn: it does not end with a newline, so a "
        "write was interrupted"
    )


def append_audit(
    path: str | os.PathLike,
    records: Sequence[dict[str, Any]],
    *,
    repair_torn_tail: bool = False,
) -> int:
    """Append records to a JSON-lines audit log, chained by SHA-256; return their count.

    Each line gets ``timestamp`` (UTC, ISO 8601), ``prev_sha256`` (the
    previous line's hash, empty for the first) and ``sha256`` (the hash of the
    line's canonical JSON without ``sha256``). The existing log is verified
    first, so a new record never chains onto a broken log. See the module
    notes for what the chain does and does not detect.

    Parameters
    ----------
    path : str or path
        The log; created with its folder if missing.
    records : sequence of dict
        The decisions; they must not set ``sha256``, ``prev_sha256`` or ``timestamp``.
    repair_torn_tail : bool, default=False
        If the last line is torn (an interrupted write: no final newline),
        move its bytes to a new file ``<name>.torn-<UTC time>`` next to the
        log, cut them from the log, and append after the last complete
        record. A last line that is a whole, chaining record that only lost
        its newline gets the newline instead. Without the flag a torn log is
        refused, and nothing is written.

    Returns
    -------
    int
        Records appended.

    Raises
    ------
    ValueError
        If the log does not verify, its last line is torn and
        ``repair_torn_tail`` is False, or a record sets a reserved field.
    TypeError
        If a record is not a dict.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> append_audit(log, [{"week": 1, "decision": "none"}])
    1
    >>> verify_audit_log(log)
    1
    """
    p = _path(path)
    if not isinstance(records, Sequence) or isinstance(records, (str, bytes, dict)):
        raise TypeError(f"records must be a sequence of dicts, got {type(records).__name__}")
    for rec in records:
        if not isinstance(rec, dict):
            raise TypeError(f"records must hold dicts, got {type(rec).__name__}")
        if {"sha256", "prev_sha256", "timestamp"} & set(rec):
            raise ValueError("records must not set sha256, prev_sha256 or timestamp")
    p.parent.mkdir(parents=True, exist_ok=True)
    n, prev, tail, offset = _read_chain(p) if p.is_file() else (0, "", b"", 0)
    if tail:
        if not repair_torn_tail:
            raise ValueError(
                f"{_torn_message(p, n + 1)}; nothing was appended. Inspect the line, then "
                "call append_audit(..., repair_torn_tail=True) to move it to a side file "
                f"and continue after line {n}"
            )
        try:  # only the newline was lost: the record is whole and chains on
            prev = _check_line(p, n + 1, tail, prev)
            with p.open("ab") as fh:
                fh.write(b"\n")
        except ValueError:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            # keep the torn bytes next to the log: never drop data silently
            p.with_name(f"{p.name}.torn-{stamp}").write_bytes(tail)
            with p.open("r+b") as fh:
                fh.truncate(offset)
    lines = []
    for rec in records:
        full = {
            **rec,
            "timestamp": datetime.now(UTC).isoformat(timespec="microseconds"),
            "prev_sha256": prev,
        }
        full["sha256"] = prev = _sha(full)
        lines.append(_canonical(full) + "\n")
    with p.open("a", encoding="utf-8") as fh:
        fh.write("".join(lines))
    return len(lines)


def verify_audit_log(
    path: str | os.PathLike,
    *,
    expected_count: int | None = None,
    expected_head: str | None = None,
) -> int:
    """Check every line's hash and the chain (and an anchor, if given); return the record count.

    Parameters
    ----------
    path : str or path
        The log.
    expected_count, expected_head : int and str, optional
        An :class:`AuditAnchor` taken earlier by :func:`audit_anchor` and kept
        where the log's writer cannot change it; pass both or neither. The
        log must still hold at least ``expected_count`` records, and record
        number ``expected_count`` must still have hash ``expected_head``.

    Returns
    -------
    int
        Number of records.

    Raises
    ------
    ValueError
        Naming the first line that is not valid JSON, was altered, removed or
        reordered, or is torn (the last line without a newline); or, with an
        anchor, saying that records were removed from the end or rewritten.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> _ = append_audit(log, [{"week": w} for w in (1, 2, 3)])
    >>> anchor = audit_anchor(log)  # store it away from the log
    >>> lines = log.read_text().splitlines(keepends=True)
    >>> _ = log.write_text("".join(lines[:2]))  # the last record deleted
    >>> verify_audit_log(log)  # the chain alone cannot see it
    2
    >>> verify_audit_log(log, expected_count=anchor.count, expected_head=anchor.head)
    Traceback (most recent call last):
    ...
    ValueError: path ...: the log holds 2 records, the anchor recorded 3: records were removed from the end
    """
    p = _path(path)
    if (expected_count is None) != (expected_head is None):
        raise ValueError(
            "expected_count and expected_head must be given together (an anchor), got "
            f"expected_count={expected_count!r}, expected_head={expected_head!r}"
        )
    if expected_count is not None:
        if isinstance(expected_count, bool) or not isinstance(expected_count, Integral):
            raise TypeError(f"expected_count must be an integer, got {expected_count!r}")
        if expected_count < 0:
            raise ValueError(f"expected_count must be >= 0, got {expected_count!r}")
        if not isinstance(expected_head, str) or len(expected_head) not in (0, _SHA_LEN):
            raise ValueError(
                f"expected_head must be a SHA-256 hex string (or '' for an empty log), "
                f"got {expected_head!r}"
            )
    if not p.is_file():
        raise FileNotFoundError(f"no audit log at {str(p)!r}")
    n, _, tail, _ = _read_chain(p)
    if tail:
        raise ValueError(
            f"{_torn_message(p, n + 1)}; lines 1-{n} verify. append_audit(..., "
            "repair_torn_tail=True) moves the torn line to a side file"
        )
    if expected_count is not None:
        count = int(expected_count)
        if n < count:
            raise ValueError(
                f"path {p}: the log holds {n} records, the anchor recorded {count}: "
                "records were removed from the end"
            )
        head = _sha_of_line(p, count)
        if head != expected_head:
            raise ValueError(
                f"path {p}: record {count} does not match the anchor's hash: the log was "
                f"rewritten at or before line {count}"
            )
    return n


def _sha_of_line(path: Path, k: int) -> str:
    """The ``sha256`` field of record ``k`` (1-based; ``""`` for k = 0) of a verified log."""
    if k == 0:
        return ""
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if i == k:
                return json.loads(line)["sha256"]
    raise AssertionError("unreachable: the log was verified to hold k records")  # pragma: no cover


def audit_anchor(path: str | os.PathLike) -> AuditAnchor:
    """Verify the log and return its record count and head hash, to store elsewhere.

    Keep the anchor where the log's writer cannot rewrite it, then pass it to
    :func:`verify_audit_log` later (see the module notes for what that adds).

    Raises
    ------
    ValueError
        If the log does not verify.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> _ = append_audit(log, [{"week": 1}])
    >>> anchor = audit_anchor(log)
    >>> anchor.count, len(anchor.head)
    (1, 64)
    """
    p = _path(path)
    n = verify_audit_log(p)
    return AuditAnchor(n, _sha_of_line(p, n))


def audit_decisions(path: str | os.PathLike) -> pd.DataFrame:
    """The audit log as a table, without the per-run fields (time, run id, hashes chain).

    Two runs of the same job on the same inputs give equal tables. The log is
    verified first (a torn or altered log is an error, naming the line).
    """
    p = _path(path)
    verify_audit_log(p)
    rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
    drop = {"timestamp", "run_id", "sha256", "prev_sha256", "executor"}
    return pd.DataFrame([{k: v for k, v in r.items() if k not in drop} for r in rows])
