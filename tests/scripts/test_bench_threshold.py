"""Smoke test of scripts/bench_threshold.py on a tiny problem (the real run is 1,000,000 scores)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_threshold.py"


def test_bench_runs_agrees_and_writes_table(tmp_path):
    out = tmp_path / "bench.md"
    args = ["--n", "20000", "--grid-size", "20", "--repeats", "1", "--out", str(out)]
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    table = out.read_text(encoding="utf-8")
    assert "All methods agree on the cost at the optimum: yes." in table
    assert "| `cost_optimal_threshold`" in table
    assert "EXTRAPOLATED linearly from 20" in table  # a small grid is labeled as extrapolated
    assert table.strip() == proc.stdout.strip()
    rows = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [r["target"] for r in rows] == ["no slower (>= 1x)", ">= 100x"]
    assert all(r["agree"] and r["casebook_s"] > 0 and r["anchor_s"] > 0 for r in rows)
    assert "(extrapolated)" in rows[1]["comparison"]
