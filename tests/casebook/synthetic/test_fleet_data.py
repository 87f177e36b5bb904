"""Tests for casebook.synthetic.fleet: config validation and the planted structure."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from casebook.synthetic.fleet import (
    default_fleet_config_path,
    generate_partition,
    load_fleet_config,
    parse_fleet_config,
    partition_arrays,
    replace_policies,
)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(default_fleet_config_path().read_text())


@pytest.fixture(scope="module")
def cfg():
    return load_fleet_config()


def test_packaged_config_is_a_real_fleet(cfg):
    assert len(cfg.models) >= 24
    assert set(cfg.units) >= {"fraud", "personalization", "forecasting"}
    assert {m.metric for m in cfg.models} == {"auc", "error_rate", "brier", "mae"}
    assert {m.policy.trigger for m in cfg.models} == {"drift", "performance", "scheduled"}
    kinds = {e.kind for m in cfg.models for e in m.events}
    assert kinds == {"covariate_shift", "concept_drift", "contamination", "missing_partitions"}
    assert sum(not m.events for m in cfg.models) >= 6  # healthy controls
    assert all(m.policy.name == m.name for m in cfg.models)


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


def broken(raw, path, value):
    bad = copy.deepcopy(raw)
    bad.pop("x-policies", None)
    target = bad
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return bad


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("version",), 2, "config.version must be 1"),
        (("weeks",), 0, "config.weeks must be >= 1"),
        (("partitions",), "4", "config.partitions must be an integer"),
        (("models",), [], "config.models must be a non-empty list"),
        (("colour",), "x", r"config has unknown keys \['colour'\]"),
        (("models", 0, "metric"), "f1", r"models\[0\] \(fraud-card-eu\).metric must be one of"),
        (
            ("models", 1, "name"),
            "fraud-card-eu",
            r"models\[1\] \(fraud-card-eu\).name must be unique",
        ),
        (("models", 0, "unit"), "", "unit must be a non-empty string"),
        (("models", 0, "rows"), 5, "rows must be >= 40"),
        (("models", 0, "policy"), KeyError, "policy must be set"),
        (("models", 0, "policy"), "drift", "policy must be a mapping"),
        (
            ("models", 0, "policy"),
            {"trigger": "drift", "cooldown": -1},
            "policy is invalid: cooldown",
        ),
        (("models", 0, "sla"), {"max_loss": "high"}, "sla.max_loss must be a number"),
        (("models", 0, "sla"), {"max_age": 3}, r"sla has unknown keys \['max_age'\]"),
        (("models", 0, "base_rate"), 1.5, r"base_rate must be in \[0.01, 0.99\]"),
        (("models", 0, "events"), "none", "events must be a list"),
        (("models", 0, "events", 0, "kind"), "spike", r"events\[0\].kind must be one of"),
        (("models", 0, "events", 0, "week"), 99, "week must be <= weeks"),
        (("models", 0, "events", 0, "feature"), 7, "feature must be < n_features"),
        (("models", 2, "events", 0, "until"), KeyError, "until must be set for a contamination"),
        (("models", 4, "events", 0, "count"), 9, "count must be <= partitions"),
    ],
)
def test_validation_errors_name_the_model_and_key(raw, path, value, match):
    with pytest.raises(ValueError, match=match):
        parse_fleet_config(broken(raw, path, value))


def test_loader_errors(tmp_path, cfg):
    with pytest.raises(FileNotFoundError, match="is not a file"):
        load_fleet_config(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("models: [unclosed\n")
    with pytest.raises(ValueError, match="is not valid YAML"):
        load_fleet_config(bad)
    with pytest.raises(ValueError, match="config must be a mapping"):
        parse_fleet_config([1, 2])
    with pytest.raises(KeyError, match="is not in the fleet"):
        cfg.model("nope")


def test_replace_policies(cfg):
    strict = replace_policies(cfg, trigger="performance", cooldown=5)
    for old, new in zip(cfg.models, strict.models, strict=True):
        expected = 5 if old.policy.trigger == "performance" else old.policy.cooldown
        assert new.policy.cooldown == expected
        assert new.name == old.name
    with pytest.raises(ValueError, match="trigger must be scheduled, drift or performance"):
        replace_policies(cfg, trigger="calendar", cooldown=1)
    with pytest.raises(TypeError, match="config must be a FleetConfig"):
        replace_policies({}, trigger="drift")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="disarm must be <= threshold"):
        replace_policies(cfg, trigger="drift", disarm=0.9)
