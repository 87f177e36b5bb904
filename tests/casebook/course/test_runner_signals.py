"""`casebook run` under Ctrl-C, SIGTERM and a second run: real runs in a subprocess."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from casebook.course.cli import main

START_DEADLINE = 180  # seconds for kernels to come up on a loaded machine


def write_notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("fast: bool = False\nseed: int = 0\noutput_dir: str = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), params]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


TEXT = {"capture_output": True, "text": True, "check": True}


def sleepy_notebooks(folder: Path) -> list[Path]:
    folder.mkdir()
    return [
        write_notebook(folder / "01_quick.ipynb", "x = 1"),
        write_notebook(folder / "02_slow.ipynb", "import time; time.sleep(120)"),
        write_notebook(folder / "03_slow.ipynb", "import time; time.sleep(120)"),
    ]


def start_run(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """Start `casebook run` in its own process group; return once 01 ran and a kernel is busy."""
    paths = sleepy_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "casebook.course.cli", "run", *map(str, paths)]
        + ["-o", str(out), "-j", "2", "--no-html"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        tree = psutil.Process(proc.pid).children(recursive=True)
        kernels = [p for p in tree if "ipykernel" in " ".join(_cmdline(p))]
        if (out / "executed" / "01_quick.ipynb").is_file() and kernels:
            time.sleep(1.0)  # let 02 and 03 settle into their sleeping cells
            return proc, out
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the run did not start its kernels in time")


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def descendants(proc: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(proc.pid).children(recursive=True)


def assert_all_gone(procs: list[psutil.Process]) -> None:
    _, alive = psutil.wait_procs(procs, timeout=5)
    survivors = [(p.pid, _cmdline(p)) for p in alive]
    for p in alive:
        p.kill()
    assert survivors == []


def assert_summary(out: Path) -> None:
    summary = {r["notebook"]: r["status"] for r in json.loads((out / "summary.json").read_text())}
    assert summary == {"01_quick": "ok", "02_slow": "interrupted", "03_slow": "interrupted"}
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(
    ("signum", "to_group", "code"),
    [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143)],
    ids=["ctrl-c-to-the-process-group", "sigterm-to-the-main-process"],
)
def test_signal_stops_the_run_and_every_child(tmp_path, signum, to_group, code):
    proc, out = start_run(tmp_path)
    children = descendants(proc)
    assert len(children) >= 3  # two workers and at least one kernel
    if to_group:
        os.killpg(proc.pid, signum)
    else:
        os.kill(proc.pid, signum)
    start = time.monotonic()
    stdout, stderr = proc.communicate(timeout=60)
    elapsed = time.monotonic() - start
    assert proc.returncode == code, stderr
    assert elapsed < 10, f"took {elapsed:.1f} s to stop"
    assert "Traceback" not in stderr
    assert "interrupted" in stdout and "summary.json" in stdout
    assert_all_gone(children)
    assert_summary(out)


def test_second_ctrl_c_exits_at_once(tmp_path):
    proc, _ = start_run(tmp_path)
    children = descendants(proc)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGINT)
    start = time.monotonic()
    proc.communicate(timeout=60)
    assert time.monotonic() - start < 2
    assert proc.returncode == 130
    assert_all_gone(children)


def test_a_second_run_into_a_busy_folder_is_refused(tmp_path, capsys):
    proc, out = start_run(tmp_path)
    try:
        other = write_notebook(tmp_path / "04_other.ipynb", "x = 1")
        assert main(["run", str(other), "-o", str(out), "--no-html"]) == 2
        err = capsys.readouterr().err
        assert f"output folder {out} is in use by another casebook run (pid {proc.pid})" in err
        assert not (out / "executed" / "04_other.ipynb").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=60)
    # a holder killed outright leaves its pid in the lock file: a dead process's lock is taken over
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **TEXT)
    (out / ".casebook-run.lock").write_text(dead.stdout)
    assert main(["run", str(other), "-o", str(out), "--no-html", "-j", "1"]) == 0
    assert (out / "executed" / "04_other.ipynb").is_file()


def test_kernels_end_even_when_the_runner_is_killed_outright(tmp_path):
    """SIGKILL cannot be caught: the workers notice their parent is gone and end their kernels."""
    proc, _ = start_run(tmp_path)
    children = descendants(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert_all_gone(children)
