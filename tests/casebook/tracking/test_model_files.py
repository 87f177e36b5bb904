"""Tests for casebook.tracking.model_files."""

import importlib
import pickle
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from casebook.tracking.model_files import (
    TRUSTED_TYPES,
    UntrustedTypesError,
    load_model,
    save_model,
    untrusted_types,
)


class CustomClassifier(ClassifierMixin, BaseEstimator):
    """A type skops does not trust by default."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.fixture
def pipeline():
    texts = ["free prize call now", "see you at lunch", "win cash now", "meeting at noon"]
    return make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(texts, [1, 0, 1, 0])


def test_round_trip_predicts_identically(tmp_path, pipeline):
    path = save_model(pipeline, tmp_path / "sub" / "spam.skops")
    assert path.is_file()
    assert untrusted_types(path) == []
    loaded = load_model(path)
    texts = ["win a free prize", "lunch at noon?"]
    np.testing.assert_allclose(loaded.predict_proba(texts), pipeline.predict_proba(texts))


def test_refuses_to_overwrite(tmp_path, pipeline):
    path = save_model(pipeline, tmp_path / "m.skops")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_model(LogisticRegression(), path)
    assert path.read_bytes() == before
    save_model(pipeline, path, overwrite=True)
    assert load_model(path).predict(["free prize"]).tolist() == [1]


def test_failed_save_leaves_no_file_and_keeps_old(tmp_path, pipeline, monkeypatch):
    import casebook.tracking.model_files as models

    path = save_model(pipeline, tmp_path / "m.skops")
    before = path.read_bytes()

    def broken_dump(obj, file):
        with open(file, "wb") as fh:
            fh.write(b"half a model")
        raise RuntimeError("disk full")

    monkeypatch.setattr(models.sio, "dump", broken_dump)
    with pytest.raises(RuntimeError, match="disk full"):
        save_model(pipeline, path, overwrite=True)
    with pytest.raises(RuntimeError, match="disk full"):
        save_model(pipeline, tmp_path / "new.skops")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.skops"]


def test_untrusted_type_is_refused_unless_trusted(tmp_path):
    model = CustomClassifier().fit([[0], [1]], [0, 1])
    path = save_model(model, tmp_path / "custom.skops")
    needed = untrusted_types(path)
    assert any("CustomClassifier" in t for t in needed)
    with pytest.raises(ValueError, match="not trusted:.*CustomClassifier"):
        load_model(path)
    loaded = load_model(path, trusted=needed)
    assert loaded.predict([[5]]).tolist() == [0]


def test_pickle_file_is_rejected(tmp_path, pipeline):
    path = tmp_path / "model.skops"
    path.write_bytes(pickle.dumps(pipeline))
    with pytest.raises(ValueError, match="not a skops file"):
        load_model(path)


def test_bad_paths_and_arguments(tmp_path, pipeline):
    with pytest.raises(ValueError, match=r"must end in '.skops'"):
        save_model(pipeline, tmp_path / "model.pkl")
    with pytest.raises(TypeError, match="path must be a str or path"):
        save_model(pipeline, 42)
    with pytest.raises(FileNotFoundError, match="no model file"):
        load_model(tmp_path / "missing.skops")
    path = save_model(pipeline, tmp_path / "m.skops")
    with pytest.raises(TypeError, match="sequence of type names"):
        load_model(path, trusted="sklearn.pipeline.Pipeline")


# ---- crafted files: the trusted list never comes from the file -----------------------------


MALICIOUS = [
    (
        "numpy.testing._private.utils",
        "runstring",
    ),  # starts with "numpy.": the old registry trusted it
    ("builtins", "exec"),
    ("os", "system"),
]


@pytest.mark.parametrize(("module", "function"), MALICIOUS)
def test_crafted_file_runs_nothing_and_names_the_type(tmp_path, malicious_skops, module, function):
    sentinel = tmp_path / "pwned.txt"
    code = f"import pathlib; pathlib.Path({str(sentinel)!r}).write_text('x')"
    if function == "system":
        code = f"touch {sentinel}"
    path = malicious_skops(tmp_path / "model.skops", module, function, code)
    assert f"{module}.{function}" in untrusted_types(path)
    with pytest.raises(UntrustedTypesError, match=re.escape(f"{module}.{function}")) as info:
        load_model(path)
    assert f"{module}.{function}" in info.value.types
    assert isinstance(info.value, ValueError)
    assert "trusted=[...]" in str(info.value)
    # trusting something else does not smuggle the callable in
    with pytest.raises(UntrustedTypesError, match=re.escape(function)):
        load_model(path, trusted=["sklearn.pipeline.Pipeline", "numpy.testing"])
    assert not sentinel.exists()


def test_the_crafted_file_is_a_real_exploit_when_trusted(tmp_path, malicious_skops):
    """Control: the same file runs its code if (and only if) the caller trusts the function."""
    sentinel = tmp_path / "pwned.txt"
    code = f"import pathlib; pathlib.Path({str(sentinel)!r}).write_text('x')"
    path = malicious_skops(tmp_path / "m.skops", *MALICIOUS[0], code)
    load_model(path, trusted=["numpy.testing._private.utils.runstring"])
    assert sentinel.read_text() == "x"


def test_trusted_list_is_reviewed_and_not_derived_from_files():
    assert len(TRUSTED_TYPES) == len(set(TRUSTED_TYPES))
    assert not [t for t in TRUSTED_TYPES if t.startswith(("numpy.testing", "os.", "builtins.e"))]
    for name in TRUSTED_TYPES:  # every entry is a class, never a function that could be called
        module, _, cls = name.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), cls), type), name


def _lesson_models():
    """One model of each kind the lessons save (notebooks 01, 04, 14) and the tests log."""
    rng = np.random.default_rng(0)
    texts = ["free prize call now", "see you at lunch", "win cash now", "meeting at noon"] * 3
    labels = ["spam", "ham", "spam", "ham"] * 3
    spam = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=2),
        LogisticRegression(C=0.5, class_weight={"ham": 1, "spam": 20}, max_iter=2000),
    ).fit(texts, labels)
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["v1", "v2", "amount"])
    y = (X["v1"] > 0).astype(int).to_numpy()
    fraud = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(
        X, y, logisticregression__sample_weight=np.ones(60)
    )
    weighted = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced")
    ).fit(X, y)
    retrained = LogisticRegression(solver="newton-cholesky").fit(X.to_numpy(), y)
    return {
        "01 spam pipeline": (spam, texts),
        "04 fraud pipeline": (fraud, X),
        "04 class-weighted pipeline": (weighted, X),
        "14 registered model": (retrained, X.to_numpy()),
    }


@pytest.mark.parametrize("kind", list(_lesson_models()))
def test_every_model_the_lessons_save_loads_without_extra_trust(tmp_path, kind):
    model, X = _lesson_models()[kind]
    path = save_model(model, tmp_path / "m.skops")
    assert untrusted_types(path) == []
    np.testing.assert_array_equal(load_model(path).predict_proba(X), model.predict_proba(X))


def test_trusted_must_be_names(tmp_path, pipeline):
    path = save_model(pipeline, tmp_path / "m.skops")
    with pytest.raises(TypeError, match="trusted must hold fully qualified type names"):
        load_model(path, trusted=[LogisticRegression])
    with pytest.raises(TypeError, match="trusted must be a sequence"):
        load_model(path, trusted=3)


def test_corrupt_schema_is_not_a_skops_file(tmp_path):
    path = tmp_path / "m.skops"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("schema.json", "{not json")
    with pytest.raises(ValueError, match="not a skops file"):
        load_model(path)
