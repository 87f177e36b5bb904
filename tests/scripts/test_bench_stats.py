"""Smoke test of scripts/bench_stats.py on a small problem (AUC bootstrap and KS)."""

from __future__ import annotations

import json


def test_bench_agrees_with_sklearn_and_scipy(tmp_path, run_script):
    out = tmp_path / "stats.md"
    args = ["--auc-rows", "3000", "--n-boot", "40", "--ks-rows", "20000", "--repeats", "1"]
    run_script("bench_stats.py", *args, "--out", str(out))
    auc, ks = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert auc["agree"] and ks["agree"]
    assert auc["library"] == "loop of `roc_auc_score`"
    assert ks["library"] == "`scipy.stats.ks_2samp`"
    assert "D equal: True" in out.read_text(encoding="utf-8")
