"""The one way the script smoke tests run a benchmark script: a subprocess that must succeed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def run_script() -> Callable[..., subprocess.CompletedProcess]:
    """Run ``scripts/<name>`` with ``args`` in this interpreter; fail with its stderr if it fails."""

    def run(name: str, *args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [sys.executable, str(SCRIPTS / name), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        return proc

    return run
