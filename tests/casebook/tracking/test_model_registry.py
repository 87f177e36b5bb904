"""Tests for casebook.tracking.model_registry (MLflow model registry on local SQLite)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from casebook.tracking.model_files import UntrustedTypesError
from casebook.tracking.model_registry import (
    list_versions,
    load_version,
    promote,
    register_version,
    rollback,
    set_alias,
)


@pytest.fixture(scope="module")
def models():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3))
    out = []
    for sign in (1, -1, 1):
        y = (sign * X[:, 0] > 0).astype(int)
        out.append(LogisticRegression().fit(X, y))
    return X, out


def test_full_lifecycle(tmp_path, models, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    X, (m1, m2, m3) = models
    d = tmp_path / "reg"
    v1 = register_version(m1, name="buy", directory=d, tags={"weeks": "0-7"})
    v2 = register_version(m2, name="buy", directory=d, tags={"contaminated": True})
    v3 = register_version(m3, name="buy", directory=d)
    assert (v1, v2, v3) == (1, 2, 3)
    assert (d / "mlflow.db").is_file()
    assert (d / "registry" / "buy" / "v2" / "model.skops").is_file()

    assert promote("buy", v1, directory=d) is None
    set_alias("buy", "challenger", v2, directory=d)
    assert promote("buy", v2, directory=d) == 1
    table = list_versions("buy", directory=d)
    assert table["version"].tolist() == [1, 2, 3]
    assert table.loc[1, "aliases"] == "champion"  # challenger alias moved away
    assert table.loc[1, "contaminated"] == "True"

    champ = load_version("buy", directory=d)
    np.testing.assert_array_equal(champ.predict(X), m2.predict(X))

    restored = rollback("buy", directory=d, reason="trained on contaminated weeks")
    assert restored == 1
    table = list_versions("buy", directory=d)
    assert table.loc[0, "aliases"] == "champion"
    assert table.loc[1, "rolled_back"] == "true"
    assert "contaminated" in table.loc[1, "rollback_reason"]
    np.testing.assert_array_equal(load_version("buy", directory=d).predict(X), m1.predict(X))
    np.testing.assert_array_equal(
        load_version("buy", directory=d, alias=None, version=3).predict(X), m3.predict(X)
    )
    with pytest.raises(ValueError, match="no earlier champion"):
        rollback("buy", directory=d, reason="again")
    assert promote("buy", v1, directory=d) == 1  # already champion: no-op

    register_version(m1, name="other", directory=d)
    with pytest.raises(ValueError, match="has no champion"):
        rollback("other", directory=d, reason="x")
    assert list_versions("missing", directory=d).empty


def test_env_var_overrides_location(tmp_path, models, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'team.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    register_version(models[1][0], name="m", directory=tmp_path / "local")
    assert (tmp_path / "team.db").is_file()
    assert not (tmp_path / "local" / "mlflow.db").exists()


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: register_version(None, name="", directory="/tmp"), ValueError, "name must be"),
        (lambda: register_version(None, name="m", directory=3), TypeError, "directory must be"),
        (
            lambda: register_version(None, name="m", directory="/tmp", tags=[1]),
            TypeError,
            "tags must be a mapping",
        ),
        (lambda: set_alias("m", "prod", 1, directory="/tmp"), ValueError, "alias must be one of"),
        (lambda: set_alias("m", "champion", 0, directory="/tmp"), ValueError, "version must be"),
        (lambda: promote("m", True, directory="/tmp"), ValueError, "version must be"),
        (lambda: rollback("m", directory="/tmp", reason=" "), ValueError, "reason must be"),
    ],
)
def test_input_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_load_refuses_bad_alias(tmp_path, models, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    register_version(models[1][0], name="m", directory=tmp_path)
    with pytest.raises(ValueError, match="alias must be one of"):
        load_version("m", directory=tmp_path, alias="prod")  # type: ignore[arg-type]


def test_load_version_refuses_a_crafted_file_and_runs_nothing(
    tmp_path, models, monkeypatch, malicious_skops
):
    """The registry used to trust every ``numpy.*`` type the file named: code execution."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    X, (m1, _, _) = models
    v = register_version(m1, name="m", directory=tmp_path)
    promote("m", v, directory=tmp_path)
    sentinel = tmp_path / "pwned.txt"
    target = tmp_path / "registry" / "m" / "v1" / "model.skops"
    target.unlink()  # someone with write access to the registry swaps the file
    malicious_skops(
        target,
        "numpy.testing._private.utils",
        "runstring",
        f"import pathlib; pathlib.Path({str(sentinel)!r}).write_text('x')",
    )
    with pytest.raises(UntrustedTypesError, match=r"numpy\.testing\._private\.utils\.runstring"):
        load_version("m", directory=tmp_path)
    with pytest.raises(ValueError, match="trusted=\\[...\\]"):
        load_version("m", directory=tmp_path, alias=None, version=np.int64(1))
    assert not sentinel.exists()


def test_load_version_accepts_numpy_integers_and_extra_trust(tmp_path, models, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    X, (m1, _, _) = models
    register_version(m1, name="m", directory=tmp_path)
    set_alias("m", "challenger", np.int64(1), directory=tmp_path)
    got = load_version("m", directory=tmp_path, alias="challenger", trusted=["mypkg.Custom"])
    np.testing.assert_array_equal(got.predict(X), m1.predict(X))
    with pytest.raises(TypeError, match="trusted must be a sequence"):
        load_version("m", directory=tmp_path, alias="challenger", trusted="mypkg.Custom")
