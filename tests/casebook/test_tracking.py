"""Tests for casebook.tracking (a real local SQLite MLflow store under tmp_path)."""

import logging
import os
import shutil
import sqlite3
import subprocess
import sys

import matplotlib.pyplot as plt
import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from casebook import tracking
from casebook.confusion import confusion_table
from casebook.tracking import (
    compare_runs,
    find_runs,
    load_run_model,
    load_run_table,
    local_tracking_uri,
    log_run,
    tracking_uri,
)

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
    path = tracking._ensure_template()
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
    build = tracking._build_template

    def spy(path):
        calls.append(path)
        build(path)

    monkeypatch.setattr(tracking, "_build_template", spy)
    return calls


@pytest.fixture(scope="module")
def store(tmp_path_factory, cache):
    """Two logged runs in a fresh local store (MLFLOW_TRACKING_URI unset)."""
    mp = pytest.MonkeyPatch()
    mp.delenv("MLFLOW_TRACKING_URI", raising=False)
    out = tmp_path_factory.mktemp("lesson")
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 1, 1])
    model = LogisticRegression().fit(X, y)
    table = confusion_table(y, model.predict(X), labels=[0, 1])
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    curve = pd.DataFrame({"threshold": [0.2, 0.5, 0.8], "cost": [5.0, 3.0, 4.0]})
    base = log_run(
        output_dir=out,
        experiment=EXP,
        run_name="baseline",
        params={"C": 1.0},
        metrics={"cost": 10.0, "fp": 4},
        confusion=table,
        tags={"stage": "test"},
    )
    tuned = log_run(
        output_dir=out,
        experiment=EXP,
        run_name="tuned",
        params={"C": 1.0},
        metrics={"cost": 6.5, "fp": 1},
        confusion=table,
        cost_curve=curve,
        threshold=0.8,
        figures={"extra": fig},
        tables={"notes": pd.DataFrame({"a": [1]})},
        model=model,
    )
    plt.close(fig)
    yield out, base, tuned, model
    mp.undo()


def test_default_uri_is_sqlite_under_output_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert tracking_uri(tmp_path) == f"sqlite:///{tmp_path.resolve()}/mlflow.db"


def test_env_var_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////elsewhere/db.sqlite")
    assert tracking_uri(tmp_path) == "sqlite:////elsewhere/db.sqlite"


def test_store_and_artifacts_live_under_output_dir(store):
    out, base, tuned, _ = store
    assert (out / "mlflow.db").is_file()
    artifacts = {p.name for p in (out / "mlruns").rglob("*") if p.is_file()}
    assert {"confusion_counts.csv", "confusion_rates.csv", "confusion.png"} <= artifacts
    assert {"cost_curve.csv", "extra.png", "notes.csv", "model.skops"} <= artifacts


def test_find_runs_returns_params_and_metrics(store):
    out, base, tuned, _ = store
    runs = find_runs(output_dir=out, experiment=EXP)
    assert set(runs["run_id"]) == {base, tuned}
    assert runs.iloc[0]["run_name"] == "tuned"  # newest first
    assert (runs["status"] == "FINISHED").all()
    row = runs.set_index("run_name").loc["tuned"]
    assert row["metrics.cost"] == 6.5
    assert row["metrics.threshold"] == 0.8
    assert row["params.threshold"] == "0.8"
    assert row["metrics.accuracy"] == 1.0  # from the confusion table
    cheap = find_runs(output_dir=out, experiment=EXP, filter_string="metrics.cost < 8")
    assert cheap["run_name"].tolist() == ["tuned"]
    ordered = find_runs(output_dir=out, experiment=EXP, order_by=["metrics.cost DESC"])
    assert ordered["run_name"].tolist() == ["baseline", "tuned"]


def test_compare_runs_with_baseline(store):
    out, *_ = store
    table = compare_runs(
        find_runs(output_dir=out, experiment=EXP), metrics=["cost", "fp"], baseline="baseline"
    )
    assert table.loc["tuned", "cost_vs_baseline"] == pytest.approx(-3.5)
    assert table.loc["baseline", "fp_vs_baseline"] == 0


def test_tables_and_model_round_trip(store):
    out, base, tuned, model = store
    counts = load_run_table(base, "confusion_counts", output_dir=out)
    np.testing.assert_array_equal(counts.to_numpy(), [[2, 0], [0, 2]])
    curve = load_run_table(tuned, "cost_curve", output_dir=out)
    assert curve["cost"].tolist() == [5.0, 3.0, 4.0]
    loaded = load_run_model(tuned, output_dir=out)
    np.testing.assert_allclose(loaded.predict_proba([[1.5]]), model.predict_proba([[1.5]]))
    with pytest.raises(ValueError, match="has no artifact 'model/model.skops'"):
        load_run_model(base, output_dir=out)
    with pytest.raises(ValueError, match="has no artifact 'nothing.csv'"):
        load_run_table(base, "nothing", output_dir=out)


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


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CORRUPTIONS = {
    "garbage": lambda p: p.write_bytes(b"not a database " * 100),
    "empty": lambda p: p.write_bytes(b""),
    "partial": _truncate,
    "old revision": lambda p: _revision(p, "0584bdc529eb"),
    "missing table": lambda p: sqlite3.connect(p).execute("DROP TABLE registered_models"),
}


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_template_fails_the_check(template, tmp_path, kind):
    bad = tmp_path / template.name
    shutil.copyfile(template, bad)
    assert tracking._valid_store(bad)
    CORRUPTIONS[kind](bad)
    assert not tracking._valid_store(bad)


def test_corrupt_template_is_rebuilt_never_used(template, fresh_cache, count_builds, tmp_path):
    fresh_cache.mkdir(parents=True)
    bad = fresh_cache / template.name
    shutil.copyfile(template, bad)
    _truncate(bad)
    out = tmp_path / "lesson"
    run_id = log_run(output_dir=out, experiment=EXP, run_name="r", metrics={"m": 2.0})
    assert count_builds == [bad]
    assert tracking._valid_store(bad)  # replaced by a good one
    runs = find_runs(output_dir=out, experiment=EXP)
    assert runs["run_id"].tolist() == [run_id]
    assert runs["metrics.m"].tolist() == [2.0]


def test_invalid_build_raises_and_leaves_no_template(fresh_cache, monkeypatch, tmp_path):
    monkeypatch.setattr(tracking, "_valid_store", lambda path: False)
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
    assert tracking._valid_store(out / "mlflow.db")


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


def test_env_override_sends_runs_elsewhere(tmp_path, monkeypatch):
    other = tmp_path / "team"
    other.mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{other}/team.db")
    log_run(output_dir=tmp_path / "lesson", experiment=EXP, run_name="r", metrics={"m": 1.0})
    assert (other / "team.db").is_file()
    assert not (tmp_path / "lesson" / "mlflow.db").exists()


def test_bad_input_logs_nothing(store):
    out, *_ = store
    before = len(find_runs(output_dir=out, experiment=EXP))
    with pytest.raises(ValueError, match=r"metrics\['cost'\] must be finite"):
        log_run(output_dir=out, experiment=EXP, run_name="x", metrics={"cost": float("nan")})
    with pytest.raises(TypeError, match=r"metrics\['cost'\] must be a number"):
        log_run(output_dir=out, experiment=EXP, run_name="x", metrics={"cost": "high"})
    with pytest.raises(TypeError, match="params must be a mapping"):
        log_run(output_dir=out, experiment=EXP, run_name="x", params=[1])
    with pytest.raises(ValueError, match="run_name must be a non-empty string"):
        log_run(output_dir=out, experiment=EXP, run_name="")
    with pytest.raises(TypeError, match=r"tables\['t'\] must be a DataFrame"):
        log_run(output_dir=out, experiment=EXP, run_name="x", tables={"t": [1]})
    with pytest.raises(TypeError, match="cost_curve must be a DataFrame"):
        log_run(output_dir=out, experiment=EXP, run_name="x", cost_curve=[1])
    with pytest.raises(ValueError, match="threshold.*must be finite"):
        log_run(output_dir=out, experiment=EXP, run_name="x", threshold=float("inf"))
    with pytest.raises(ValueError, match="experiment must be a non-empty string"):
        log_run(output_dir=out, experiment="", run_name="x")
    with pytest.raises(TypeError, match="output_dir must be a str or path"):
        tracking_uri(3)
    assert len(find_runs(output_dir=out, experiment=EXP)) == before


def test_find_and_compare_errors(store):
    out, *_ = store
    with pytest.raises(ValueError, match="experiment 'nope' not found"):
        find_runs(output_dir=out, experiment="nope")
    runs = find_runs(output_dir=out, experiment=EXP)
    with pytest.raises(ValueError, match="missing \\['recall'\\]"):
        compare_runs(runs, metrics=["recall"])
    with pytest.raises(ValueError, match="baseline must be one of"):
        compare_runs(runs, metrics=["cost"], baseline="zzz")
    with pytest.raises(ValueError, match="unique run names"):
        compare_runs(pd.concat([runs, runs]), metrics=["cost"])
    with pytest.raises(ValueError, match="'run_name' column"):
        compare_runs(pd.DataFrame({"a": [1]}), metrics=["cost"])


def test_import_has_no_side_effects(tmp_path):
    code = (
        "import mlflow, casebook.tracking, os; "
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
    assert done.stdout.splitlines()[-1] == "[]"  # no store, no cache folder


def test_compare_runs_rejects_empty_runs():
    runs = pd.DataFrame({"run_name": ["a", "b"], "metrics.cost": [10.0, 7.5]})
    with pytest.raises(ValueError, match="runs must contain at least one run to compare, got 0"):
        compare_runs(runs.iloc[:0], metrics=["cost"], baseline="a")
    with pytest.raises(ValueError, match="runs must contain at least one run to compare, got 0"):
        compare_runs(runs.iloc[:0], metrics=["cost"])
