import pytest

from casebook.course import paths


def test_project_root_is_this_checkout():
    root = paths.project_root()
    assert root is not None and (root / "notebooks").is_dir()
    assert paths.notebooks_dir() == root / "notebooks"


def test_default_output_dir_in_checkout(monkeypatch):
    monkeypatch.delenv("CASEBOOK_OUTPUT_DIR", raising=False)
    assert paths.default_output_dir("x") == paths.project_root() / "build" / "lessons" / "x"


def test_default_output_dir_installed(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEBOOK_OUTPUT_DIR", raising=False)
    monkeypatch.setattr(paths, "project_root", lambda: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.default_output_dir("x") == tmp_path / "casebook" / "lessons" / "x"
    with pytest.raises(FileNotFoundError, match="notebooks ship with the source checkout"):
        paths.notebooks_dir()


def test_default_output_dir_validates():
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        paths.default_output_dir("")


def test_import_has_no_side_effects(tmp_path):
    import subprocess
    import sys

    code = (
        "import os, casebook, casebook.course.lesson, casebook.course.exercises, casebook.data, casebook.course.runner;"
        "import matplotlib; print(sorted(os.listdir('.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
