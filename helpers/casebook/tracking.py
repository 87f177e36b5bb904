"""Version models with their confusion matrices in MLflow, locally by default.

A confusion matrix is only meaningful next to the model, data and threshold
that produced it. This module logs all of them to one MLflow run and finds
and compares runs later.

Where runs go
-------------
By default each lesson gets its own embedded store: an SQLite database
``<output_dir>/mlflow.db`` with artifacts under ``<output_dir>/mlruns``;
nothing leaves the machine and no server is needed. If the environment
variable ``MLFLOW_TRACKING_URI`` is set, it wins (e.g. a team server).
Importing this module has no side effects: every function builds an explicit
:class:`mlflow.MlflowClient` for its ``output_dir`` and never touches MLflow's
global tracking URI or active run.

Browse the default store with ``mlflow ui --backend-store-uri
sqlite:///<output_dir>/mlflow.db``.

A new local store costs a file copy, not a schema migration: MLflow builds
one empty, migrated database per MLflow version, kept (after a check) in
``casebook.paths.user_cache_dir()``, and :func:`local_tracking_uri` copies it.
MLflow's INFO log lines are silenced inside these functions only.

* :func:`tracking_uri` -- the URI used for an output folder.
* :func:`local_tracking_uri` -- ``sqlite:///<folder>/mlflow.db``, ready to use.
* :func:`log_run` -- params, metrics, confusion matrix (table + figure),
  cost curve, threshold, extra tables and figures, and the model (skops).
* :func:`find_runs` -- runs of an experiment as a DataFrame.
* :func:`compare_runs` -- chosen metrics side by side, with deltas to a baseline.
* :func:`load_run_table`, :func:`load_run_model` -- read back what a run logged.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from casebook.confusion import ConfusionTable

__all__ = [
    "compare_runs",
    "find_runs",
    "load_run_model",
    "load_run_table",
    "local_tracking_uri",
    "log_run",
    "tracking_uri",
]

ENV_VAR = "MLFLOW_TRACKING_URI"
MODEL_ARTIFACT = "model/model.skops"
STORE_FILE = "mlflow.db"


def _check_dir(output_dir: Any, *, name: str = "output_dir") -> Path:
    if not isinstance(output_dir, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or path, got {type(output_dir).__name__}")
    return Path(output_dir).resolve()


def tracking_uri(output_dir: str | os.PathLike, *, create: bool = False) -> str:
    """The tracking URI for ``output_dir``: ``$MLFLOW_TRACKING_URI`` or local SQLite.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        The folder holding the local store.
    create : bool, default=False
        Also make the local store ready (see :func:`local_tracking_uri`);
        nothing is created when ``$MLFLOW_TRACKING_URI`` is set.

    Examples
    --------
    >>> import os
    >>> uri = tracking_uri("/tmp/lesson")
    >>> uri == os.environ.get("MLFLOW_TRACKING_URI", "sqlite:////tmp/lesson/mlflow.db")
    True
    """
    folder = _check_dir(output_dir)
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    if create:
        return local_tracking_uri(folder)
    return f"sqlite:///{folder / STORE_FILE}"


def local_tracking_uri(folder: str | os.PathLike) -> str:
    """``sqlite:///<folder>/mlflow.db``, created from a migrated template if missing.

    MLflow builds a new SQLite store by running its whole chain of schema
    migrations, which costs seconds. Instead, the first call builds one empty
    store per MLflow version in a temporary folder, checks it and moves it
    atomically to ``user_cache_dir()/mlflow-template-<version>.db``; every
    new store is then a copy of it. The template is checked before each use
    (SQLite integrity, all of MLflow's tables, ``alembic_version`` equal to
    the schema head a fresh store gets) and rebuilt if it fails. An existing
    store is never modified. The ``Default`` experiment keeps its artifacts
    under ``<folder>/mlruns/0``. Ignores ``$MLFLOW_TRACKING_URI`` (see
    :func:`tracking_uri` with ``create=True`` for the variable-aware form).

    Parameters
    ----------
    folder : str or pathlib.Path
        Where the store lives; created if missing.

    Returns
    -------
    str
        The SQLite tracking URI of the ready store.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     uri = local_tracking_uri(tmp)
    ...     print(uri.endswith("/mlflow.db"), (Path(tmp) / "mlflow.db").is_file())
    True True
    """
    folder = _check_dir(folder, name="folder")
    db = folder / STORE_FILE
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _copy_template(_ensure_template(), db)
    return f"sqlite:///{db}"


@contextmanager
def _quiet_mlflow() -> Iterator[None]:
    """Silence MLflow's and alembic's INFO lines for a block, then restore the levels."""
    loggers = [logging.getLogger(name) for name in ("mlflow", "alembic")]
    levels = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(max(logging.WARNING, lg.level))
        with warnings.catch_warnings():
            # mlflow's SQL store uses a loader strategy SQLAlchemy 2.1 deprecates;
            # the warning fires once, at import, and is not ours to fix.
            warnings.filterwarnings("ignore", message=".*noload.*", category=DeprecationWarning)
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _template_path() -> Path:
    import mlflow

    from casebook.paths import user_cache_dir

    return user_cache_dir() / f"mlflow-template-{mlflow.__version__}.db"


@functools.cache
def _schema_head() -> str:
    with _quiet_mlflow():
        from mlflow.store.db.utils import _get_latest_schema_revision

        return _get_latest_schema_revision()


def _valid_store(path: Path) -> bool:
    """Whether ``path`` is an intact SQLite file with MLflow's full schema at its head."""
    if not path.is_file():
        return False
    with _quiet_mlflow():
        from mlflow.store.db.utils import Base
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
            intact = con.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            revisions = con.execute("SELECT version_num FROM alembic_version").fetchall()
            query = "SELECT name FROM sqlite_master WHERE type = 'table'"
            tables = {name for (name,) in con.execute(query)}
            defaults = con.execute("SELECT count(*) FROM experiments WHERE experiment_id = 0")
            has_default = defaults.fetchone() == (1,)
    except sqlite3.Error:
        return False
    return (
        intact
        and has_default
        and revisions == [(_schema_head(),)]
        and set(Base.metadata.tables) <= tables
    )


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """An exclusive lock (POSIX) so parallel lessons build the template once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builders race, os.replace keeps it atomic
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ensure_template() -> Path:
    """The checked template store, built first if missing or failing the check."""
    template = _template_path()
    if _valid_store(template):
        return template
    template.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(template.with_name(template.name + ".lock")):
        if not _valid_store(template):  # not built by another process meanwhile
            _build_template(template)
    return template


def _build_template(template: Path) -> None:
    with tempfile.TemporaryDirectory(dir=template.parent, prefix=".mlflow-build-") as tmp:
        db = Path(tmp) / STORE_FILE
        uri = f"sqlite:///{db}"
        with _quiet_mlflow():
            from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

            store = SqlAlchemyStore(uri, (Path(tmp) / "mlruns").as_uri())
        store.engine.dispose()
        getattr(SqlAlchemyStore, "_engine_map", {}).pop(uri, None)
        if not _valid_store(db):
            raise RuntimeError(f"MLflow built a store at {db} that fails the template check")
        os.replace(db, template)


def _copy_template(template: Path, db: Path) -> None:
    """Copy ``template`` to ``db`` through a temporary file; never replace an existing store."""
    fd, name = tempfile.mkstemp(dir=db.parent, prefix=".mlflow-", suffix=".db.tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        shutil.copyfile(template, tmp)
        now = int(time.time() * 1000)
        location = (db.parent / "mlruns" / "0").as_uri()
        with closing(sqlite3.connect(tmp)) as con, con:
            con.execute(
                "UPDATE experiments SET artifact_location = ?, creation_time = ?, "
                "last_update_time = ? WHERE experiment_id = 0",
                (location, now, now),
            )
        try:
            os.link(tmp, db)  # fails if another process created the store meanwhile
        except FileExistsError:
            pass
        except OSError:  # pragma: no cover - file systems without hard links
            if not db.exists():
                os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)


def _client(output_dir: str | os.PathLike) -> MlflowClient:
    from mlflow import MlflowClient

    uri = tracking_uri(output_dir, create=True)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _quiet_mlflow():
        client = MlflowClient(tracking_uri=uri)
        client.search_experiments(max_results=1)  # opens (and checks) the store now, quietly
    return client


def _experiment_id(client: MlflowClient, name: str, output_dir: str | os.PathLike) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"experiment must be a non-empty string, got {name!r}")
    exp = client.get_experiment_by_name(name)
    if exp is not None:
        return exp.experiment_id
    location = None
    if not os.environ.get(ENV_VAR):
        location = (_check_dir(output_dir) / "mlruns").as_uri()
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
        Saved with skops (:func:`casebook.models.save_model`) as ``model/model.skops``.
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

    client = _client(output_dir)
    with _quiet_mlflow():
        exp_id = _experiment_id(client, experiment, output_dir)
        run = client.create_run(exp_id, run_name=run_name, tags=tags)
        run_id = run.info.run_id
        status = "FAILED"
        try:
            for key, value in params.items():
                client.log_param(run_id, str(key), str(value))
            for key, value in metrics.items():
                client.log_metric(run_id, key, value)
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                for key, table in tables.items():
                    path = folder / f"{key}.csv"
                    table.to_csv(path)
                    client.log_artifact(run_id, str(path))
                if confusion is not None:
                    import matplotlib.pyplot as plt

                    from casebook.plots.confusion import plot_confusion

                    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
                    plot_confusion(confusion, normalize="none", ax=axes[0])
                    plot_confusion(confusion, normalize="true", ax=axes[1])
                    fig.suptitle(f"{experiment}: {run_name}")
                    figures = {"confusion": fig, **figures}
                for key, fig in figures.items():
                    path = folder / f"{key}.png"
                    fig.savefig(path, dpi=90, bbox_inches="tight")
                    client.log_artifact(run_id, str(path))
                if confusion is not None:
                    plt.close(figures["confusion"])
                if model is not None:
                    from casebook.models import save_model

                    path = save_model(model, folder / "model.skops")
                    client.log_artifact(run_id, str(path), artifact_path="model")
            status = "FINISHED"
        finally:
            client.set_terminated(run_id, status=status)
    return run_id


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
    client = _client(output_dir)
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
    if not isinstance(runs, pd.DataFrame) or "run_name" not in runs.columns:
        raise ValueError("runs must be a DataFrame from find_runs with a 'run_name' column")
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
    client = _client(output_dir)
    with tempfile.TemporaryDirectory() as tmp:
        path = _artifact_path(client, run_id, f"{name}.csv", tmp)
        return pd.read_csv(path, index_col=0)


def load_run_model(
    run_id: str, *, output_dir: str | os.PathLike, trusted: Sequence[str] = ()
) -> Any:
    """Load the model a run logged, through :func:`casebook.models.load_model`.

    Raises
    ------
    ValueError
        If the run logged no model, or it needs untrusted types.
    """
    from casebook.models import load_model

    client = _client(output_dir)
    with tempfile.TemporaryDirectory() as tmp:
        path = _artifact_path(client, run_id, MODEL_ARTIFACT, tmp)
        return load_model(path, trusted=trusted)
