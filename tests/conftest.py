"""Shared test configuration: point the data loaders at the offline mirror when one exists."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"


def pytest_configure(config: pytest.Config) -> None:
    # CI sets CASEBOOK_DATA_MIRROR; a developer checkout beside ../shared gets it for free.
    if "CASEBOOK_DATA_MIRROR" not in os.environ and _DEFAULT_MIRROR.is_dir():
        os.environ["CASEBOOK_DATA_MIRROR"] = str(_DEFAULT_MIRROR)
    # Tests (and the notebook kernels they start, which inherit the environment) never write
    # the learner's own progress files; CASEBOOK_KEEP_XDG keeps the caller's XDG_DATA_HOME.
    if "CASEBOOK_KEEP_XDG" not in os.environ:
        os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="casebook-xdg-data-")


@pytest.fixture
def isolated_data_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private cache folder, no mirror, and no downloads."""
    monkeypatch.setenv("CASEBOOK_DATA_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CASEBOOK_DATA_MIRROR", raising=False)
    monkeypatch.setenv("CASEBOOK_OFFLINE", "1")
    return tmp_path
