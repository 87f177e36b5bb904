"""Tests for casebook.tracking.store (real local SQLite MLflow stores under tmp_path)."""

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing

import mlflow
import pytest

from casebook.tracking import store as tracking_store
from casebook.tracking.queries import find_runs
from casebook.tracking.runs import log_run
from casebook.tracking.store import local_tracking_uri, tracking_client, tracking_uri

EXP = "unit-test"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A private user cache for this module, so tests never touch ~/.cache."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("xdg-cache")
    mp.setenv("XDG_CACHE_HOME", str(folder))
    mp.delenv("MLFLOW_TRACKING_URI", raising=False)
    yield folder / "casebook"
    mp.undo()


@pytest.fixture(scope="module")
def template(cache):
    """The module's (valid) template store, built on first use."""
    path = tracking_store._ensure_template()
    assert path.parent == cache
    return path


@pytest.fixture
def fresh_cache(monkeypatch, tmp_path):
    """An empty user cache for one test (MLFLOW_TRACKING_URI unset)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    return tmp_path / "xdg" / "casebook"


@pytest.fixture
def count_builds(monkeypatch):
    """Count calls to the template builder (still building for real)."""
    calls = []
    build = tracking_store._build_template

    def spy(path):
        calls.append(path)
        build(path)

    monkeypatch.setattr(tracking_store, "_build_template", spy)
    return calls


@pytest.fixture(scope="module")
def store(tmp_path_factory, cache):
    """A fresh local store with two runs (MLFLOW_TRACKING_URI unset)."""
    out = tmp_path_factory.mktemp("lesson")
    base = log_run(output_dir=out, experiment=EXP, run_name="baseline", metrics={"cost": 10.0})
    tuned = log_run(output_dir=out, experiment=EXP, run_name="tuned", metrics={"cost": 6.5})
    return out, base, tuned, None


def test_default_uri_is_sqlite_under_output_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert tracking_uri(tmp_path) == f"sqlite:///{tmp_path.resolve()}/mlflow.db"


def test_env_var_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////elsewhere/db.sqlite")
    assert tracking_uri(tmp_path) == "sqlite:////elsewhere/db.sqlite"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_template_is_built_once_quietly_and_reused(fresh_cache, count_builds, tmp_path):
    loggers = [logging.getLogger(name) for name in ("mlflow", "alembic")]
    levels = [lg.level for lg in loggers]
    handler = _Records()
    for lg in loggers:
        lg.addHandler(handler)
    try:
        first = local_tracking_uri(tmp_path / "a")
    finally:
        for lg in loggers:
            lg.removeHandler(handler)
    assert count_builds == [fresh_cache / f"mlflow-template-{mlflow.__version__}.db"]
    assert [r.getMessage() for r in handler.records if r.levelno <= logging.INFO] == []
    assert [lg.level for lg in loggers] == levels  # silenced for the call only
    template = count_builds[0]
    before = template.stat()
    second = local_tracking_uri(tmp_path / "b")
    assert len(count_builds) == 1  # reused, not rebuilt
    after = template.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert first == f"sqlite:///{(tmp_path / 'a').resolve()}/mlflow.db"
    assert second == f"sqlite:///{(tmp_path / 'b').resolve()}/mlflow.db"
    copy = (tmp_path / "b" / "mlflow.db").stat()
    assert copy.st_ino != after.st_ino and copy.st_size == after.st_size
    assert sorted(p.name for p in fresh_cache.iterdir()) == [template.name, template.name + ".lock"]
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["mlflow.db"]  # no temp left


def _revision(path, value):
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = ?", (value,))
    con.close()


def _drop_table(path, table):
    # closed explicitly: Python 3.13 warns about (and pytest fails on) a leaked connection
    with closing(sqlite3.connect(path)) as con:
        con.execute(f"DROP TABLE {table}")


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CORRUPTIONS = {
    "garbage": lambda p: p.write_bytes(b"not a database " * 100),
    "empty": lambda p: p.write_bytes(b""),
    "partial": _truncate,
    "old revision": lambda p: _revision(p, "0584bdc529eb"),
    "missing table": lambda p: _drop_table(p, "registered_models"),
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_template_fails_the_check(template, tmp_path, kind):
    bad = tmp_path / template.name
    shutil.copyfile(template, bad)
    assert tracking_store._valid_store(bad)
    CORRUPTIONS[kind](bad)
    assert not tracking_store._valid_store(bad)


def test_corrupt_template_is_rebuilt_never_used(template, fresh_cache, count_builds, tmp_path):
    fresh_cache.mkdir(parents=True)
    bad = fresh_cache / template.name
    shutil.copyfile(template, bad)
    _truncate(bad)
    out = tmp_path / "lesson"
    run_id = log_run(output_dir=out, experiment=EXP, run_name="r", metrics={"m": 2.0})
    assert count_builds == [bad]
    assert tracking_store._valid_store(bad)  # replaced by a good one
    runs = find_runs(output_dir=out, experiment=EXP)
    assert runs["run_id"].tolist() == [run_id]
    assert runs["metrics.m"].tolist() == [2.0]


def test_invalid_build_raises_and_leaves_no_template(fresh_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(tracking_store, "_valid_store", lambda path: False)
    with pytest.raises(RuntimeError, match="fails the template check"):
        local_tracking_uri(tmp_path / "lesson")
    assert [p.name for p in fresh_cache.iterdir()] == [
        f"mlflow-template-{mlflow.__version__}.db.lock"
    ]
    assert not (tmp_path / "lesson" / "mlflow.db").exists()


def test_copied_store_works_and_owns_its_default_experiment(store):
    out, base, tuned, _ = store
    con = sqlite3.connect(out / "mlflow.db")
    rows = con.execute("SELECT name, artifact_location FROM experiments ORDER BY experiment_id")
    assert rows.fetchall() == [
        ("Default", (out / "mlruns" / "0").as_uri()),
        (EXP, (out / "mlruns").as_uri()),
    ]
    con.close()
    assert tracking_store._valid_store(out / "mlflow.db")


def test_existing_store_is_never_replaced(store, template):
    out, base, tuned, _ = store
    assert local_tracking_uri(out) == f"sqlite:///{out}/mlflow.db"
    assert set(find_runs(output_dir=out, experiment=EXP)["run_id"]) >= {base, tuned}


def test_env_var_wins_and_creates_nothing(tmp_path, monkeypatch, fresh_cache):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////elsewhere/db.sqlite")
    assert tracking_uri(tmp_path / "lesson", create=True) == "sqlite:////elsewhere/db.sqlite"
    assert not (tmp_path / "lesson").exists()
    assert not fresh_cache.exists()
    with pytest.raises(TypeError, match="folder must be a str or path, got int"):
        local_tracking_uri(3)


def test_tracking_client_opens_the_lesson_store(store, monkeypatch):
    out, base, *_ = store
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    client = tracking_client(out)
    assert client.tracking_uri == f"sqlite:///{out}/mlflow.db"
    assert client.get_run(base).info.run_name == "baseline"
    with pytest.raises(TypeError, match="output_dir must be a str or path, got int"):
        tracking_client(3)


def test_import_has_no_side_effects(tmp_path):
    code = (
        "import sys, casebook.tracking.store, casebook.tracking.runs, casebook.tracking.queries, os; "
        "print('mlflow' in sys.modules); "
        "import mlflow; "
        "print(mlflow.get_tracking_uri() == mlflow.get_tracking_uri()); "
        "print(os.listdir('.'))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "False"  # MLflow is imported on first use, not on import
    assert lines[-1] == "[]"  # no store, no cache folder
