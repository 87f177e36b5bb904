"""Tests for casebook.monitoring.fleet: the central job, its decisions and audit trail, Dask parity."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from casebook.monitoring.audit_log import audit_decisions, verify_audit_log
from casebook.monitoring.fleet import local_dask_client, monitor_fleet
from casebook.monitoring.fleet_config import parse_fleet_config

PERF = {
    "trigger": "performance",
    "threshold": 0.3,
    "disarm": 0.25,
    "cooldown": 1,
    "min_fresh_labels": 100,
}
DRIFT = {
    "trigger": "drift",
    "threshold": 0.2,
    "disarm": 0.1,
    "cooldown": 1,
    "min_fresh_labels": 100,
}
SMALL = {
    "version": 1,
    "weeks": 6,
    "partitions": 3,
    "models": [
        {
            "name": "healthy",
            "unit": "a",
            "metric": "auc",
            "rows": 600,
            "policy": DRIFT,
            "sla": {"max_loss": 0.3},
        },
        {
            "name": "drifting",
            "unit": "a",
            "metric": "error_rate",
            "rows": 600,
            "label_delay": 1,
            "policy": PERF,
            "events": [{"kind": "concept_drift", "week": 2, "size": 1.0}],
        },
        {
            "name": "incident",
            "unit": "b",
            "metric": "mae",
            "rows": 600,
            "label_delay": 0,
            "policy": {**PERF, "threshold": 1.2, "disarm": 1.0},
            "events": [{"kind": "contamination", "week": 3, "until": 5}],
        },
        {
            "name": "broken-pipe",
            "unit": "b",
            "metric": "brier",
            "rows": 600,
            "policy": {"trigger": "scheduled", "every": 2},
            "events": [{"kind": "missing_partitions", "week": 4, "count": 1}],
        },
    ],
}


@pytest.fixture(scope="module")
def cfg():
    return parse_fleet_config(SMALL)


@pytest.fixture(scope="module")
def inproc(cfg, tmp_path_factory):
    path = tmp_path_factory.mktemp("a") / "audit.jsonl"
    return monitor_fleet(cfg, audit_path=path, seed=3)


def status(result, model):
    w = result.weekly
    return w[w["model"] == model].set_index("week")


def test_planted_events_show_up(inproc, cfg):
    healthy = status(inproc, "healthy")
    assert (healthy["status"] == "ok").all() and not healthy["alert"].any()
    drifting = status(inproc, "drifting")
    assert drifting.loc[3, "alert"]  # labels of week 2 arrive at week 3
    assert (drifting["decision"] == "retrain").any()
    assert drifting.loc[6, "model_week"] >= 2
    incident = status(inproc, "incident")
    assert incident.loc[[3, 4], "status"].tolist() == ["hold", "hold"]
    assert incident.loc[[3, 4], "decision"].tolist() == ["override", "override"]
    pipe = status(inproc, "broken-pipe")
    assert pipe.loc[4, "status"] == "breach" and pipe.loc[4, "partitions"] == 2
    assert "1 of 3 partitions missing" in pipe.loc[4, "breaches"]
    assert pipe["decision"].eq("retrain").sum() == 3  # weeks 2, 4, 6


def test_summary_table(inproc, cfg):
    s = inproc.summary.set_index("model")
    assert list(s.index) == [m.name for m in cfg.models]
    assert s.loc["healthy", "alerts"] == 0 and s.loc["healthy", "retrains"] == 0
    assert s.loc["drifting", "retrains"] >= 1
    assert s.loc["incident", "hold_weeks"] == 2
    assert s.loc["broken-pipe", "breaches"] >= 1


def test_audit_log_is_complete_chained_and_tamper_evident(inproc, cfg, tmp_path):
    path = inproc.audit_path
    n = verify_audit_log(path)
    assert n == len(cfg.models) * cfg.weeks
    rec = json.loads(path.read_text().splitlines()[0])
    for key in (
        "timestamp",
        "run_id",
        "week",
        "model",
        "policy",
        "inputs_sha256",
        "decision",
        "reasons",
        "status",
        "sha256",
        "prev_sha256",
    ):
        assert key in rec
    assert rec["prev_sha256"] == ""
    lines = path.read_text().splitlines()
    tampered = tmp_path / "t.jsonl"
    edited = json.loads(lines[5])
    edited["decision"] = "tampered"
    tampered.write_text("\n".join([*lines[:5], json.dumps(edited), *lines[6:]]) + "\n")
    with pytest.raises(ValueError, match="line 6 was altered"):
        verify_audit_log(tampered)
    tampered.write_text("\n".join(lines[:3] + lines[4:]) + "\n")
    with pytest.raises(ValueError, match="line 4 does not follow line 3"):
        verify_audit_log(tampered)


def test_dask_run_is_identical_to_in_process(inproc, cfg, tmp_path):
    with local_dask_client(n_workers=2) as client:
        on_dask = monitor_fleet(
            cfg, audit_path=tmp_path / "dask.jsonl", seed=3, client=client, run_id="dask"
        )
    pd.testing.assert_frame_equal(inproc.weekly, on_dask.weekly)
    pd.testing.assert_frame_equal(inproc.summary, on_dask.summary)
    pd.testing.assert_frame_equal(
        audit_decisions(inproc.audit_path), audit_decisions(on_dask.audit_path)
    )


def test_seed_changes_inputs_but_not_structure(cfg, tmp_path, inproc):
    other = monitor_fleet(cfg, audit_path=tmp_path / "b.jsonl", seed=4, weeks=4)
    a = audit_decisions(inproc.audit_path)
    b = audit_decisions(other.audit_path)
    assert (a["inputs_sha256"].iloc[: len(b)] != b["inputs_sha256"]).all()
    assert status(other, "incident").loc[[3, 4], "status"].tolist() == ["hold", "hold"]


def test_errors(cfg, tmp_path):
    with pytest.raises(TypeError, match="config must be a FleetConfig"):
        monitor_fleet({}, audit_path=tmp_path / "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"weeks must be an integer in \[1, 6\]"):
        monitor_fleet(cfg, audit_path=tmp_path / "x", weeks=7)
    with pytest.raises(ValueError, match=r"rows_scale must be in \(0, 1\]"):
        monitor_fleet(cfg, audit_path=tmp_path / "x", rows_scale=0)
    with (
        pytest.raises(ValueError, match="n_workers must be a positive integer"),
        local_dask_client(n_workers=0),
    ):
        pass
