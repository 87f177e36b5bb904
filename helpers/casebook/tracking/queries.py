"""Read back what :func:`casebook.tracking.runs.log_run` logged: find, compare and load runs.

* :func:`find_runs` -- runs of an experiment as a DataFrame.
* :func:`compare_runs` -- chosen metrics side by side, with deltas to a baseline.
* :func:`load_run_table`, :func:`load_run_model` -- a logged table or model.

Every function opens the store :mod:`casebook.tracking.store` picks for
``output_dir``. Importing this module has no side effects.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pandas as pd

from casebook._validation.arrays import check_columns_present, plain_frame
from casebook.tracking.runs import MODEL_ARTIFACT
from casebook.tracking.store import tracking_client

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = ["compare_runs", "find_runs", "load_run_model", "load_run_table"]


def find_runs(
    *,
    output_dir: str | os.PathLike,
    experiment: str,
    filter_string: str = "",
    order_by: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The runs of an experiment, one row each, newest first.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        As given to :func:`log_run`.
    experiment : str
        Experiment name.
    filter_string : str, default=""
        MLflow search syntax, e.g. ``"metrics.fp <= 5 and params.model = 'lr'"``.
    order_by : sequence of str, optional
        E.g. ``["metrics.cost ASC"]``; default newest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``run_id``, ``run_name``, ``status``, ``start_time``, then
        ``params.<name>`` and ``metrics.<name>``.

    Raises
    ------
    ValueError
        If the experiment does not exist in this store.
    """
    client = tracking_client(output_dir)
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        names = [e.name for e in client.search_experiments()]
        raise ValueError(f"experiment {experiment!r} not found; experiments here: {names}")
    runs = client.search_runs(
        [exp.experiment_id],
        filter_string=filter_string,
        order_by=list(order_by) if order_by else ["attributes.start_time DESC"],
    )
    rows = []
    for run in runs:
        row = {
            "run_id": run.info.run_id,
            "run_name": run.info.run_name,
            "status": run.info.status,
            "start_time": pd.Timestamp(run.info.start_time, unit="ms", tz="UTC"),
        }
        row.update({f"params.{k}": v for k, v in sorted(run.data.params.items())})
        row.update({f"metrics.{k}": v for k, v in sorted(run.data.metrics.items())})
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["run_id", "run_name", "status"])


def compare_runs(
    runs: pd.DataFrame, *, metrics: Sequence[str], baseline: str | None = None
) -> pd.DataFrame:
    """Chosen metrics of several runs side by side, optionally against a baseline.

    Parameters
    ----------
    runs : pandas.DataFrame
        Output of :func:`find_runs` (run names must be unique).
    metrics : sequence of str
        Metric names without the ``metrics.`` prefix.
    baseline : str, optional
        A run name; adds ``<metric>_vs_baseline`` columns (difference).

    Returns
    -------
    pandas.DataFrame
        Indexed by run name.

    Examples
    --------
    >>> runs = pd.DataFrame({"run_name": ["a", "b"], "metrics.cost": [10.0, 7.5]})
    >>> compare_runs(runs, metrics=["cost"], baseline="a")
              cost  cost_vs_baseline
    run_name
    a         10.0               0.0
    b          7.5              -2.5
    """
    runs = plain_frame(runs)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not isinstance(runs, pd.DataFrame) or "run_name" not in runs.columns:
        raise ValueError("runs must be a DataFrame from find_runs with a 'run_name' column")
    check_columns_present(runs, ["run_name"], name="runs")
    if runs.empty:
        raise ValueError("runs must contain at least one run to compare, got 0 rows")
    names = runs["run_name"].tolist()
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"runs must have unique run names to compare, got duplicates {dupes}")
    metrics = list(metrics)
    missing = [m for m in metrics if f"metrics.{m}" not in runs.columns]
    if not metrics or missing:
        raise ValueError(f"metrics must name logged metrics, missing {missing or metrics}")
    table = runs.set_index("run_name")[[f"metrics.{m}" for m in metrics]]
    table.columns = metrics
    if baseline is not None:
        if baseline not in table.index:
            raise ValueError(f"baseline must be one of the run names {names}, got {baseline!r}")
        for m in metrics:
            table[f"{m}_vs_baseline"] = table[m] - table.loc[baseline, m]
    return table


def _artifact_path(client: MlflowClient, run_id: str, name: str, folder: str) -> Path:
    uri = client.get_run(run_id).info.artifact_uri
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path)) / name
        if not path.is_file():
            raise ValueError(f"run {run_id} has no artifact {name!r}")
        return path
    return Path(client.download_artifacts(run_id, name, folder))  # pragma: no cover


def load_run_table(run_id: str, name: str, *, output_dir: str | os.PathLike) -> pd.DataFrame:
    """Read back a table logged by :func:`log_run` (e.g. ``"confusion_counts"``).

    Raises
    ------
    ValueError
        If the run has no such table.
    """
    client = tracking_client(output_dir)
    with tempfile.TemporaryDirectory() as tmp:
        path = _artifact_path(client, run_id, f"{name}.csv", tmp)
        return pd.read_csv(path, index_col=0)


def load_run_model(
    run_id: str, *, output_dir: str | os.PathLike, trusted: Sequence[str] = ()
) -> Any:
    """Load the model a run logged, through :func:`casebook.tracking.model_files.load_model`.

    Raises
    ------
    ValueError
        If the run logged no model, or it needs untrusted types.
    """
    from casebook.tracking.model_files import load_model

    client = tracking_client(output_dir)
    with tempfile.TemporaryDirectory() as tmp:
        path = _artifact_path(client, run_id, MODEL_ARTIFACT, tmp)
        return load_model(path, trusted=trusted)
