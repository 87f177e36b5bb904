"""Smoke test of scripts/bench_threshold.py on a tiny problem (the real run is 1,000,000 scores)."""

from __future__ import annotations

import json


def test_bench_runs_agrees_and_writes_table(tmp_path, run_script):
    out = tmp_path / "bench.md"
    args = ["--n", "20000", "--levels", "50", "--grid-size", "50", "--repeats", "1"]
    proc = run_script("bench_threshold.py", *args, "--out", str(out))
    table = out.read_text(encoding="utf-8")
    assert "All methods agree on the cost at the optimum: yes." in table
    for method in ("`cost_optimal_threshold`", "`confusion_matrix_at_thresholds`", "`roc_curve"):
        assert method in table
    assert "numpy floor" in table and "Note: a grid of 50 thresholds" in table
    assert table.strip() == proc.stdout.strip()
    (row,) = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert row["agree"] and row["casebook_s"] > 0 and row["library_s"] > 0 and row["floor_s"] > 0
    assert row["met"] == (row["casebook_s"] <= row["library_s"])
    assert "MiB" in row["peak"]
