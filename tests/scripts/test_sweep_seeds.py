"""The seed sweep's report: hold rates, tightest margins, not-reached claims and spreads."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "sweep_seeds.py"


@pytest.fixture(scope="module")
def sweep():
    spec = importlib.util.spec_from_file_location("sweep_seeds", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(root: Path, seed: int, claims: list[dict], results: dict, *, status: str = "ok"):
    target = root / "fast" / f"seed-{seed}"
    lesson = target / "lessons" / "03_x"
    lesson.mkdir(parents=True)
    (lesson / "results.json").write_text(
        json.dumps(
            {"notebook": "03_x", "seed": seed, "fast": True, "claims": claims, "results": results}
        )
    )
    (target / "summary.json").write_text(json.dumps([{"notebook": "03_x", "status": status}]))


def _claim(statement, holds, observed=None, expected=None):
    return {"statement": statement, "holds": holds, "observed": observed, "expected": expected}


def test_parse_seeds(sweep):
    assert sweep.parse_seeds("0-3,7,2") == [0, 1, 2, 3, 7]
    for bad in ("a", "5-2", "1-"):
        with pytest.raises(ValueError, match="seeds must look like"):
            sweep.parse_seeds(bad)


def test_claims_count_held_failed_and_not_reached(sweep, tmp_path):
    r = {"auc": {"value": 0.9}, "t": {"value": 1.0, "volatile": True}}
    _write(tmp_path, 0, [_claim("A", True, 0.50, 0.30), _claim("B", True, 2.0, 1.0)], r)
    _write(tmp_path, 1, [_claim("A", True, 0.35, 0.30), _claim("B", True, 3.0, 1.0)], r)
    # seed 2 fails on A, so B is never reached
    _write(tmp_path, 2, [_claim("A", False, 0.25, 0.30)], {"auc": {"value": 0.8}}, status="failed")
    runs = sweep._load_runs([tmp_path])
    rows = {c["claim"]: c for c in sweep.claim_table(runs)}
    a, b = rows["A"], rows["B"]
    assert (a["seeds"], a["held"], a["failed"], a["not_reached"]) == (3, 2, 1, 0)
    assert (b["seeds"], b["held"], b["failed"], b["not_reached"]) == (3, 2, 0, 1)
    # A holds as observed >= expected; its tightest margin is the failing seed's -0.05
    assert a["tightest_margin"] == pytest.approx(-0.05)
    assert (a["observed_min"], a["observed_max"], a["expected"]) == (0.25, 0.5, 0.3)
    assert b["tightest_margin"] == pytest.approx(1.0)
    spread = {s["result"]: s for s in sweep.spread_table(runs)}
    assert spread["auc"]["n"] == 3 and spread["auc"]["min"] == 0.8
    assert spread["t"]["volatile"] and not spread["auc"]["volatile"]
    report = sweep.render_report(runs)
    assert "1 of 2 claims held on every seed" not in report  # neither held on every seed
    assert "0 of 2 claims held on every seed" in report
    assert "| 03 | fast | A | 3 | **2** | 1 | 0 | 0.25 .. 0.5 | 0.3 | -0.05 |" in report


def test_a_claim_that_keeps_below_its_threshold(sweep, tmp_path):
    _write(tmp_path, 0, [_claim("C", True, 0.02, 0.05)], {})
    _write(tmp_path, 1, [_claim("C", True, 0.04, 0.05)], {})
    (row,) = sweep.claim_table(sweep._load_runs([tmp_path]))
    assert row["held"] == 2 and row["tightest_margin"] == pytest.approx(0.01)
    assert sweep.main(["--report", str(tmp_path), "--write", str(tmp_path / "r.md")]) == 0
    assert "2 of 1" not in (tmp_path / "r.md").read_text()
    assert "1 of 1 claims held on every seed" in (tmp_path / "r.md").read_text()


def test_report_exits_nonzero_when_a_claim_failed(sweep, tmp_path):
    _write(tmp_path, 0, [_claim("A", False, 0.1, 0.3)], {}, status="failed")
    assert sweep.main(["--report", str(tmp_path), "--write", str(tmp_path / "r.md")]) == 1


def test_report_on_an_empty_folder_says_so(sweep, tmp_path, capsys):
    assert sweep.main(["--report", str(tmp_path)]) == 2
    assert "no results.json found" in capsys.readouterr().err
