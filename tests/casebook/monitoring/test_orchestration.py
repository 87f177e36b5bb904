"""Tests for casebook.monitoring.orchestration: the fleet job as a Dagster job, in-process."""

from __future__ import annotations

import asyncio

import pandas as pd
import pytest

from casebook.monitoring.audit_log import audit_decisions, verify_audit_log
from casebook.monitoring.fleet import monitor_fleet
from casebook.monitoring.fleet_config import parse_fleet_config
from casebook.monitoring.orchestration import WEEKLY_CRON, fleet_definitions, run_fleet_flow

SMALL = {
    "version": 1,
    "weeks": 4,
    "partitions": 2,
    "models": [
        {
            "name": "drifting",
            "unit": "a",
            "metric": "error_rate",
            "rows": 400,
            "label_delay": 1,
            "policy": {
                "trigger": "performance",
                "threshold": 0.3,
                "disarm": 0.25,
                "cooldown": 1,
                "min_fresh_labels": 100,
            },
            "events": [{"kind": "concept_drift", "week": 2, "size": 1.0}],
        },
        {
            "name": "broken-pipe",
            "unit": "b",
            "metric": "brier",
            "rows": 400,
            "policy": {"trigger": "scheduled", "every": 2},
            "events": [{"kind": "missing_partitions", "week": 3, "count": 1}],
        },
    ],
}


@pytest.fixture(scope="module")
def cfg():
    return parse_fleet_config(SMALL)


@pytest.fixture(scope="module")
def flow_and_plain(cfg, tmp_path_factory):
    d = tmp_path_factory.mktemp("flow")
    run = run_fleet_flow(cfg, audit_path=d / "flow.jsonl", seed=3, fail_first_attempts=1)
    plain = monitor_fleet(cfg, audit_path=d / "plain.jsonl", seed=3, run_id="flow")
    return run, plain


def test_flow_result_equals_the_plain_function(flow_and_plain):
    run, plain = flow_and_plain
    pd.testing.assert_frame_equal(run.result.weekly, plain.weekly)
    pd.testing.assert_frame_equal(run.result.summary, plain.summary)
    pd.testing.assert_frame_equal(
        audit_decisions(run.result.audit_path), audit_decisions(plain.audit_path)
    )
    assert verify_audit_log(run.result.audit_path) == len(plain.weekly) == run.anchor.count


def test_transient_failure_is_retried_once_and_logged(flow_and_plain):
    run, _ = flow_and_plain
    assert run.attempts == {
        "validate_config": 1,
        "run_fleet_job": 2,
        "verify_audit": 1,
        "publish_audit": 1,
    }
    job_logs = run.logs[run.logs["step"] == "run_fleet_job"]
    retry = job_logs[job_logs["event"] == "STEP_UP_FOR_RETRY"]
    assert len(retry) == 1
    assert "TransientStoreError" in retry["message"].iloc[0]
    own = job_logs.loc[job_logs["event"] == "LOG", "message"].tolist()
    assert own[0].startswith("attempt 1") and own[1].startswith("attempt 2")
    # every step logged something of its own, in dependency order
    steps = run.logs.loc[run.logs["event"] == "LOG", "step"].drop_duplicates().tolist()
    assert steps == ["validate_config", "run_fleet_job", "verify_audit", "publish_audit"]


def test_no_staging_file_is_left_behind(flow_and_plain):
    run, _ = flow_and_plain
    assert sorted(p.name for p in run.result.audit_path.parent.iterdir()) == [
        "flow.jsonl",
        "plain.jsonl",
    ]


def test_exhausted_retries_raise_and_publish_nothing(cfg, tmp_path):
    target = tmp_path / "audit.jsonl"
    with pytest.raises(
        RuntimeError,
        match=r"failed in step run_fleet_job \(1 retries allowed.*\): TransientStoreError",
    ):
        run_fleet_flow(cfg, audit_path=target, weeks=1, max_retries=1, fail_first_attempts=2)
    assert list(tmp_path.iterdir()) == []


def test_schedule_and_dependencies_are_declared():
    defs = fleet_definitions(max_retries=3)
    (schedule,) = defs.schedules
    assert (schedule.name, schedule.cron_schedule) == ("fleet_weekly", WEEKLY_CRON)
    (job,) = defs.jobs
    assert schedule.job is job
    assert job.graph.node_named("run_fleet_job").definition.retry_policy.max_retries == 3
    deps = job.graph.dependency_structure
    assert [o.node_name for o in deps.all_upstream_outputs_from_node("verify_audit")] == [
        "run_fleet_job"
    ]


def test_existing_audit_log_is_never_touched(cfg, tmp_path):
    target = tmp_path / "audit.jsonl"
    target.write_text("keep me\n")
    with pytest.raises(ValueError, match="audit_path must not exist yet"):
        run_fleet_flow(cfg, audit_path=target)
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_retries": -1}, ValueError, "max_retries must be a non-negative integer"),
        ({"max_retries": True}, ValueError, "max_retries must be a non-negative integer"),
        ({"fail_first_attempts": 1.5}, ValueError, "fail_first_attempts must be a non-negative"),
        ({"weeks": 0}, ValueError, r"weeks must be an integer in \[1, 4\]"),
        ({"weeks": 5}, ValueError, r"weeks must be an integer in \[1, 4\]"),
        ({"rows_scale": 0}, ValueError, r"rows_scale must be in \(0, 1\], got 0"),
        ({"rows_scale": "1"}, ValueError, r"rows_scale must be in \(0, 1\], got '1'"),
        ({"seed": 1.0}, TypeError, "seed must be an integer, got float"),
    ],
)
def test_bad_arguments(cfg, tmp_path, kwargs, error, match):
    with pytest.raises(error, match=match):
        run_fleet_flow(cfg, audit_path=tmp_path / "a.jsonl", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_bad_config_and_path_types(cfg):
    with pytest.raises(TypeError, match="config must be a FleetConfig, got dict"):
        run_fleet_flow(SMALL, audit_path="a.jsonl")
    with pytest.raises(TypeError, match="audit_path must be a str or path, got int"):
        run_fleet_flow(cfg, audit_path=3)


def test_definitions_reject_bad_retries():
    with pytest.raises(ValueError, match="max_retries must be a non-negative integer, got -2"):
        fleet_definitions(max_retries=-2)


def test_runs_inside_a_running_event_loop_without_warnings(cfg, tmp_path):
    # a Jupyter kernel runs cells inside an event loop; warnings are errors in the tests
    async def in_loop():
        return run_fleet_flow(cfg, audit_path=tmp_path / "a.jsonl", weeks=1)

    run = asyncio.run(in_loop())
    assert run.anchor.count == len(run.result.weekly) == len(cfg.models)


def test_publish_never_replaces_a_log_that_appeared_during_the_run(cfg, tmp_path, monkeypatch):
    import casebook.monitoring.orchestration as orch

    target = tmp_path / "audit.jsonl"
    real = orch.monitor_fleet

    def racing(*args, **kwargs):  # another writer creates the log while the job runs
        target.write_text("theirs\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(orch, "monitor_fleet", racing)
    with pytest.raises(
        RuntimeError,
        match="step publish_audit .*FileExistsError: audit_path appeared during the run",
    ):
        run_fleet_flow(cfg, audit_path=target, weeks=1)
    assert target.read_text() == "theirs\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.jsonl"]
