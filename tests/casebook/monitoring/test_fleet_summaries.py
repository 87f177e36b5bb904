"""Tests for casebook.monitoring.fleet_summaries: metric and partition summaries merge to the whole."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from casebook.monitoring.drift.summaries import merge_all, psi_from_summaries
from casebook.monitoring.fleet_config import parse_fleet_config
from casebook.monitoring.fleet_summaries import (
    MetricSummary,
    _metric_summary,
    build_reference,
    summarize_partition,
    summarize_shard,
)
from casebook.synthetic.fleet import partition_arrays

SMALL = {
    "version": 1,
    "weeks": 6,
    "partitions": 3,
    "models": [
        {
            "name": "drifting",
            "unit": "a",
            "metric": "error_rate",
            "rows": 600,
            "label_delay": 1,
            "policy": {"trigger": "performance", "threshold": 0.3, "disarm": 0.25},
            "events": [{"kind": "concept_drift", "week": 2, "size": 1.0}],
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


def test_binned_auc_matches_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 4000)
    p = np.clip(0.5 + 0.2 * (y - 0.5) + 0.2 * rng.standard_normal(4000), 0, 1)
    s = _metric_summary("auc", p, y)
    assert 1 - s.loss() == pytest.approx(roc_auc_score(y, p), abs=0.01)
    exact = _metric_summary("auc", np.array([0.05, 0.05, 0.95]), np.array([0, 1, 1]))
    assert 1 - exact.loss() == pytest.approx(roc_auc_score([0, 1, 1], [0.05, 0.05, 0.95]))


def test_metric_summaries_merge_to_the_whole():
    rng = np.random.default_rng(1)
    p, y = rng.random(300), rng.integers(0, 2, 300)
    for metric in ("auc", "error_rate", "brier", "mae"):
        whole = _metric_summary(metric, p, y)
        parts = [_metric_summary(metric, p[i::3], y[i::3]) for i in range(3)]
        merged = parts[0].merge(parts[1]).merge(parts[2])
        assert merged.n == 300
        assert merged.loss() == pytest.approx(whole.loss())
    assert MetricSummary("error_rate", 0, 0.0).loss() is None
    assert MetricSummary("auc", 2, 0.0, pos=(2, 0), neg=(0, 0)).loss() is None
    with pytest.raises(ValueError, match="other must summarise 'mae'"):
        MetricSummary("mae", 1, 1.0).merge(MetricSummary("brier", 1, 1.0))


def test_partition_summaries_merge_to_the_full_week(cfg):
    spec = cfg.model("drifting")
    ref = build_reference(spec, model_week=0, partitions=3)
    parts = [
        summarize_partition(spec, week=2, partition=p, partitions=3, reference=ref)
        for p in range(3)
    ]
    arrays = [
        partition_arrays(spec, week=2, partition=p, partitions=3, model_week=0) for p in range(3)
    ]
    X = np.vstack([a[0] for a in arrays])
    merged = merge_all([s.features[0] for s in parts])
    assert merged.n == len(X)
    whole = build_reference(spec, model_week=0, partitions=3).features[0]
    assert psi_from_summaries(whole, merged).statistic == pytest.approx(
        psi_from_summaries(whole, merged).statistic
    )
    counts = np.histogram(X[:, 0], bins=np.asarray(ref.features[0].edges))[0]
    assert list(merged.counts) == counts.tolist()


def test_shard_summarises_every_model_and_reports_missing_partitions(cfg):
    refs = [build_reference(m, model_week=0, partitions=3) for m in cfg.models]
    shard = summarize_shard(cfg.models, references=refs, week=4, partition=2, partitions=3)
    assert shard[0].model == "drifting" and shard[0].partition == 2
    assert shard[1] is None  # broken-pipe's last partition never arrives in week 4
    with pytest.raises(ValueError, match="references must match specs one to one"):
        summarize_shard(cfg.models, references=refs[:1], week=4, partition=0, partitions=3)
