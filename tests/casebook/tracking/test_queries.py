"""Tests for casebook.tracking.queries (runs logged to a real local SQLite MLflow store)."""

import numpy as np
import pandas as pd
import pytest

from casebook.tracking.queries import compare_runs, find_runs, load_run_model, load_run_table

EXP = "unit-test"


def test_find_runs_returns_params_and_metrics(mlflow_store):
    out, base, tuned, _ = mlflow_store
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


def test_compare_runs_with_baseline(mlflow_store):
    out, *_ = mlflow_store
    table = compare_runs(
        find_runs(output_dir=out, experiment=EXP), metrics=["cost", "fp"], baseline="baseline"
    )
    assert table.loc["tuned", "cost_vs_baseline"] == pytest.approx(-3.5)
    assert table.loc["baseline", "fp_vs_baseline"] == 0


def test_tables_and_model_round_trip(mlflow_store):
    out, base, tuned, model = mlflow_store
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


def test_find_and_compare_errors(mlflow_store):
    out, *_ = mlflow_store
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


def test_compare_runs_rejects_empty_runs():
    runs = pd.DataFrame({"run_name": ["a", "b"], "metrics.cost": [10.0, 7.5]})
    with pytest.raises(ValueError, match="runs must contain at least one run to compare, got 0"):
        compare_runs(runs.iloc[:0], metrics=["cost"], baseline="a")
    with pytest.raises(ValueError, match="runs must contain at least one run to compare, got 0"):
        compare_runs(runs.iloc[:0], metrics=["cost"])
