"""The fleet config: every model of a synthetic fleet, declared in YAML and validated.

The config (``casebook/monitoring/fleet.yaml`` ships with the package) lists
every model with its business unit, data stream, metric, label delay,
retraining policy (:class:`casebook.monitoring.policy.RetrainingPolicy` fields), service
levels and the events planted in its stream (their effect on the data is
described in :mod:`casebook.synthetic.fleet`). :func:`load_fleet_config`
validates it and fails with a message naming the model and key at fault;
:func:`replace_policies` derives a what-if fleet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from casebook.monitoring.policy import RetrainingPolicy, policy_from_dict

__all__ = [
    "FleetConfig",
    "FleetEvent",
    "ModelSpec",
    "default_fleet_config_path",
    "load_fleet_config",
    "parse_fleet_config",
    "replace_policies",
]

METRICS = {
    "auc": "classification",
    "error_rate": "classification",
    "brier": "classification",
    "mae": "regression",
}
EVENT_KINDS = ("covariate_shift", "concept_drift", "contamination", "missing_partitions")
_MODEL_KEYS = {
    "name",
    "unit",
    "metric",
    "label_delay",
    "rows",
    "n_features",
    "base_rate",
    "strength",
    "events",
    "policy",
    "sla",
}
_SLA_KEYS = {"max_loss", "max_weeks_without_retrain"}
_EVENT_KEYS = {"kind", "week", "until", "feature", "size", "count"}
_TOP_KEYS = {"version", "weeks", "partitions", "models"}


@dataclass(frozen=True)
class FleetEvent:
    """One planted event in a model's stream (see the module docstring)."""

    kind: str
    week: int
    until: int | None = None
    feature: int = 0
    size: float = 1.0
    count: int = 1

    def active(self, week: int) -> bool:
        """Whether the event affects ``week``."""
        if self.kind == "missing_partitions":
            return week == self.week
        end = self.until if self.until is not None else 10**9
        return self.week <= week < end


@dataclass(frozen=True)
class ModelSpec:
    """One model of the fleet, validated.

    ``loss`` is the monitored quantity, higher = worse: ``1 - AUC`` for
    ``metric="auc"``, else the metric itself (error rate, Brier score, MAE).
    """

    name: str
    unit: str
    metric: str
    label_delay: int
    rows: int
    n_features: int
    base_rate: float
    strength: float
    policy: RetrainingPolicy
    events: tuple[FleetEvent, ...] = ()
    max_loss: float | None = None
    max_weeks_without_retrain: int | None = None

    @property
    def task(self) -> str:
        """``"classification"`` or ``"regression"``, from the metric."""
        return METRICS[self.metric]

    def held(self, week: int) -> bool:
        """Whether a contamination incident is declared for ``week``."""
        return any(e.kind == "contamination" and e.active(week) for e in self.events)

    def missing(self, week: int) -> int:
        """Partitions that never arrive in ``week``."""
        return sum(
            e.count for e in self.events if e.kind == "missing_partitions" and e.active(week)
        )


@dataclass(frozen=True)
class FleetConfig:
    """The validated fleet: monitoring horizon, partitions per week, models."""

    weeks: int
    partitions: int
    models: tuple[ModelSpec, ...]
    source: str = field(default="<dict>", compare=False)

    @property
    def units(self) -> tuple[str, ...]:
        """Business units, sorted."""
        return tuple(sorted({m.unit for m in self.models}))

    def model(self, name: str) -> ModelSpec:
        """The spec of model ``name``."""
        for m in self.models:
            if m.name == name:
                return m
        raise KeyError(
            f"name {name!r} is not in the fleet; models: {[m.name for m in self.models]}"
        )


def replace_policies(config: FleetConfig, *, trigger: str, **changes: Any) -> FleetConfig:
    """A copy of the fleet where every ``trigger`` policy gets ``changes`` (a what-if).

    Examples
    --------
    >>> cfg = replace_policies(load_fleet_config(), trigger="drift", threshold=0.5, disarm=0.25)
    >>> sorted({m.policy.threshold for m in cfg.models if m.policy.trigger == "drift"})
    [0.5]
    """
    if not isinstance(config, FleetConfig):
        raise TypeError(f"config must be a FleetConfig, got {type(config).__name__}")
    if trigger not in ("scheduled", "drift", "performance"):
        raise ValueError(f"trigger must be scheduled, drift or performance, got {trigger!r}")
    models = tuple(
        dataclasses.replace(m, policy=dataclasses.replace(m.policy, **changes))
        if m.policy.trigger == trigger
        else m
        for m in config.models
    )
    return dataclasses.replace(config, models=models)


def default_fleet_config_path() -> Path:
    """Path of the fleet config shipped with the package."""
    return Path(str(files("casebook.monitoring").joinpath("fleet.yaml")))


def _int(value: Any, *, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{where} must be >= {minimum}, got {value}")
    return value


def _num(value: Any, *, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where} must be a number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{where} must be in [{low}, {high}], got {value}")
    return float(value)


def _keys(raw: Any, allowed: set[str], *, where: str) -> Mapping:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a mapping, got {type(raw).__name__}")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ValueError(f"{where} has unknown keys {unknown}; allowed: {sorted(allowed)}")
    return raw


def _event(raw: Any, *, where: str, weeks: int, partitions: int, n_features: int) -> FleetEvent:
    raw = _keys(raw, _EVENT_KEYS, where=where)
    kind = raw.get("kind")
    if kind not in EVENT_KINDS:
        raise ValueError(f"{where}.kind must be one of {list(EVENT_KINDS)}, got {kind!r}")
    week = _int(raw.get("week"), where=f"{where}.week", minimum=1)
    if week > weeks:
        raise ValueError(f"{where}.week must be <= weeks ({weeks}), got {week}")
    until = raw.get("until")
    if until is not None:
        until = _int(until, where=f"{where}.until", minimum=week + 1)
    if kind == "contamination" and until is None:
        raise ValueError(f"{where}.until must be set for a contamination event, got none")
    feature = _int(raw.get("feature", 0), where=f"{where}.feature", minimum=0)
    if feature >= n_features:
        raise ValueError(f"{where}.feature must be < n_features ({n_features}), got {feature}")
    size = _num(raw.get("size", 1.0), where=f"{where}.size", low=-10, high=10)
    count = _int(raw.get("count", 1), where=f"{where}.count", minimum=1)
    if kind == "missing_partitions" and count > partitions:
        raise ValueError(f"{where}.count must be <= partitions ({partitions}), got {count}")
    return FleetEvent(kind, week, until, feature, size, count)


def parse_fleet_config(raw: Any, *, source: str = "<dict>") -> FleetConfig:
    """Validate a parsed config (a mapping) and build the :class:`FleetConfig`.

    Raises
    ------
    ValueError
        Naming the model and key at fault, e.g.
        ``models[3] (fraud-wire).metric must be one of [...]``.

    Examples
    --------
    >>> cfg = parse_fleet_config({"version": 1, "weeks": 4, "partitions": 2, "models": [
    ...     {"name": "m1", "unit": "fraud", "metric": "auc", "rows": 400,
    ...      "policy": {"trigger": "drift", "threshold": 0.2}}]})
    >>> cfg.models[0].policy.name, cfg.models[0].task
    ('m1', 'classification')
    """
    if isinstance(raw, Mapping):  # "x-..." keys hold YAML anchors (shared policies)
        raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    raw = _keys(raw, _TOP_KEYS, where="config")
    if raw.get("version") != 1:
        raise ValueError(f"config.version must be 1, got {raw.get('version')!r}")
    weeks = _int(raw.get("weeks"), where="config.weeks", minimum=1)
    partitions = _int(raw.get("partitions"), where="config.partitions", minimum=1)
    models_raw = raw.get("models")
    if not isinstance(models_raw, list) or not models_raw:
        raise ValueError(f"config.models must be a non-empty list, got {type(models_raw).__name__}")
    models, seen = [], set()
    for i, m in enumerate(models_raw):
        where = f"models[{i}]"
        m = _keys(m, _MODEL_KEYS, where=where)
        name = m.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}.name must be a non-empty string, got {name!r}")
        where = f"models[{i}] ({name})"
        if name in seen:
            raise ValueError(f"{where}.name must be unique, got a duplicate")
        seen.add(name)
        unit = m.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            raise ValueError(f"{where}.unit must be a non-empty string, got {unit!r}")
        metric = m.get("metric")
        if metric not in METRICS:
            raise ValueError(f"{where}.metric must be one of {list(METRICS)}, got {metric!r}")
        n_features = _int(m.get("n_features", 5), where=f"{where}.n_features", minimum=2)
        rows = _int(m.get("rows"), where=f"{where}.rows", minimum=10 * partitions)
        if "policy" not in m:
            raise ValueError(f"{where}.policy must be set, got none")
        if not isinstance(m["policy"], Mapping):
            raise ValueError(f"{where}.policy must be a mapping, got {type(m['policy']).__name__}")
        try:
            policy = policy_from_dict(m["policy"], name=name)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}.policy is invalid: {exc}") from None
        sla = _keys(m.get("sla", {}), _SLA_KEYS, where=f"{where}.sla")
        max_loss = sla.get("max_loss")
        if max_loss is not None:
            max_loss = _num(max_loss, where=f"{where}.sla.max_loss", low=0, high=100)
        max_age = sla.get("max_weeks_without_retrain")
        if max_age is not None:
            max_age = _int(max_age, where=f"{where}.sla.max_weeks_without_retrain", minimum=1)
        events_raw = m.get("events", [])
        if not isinstance(events_raw, list):
            raise ValueError(f"{where}.events must be a list, got {type(events_raw).__name__}")
        events = tuple(
            _event(
                e,
                where=f"{where}.events[{j}]",
                weeks=weeks,
                partitions=partitions,
                n_features=n_features,
            )
            for j, e in enumerate(events_raw)
        )
        models.append(
            ModelSpec(
                name=name,
                unit=unit,
                metric=metric,
                label_delay=_int(m.get("label_delay", 1), where=f"{where}.label_delay", minimum=0),
                rows=rows,
                n_features=n_features,
                base_rate=_num(
                    m.get("base_rate", 0.3), where=f"{where}.base_rate", low=0.01, high=0.99
                ),
                strength=_num(m.get("strength", 1.5), where=f"{where}.strength", low=0.1, high=5),
                policy=policy,
                events=events,
                max_loss=max_loss,
                max_weeks_without_retrain=max_age,
            )
        )
    return FleetConfig(weeks, partitions, tuple(models), source)


def load_fleet_config(path: str | Path | None = None) -> FleetConfig:
    """Read and validate a fleet config; ``None`` loads the packaged one.

    Examples
    --------
    >>> cfg = load_fleet_config()
    >>> len(cfg.models) >= 24, cfg.units
    (True, ('churn', 'credit', 'forecasting', 'fraud', 'personalization'))
    """
    p = default_fleet_config_path() if path is None else Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"path {p} is not a file")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"path {p} is not valid YAML: {exc}") from None
    return parse_fleet_config(raw, source=str(p))
