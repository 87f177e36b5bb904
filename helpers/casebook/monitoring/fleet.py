"""One central monitoring job for a fleet of models, in-process or on Dask.

Every week :func:`monitor_fleet` does, for every model of a
:class:`~casebook.monitoring.fleet_config.FleetConfig`:

1. **summarise each partition** where it lives
   (:func:`casebook.monitoring.fleet_summaries.summarize_partition`, batched per storage
   shard by :func:`~casebook.monitoring.fleet_summaries.summarize_shard`, one task each):
   histograms of every feature and of the prediction on edges fixed by the
   model's reference profile (:mod:`casebook.monitoring.drift.summaries`), plus the
   sufficient statistics of its metric
   (:class:`~casebook.monitoring.fleet_summaries.MetricSummary`: counts and
   sums, score histograms per class for AUC). Only these small summaries
   travel; the rows never leave their partition;
2. **merge** the summaries in partition order and compute PSI per feature and
   for the prediction (:func:`~casebook.monitoring.drift.summaries.psi_from_summaries`),
   and the loss of the newest labeled week (labels arrive ``label_delay``
   weeks late);
3. **apply the model's policy** with :func:`casebook.monitoring.policy.decide` (a
   declared contamination incident is a hold). Fresh labeled data are the
   clean labeled weeks after the last retrain and not older than the evidence
   that raised the alert; a ``"retrain"`` decision is handed to the
   (simulated) retraining pipeline, which trains on the newest fresh week;
4. **check service levels**: missing partitions, loss above ``max_loss``,
   a model older than ``max_weeks_without_retrain`` are policy breaches;
5. **append an audit record** (:func:`casebook.monitoring.audit_log.append_audit`, a
   hash-chained JSON-lines log) and update the fleet
   summary.

The per-partition work is a pure function of its arguments, so the same job
runs in-process (``client=None``) or on any Dask cluster (``client=``): the
summaries are integer counts and sums merged in the same order, and the
results are identical bit for bit. :func:`local_dask_client` starts a small
local cluster that stops cleanly.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from casebook.monitoring.audit_log import _sha, append_audit
from casebook.monitoring.drift.summaries import merge_all, psi_from_summaries
from casebook.monitoring.fleet_config import FleetConfig, ModelSpec
from casebook.monitoring.fleet_summaries import (
    MetricSummary,
    PartitionSummary,
    ReferenceProfile,
    _inputs_fingerprint,
    build_reference,
    summarize_shard,
)
from casebook.monitoring.policy import Observation, PolicyState, after_retrain, decide

__all__ = ["FleetResult", "local_dask_client", "monitor_fleet"]

STATUS_ORDER = ("breach", "hold", "retrain", "alert", "ok")


@contextmanager
def local_dask_client(n_workers: int = 2) -> Iterator[Any]:
    """A local Dask cluster of ``n_workers`` threads in this process (no worker processes).

    The scheduler's small HTTP server binds a random free loopback port, so a
    cluster never collides with another one, or a dashboard, on port 8787.

    Examples
    --------
    >>> with local_dask_client() as client:
    ...     client.gather(client.map(abs, [-1, -2]))
    [1, 2]
    """
    from dask.distributed import Client, LocalCluster

    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise ValueError(f"n_workers must be a positive integer, got {n_workers!r}")
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=False,
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _run_tasks(client: Any, fn: Callable[..., Any], calls: list[dict[str, Any]]) -> list[Any]:
    if client is None:
        return [fn(**kw) for kw in calls]
    futures = [client.submit(fn, pure=False, **kw) for kw in calls]
    return client.gather(futures)


@dataclass
class _ModelState:
    policy: PolicyState
    model_week: int = 0
    last_retrain: int = 0
    regime_start: int = 0
    metrics: dict[int, MetricSummary] = field(default_factory=dict)
    alerts: int = 0
    retrains: int = 0
    breaches: int = 0
    overrides: int = 0


@dataclass(frozen=True)
class FleetResult:
    """What :func:`monitor_fleet` produced.

    Attributes
    ----------
    weekly : pandas.DataFrame
        One row per model and week: signal, loss, max PSI, decision, status,
        breaches, serving model week.
    summary : pandas.DataFrame
        One row per model: unit, metric, trigger, status after the last
        week, alerts, retrains, last retrain, breaches, latest loss.
    audit_path : pathlib.Path
        The JSON-lines audit log.
    """

    weekly: pd.DataFrame
    summary: pd.DataFrame
    audit_path: Path


def monitor_fleet(
    config: FleetConfig,
    *,
    audit_path: str | os.PathLike,
    client: Any = None,
    weeks: int | None = None,
    seed: int = 0,
    rows_scale: float = 1.0,
    run_id: str = "run",
) -> FleetResult:
    """Run the central monitoring job week by week for every model of the fleet.

    Parameters
    ----------
    config : FleetConfig
        From :func:`casebook.monitoring.fleet_config.load_fleet_config`.
    audit_path : str or path
        JSON-lines audit log, appended to.
    client : dask.distributed.Client, optional
        Run the per-partition and per-model tasks on this cluster; None runs
        them in this process.
    weeks : int, optional
        Monitor weeks ``1..weeks`` (default: ``config.weeks``).
    seed : int, default=0
    rows_scale : float, default=1.0
        Shrinks every partition (fast mode).
    run_id : str, default="run"
        Stored in each audit record.

    Returns
    -------
    FleetResult
    """
    if not isinstance(config, FleetConfig):
        raise TypeError(f"config must be a FleetConfig, got {type(config).__name__}")
    weeks = config.weeks if weeks is None else weeks
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= config.weeks:
        raise ValueError(f"weeks must be an integer in [1, {config.weeks}], got {weeks!r}")
    if (
        isinstance(rows_scale, bool)
        or not isinstance(rows_scale, (int, float))
        or not (0 < rows_scale <= 1)
    ):
        raise ValueError(f"rows_scale must be in (0, 1], got {rows_scale!r}")
    P = config.partitions
    states = {m.name: _ModelState(PolicyState.initial(trained_at=0)) for m in config.models}
    refs: dict[str, ReferenceProfile] = {}
    rows, audit = [], []
    common = {"partitions": P, "seed": seed, "rows_scale": rows_scale}
    for t in range(1, weeks + 1):
        stale = [
            m
            for m in config.models
            if m.name not in refs or refs[m.name].model_week != states[m.name].model_week
        ]
        built = _run_tasks(
            client,
            build_reference,
            [{"spec": m, "model_week": states[m.name].model_week, **common} for m in stale],
        )
        refs.update({r.model: r for r in built})
        # one task per storage partition (shard), summarising that shard for every model
        calls = [
            {
                "specs": config.models,
                "references": tuple(refs[m.name] for m in config.models),
                "week": t,
                "partition": p,
                **common,
            }
            for p in range(P)
        ]
        shards = _run_tasks(client, summarize_shard, calls)
        for i, spec in enumerate(config.models):
            got = [shard[i] for shard in shards if shard[i] is not None]
            rec = _monitor_one(spec, states[spec.name], refs[spec.name], got, t, P)
            rows.append(rec["row"])
            audit.append({"run_id": run_id, **rec["audit"]})
        append_audit(audit_path, audit)
        audit = []
    weekly = pd.DataFrame(rows)
    last = weekly[weekly["week"] == weeks].set_index("model")
    summary = pd.DataFrame(
        [
            {
                "model": m.name,
                "unit": m.unit,
                "metric": m.metric,
                "trigger": m.policy.trigger,
                "status": last.loc[m.name, "status"],
                "alerts": states[m.name].alerts,
                "retrains": states[m.name].retrains,
                "last_retrain": states[m.name].last_retrain,
                "breaches": states[m.name].breaches,
                "hold_weeks": states[m.name].overrides,
                "loss": last.loc[m.name, "loss"],
            }
            for m in config.models
        ]
    )
    return FleetResult(weekly, summary, Path(audit_path))


def _monitor_one(
    spec: ModelSpec,
    st: _ModelState,
    ref: ReferenceProfile,
    got: list[PartitionSummary],
    t: int,
    P: int,
) -> dict[str, Any]:
    psi = {}
    if got:
        for j, feat_ref in enumerate(ref.features):
            psi[f"f{j}"] = psi_from_summaries(
                feat_ref, merge_all([g.features[j] for g in got])
            ).statistic
        psi["prediction"] = psi_from_summaries(
            ref.prediction, merge_all([g.prediction for g in got])
        ).statistic
        metric = got[0].metric
        for g in got[1:]:
            metric = metric.merge(g.metric)
        st.metrics[t] = metric
    max_psi = max(psi.values()) if psi else None
    obey = spec.policy.respect_hold
    labeled = [w for w in st.metrics if w <= t - spec.label_delay and not (obey and spec.held(w))]
    loss = st.metrics[max(labeled)].loss() if labeled else None
    hold = spec.held(t)
    if spec.policy.trigger == "drift":
        signal = None if (hold and obey) else max_psi
    elif spec.policy.trigger == "performance":
        signal = loss
    else:
        signal = None
    if signal is not None and not st.policy.alert and signal >= spec.policy.threshold:
        # evidence of a new regime: the week the drift (now) or the errors (labeled) come from
        st.regime_start = t if spec.policy.trigger == "drift" else max(labeled)
    fresh_weeks = [w for w in labeled if w > st.last_retrain and w >= st.regime_start]
    fresh = sum(st.metrics[w].n for w in fresh_weeks)
    was_alert = st.policy.alert
    d = decide(
        spec.policy, st.policy, Observation(step=t, signal=signal, fresh_labels=fresh, hold=hold)
    )
    st.policy = d.state
    st.alerts += int(d.state.alert and not was_alert)
    if d.action == "retrain":
        st.policy = after_retrain(st.policy, step=t, promoted=True)
        st.model_week = max([st.model_week, *fresh_weeks])
        st.last_retrain, st.retrains = t, st.retrains + 1
    st.overrides += int(d.action == "override")
    breaches = []
    if len(got) < P:
        breaches.append(f"data: {P - len(got)} of {P} partitions missing")
    if spec.max_loss is not None and loss is not None and loss > spec.max_loss:
        breaches.append(f"sla: loss {loss:.3f} > {spec.max_loss}")
    age = t - st.last_retrain
    if spec.max_weeks_without_retrain is not None and age > spec.max_weeks_without_retrain:
        breaches.append(f"stale: {age} weeks without retrain > {spec.max_weeks_without_retrain}")
    st.breaches += len(breaches)
    status = (
        "breach"
        if breaches
        else "hold"
        if d.action == "override"
        else "retrain"
        if d.action == "retrain"
        else "alert"
        if d.state.alert
        else "ok"
    )
    row = {
        "week": t,
        "model": spec.name,
        "unit": spec.unit,
        "signal": signal,
        "loss": loss,
        "max_psi": max_psi,
        "partitions": len(got),
        "decision": d.action,
        "alert": d.state.alert,
        "status": status,
        "breaches": "; ".join(breaches),
        "model_week": st.model_week,
    }
    inputs = _inputs_fingerprint(ref, got)
    audit = {
        "week": t,
        "model": spec.name,
        "unit": spec.unit,
        "policy": dataclasses.asdict(spec.policy),
        "inputs_sha256": _sha(inputs),
        "partitions_received": len(got),
        "partitions_expected": P,
        "psi": psi,
        "signal": signal,
        "loss": loss,
        "fresh_labels": fresh,
        "hold": hold,
        "decision": d.action,
        "reasons": list(d.reasons),
        "status": status,
        "breaches": breaches,
        "serving_model_week": st.model_week,
    }
    return {"row": row, "audit": audit}
