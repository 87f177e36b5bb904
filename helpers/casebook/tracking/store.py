"""Where MLflow runs go: the tracking URI, the local SQLite store and its client.

By default each lesson gets its own embedded store: an SQLite database
``<output_dir>/mlflow.db`` with artifacts under ``<output_dir>/mlruns``;
nothing leaves the machine and no server is needed. If the environment
variable ``MLFLOW_TRACKING_URI`` is set, it wins (e.g. a team server).
Importing this module has no side effects (it does not even import MLflow):
:func:`tracking_client` builds an explicit :class:`mlflow.MlflowClient` for
an ``output_dir`` and never touches MLflow's global tracking URI or active run.

Browse the default store with ``mlflow ui --backend-store-uri
sqlite:///<output_dir>/mlflow.db``.

A new local store costs a file copy, not a schema migration: MLflow builds
one empty, migrated database per MLflow version, kept (after a check) in
``casebook.data.fetch.user_cache_dir()``, and :func:`local_tracking_uri` copies it.
MLflow's INFO log lines are silenced inside these functions only.

* :func:`tracking_uri` -- the URI used for an output folder.
* :func:`local_tracking_uri` -- ``sqlite:///<folder>/mlflow.db``, ready to use.
* :func:`tracking_client` -- an ``MlflowClient`` on that URI, store opened.

Logging runs is :mod:`casebook.tracking.runs`'s job; reading them back is
:mod:`casebook.tracking.queries`'.
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
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = ["local_tracking_uri", "quiet_mlflow", "tracking_client", "tracking_uri"]

ENV_VAR = "MLFLOW_TRACKING_URI"
STORE_FILE = "mlflow.db"


def check_dir(output_dir: Any, *, name: str = "output_dir") -> Path:
    """``output_dir`` as a resolved :class:`~pathlib.Path`; ``TypeError`` naming ``name`` otherwise."""
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
    folder = check_dir(output_dir)
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
    folder = check_dir(folder, name="folder")
    db = folder / STORE_FILE
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _copy_template(_ensure_template(), db)
    return f"sqlite:///{db}"


@contextmanager
def quiet_mlflow() -> Iterator[None]:
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

    from casebook.data.fetch import user_cache_dir

    return user_cache_dir() / f"mlflow-template-{mlflow.__version__}.db"


@functools.cache
def _schema_head() -> str:
    with quiet_mlflow():
        from mlflow.store.db.utils import _get_latest_schema_revision

        return _get_latest_schema_revision()


def _valid_store(path: Path) -> bool:
    """Whether ``path`` is an intact SQLite file with MLflow's full schema at its head."""
    if not path.is_file():
        return False
    with quiet_mlflow():
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
        with quiet_mlflow():
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


def tracking_client(output_dir: str | os.PathLike) -> MlflowClient:
    """An :class:`mlflow.MlflowClient` on :func:`tracking_uri` for ``output_dir``, store open.

    The local store is created first if needed (see :func:`local_tracking_uri`)
    and opened inside :func:`quiet_mlflow`, so MLflow's start-up log lines stay
    silent. MLflow caches the store per URI, so a second client is cheap.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        The lesson's output folder (ignored when ``$MLFLOW_TRACKING_URI`` is set).

    Returns
    -------
    mlflow.MlflowClient

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     client = tracking_client(tmp)
    ...     print(client.tracking_uri == tracking_uri(tmp))
    True
    """
    from mlflow import MlflowClient

    uri = tracking_uri(output_dir, create=True)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with quiet_mlflow():
        client = MlflowClient(tracking_uri=uri)
        client.search_experiments(max_results=1)  # opens (and checks) the store now, quietly
    return client
