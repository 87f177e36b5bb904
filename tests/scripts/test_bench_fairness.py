"""Smoke test of scripts/bench_fairness.py on a small problem (the real run is 1,000,000 rows)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_fairness.py"


def test_bench_agrees_with_fairlearn_and_aif360(tmp_path):
    out = tmp_path / "fair.md"
    args = ["--rows", "5000", "--groups", "5", "--repeats", "1", "--out", str(out)]
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [r["target"] for r in rows] == [">= 100x", ">= 10x"]
    assert all(r["agree"] for r in rows), rows
    assert "MetricFrame" in rows[0]["comparison"] and "aif360" in rows[1]["comparison"]
