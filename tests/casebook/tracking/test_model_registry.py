"""Tests for casebook.tracking.model_registry (MLflow models in the registry, local SQLite)."""

from __future__ import annotations

import os

import mlflow
import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.linear_model import LogisticRegression

from casebook.tracking.model_files import UntrustedTypesError
from casebook.tracking.model_registry import (
    list_versions,
    load_registered_model,
    promote,
    register_version,
    rollback,
    set_alias,
    withdraw_challenger,
)


@pytest.fixture(autouse=True)
def _local_store(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)


@pytest.fixture(scope="module")
def models():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.standard_normal((200, 3)), columns=["a", "b", "c"])
    out = []
    for sign in (1, -1, 1):
        y = (sign * X["a"] > 0).astype(int)
        out.append(LogisticRegression().fit(X, y))
    return X, out


def _artifacts(directory, name, version):
    """The on-disk artifact folder of a registered version (local store)."""
    client = mlflow.MlflowClient(
        tracking_uri=f"sqlite:///{directory / 'mlflow.db'}",
        registry_uri=f"sqlite:///{directory / 'mlflow.db'}",
    )
    model_id = client.get_model_version(name, str(version)).source.removeprefix("models:/")
    [folder] = {p.parent for p in (directory / "mlruns").rglob("MLmodel") if model_id in str(p)}
    return folder


def test_full_lifecycle(tmp_path, models):
    X, (m1, m2, m3) = models
    d = tmp_path / "reg"
    v1 = register_version(m1, X, name="buy", directory=d, tags={"weeks": "0-7"})
    v2 = register_version(m2, X, name="buy", directory=d, tags={"contaminated": True})
    v3 = register_version(m3, X, name="buy", directory=d, description="third")
    assert (v1, v2, v3) == (1, 2, 3)
    assert (d / "mlflow.db").is_file()
    assert not (d / "registry").exists()  # no parallel registry folder

    # an MLflow model: skops, explicit requirements, signature and input example
    folder = _artifacts(d, "buy", v2)
    conf = yaml.safe_load((folder / "MLmodel").read_text())
    assert conf["flavors"]["sklearn"]["serialization_format"] == "skops"
    assert [c["name"] for c in yaml.safe_load(conf["signature"]["inputs"])] == ["a", "b", "c"]
    assert (folder / "input_example.json").is_file()
    reqs = (folder / "requirements.txt").read_text()
    assert "scikit-learn==" in reqs and "skops==" in reqs

    assert promote("buy", v1, directory=d) is None
    set_alias("buy", "challenger", v2, directory=d)
    assert promote("buy", v2, directory=d) == 1
    table = list_versions("buy", directory=d)
    assert table["version"].tolist() == [1, 2, 3]
    assert table.loc[1, "aliases"] == "champion"  # challenger alias moved away
    assert table.loc[1, "contaminated"] == "True"

    champ = load_registered_model("models:/buy@champion", directory=d)
    np.testing.assert_array_equal(champ.predict(X), m2.predict(X))
    assert not np.array_equal(champ.predict(X), m1.predict(X))  # the alias really moved

    restored = rollback("buy", directory=d, reason="trained on contaminated weeks")
    assert restored == 1
    table = list_versions("buy", directory=d)
    assert table.loc[0, "aliases"] == "champion"
    assert table.loc[1, "rolled_back"] == "true"
    assert "contaminated" in table.loc[1, "rollback_reason"]
    got = load_registered_model("models:/buy@champion", directory=d)
    np.testing.assert_array_equal(got.predict(X), m1.predict(X))
    got3 = load_registered_model("models:/buy/3", directory=d)
    np.testing.assert_array_equal(got3.predict(X), m3.predict(X))
    with pytest.raises(ValueError, match="no earlier champion"):
        rollback("buy", directory=d, reason="again")
    assert promote("buy", v1, directory=d) == 1  # already champion: no-op

    register_version(m1, X, name="other", directory=d)
    with pytest.raises(ValueError, match="has no champion"):
        rollback("other", directory=d, reason="x")
    assert list_versions("missing", directory=d).empty


def test_global_mlflow_state_is_restored(tmp_path, models):
    X, (m1, _, _) = models
    before = mlflow.get_tracking_uri(), os.environ.get("MLFLOW_TRACKING_URI")
    register_version(m1, X, name="m", directory=tmp_path)
    assert (mlflow.get_tracking_uri(), os.environ.get("MLFLOW_TRACKING_URI")) == before
    assert "MLFLOW_REGISTRY_URI" not in os.environ


def test_text_pipeline_with_series_example(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    text = pd.Series(["win cash now", "see you at lunch", "free prize call", "ok thanks"] * 5)
    y = np.array(["spam", "ham", "spam", "ham"] * 5)
    model = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(text, y)
    register_version(model, text, name="spam", directory=tmp_path)
    promote("spam", 1, directory=tmp_path)
    got = load_registered_model("models:/spam@champion", directory=tmp_path)
    assert got.predict(text).tolist() == model.predict(text).tolist()


def test_env_var_overrides_location(tmp_path, models, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'team.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    X, (m1, _, _) = models
    register_version(m1, X, name="m", directory=tmp_path / "local")
    assert (tmp_path / "team.db").is_file()
    assert not (tmp_path / "local" / "mlflow.db").exists()
    assert os.environ["MLFLOW_TRACKING_URI"] == uri


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda X: register_version(None, X, name="", directory="/tmp"), ValueError, "name must"),
        (
            lambda X: register_version(None, X, name="a/b", directory="/tmp"),
            ValueError,
            "name must",
        ),
        (
            lambda X: register_version(None, X, name="m", directory="/tmp", tags=[1]),
            TypeError,
            "tags must be a mapping",
        ),
        (
            lambda X: register_version(None, X, name="m", directory="/tmp", description=1),
            TypeError,
            "description must be a str",
        ),
        (
            lambda X: register_version(None, X, name="m", directory="/tmp"),
            TypeError,
            "model must be a fitted estimator",
        ),
        (
            lambda X: register_version(LogisticRegression(), [[1.0]], name="m", directory="/tmp"),
            TypeError,
            "X_example must be a DataFrame",
        ),
        (
            lambda X: register_version(LogisticRegression(), X.iloc[:0], name="m", directory="/t"),
            ValueError,
            "X_example must hold at least one row",
        ),
        (
            lambda X: register_version(LogisticRegression(), X, name="m", directory=3),
            TypeError,
            "directory must be",
        ),
        (lambda X: set_alias("m", "prod", 1, directory="/tmp"), ValueError, "alias must be one of"),
        (lambda X: set_alias("m", "champion", 0, directory="/tmp"), ValueError, "version must be"),
        (lambda X: promote("m", True, directory="/tmp"), ValueError, "version must be"),
        (lambda X: rollback("m", directory="/tmp", reason=" "), ValueError, "reason must be"),
        (
            lambda X: load_registered_model("runs:/abc/model", directory="/tmp"),
            ValueError,
            "model_uri must look like",
        ),
        (
            lambda X: load_registered_model(42, directory="/tmp"),
            ValueError,
            "model_uri must look like",
        ),
        (
            lambda X: load_registered_model("models:/m@prod", directory="/tmp"),
            ValueError,
            "alias must be one of",
        ),
    ],
)
def test_input_errors(call, exc, match, models):
    with pytest.raises(exc, match=match):
        call(models[0])


def test_crafted_model_file_is_refused_even_if_mlmodel_trusts_it(tmp_path, models, malicious_skops):
    """mlflow.sklearn would pass skops the trusted list from MLmodel; we never do."""
    X, (m1, _, _) = models
    v = register_version(m1, X, name="m", directory=tmp_path)
    promote("m", v, directory=tmp_path)
    folder = _artifacts(tmp_path, "m", v)
    sentinel = tmp_path / "pwned.txt"
    target = folder / "model.skops"
    target.unlink()  # someone with write access to the artifact store swaps the file
    bad = "numpy.testing._private.utils.runstring"
    malicious_skops(
        target,
        "numpy.testing._private.utils",
        "runstring",
        f"import pathlib; pathlib.Path({str(sentinel)!r}).write_text('x')",
    )
    conf = yaml.safe_load((folder / "MLmodel").read_text())
    conf["flavors"]["sklearn"]["skops_trusted_types"] = [bad]  # ...and trusts it in MLmodel
    (folder / "MLmodel").write_text(yaml.safe_dump(conf))
    with pytest.raises(UntrustedTypesError, match=r"numpy\.testing\._private\.utils\.runstring"):
        load_registered_model("models:/m@champion", directory=tmp_path)
    with pytest.raises(ValueError, match=r"trusted=\[\.\.\.\]"):
        load_registered_model("models:/m/1", directory=tmp_path)
    assert not sentinel.exists()


def _edit_mlmodel(folder, **changes):
    conf = yaml.safe_load((folder / "MLmodel").read_text())
    conf["flavors"]["sklearn"].update(changes)
    (folder / "MLmodel").write_text(yaml.safe_dump(conf))


def test_pickle_models_and_escaping_paths_are_refused(tmp_path, models):
    X, (m1, _, _) = models
    register_version(m1, X, name="m", directory=tmp_path)
    folder = _artifacts(tmp_path, "m", 1)
    _edit_mlmodel(folder, serialization_format="cloudpickle")
    with pytest.raises(ValueError, match="serialised as 'cloudpickle', not 'skops'"):
        load_registered_model("models:/m/1", directory=tmp_path)
    _edit_mlmodel(folder, serialization_format="skops", pickled_model="../../x.skops")
    with pytest.raises(ValueError, match="names a model file outside its folder"):
        load_registered_model("models:/m/1", directory=tmp_path)
    (folder / "MLmodel").unlink()
    with pytest.raises(ValueError, match="is not an MLflow model"):
        load_registered_model("models:/m/1", directory=tmp_path)


def test_accepts_numpy_integers_and_extra_trust(tmp_path, models):
    X, (m1, _, _) = models
    register_version(m1, X, name="m", directory=tmp_path)
    set_alias("m", "challenger", np.int64(1), directory=tmp_path)
    got = load_registered_model(
        "models:/m@challenger", directory=tmp_path, trusted=["mypkg.Custom"]
    )
    np.testing.assert_array_equal(got.predict(X), m1.predict(X))
    with pytest.raises(TypeError, match="trusted must be a sequence"):
        load_registered_model("models:/m@challenger", directory=tmp_path, trusted="mypkg.Custom")


def test_withdraw_challenger_after_a_failed_canary(tmp_path, models):
    X, (m1, m2, _) = models
    register_version(m1, X, name="m", directory=tmp_path)
    register_version(m2, X, name="m", directory=tmp_path)
    promote("m", 1, directory=tmp_path)
    with pytest.raises(ValueError, match="has no challenger to withdraw"):
        withdraw_challenger("m", directory=tmp_path, reason="canary")
    set_alias("m", "challenger", 2, directory=tmp_path)
    with pytest.raises(ValueError, match="reason must be"):
        withdraw_challenger("m", directory=tmp_path, reason="")
    assert withdraw_challenger("m", directory=tmp_path, reason="SPRT: worse") == 2
    table = list_versions("m", directory=tmp_path).set_index("version")
    assert table.loc[2, "aliases"] == "" and table.loc[1, "aliases"] == "champion"
    assert table.loc[2, "canary_failed"] == "true"
    assert table.loc[2, "withdraw_reason"] == "SPRT: worse"


def test_store_silences_the_progress_bar_and_restores_the_environment(tmp_path, models, capfd):
    """MLflow's artifact progress bar would print into every notebook that loads a model."""
    from casebook.tracking.model_registry import _store

    with _store(tmp_path):
        assert os.environ["MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"] == "false"
    assert "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR" not in os.environ
    X, (m1, _, _) = models
    register_version(m1, X, name="m", directory=tmp_path)
    capfd.readouterr()
    load_registered_model("models:/m/1", directory=tmp_path)
    out, err = capfd.readouterr()
    assert "Downloading artifacts" not in out + err
