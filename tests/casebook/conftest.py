"""Fixtures shared by the MLflow tests (tracking, tracking_store, run_queries)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from casebook.decisions.confusion import confusion_table
from casebook.tracking.runs import log_run

EXP = "unit-test"


@pytest.fixture(scope="module")
def mlflow_cache(tmp_path_factory):
    """A private user cache for this module, so tests never touch ~/.cache."""
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("xdg-cache")
    mp.setenv("XDG_CACHE_HOME", str(folder))
    mp.delenv("MLFLOW_TRACKING_URI", raising=False)
    yield folder / "casebook"
    mp.undo()


@pytest.fixture(scope="module")
def mlflow_store(tmp_path_factory, mlflow_cache):
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
