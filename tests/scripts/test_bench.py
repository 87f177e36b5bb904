"""The benchmark driver's summary table (the README's benchmark section)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_summary_table_shows_library_and_floor_ratios_and_flags_misses():
    rows = [
        {"comparison": "a", "size": "1 row", "casebook_s": 0.5, "library": "lib",
         "library_s": 1.0, "floor": "sort", "floor_s": 0.25, "agree": True, "peak": "1 / 2 MiB",
         "target": "no slower", "met": True},
        {"comparison": "b", "size": "2 rows", "casebook_s": 2.0, "library": "lib",
         "library_s": 1.0, "floor": None, "floor_s": None, "agree": False, "peak": "",
         "target": "no slower", "met": False},
        {"comparison": "c", "size": "3 rows", "casebook_s": 1.0, "anchor_s": 4.0,
         "ratio": 4.0, "target": ">= 10x", "met": None, "agree": True},  # an older script's row
    ]  # fmt: skip
    lines = _bench().summary_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[2] == (
        "| a | 1 row | 0.5 | lib | 1 | 2.0x faster | 0.25 (sort) | 2x | yes | yes | 1 / 2 MiB |"
    )
    assert lines[3].endswith("| 2.00x slower | n/a (none) | n/a | **no** | **no** | n/a |")
    assert "| anchor | 4 | 4.0x faster |" in lines[4] and "| n/a |" in lines[4]


def test_a_partial_run_keeps_the_other_benchmarks(tmp_path, monkeypatch):
    """Only the named benchmark runs; the stored sections and rows of the others stay."""
    import json
    import subprocess
    import sys

    bench = _bench()
    out = tmp_path / "bench.md"
    old_row = {"comparison": "kept", "size": "1", "casebook_s": 1.0, "library": "x",
               "library_s": 2.0, "floor": None, "floor_s": None, "agree": True, "peak": "",
               "target": "t", "met": True}  # fmt: skip
    store = {"drift": {"section": "old drift section", "rows": [old_row], "run": "long ago"}}
    out.with_suffix(".json").write_text(json.dumps(store), encoding="utf-8")

    real_run = subprocess.run

    def fake_run(cmd, **kwargs):
        if "--out" not in cmd:  # e.g. platform asking uname
            return real_run(cmd, **kwargs)
        target = Path(cmd[cmd.index("--out") + 1])
        target.write_text("# Title\n\nnew threshold section\n", encoding="utf-8")
        new_row = {**old_row, "comparison": "fresh"}
        target.with_suffix(".json").write_text(json.dumps([new_row]), encoding="utf-8")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    monkeypatch.setattr(sys, "argv", ["bench.py", "threshold", "--out", str(out)])
    assert bench.main() == 0
    text = out.read_text(encoding="utf-8")
    assert "new threshold section" in text and "old drift section" in text
    assert "Run: long ago." in text
    assert text.index("| fresh |") < text.index("| kept |")  # table in benchmark order
    assert set(json.loads(out.with_suffix(".json").read_text())) == {"threshold", "drift"}


def test_a_sub_report_title_is_dropped():
    assert _bench()._demote("# Title\n\ntext\n") == "text"
    assert _bench()._demote("text") == "text"
