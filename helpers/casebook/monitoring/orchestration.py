"""The fleet job as a Dagster job: steps with dependencies, retries, a weekly schedule, logs.

:func:`~casebook.monitoring.fleet.monitor_fleet` is a plain function. In production
it runs under an orchestrator, which adds what a function call does not give:

- **steps with dependencies**: ``validate_config`` -> ``run_fleet_job`` ->
  ``verify_audit`` -> ``publish_audit``; a step starts only when the steps it
  reads from succeeded;
- **retries**: ``run_fleet_job`` is retried (up to ``max_retries`` times) when it
  raises, e.g. because a partition store was briefly unreachable. A retry
  is only safe because the step is idempotent: each attempt writes its audit
  log to a fresh staging file, and only ``publish_audit`` moves it to
  ``audit_path``, so a failed attempt never leaves half a week's records in
  the real log;
- **a schedule**: :func:`fleet_definitions` declares the job with a weekly cron
  schedule (Mondays 06:00 UTC), which a Dagster daemon would fire; here it is
  declared, not waited for;
- **per-step logs**, kept by the run's instance and returned as a table.

Dagster runs the whole job in this process (``execute_in_process`` on an
ephemeral, in-memory instance): no server, no network, no files besides the
audit log. :func:`run_fleet_flow` returns the same :class:`FleetResult` as the
plain function, and ``fail_first_attempts`` injects a deterministic transient
failure so the retry can be seen in the logs.
"""

from __future__ import annotations

import functools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from casebook.monitoring.audit_log import AuditAnchor, audit_anchor, verify_audit_log
from casebook.monitoring.fleet import FleetResult, monitor_fleet
from casebook.monitoring.fleet_config import FleetConfig

__all__ = ["WEEKLY_CRON", "FlowRun", "fleet_definitions", "run_fleet_flow"]

WEEKLY_CRON = "0 6 * * 1"  # every Monday at 06:00 UTC
STEPS = ("validate_config", "run_fleet_job", "verify_audit", "publish_audit")


class TransientStoreError(RuntimeError):
    """The injected failure: a partition store that is briefly unreachable."""


@dataclass(frozen=True)
class FlowRun:
    """What :func:`run_fleet_flow` produced.

    Attributes
    ----------
    result : FleetResult
        Exactly what :func:`~casebook.monitoring.fleet.monitor_fleet` returns.
    logs : pandas.DataFrame
        One row per log record of the run: ``step`` (None for run-level
        records), ``level``, ``event`` (the Dagster event type, or ``"LOG"`` for
        a message the step itself logged) and ``message``.
    attempts : dict of str to int
        How many times each step started (2 for a step retried once).
    anchor : AuditAnchor
        The published audit log's anchor (record count and last hash).
    run_id : str
        Dagster's id of the run.
    """

    result: FleetResult
    logs: pd.DataFrame
    attempts: dict[str, int]
    anchor: AuditAnchor
    run_id: str


@functools.cache
def _build(max_retries: int) -> tuple[Any, Any]:
    import dagster as dg

    # the steps carry no annotations: Dagster reads them as input and config types
    @dg.op(required_resource_keys={"params"})
    def validate_config(context):
        p = context.resources.params
        context.log.info(
            f"{len(p['config'].models)} models, {p['config'].partitions} partitions, "
            f"weeks 1..{p['weeks']}"
        )
        return p["config"]

    @dg.op(required_resource_keys={"params"}, retry_policy=dg.RetryPolicy(max_retries=max_retries))
    def run_fleet_job(context, fleet_config):
        p = context.resources.params
        staging = p["staging"]
        staging.unlink(missing_ok=True)  # idempotent: every attempt starts from an empty log
        context.log.info(f"attempt {context.retry_number + 1}: staging log {staging.name}")
        if p["failures"]["left"] > 0:
            p["failures"]["left"] -= 1
            raise TransientStoreError("partition store unreachable (injected transient failure)")
        result = monitor_fleet(
            fleet_config,
            audit_path=staging,
            weeks=p["weeks"],
            seed=p["seed"],
            rows_scale=p["rows_scale"],
            run_id=p["run_id"],
        )
        context.log.info(f"{len(result.weekly)} model-weeks decided")
        return result

    @dg.op(required_resource_keys={"params"})
    def verify_audit(context, result):
        n = verify_audit_log(result.audit_path)
        if n != len(result.weekly):
            raise ValueError(f"staging audit log has {n} records, expected {len(result.weekly)}")
        context.log.info(f"staging audit log verified: {n} chained records")
        return result

    @dg.op(required_resource_keys={"params"})
    def publish_audit(context, result):
        target = context.resources.params["audit_path"]
        if target.exists():  # written by someone else since the run started: keep theirs
            raise FileExistsError(f"audit_path appeared during the run, not replaced: {target}")
        os.replace(result.audit_path, target)  # atomic on one file system
        context.log.info(f"audit log published to {target.name}")
        return FleetResult(result.weekly, result.summary, target)

    @dg.job(description="Weekly central monitoring of the model fleet")
    def fleet_job():
        publish_audit(verify_audit(run_fleet_job(validate_config())))

    schedule = dg.ScheduleDefinition(
        name="fleet_weekly", job=fleet_job, cron_schedule=WEEKLY_CRON, execution_timezone="UTC"
    )
    return fleet_job, schedule


def fleet_definitions(*, max_retries: int = 2) -> Any:
    """The fleet job and its weekly schedule, as Dagster ``Definitions``.

    This is what a deployment loads (``dagster dev`` or a code location, which
    also binds the ``params`` resource that :func:`run_fleet_flow` passes): the
    daemon would fire the job every Monday at 06:00 UTC (:data:`WEEKLY_CRON`).

    Parameters
    ----------
    max_retries : int, default=2
        Retries of the ``run_fleet_job`` step after a failure.

    Returns
    -------
    dagster.Definitions

    Examples
    --------
    >>> defs = fleet_definitions()
    >>> [(s.name, s.cron_schedule) for s in defs.schedules]
    [('fleet_weekly', '0 6 * * 1')]
    >>> [n.name for n in defs.jobs[0].nodes_in_topological_order]
    ['validate_config', 'run_fleet_job', 'verify_audit', 'publish_audit']
    """
    import dagster as dg

    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a non-negative integer, got {max_retries!r}")
    job, schedule = _build(max_retries)
    return dg.Definitions(jobs=[job], schedules=[schedule])


def run_fleet_flow(
    config: FleetConfig,
    *,
    audit_path: str | os.PathLike,
    weeks: int | None = None,
    seed: int = 0,
    rows_scale: float = 1.0,
    run_id: str = "flow",
    max_retries: int = 2,
    fail_first_attempts: int = 0,
) -> FlowRun:
    """Run :func:`~casebook.monitoring.fleet.monitor_fleet` as a Dagster job, in this process.

    Parameters
    ----------
    config : FleetConfig
    audit_path : str or path
        Where the verified audit log is published; must not exist yet (the
        flow never appends to, or overwrites, an existing log).
    weeks, seed, rows_scale, run_id
        As for :func:`~casebook.monitoring.fleet.monitor_fleet`.
    max_retries : int, default=2
        Retries of the ``run_fleet_job`` step.
    fail_first_attempts : int, default=0
        Make the first ``fail_first_attempts`` attempts of ``run_fleet_job``
        raise a transient error before doing any work (a deterministic
        stand-in for an unreachable partition store). With
        ``fail_first_attempts <= max_retries`` the run succeeds.

    Returns
    -------
    FlowRun

    Raises
    ------
    RuntimeError
        If a step fails (``run_fleet_job`` after ``max_retries`` retries), naming
        the step and its error; the staging log is removed and ``audit_path``
        is not created or changed.

    Examples
    --------
    >>> import tempfile
    >>> from casebook.monitoring.fleet_config import load_fleet_config
    >>> config = load_fleet_config()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     run = run_fleet_flow(config, audit_path=f"{d}/audit.jsonl", weeks=2,
    ...                          rows_scale=0.05, fail_first_attempts=1)
    >>> run.attempts["run_fleet_job"], run.attempts["publish_audit"]
    (2, 1)
    >>> run.anchor.count == len(run.result.weekly)
    True
    """
    import dagster as dg

    if not isinstance(config, FleetConfig):
        raise TypeError(f"config must be a FleetConfig, got {type(config).__name__}")
    for name, value in (("max_retries", max_retries), ("fail_first_attempts", fail_first_attempts)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if not isinstance(audit_path, (str, os.PathLike)):
        raise TypeError(f"audit_path must be a str or path, got {type(audit_path).__name__}")
    target = Path(audit_path)
    if target.exists():
        raise ValueError(f"audit_path must not exist yet (the flow publishes a new log): {target}")
    weeks = config.weeks if weeks is None else weeks
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= config.weeks:
        raise ValueError(f"weeks must be an integer in [1, {config.weeks}], got {weeks!r}")
    if (
        isinstance(rows_scale, bool)
        or not isinstance(rows_scale, (int, float))
        or not 0 < rows_scale <= 1
    ):
        raise ValueError(f"rows_scale must be in (0, 1], got {rows_scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".staging")
    params = {
        "config": config,
        "weeks": weeks,
        "seed": seed,
        "rows_scale": rows_scale,
        "run_id": run_id,
        "audit_path": target,
        "staging": staging,
        "failures": {"left": fail_first_attempts},
    }
    job, _ = _build(max_retries)
    instance = dg.DagsterInstance.ephemeral()
    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    try:
        with warnings.catch_warnings():
            # inside a running event loop (a Jupyter kernel) Dagster cannot shut down the loop's
            # async generators, ignores the RuntimeError and drops the coroutine unawaited
            warnings.filterwarnings(
                "ignore", "coroutine 'BaseEventLoop.shutdown_asyncgens'", RuntimeWarning
            )
            res = job.execute_in_process(
                run_config=quiet,
                instance=instance,
                resources={"params": params},
                raise_on_error=False,
            )
    finally:
        staging.unlink(missing_ok=True)
    logs = pd.DataFrame(
        [
            {
                "step": e.step_key,
                "level": {10: "DEBUG", 20: "INFO", 30: "WARNING"}.get(e.level, "ERROR"),
                "event": e.dagster_event.event_type_value if e.dagster_event else "LOG",
                "message": e.user_message + _error_of(e),
            }
            for e in instance.all_logs(res.run_id)
        ],
        columns=["step", "level", "event", "message"],
    )
    if not res.success:
        has_error = logs["message"].str.contains(" | error: ", regex=False)
        errors = logs[has_error & logs["step"].notna()]  # the step's, not the run's summary
        step, detail = (
            (errors["step"].iloc[-1], errors["message"].iloc[-1].split(" | error: ")[-1])
            if len(errors)
            else (None, "unknown error")
        )
        raise RuntimeError(
            f"the fleet flow failed in step {step} ({max_retries} retries allowed for "
            f"run_fleet_job): {detail}"
        )
    started = logs[logs["event"].isin(["STEP_START", "STEP_RESTARTED"])]
    attempts = {s: int((started["step"] == s).sum()) for s in STEPS}
    return FlowRun(
        result=res.output_for_node("publish_audit"),
        logs=logs,
        attempts=attempts,
        anchor=audit_anchor(target),
        run_id=res.run_id,
    )


def _error_of(entry: Any) -> str:
    data = entry.dagster_event.event_specific_data if entry.dagster_event else None
    error = getattr(data, "error", None)
    while error is not None and (error.cause or error.context) is not None:
        error = error.cause or error.context  # the step's own exception, not Dagster's wrapper
    if error is None:
        return ""
    return f" | error: {error.cls_name}: {error.message.strip().split(': ', 1)[-1]}"
