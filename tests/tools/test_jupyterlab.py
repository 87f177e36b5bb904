"""`make lab` works: JupyterLab starts from the locked environment, serves the notebooks,
and has the ipywidgets extension that the stakeholder explorers need."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from casebook.course.paths import notebooks_dir

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_widgets_extension_is_installed():
    out = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    text = out.stdout + out.stderr
    assert "@jupyter-widgets/jupyterlab-manager" in text and "enabled" in text


def test_lab_serves_the_notebooks(tmp_path):
    port, token = free_port(), "casebook-test"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
    }
    proc = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--notebook-dir={notebooks_dir()}",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 90 s"
                assert proc.poll() is None, "JupyterLab exited early"
                time.sleep(1)
        with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=10) as r:
            names = {item["name"] for item in json.load(r)["content"]}
        assert "00_start_here.ipynb" in names
        with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}", timeout=10) as r:
            assert "python3" in json.load(r)["kernelspecs"]
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            assert b"JupyterLab" in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
