"""One central monitoring job for a fleet of models, in-process or on Dask.

Every week :func:`monitor_fleet` does, for every model of a
:class:`~casebook.synthetic.fleet.FleetConfig`:

1. **summarise each partition** where it lives (:func:`summarize_partition`,
   batched per storage shard by :func:`summarize_shard`, one task each):
   histograms of every feature and of the prediction on edges fixed by the
   model's reference profile (:mod:`casebook.drift.summaries`), plus the
   sufficient statistics of its metric (:class:`MetricSummary`: counts and
   sums, score histograms per class for AUC). Only these small summaries
   travel; the rows never leave their partition;
2. **merge** the summaries in partition order and compute PSI per feature and
   for the prediction (:func:`~casebook.drift.summaries.psi_from_summaries`),
   and the loss of the newest labeled week (labels arrive ``label_delay``
   weeks late);
3. **apply the model's policy** with :func:`casebook.policy.decide` (a
   declared contamination incident is a hold). Fresh labeled data are the
   clean labeled weeks after the last retrain and not older than the evidence
   that raised the alert; a ``"retrain"`` decision is handed to the
   (simulated) retraining pipeline, which trains on the newest fresh week;
4. **check service levels**: missing partitions, loss above ``max_loss``,
   a model older than ``max_weeks_without_retrain`` are policy breaches;
5. **append an audit record** (:func:`append_audit`) and update the fleet
   summary.

The per-partition work is a pure function of its arguments, so the same job
runs in-process (``client=None``) or on any Dask cluster (``client=``): the
summaries are integer counts and sums merged in the same order, and the
results are identical bit for bit. :func:`local_dask_client` starts a small
local cluster that stops cleanly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from casebook.drift.stats import quantile_edges
from casebook.drift.summaries import (
    HistogramSummary,
    merge_all,
    psi_from_summaries,
    summarize_numeric,
)
from casebook.policy import Observation, PolicyState, after_retrain, decide
from casebook.synthetic.fleet import FleetConfig, ModelSpec, partition_arrays

__all__ = [
    "FleetResult",
    "MetricSummary",
    "PartitionSummary",
    "ReferenceProfile",
    "append_audit",
    "audit_decisions",
    "build_reference",
    "local_dask_client",
    "monitor_fleet",
    "summarize_partition",
    "summarize_shard",
    "verify_audit_log",
]

SCORE_BINS = 50  # score histogram bins on [0, 1] for the binned AUC
STATUS_ORDER = ("breach", "hold", "retrain", "alert", "ok")


@dataclass(frozen=True)
class MetricSummary:
    """Mergeable sufficient statistics of a model's metric on some rows.

    Attributes
    ----------
    metric : str
        ``"auc"``, ``"error_rate"``, ``"brier"`` or ``"mae"``.
    n : int
        Labeled rows.
    total : float
        Sum of per-row losses (errors, squared errors, absolute errors).
    pos, neg : tuple of int
        Score histograms of positives and negatives on :data:`SCORE_BINS`
        equal bins of [0, 1] (AUC only; empty otherwise).
    """

    metric: str
    n: int
    total: float
    pos: tuple[int, ...] = ()
    neg: tuple[int, ...] = ()

    def merge(self, other: MetricSummary) -> MetricSummary:
        """Add two summaries of the same metric."""
        if other.metric != self.metric:
            raise ValueError(f"other must summarise {self.metric!r}, got {other.metric!r}")
        return MetricSummary(
            self.metric,
            self.n + other.n,
            self.total + other.total,
            tuple(a + b for a, b in zip(self.pos, other.pos, strict=True)),
            tuple(a + b for a, b in zip(self.neg, other.neg, strict=True)),
        )

    def loss(self) -> float | None:
        """Higher is worse: ``1 - AUC`` (binned) or the mean loss; None without rows.

        Examples
        --------
        >>> MetricSummary("error_rate", 4, 1.0).loss()
        0.25
        >>> s = MetricSummary("auc", 4, 0.0, pos=(0, 2), neg=(2, 0))
        >>> s.loss()
        0.0
        """
        if self.n == 0:
            return None
        if self.metric != "auc":
            return self.total / self.n
        pos, neg = np.asarray(self.pos, dtype=float), np.asarray(self.neg, dtype=float)
        if pos.sum() == 0 or neg.sum() == 0:
            return None  # AUC undefined on a one-class week
        below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
        auc = float(np.sum(pos * (below + 0.5 * neg)) / (pos.sum() * neg.sum()))
        return 1.0 - auc


def _metric_summary(metric: str, pred: np.ndarray, label: np.ndarray) -> MetricSummary:
    if metric == "auc":
        idx = np.clip((pred * SCORE_BINS).astype(int), 0, SCORE_BINS - 1)
        pos = np.bincount(idx[label == 1], minlength=SCORE_BINS)
        neg = np.bincount(idx[label == 0], minlength=SCORE_BINS)
        return MetricSummary(metric, len(label), 0.0, tuple(map(int, pos)), tuple(map(int, neg)))
    if metric == "error_rate":
        total = float(np.sum((pred >= 0.5).astype(int) != label))
    elif metric == "brier":
        total = float(np.sum((pred - label) ** 2))
    else:
        total = float(np.sum(np.abs(pred - label)))
    return MetricSummary(metric, len(label), total)


@dataclass(frozen=True)
class ReferenceProfile:
    """Bin edges and histograms of the data a model was trained on."""

    model: str
    model_week: int
    features: tuple[HistogramSummary, ...]
    prediction: HistogramSummary


@dataclass(frozen=True)
class PartitionSummary:
    """Everything the job needs from one partition, and nothing more."""

    model: str
    week: int
    partition: int
    n_rows: int
    features: tuple[HistogramSummary, ...]
    prediction: HistogramSummary
    metric: MetricSummary


def _arrays(
    spec: ModelSpec, week: int, model_week: int, *, partitions: int, seed: int, rows_scale: float
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    parts = (
        partition_arrays(
            spec,
            week=week,
            partition=p,
            partitions=partitions,
            model_week=model_week,
            seed=seed,
            rows_scale=rows_scale,
        )
        for p in range(partitions)
    )
    return [a for a in parts if a is not None]


def build_reference(
    spec: ModelSpec,
    *,
    model_week: int,
    partitions: int,
    seed: int = 0,
    rows_scale: float = 1.0,
    bins: int = 10,
) -> ReferenceProfile:
    """Profile of the week a model was trained on: quantile edges and histograms.

    The edges are fixed here, once per model version, so that every later
    partition can be summarised independently and merged exactly.
    """
    arrays = _arrays(
        spec, model_week, model_week, partitions=partitions, seed=seed, rows_scale=rows_scale
    )
    X = np.vstack([a[0] for a in arrays])
    scores = np.concatenate([a[1] for a in arrays])
    feats = [summarize_numeric(col, edges=quantile_edges(col, bins=bins)) for col in X.T]
    pred = summarize_numeric(scores, edges=quantile_edges(scores, bins=bins))
    return ReferenceProfile(spec.name, model_week, tuple(feats), pred)


def summarize_partition(
    spec: ModelSpec,
    *,
    week: int,
    partition: int,
    partitions: int,
    reference: ReferenceProfile,
    seed: int = 0,
    rows_scale: float = 1.0,
) -> PartitionSummary | None:
    """Load (here: generate) one partition and summarise it; None if it never arrived."""
    arrays = partition_arrays(
        spec,
        week=week,
        partition=partition,
        partitions=partitions,
        model_week=reference.model_week,
        seed=seed,
        rows_scale=rows_scale,
    )
    if arrays is None:
        return None
    X, scores, label = arrays
    feats = tuple(
        summarize_numeric(X[:, j], edges=ref.edges) for j, ref in enumerate(reference.features)
    )
    pred = summarize_numeric(scores, edges=reference.prediction.edges)
    metric = _metric_summary(spec.metric, scores, label)
    return PartitionSummary(spec.name, week, partition, len(label), feats, pred, metric)


def summarize_shard(
    specs: Sequence[ModelSpec],
    *,
    references: Sequence[ReferenceProfile],
    week: int,
    partition: int,
    partitions: int,
    seed: int = 0,
    rows_scale: float = 1.0,
) -> list[PartitionSummary | None]:
    """Summarise partition ``partition`` of ``week`` for every model: one task per shard.

    In production a shard is where data sits (a region, a storage node); the
    task runs next to it and returns one small summary per model.
    """
    if len(specs) != len(references):
        raise ValueError(
            f"references must match specs one to one, got {len(references)} for {len(specs)}"
        )
    return [
        summarize_partition(
            spec,
            week=week,
            partition=partition,
            partitions=partitions,
            reference=ref,
            seed=seed,
            rows_scale=rows_scale,
        )
        for spec, ref in zip(specs, references, strict=True)
    ]


def _inputs_fingerprint(ref: ReferenceProfile, got: list[PartitionSummary]) -> str:
    """Everything a decision used, as one string: reference and partition summaries."""
    parts = [
        (
            g.partition,
            g.n_rows,
            tuple(f.counts for f in g.features),
            g.prediction.counts,
            tuple(f.n_missing for f in g.features),
            (g.metric.n, g.metric.total, g.metric.pos, g.metric.neg),
        )
        for g in got
    ]
    reference = (
        ref.model_week,
        tuple((f.edges, f.counts) for f in ref.features),
        ref.prediction.edges,
        ref.prediction.counts,
    )
    return repr((reference, parts))


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def _sha(obj: Any) -> str:
    return hashlib.sha256(_canonical(obj).encode()).hexdigest()


def _last_sha(path: Path) -> str:
    if not path.is_file() or path.stat().st_size == 0:
        return ""
    last = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    return json.loads(last)["sha256"]


def append_audit(path: str | os.PathLike, records: Sequence[dict[str, Any]]) -> int:
    """Append records to a JSON-lines audit log, chained by SHA-256; return their count.

    Each line gets ``timestamp`` (UTC, ISO 8601), ``prev_sha256`` (the
    previous line's hash, empty for the first) and ``sha256`` (the hash of the
    line's canonical JSON without ``sha256``), so editing or deleting any
    earlier line breaks :func:`verify_audit_log`. The file is only ever
    opened for appending.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    prev = _last_sha(p)
    lines = []
    for rec in records:
        if not isinstance(rec, dict):
            raise TypeError(f"records must hold dicts, got {type(rec).__name__}")
        if {"sha256", "prev_sha256", "timestamp"} & set(rec):
            raise ValueError("records must not set sha256, prev_sha256 or timestamp")
        full = {
            **rec,
            "timestamp": datetime.now(UTC).isoformat(timespec="microseconds"),
            "prev_sha256": prev,
        }
        full["sha256"] = prev = _sha(full)
        lines.append(_canonical(full))
    with p.open("a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
    return len(lines)


def verify_audit_log(path: str | os.PathLike) -> int:
    """Check every line's hash and the chain; return the number of records.

    Raises
    ------
    ValueError
        Naming the first line that was altered, removed or reordered.
    """
    prev, n = "", 0
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            rec = json.loads(line)
            sha = rec.pop("sha256", None)
            if rec.get("prev_sha256") != prev:
                raise ValueError(
                    f"path {path}: line {n} does not follow line {n - 1} (chain broken)"
                )
            if _sha(rec) != sha:
                raise ValueError(f"path {path}: line {n} was altered (hash mismatch)")
            prev = sha
    return n


def audit_decisions(path: str | os.PathLike) -> pd.DataFrame:
    """The audit log as a table, without the per-run fields (time, run id, hashes chain).

    Two runs of the same job on the same inputs give equal tables.
    """
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    drop = {"timestamp", "run_id", "sha256", "prev_sha256", "executor"}
    return pd.DataFrame([{k: v for k, v in r.items() if k not in drop} for r in rows])


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
        From :func:`casebook.synthetic.fleet.load_fleet_config`.
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
