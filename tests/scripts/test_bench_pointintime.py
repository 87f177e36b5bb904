"""Smoke test of scripts/bench_pointintime.py on a small problem (the real run is 1,000,000 rows)."""

from __future__ import annotations

import json


def test_bench_agrees_with_the_pandas_anchor(tmp_path, run_script):
    out = tmp_path / "pit.md"
    args = ["--transactions", "20000", "--applications", "1000", "--repeats", "2"]
    run_script("bench_pointintime.py", *args, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.count("| identical |") == 2  # pandas idiom and merge_asof: same NaN pattern
    assert "`pandas.merge_asof` prefixes" in text and "numpy floor" in text
    (row,) = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert row["agree"] is True and row["met"] == (row["casebook_s"] <= row["library_s"])
    assert row["floor_s"] > 0 and "MiB" in row["peak"]
    assert row["size"] == "20,000 transactions, 1,000 applications"
