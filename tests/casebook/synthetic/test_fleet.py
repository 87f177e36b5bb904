"""Tests for casebook.synthetic.fleet: the planted structure of the generated traffic."""

from __future__ import annotations

import numpy as np
import pytest

from casebook.monitoring.fleet_config import load_fleet_config
from casebook.synthetic.fleet import generate_partition, partition_arrays


@pytest.fixture(scope="module")
def cfg():
    return load_fleet_config()


def test_partitions_are_deterministic_and_independent(cfg):
    spec = cfg.models[0]
    a = generate_partition(spec, week=3, partition=1, partitions=4, model_week=0, seed=5)
    b = generate_partition(spec, week=3, partition=1, partitions=4, model_week=0, seed=5)
    c = generate_partition(spec, week=3, partition=2, partitions=4, model_week=0, seed=5)
    assert a.equals(b)
    assert not np.allclose(a["f0"], c["f0"])


def mean_of(spec, week, col, model_week=0, parts=4):
    arrays = [
        partition_arrays(spec, week=week, partition=p, partitions=parts, model_week=model_week)
        for p in range(parts)
    ]
    X = np.vstack([a[0] for a in arrays if a is not None])
    return X[:, col].mean()


def test_covariate_shift_lands_in_its_week(cfg):
    spec = cfg.model("delivery-eta")  # f1 +1.0 from week 4
    assert abs(mean_of(spec, 3, 1)) < 0.1
    assert mean_of(spec, 4, 1) == pytest.approx(1.0, abs=0.1)


def error_rate(spec, week, model_week):
    arrays = [
        partition_arrays(spec, week=week, partition=p, partitions=4, model_week=model_week)
        for p in range(4)
    ]
    pred = np.concatenate([a[1] for a in arrays])
    y = np.concatenate([a[2] for a in arrays])
    return np.mean((pred >= 0.5) != y)


def test_concept_drift_hurts_the_old_model_but_not_a_retrained_one(cfg):
    spec = cfg.model("search-ranking")  # concept drift at week 7
    before = error_rate(spec, 6, 0)
    stale = error_rate(spec, 8, 0)
    fresh = error_rate(spec, 8, 7)
    assert stale > before + 0.1
    assert fresh == pytest.approx(before, abs=0.05)
    assert abs(mean_of(spec, 8, 0) - mean_of(spec, 6, 0)) < 0.1  # features do not move


def test_contamination_shifts_f0_and_adds_label_noise(cfg):
    spec = cfg.model("fraud-wire")  # weeks 5-7
    assert spec.held(5) and spec.held(7) and not spec.held(8) and not spec.held(4)
    assert mean_of(spec, 6, 0) == pytest.approx(1.5, abs=0.1)
    reg = cfg.model("inventory-eu")
    clean = partition_arrays(reg, week=4, partition=0, partitions=4, model_week=0)
    dirty = partition_arrays(reg, week=7, partition=0, partitions=4, model_week=0)
    assert np.std(dirty[2] - dirty[1]) > 2 * np.std(clean[2] - clean[1])


def test_missing_partitions(cfg):
    spec = cfg.model("fraud-merchant")  # 2 missing in week 8
    got = [
        generate_partition(spec, week=8, partition=p, partitions=4, model_week=0) for p in range(4)
    ]
    assert [g is None for g in got] == [False, False, True, True]
    assert spec.missing(7) == 0


def test_rows_scale_and_partition_errors(cfg):
    spec = cfg.models[0]
    small = generate_partition(
        spec, week=1, partition=0, partitions=4, model_week=0, rows_scale=0.25
    )
    assert len(small) == round(spec.rows * 0.25) // 4
    with pytest.raises(ValueError, match=r"partition must be in \[0, 4\)"):
        generate_partition(spec, week=1, partition=4, partitions=4, model_week=0)
    with pytest.raises(ValueError, match="model_week must be in"):
        generate_partition(spec, week=1, partition=0, partitions=4, model_week=2)
