"""Tests for casebook.tracking.runs.log_run (a real local SQLite MLflow store under tmp_path)."""

import pytest
from PIL import Image

from casebook.decisions.confusion import confusion_table
from casebook.tracking.queries import find_runs, load_run_table
from casebook.tracking.runs import log_run
from casebook.tracking.store import tracking_uri

EXP = "unit-test"


def test_store_and_artifacts_live_under_output_dir(mlflow_store):
    out, base, tuned, _ = mlflow_store
    assert (out / "mlflow.db").is_file()
    artifacts = {p.name for p in (out / "mlruns").rglob("*") if p.is_file()}
    assert {"confusion_counts.csv", "confusion_rates.csv", "confusion.png"} <= artifacts
    assert {"cost_curve.csv", "extra.png", "notes.csv", "model.skops"} <= artifacts


def test_many_params_and_metrics_are_batched_within_mlflow_limits(
    tmp_path, mlflow_cache, monkeypatch
):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    params = {f"p{i:03d}": i for i in range(150)}  # more than one batch of params
    metrics = {f"m{i:04d}": float(i) for i in range(1200)}  # more than one batch of metrics
    log_run(output_dir=tmp_path, experiment=EXP, run_name="wide", params=params, metrics=metrics)
    row = find_runs(output_dir=tmp_path, experiment=EXP).iloc[0]
    assert row["status"] == "FINISHED"
    assert [row[f"params.p{i:03d}"] for i in (0, 149)] == ["0", "149"]
    assert [row[f"metrics.m{i:04d}"] for i in (0, 1199)] == [0.0, 1199.0]
    assert sum(c.startswith("metrics.") for c in row.index) == 1200


def test_confusion_png_fits_short_and_long_labels(tmp_path, mlflow_cache, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    short = confusion_table([0, 1, 1, 0], [0, 1, 0, 0], labels=[0, 1])
    names = ["electronics", "home & garden", "toys and games", "books"]
    long = confusion_table(names, names[1:] + names[:1], labels=names)
    sizes = {}
    for name, table in {"short": short, "long": long}.items():
        run = log_run(output_dir=tmp_path, experiment=EXP, run_name=name, confusion=table)
        png = tmp_path / "mlruns" / run / "artifacts" / "confusion.png"
        assert not list((tmp_path / "mlruns").glob("*/*/artifacts/model"))
        with Image.open(png) as image:
            sizes[name] = image.size
        counts = load_run_table(run, "confusion_counts", output_dir=tmp_path)
        assert counts.to_numpy().sum() == 4
    assert sizes["short"] == (900, 360)  # fixed layout: the whole 10 x 4 inch figure at 90 dpi
    assert sizes["long"] != (900, 360)  # long labels: cropped to what was drawn


def test_env_override_sends_runs_elsewhere(tmp_path, monkeypatch):
    other = tmp_path / "team"
    other.mkdir()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{other}/team.db")
    log_run(output_dir=tmp_path / "lesson", experiment=EXP, run_name="r", metrics={"m": 1.0})
    assert (other / "team.db").is_file()
    assert not (tmp_path / "lesson" / "mlflow.db").exists()


def test_bad_input_logs_nothing(mlflow_store):
    out, *_ = mlflow_store
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
