"""Tests for casebook.tracking.model_files."""

import pickle

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from casebook.tracking.model_files import load_model, save_model, untrusted_types


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
