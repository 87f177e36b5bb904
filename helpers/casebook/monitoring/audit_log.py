"""An append-only, hash-chained JSON-lines audit log of monitoring decisions.

Each record is one decision (e.g. about one model in one week). Every line
carries the previous line's SHA-256 and its own, so editing, deleting or
reordering any line is detected by :func:`verify_audit_log`;
:func:`audit_decisions` reads the log back as a table without the per-run
fields, so two runs of the same job compare equal.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["append_audit", "audit_decisions", "verify_audit_log"]


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def _sha(obj: Any) -> str:
    return hashlib.sha256(_canonical(obj).encode()).hexdigest()


def _last_sha(path: Path) -> str:
    if not path.is_file() or path.stat().st_size == 0:
        return ""
    last = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    return json.loads(last)["sha256"]


def append_audit(path: str | os.PathLike, records: Sequence[dict[str, Any]]) -> int:
    """Append records to a JSON-lines audit log, chained by SHA-256; return their count.

    Each line gets ``timestamp`` (UTC, ISO 8601), ``prev_sha256`` (the
    previous line's hash, empty for the first) and ``sha256`` (the hash of the
    line's canonical JSON without ``sha256``), so editing or deleting any
    earlier line breaks :func:`verify_audit_log`. The file is only ever
    opened for appending.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    prev = _last_sha(p)
    lines = []
    for rec in records:
        if not isinstance(rec, dict):
            raise TypeError(f"records must hold dicts, got {type(rec).__name__}")
        if {"sha256", "prev_sha256", "timestamp"} & set(rec):
            raise ValueError("records must not set sha256, prev_sha256 or timestamp")
        full = {
            **rec,
            "timestamp": datetime.now(UTC).isoformat(timespec="microseconds"),
            "prev_sha256": prev,
        }
        full["sha256"] = prev = _sha(full)
        lines.append(_canonical(full))
    with p.open("a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    return len(lines)


def verify_audit_log(path: str | os.PathLike) -> int:
    """Check every line's hash and the chain; return the number of records.

    Raises
    ------
    ValueError
        Naming the first line that was altered, removed or reordered.
    """
    prev, n = "", 0
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            rec = json.loads(line)
            sha = rec.pop("sha256", None)
            if rec.get("prev_sha256") != prev:
                raise ValueError(
                    f"path {path}: line {n} does not follow line {n - 1} (chain broken)"
                )
            if _sha(rec) != sha:
                raise ValueError(f"path {path}: line {n} was altered (hash mismatch)")
            prev = sha
    return n


def audit_decisions(path: str | os.PathLike) -> pd.DataFrame:
    """The audit log as a table, without the per-run fields (time, run id, hashes chain).

    Two runs of the same job on the same inputs give equal tables.
    """
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    drop = {"timestamp", "run_id", "sha256", "prev_sha256", "executor"}
    return pd.DataFrame([{k: v for k, v in r.items() if k not in drop} for r in rows])
