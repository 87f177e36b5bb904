"""`make lab` works: JupyterLab starts from the locked environment, serves the notebooks,
has the ipywidgets extension that the stakeholder explorers need, gives kernels the inline
matplotlib backend (a learner's ``plt.show()`` draws) and never asks about Jupyter news.

The server is started by ``make lab`` itself, in the environment ``make`` gives every
target (it exports ``MPLBACKEND=Agg``), so the test sees what a learner gets."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from casebook.course.paths import notebooks_dir

BIN = Path(sys.executable).parent
ROOT = notebooks_dir().parent
INLINE = "module://matplotlib_inline.backend_inline"
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server started by ``make lab``: (base URL, token, runtime dir)."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed; `make lab` is how learners start JupyterLab")
    tmp = tmp_path_factory.mktemp("lab")
    port, token = free_port(), "casebook-test"
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",  # what the Makefile exports to every target; lab must override it
        "JUPYTER_CONFIG_DIR": str(tmp / "cfg"),  # not the tester's own ~/.jupyter
        "JUPYTER_RUNTIME_DIR": str(tmp / "rt"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
    }
    env.pop("JUPYTER_CONFIG_PATH", None)
    venv = BIN.parent
    args = f"--no-browser --port={port} --ip=127.0.0.1 --IdentityProvider.token={token}"
    log_file = (tmp / "lab.log").open("w")
    proc = subprocess.Popen(
        # -o: never re-sync the environment from inside a test; the recipe is what is tested
        [
            "make",
            "-s",
            "-C",
            str(ROOT),
            "-o",
            f"{venv}/.synced",
            "lab",
            f"VENV={venv}",
            f"ARGS={args}",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        env=env,
        start_new_session=True,  # make and jupyter in one process group, stopped together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                log = (tmp / "lab.log").read_text()
                assert time.monotonic() < deadline, f"JupyterLab did not start in 90 s:\n{log}"
                assert proc.poll() is None, f"make lab exited early:\n{log}"
                time.sleep(1)
        yield base, token, tmp / "rt"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log_file.close()


def get(url: str, *, method: str = "GET", body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(req, timeout=20) as r:
        return r.read()


def test_lab_serves_the_notebooks(lab):
    base, token, _ = lab
    names = {
        item["name"] for item in json.loads(get(f"{base}/api/contents?token={token}"))["content"]
    }
    assert "00_start_here.ipynb" in names
    assert "python3" in json.loads(get(f"{base}/api/kernelspecs?token={token}"))["kernelspecs"]
    assert b"JupyterLab" in get(f"{base}/lab?token={token}")


def test_lab_kernels_draw_inline(lab):
    """A kernel started by the lab server gets the inline backend, not make's Agg."""
    from jupyter_client import BlockingKernelClient

    base, token, runtime = lab
    kernel = json.loads(
        get(f"{base}/api/kernels?token={token}", method="POST", body={"name": "python3"})
    )
    client = BlockingKernelClient()
    try:
        connection = runtime / f"kernel-{kernel['id']}.json"
        deadline = time.monotonic() + 60
        while not connection.is_file():
            assert time.monotonic() < deadline, f"no connection file {connection}"
            time.sleep(0.5)
        client.load_connection_file(str(connection))
        client.start_channels()
        client.wait_for_ready(timeout=60)
        outputs: list[str] = []
        reply = client.execute_interactive(
            "import matplotlib; print(matplotlib.get_backend())",
            timeout=60,
            output_hook=lambda m: outputs.append(m["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(outputs).strip() == INLINE
    finally:
        client.stop_channels()
        get(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")


def test_lab_never_asks_about_jupyter_news(lab):
    """The announcements plugin (news prompt, update checks) is disabled and the server fetches nothing."""
    base, token, _ = lab
    page = get(f"{base}/lab?token={token}").decode()
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, "no page config in /lab"
    config = json.loads(found.group(1))
    assert ANNOUNCEMENTS in config["disabledExtensions"]
    assert config["news"] == {"disabled": True}
    assert json.loads(get(f"{base}/lab/api/news?token={token}"))["news"] == []
    assert json.loads(get(f"{base}/lab/api/update?token={token}"))["notification"] is None
    # the notification plugin's own setting, from jupyter-config/labconfig/
    # default_setting_overrides.json: "Never" fetch news, so no prompt even if the plugin loads
    settings = json.loads(get(f"{base}/lab/api/settings/{NOTIFICATION}?token={token}"))
    defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false", settings["schema"]["properties"]["fetchNews"]
    assert defaults["checkForUpdates"] is False
