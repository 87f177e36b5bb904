"""Smoke test of scripts/bench_fairness.py on a small problem (the real run is 1,000,000 rows)."""

from __future__ import annotations

import json


def test_bench_agrees_with_fairlearn_and_aif360(tmp_path, run_script):
    out = tmp_path / "fair.md"
    args = ["--rows", "5000", "--groups", "5", "--repeats", "1", "--boot-rows", "2000",
            "--n-boot", "40", "--out", str(out)]  # fmt: skip
    run_script("bench_fairness.py", *args)
    rows = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert all(r["agree"] for r in rows), rows
    assert [r["library"].split()[1] for r in rows] == ["`MetricFrame`", "`ClassificationMetric`",
                                                      "`MetricFrame(n_boot=40,"]  # fmt: skip
    assert all(r["floor_s"] > 0 for r in rows)
    assert "Bootstrap intervals: 2,000 rows, 4 groups" in out.read_text(encoding="utf-8")
