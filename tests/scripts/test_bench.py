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


def test_summary_table_flags_missed_targets_and_disagreement():
    rows = [
        {"comparison": "a", "size": "1 row", "casebook_s": 0.5, "anchor_s": 50.0,
         "ratio": 100.0, "target": ">= 10x", "met": True, "agree": True},
        {"comparison": "b", "size": "2 rows", "casebook_s": 1.0, "anchor_s": 5.0,
         "ratio": 5.0, "target": ">= 10x", "met": False, "agree": False},
        {"comparison": "c", "size": "3 rows", "casebook_s": 1.0, "anchor_s": 1.0,
         "ratio": 1.0, "target": "none set", "met": None, "agree": True},
    ]  # fmt: skip
    lines = _bench().summary_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[2] == "| a | 1 row | 0.5 | 50 | 100.0x | >= 10x | yes | yes |"
    assert lines[3].endswith("| 5.0x | >= 10x | **no** | **no** |")
    assert "| n/a |" in lines[4]


def test_a_sub_report_title_is_dropped():
    assert _bench()._demote("# Title\n\ntext\n") == "text"
    assert _bench()._demote("text") == "text"
