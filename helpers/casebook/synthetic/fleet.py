"""A synthetic fleet of production models: the traffic each model sees, week by week.

The fleet itself (models, metrics, policies, planted events) is declared in a
YAML config and validated by :mod:`casebook.monitoring.fleet_config`.

The world each model lives in (:func:`generate_partition`)
-----------------------------------------------------------
Every week a model's traffic arrives in ``partitions`` files (regions,
hours...). A row has ``n_features`` standard-normal features ``f0..``; the
last feature never matters (weight 0). The true relationship is linear with
weights ``w = strength * (1, -0.8, 0.6, -0.4, ...)`` (last weight 0) and an
intercept set from ``base_rate`` (classification: logit; regression: none,
noise sd 1). The *model* serving the traffic was trained at week
``model_week`` and knows the relationship of that week, so its prediction is
``sigmoid(w_r · x + b)`` (classification) or ``w_r · x`` (regression).

Events (week ``w`` onward unless ``until`` is given; weeks ``[w, until)``):

``covariate_shift``
    feature ``feature`` shifts by ``size`` standard deviations. It hurts
    nothing when it is the last feature; otherwise the score distribution
    moves too.
``concept_drift``
    the weights rotate by ``size * 90`` degrees towards a fixed direction
    orthogonal to them, keeping their length (so the new relationship is as
    learnable as the old one; at ``size=1`` the old model ranks at chance).
    The features do not move, so only the labels reveal it.
``contamination``
    an external incident for weeks ``[week, until)``: feature ``f0`` shifts
    by 1.5 and half the labels are noise (classification: coin flips;
    regression: noise sd 3). The incident is declared, so policies that obey
    holds see it.
``missing_partitions``
    in week ``week`` the last ``count`` partitions never arrive (a pipeline
    failure).

Everything is seeded from ``(seed, model name, week, partition)`` with a
stable hash, so a partition is generated identically in any process.
"""

from __future__ import annotations

import functools
import zlib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # the spec type only; synthetic data never imports the monitoring job
    from casebook.monitoring.fleet_config import ModelSpec


__all__ = ["generate_partition", "partition_arrays"]


def _rng(seed: int, name: str, week: int, partition: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode()), week, partition])


def _weights(spec: ModelSpec, week: int) -> np.ndarray:
    angle = sum(e.size for e in spec.events if e.kind == "concept_drift" and e.active(week))
    return _rotated_weights(spec.n_features, spec.strength, angle)


@functools.lru_cache(maxsize=512)
def _rotated_weights(k: int, strength: float, angle: float) -> np.ndarray:
    """True weights after a concept drift of ``angle`` (quarter turns); cached, read-only."""
    j = np.arange(k)
    base = np.where(j % 2, -1.0, 1.0) * np.maximum(1.0 - 0.2 * j, 0.2) * strength
    base[-1] = 0.0
    # a direction orthogonal to the weights, of the same length (last feature stays 0)
    flip = np.where(j % 2, 1.0, -1.0) * np.abs(base)[::-1]
    flip[-1] = 0.0
    flip -= flip @ base / (base @ base) * base
    flip *= np.linalg.norm(base) / np.linalg.norm(flip)
    theta = np.pi / 2 * angle
    out = np.cos(theta) * base + np.sin(theta) * flip
    out.flags.writeable = False
    return out


def _intercept(spec: ModelSpec) -> float:
    return float(np.log(spec.base_rate / (1 - spec.base_rate)))


def generate_partition(
    spec: ModelSpec,
    *,
    week: int,
    partition: int,
    partitions: int,
    model_week: int,
    seed: int = 0,
    rows_scale: float = 1.0,
) -> pd.DataFrame | None:
    """One partition of one week of one model's traffic, or None if it never arrived.

    Parameters
    ----------
    spec : ModelSpec
    week : int
        The week (0 = the reference week the first model was trained on).
    partition : int
        Partition index in ``[0, partitions)``.
    partitions : int
        Partitions per week.
    model_week : int
        Week whose relationship the serving model learned.
    seed : int, default=0
    rows_scale : float, default=1.0
        Shrinks the rows (fast mode); at least 5 rows per partition.

    Returns
    -------
    pandas.DataFrame or None
        Columns ``f0..``, ``prediction``, ``label``.

    Examples
    --------
    >>> from casebook.monitoring.fleet_config import load_fleet_config
    >>> spec = load_fleet_config().models[0]
    >>> df = generate_partition(spec, week=1, partition=0, partitions=4, model_week=0)
    >>> list(df.columns)[-2:], len(df) == spec.rows // 4
    (['prediction', 'label'], True)
    """
    arrays = partition_arrays(
        spec,
        week=week,
        partition=partition,
        partitions=partitions,
        model_week=model_week,
        seed=seed,
        rows_scale=rows_scale,
    )
    if arrays is None:
        return None
    X, pred, label = arrays
    out = pd.DataFrame(X, columns=[f"f{j}" for j in range(spec.n_features)])
    out["prediction"] = pred
    out["label"] = label
    return out


def partition_arrays(
    spec: ModelSpec,
    *,
    week: int,
    partition: int,
    partitions: int,
    model_week: int,
    seed: int = 0,
    rows_scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """:func:`generate_partition` as NumPy arrays ``(X, prediction, label)`` (faster)."""
    if not 0 <= partition < partitions:
        raise ValueError(f"partition must be in [0, {partitions}), got {partition}")
    if not 0 <= model_week <= week:
        raise ValueError(f"model_week must be in [0, week={week}], got {model_week}")
    if partition >= partitions - spec.missing(week):
        return None
    rng = _rng(seed, spec.name, week, partition)
    n = max(5, int(round(spec.rows * rows_scale)) // partitions)
    X = rng.standard_normal((n, spec.n_features))
    for e in spec.events:
        if e.kind == "covariate_shift" and e.active(week):
            X[:, e.feature] += e.size
    contaminated = spec.held(week)
    if contaminated:
        X[:, 0] += 1.5
    w_true, w_model = _weights(spec, week), _weights(spec, model_week)
    noise = rng.random(n) if spec.task == "classification" else rng.standard_normal(n)
    if spec.task == "classification":
        b = _intercept(spec)
        pred = 1 / (1 + np.exp(-(X @ w_model + b)))
        label = (noise < 1 / (1 + np.exp(-(X @ w_true + b)))).astype(int)
        if contaminated:
            flip = rng.random(n) < 0.5
            label = np.where(flip, (rng.random(n) < 0.5).astype(int), label)
    else:
        pred = X @ w_model
        label = X @ w_true + noise * (3.0 if contaminated else 1.0)
    return X, pred, label
