"""Mergeable per-partition summaries of a fleet model's traffic, and its reference profile.

A central monitoring job never moves rows. For each model and week, every
partition is reduced where it lives (:func:`summarize_partition`, batched per
storage shard by :func:`summarize_shard`) to

- histograms of every feature and of the prediction on bin edges fixed by the
  model's :class:`ReferenceProfile` (built once per model version by
  :func:`build_reference`, see :mod:`casebook.monitoring.drift.summaries`), and
- the sufficient statistics of its metric (:class:`MetricSummary`: counts and
  sums, score histograms per class for a binned AUC).

Summaries are integer counts and sums, so merging them in partition order
gives the same result on any executor, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from casebook.monitoring.drift.stats import quantile_edges
from casebook.monitoring.drift.summaries import HistogramSummary, summarize_numeric
from casebook.monitoring.fleet_config import ModelSpec
from casebook.synthetic.fleet import partition_arrays

__all__ = [
    "MetricSummary",
    "PartitionSummary",
    "ReferenceProfile",
    "build_reference",
    "summarize_partition",
    "summarize_shard",
]

SCORE_BINS = 50  # score histogram bins on [0, 1] for the binned AUC


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
