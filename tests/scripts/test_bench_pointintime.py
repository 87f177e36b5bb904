"""Smoke test of scripts/bench_pointintime.py on a small problem (the real run is 1,000,000 rows)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_pointintime.py"


def test_bench_agrees_with_the_pandas_anchor(tmp_path):
    out = tmp_path / "pit.md"
    args = ["--transactions", "20000", "--applications", "1000", "--repeats", "2"]
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("| identical |") == 2  # pandas idiom and merge_asof: same NaN pattern
    assert "`pandas.merge_asof` prefixes" in text and "numpy floor" in text
    (row,) = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert row["agree"] is True and row["met"] == (row["casebook_s"] <= row["library_s"])
    assert row["floor_s"] > 0 and "MiB" in row["peak"]
    assert row["size"] == "20,000 transactions, 1,000 applications"
