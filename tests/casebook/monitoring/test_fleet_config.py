"""Tests for casebook.monitoring.fleet_config: the packaged fleet and config validation."""

from __future__ import annotations

import copy

import pytest
import yaml

from casebook.monitoring.fleet_config import (
    default_fleet_config_path,
    load_fleet_config,
    parse_fleet_config,
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
