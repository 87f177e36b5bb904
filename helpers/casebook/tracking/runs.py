"""Log an evaluated model to MLflow: params, metrics, confusion matrix, curves and the model.

A confusion matrix is only meaningful next to the model, data and threshold
that produced it. :func:`log_run` logs all of them to one MLflow run in the
store :mod:`casebook.tracking.store` picks for the lesson's ``output_dir``
(a local SQLite file unless ``MLFLOW_TRACKING_URI`` is set). Find and compare
runs later with :mod:`casebook.tracking.queries`.

One run costs three small database transactions (create, one batch of params,
metrics and tags, finish) and one artifact copy, whatever the number of
metrics; the confusion heatmap is drawn on a bare matplotlib ``Figure`` (no
pyplot state) with a fixed layout, so it renders once. Importing this module
has no side effects and does not import MLflow.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from casebook.tracking.store import ENV_VAR, check_dir, quiet_mlflow, tracking_client

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from mlflow import MlflowClient

    from casebook.decisions.confusion import ConfusionTable

__all__ = ["log_run"]

MODEL_ARTIFACT = "model/model.skops"
# MLflow's per-request limits for log_batch (mlflow.utils.validation).
_MAX_PARAMS, _MAX_METRICS, _MAX_ENTITIES = 100, 1000, 1000


def _experiment_id(client: MlflowClient, name: str, output_dir: str | os.PathLike) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"experiment must be a non-empty string, got {name!r}")
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        return exp.experiment_id
    location = None
    if not os.environ.get(ENV_VAR):
        location = (check_dir(output_dir) / "mlruns").as_uri()
    return client.create_experiment(name, artifact_location=location)


def _check_mapping(value: Any, *, name: str) -> Mapping:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of name -> value, got {type(value).__name__}")
    return value


def _check_metrics(metrics: Mapping) -> dict[str, float]:
    out = {}
    for key, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"metrics[{key!r}] must be a number, got {type(value).__name__}")
        if not np.isfinite(value):
            raise ValueError(f"metrics[{key!r}] must be finite, got {value!r}")
        out[str(key)] = float(value)
    return out


def log_run(
    *,
    output_dir: str | os.PathLike,
    experiment: str,
    run_name: str,
    params: Mapping[str, Any] | None = None,
    metrics: Mapping[str, float] | None = None,
    confusion: ConfusionTable | None = None,
    cost_curve: pd.DataFrame | None = None,
    threshold: float | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    figures: Mapping[str, Any] | None = None,
    model: Any = None,
    tags: Mapping[str, str] | None = None,
) -> str:
    """Log one evaluated model as an MLflow run and return its run id.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        The lesson's output folder (store location unless ``MLFLOW_TRACKING_URI``).
    experiment : str
        Experiment name (created if missing), e.g. ``"01_spam_false_positives"``.
    run_name : str
        Human-readable name, e.g. ``"threshold 0.5"``.
    params : mapping, optional
        Settings (logged as strings).
    metrics : mapping of str -> float, optional
        Finite numbers (cost, precision...).
    confusion : ConfusionTable, optional
        Logged as ``confusion_counts.csv``, ``confusion_rates.csv`` and a
        heatmap ``confusion.png``; its accuracy and error count become metrics.
    cost_curve : pandas.DataFrame, optional
        Logged as ``cost_curve.csv``.
    threshold : float, optional
        The operating threshold, logged as param and metric ``threshold``.
    tables : mapping of str -> DataFrame, optional
        Extra tables, logged as ``<name>.csv``.
    figures : mapping of str -> Figure, optional
        Extra matplotlib figures, logged as ``<name>.png``.
    model : estimator, optional
        Saved with skops (:func:`casebook.tracking.model_files.save_model`) as ``model/model.skops``.
    tags : mapping, optional
        Run tags.

    Returns
    -------
    str
        The run id.

    Raises
    ------
    TypeError, ValueError
        For a metric that is not a finite number, a non-mapping argument or an
        empty experiment name; nothing is logged in that case.
    """
    params = dict(_check_mapping(params, name="params"))
    metrics = _check_metrics(_check_mapping(metrics, name="metrics"))
    tables = dict(_check_mapping(tables, name="tables"))
    figures = dict(_check_mapping(figures, name="figures"))
    tags = {str(k): str(v) for k, v in _check_mapping(tags, name="tags").items()}
    if not isinstance(run_name, str) or not run_name.strip():
        raise ValueError(f"run_name must be a non-empty string, got {run_name!r}")
    for key, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"tables[{key!r}] must be a DataFrame, got {type(table).__name__}")
    if threshold is not None:
        threshold = _check_metrics({"threshold": threshold})["threshold"]
        params["threshold"] = threshold
        metrics["threshold"] = threshold
    if confusion is not None:
        tables["confusion_counts"] = confusion.counts
        tables["confusion_rates"] = confusion.rates
        metrics.setdefault("accuracy", confusion.accuracy)
        metrics.setdefault("n_errors", float(confusion.n_errors))
    if cost_curve is not None:
        if not isinstance(cost_curve, pd.DataFrame):
            raise TypeError(f"cost_curve must be a DataFrame, got {type(cost_curve).__name__}")
        tables["cost_curve"] = cost_curve

    client = tracking_client(output_dir)
    with quiet_mlflow():
        exp_id = _experiment_id(client, experiment, output_dir)
        run = client.create_run(exp_id, run_name=run_name, tags=tags)
        run_id = run.info.run_id
        status = "FAILED"
        try:
            _log_batch(client, run_id, params=params, metrics=metrics)
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                for key, table in tables.items():
                    table.to_csv(folder / f"{key}.csv")
                if confusion is not None:
                    title = f"{experiment}: {run_name}"
                    figures = {"confusion": _confusion_figure(confusion, title=title), **figures}
                for key, fig in figures.items():
                    fixed = key == "confusion" and confusion is not None and _fits(confusion)
                    fig.savefig(
                        folder / f"{key}.png", dpi=90, bbox_inches=None if fixed else "tight"
                    )
                if model is not None:
                    from casebook.tracking.model_files import save_model

                    (folder / "model").mkdir()
                    save_model(model, folder / MODEL_ARTIFACT)
                client.log_artifacts(run_id, tmp)  # one copy of the whole folder
            status = "FINISHED"
        finally:
            client.set_terminated(run_id, status=status)
    return run_id


def _log_batch(
    client: MlflowClient, run_id: str, *, params: Mapping[str, Any], metrics: Mapping[str, float]
) -> None:
    """Params and metrics in as few transactions as MLflow's batch limits allow (one, usually)."""
    from mlflow.entities import Metric, Param

    now = int(time.time() * 1000)
    todo_p = [Param(str(k), str(v)) for k, v in params.items()]
    todo_m = [Metric(k, v, now, 0) for k, v in metrics.items()]
    while todo_p or todo_m:
        batch_p, todo_p = todo_p[:_MAX_PARAMS], todo_p[_MAX_PARAMS:]
        room = min(_MAX_METRICS, _MAX_ENTITIES - len(batch_p))
        batch_m, todo_m = todo_m[:room], todo_m[room:]
        client.log_batch(run_id, metrics=batch_m, params=batch_p, synchronous=True)


def _fits(confusion: ConfusionTable) -> bool:
    """Whether the fixed layout of :func:`_confusion_figure` fits the labels (else crop tight)."""
    labels = [str(x) for x in confusion.counts.index]
    return len(labels) <= 3 and max(len(x) for x in labels) <= 8


def _confusion_figure(confusion: ConfusionTable, *, title: str) -> Figure:
    """Counts and row rates side by side on a bare Figure (no pyplot state, nothing to close).

    The fixed margins fit up to three short class labels, so the PNG renders
    once; anything larger is saved with a tight bounding box (two renders).
    """
    from matplotlib.figure import Figure

    from casebook.plots.confusion import plot_confusion

    fig = Figure(figsize=(10, 4))
    left, right = fig.subplots(1, 2)
    plot_confusion(confusion, normalize="none", ax=left)
    plot_confusion(confusion, normalize="true", ax=right)
    fig.suptitle(title)
    fig.subplots_adjust(left=0.08, right=0.93, bottom=0.14, top=0.82, wspace=0.55)
    return fig
