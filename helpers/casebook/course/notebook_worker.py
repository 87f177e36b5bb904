"""The worker side of :func:`casebook.course.runner.run_notebooks`: one process, many notebooks.

A worker imports papermill once, then reads job files (one path a line) on its
standard input; for each it sends its output to the notebook's log, runs the
notebook with papermill in a kernel of its own and writes ``<job>.result.json``.
It exits at the end of its input, and takes its kernel down if the runner dies
(even by SIGKILL), so no kernel outlives a run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

__all__: list[str] = []  # course-internal: started by casebook.course.runner

LAUNCHER = "from casebook.course.notebook_worker import serve; serve()"


def failing_cell(executed: Path) -> int | None:
    """1-based index, among the *source* notebook's code cells, of the cell that failed.

    The cell with an error output, else (the kernel died mid-cell) the last cell
    papermill started. The cell papermill injects (tag ``injected-parameters``)
    is not counted, so the number matches what the learner sees in the source.
    """
    try:
        import nbformat

        nb = nbformat.read(executed, as_version=4)
    except Exception:  # an unreadable copy: report without the cell number
        return None
    code_cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    started = None
    for i, cell in enumerate(code_cells, 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
        if cell.metadata.get("papermill", {}).get("start_time"):
            started = i
    return started


_KERNEL_START_TIMEOUT = 180


def kernel_never_started(exc: Exception, cell: int | None) -> bool:
    """True when a run failed before any cell ran because the kernel did not come up.

    On a loaded machine a kernel occasionally misses its start-up deadline; such a
    run says nothing about the notebook, so the runner retries it once.
    """
    text = f"{type(exc).__name__}: {exc}".lower()
    return cell is None and "kernel" in text and ("respond" in text or "start" in text)


def execute_one(job: dict[str, Any]) -> dict[str, Any]:
    """Worker: run one notebook with papermill; never raises."""
    import papermill as pm

    executed = Path(job["executed"])
    executed.parent.mkdir(parents=True, exist_ok=True)
    executed.unlink(missing_ok=True)  # a copy from an earlier run must not pass for this one
    Path(job["output_dir"]).mkdir(parents=True, exist_ok=True)
    status, cell, error = "ok", None, None
    start = time.perf_counter()
    for attempt in range(2):
        try:
            pm.execute_notebook(
                job["source"],
                str(executed),
                parameters=job["parameters"],
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=job["output_dir"],
                execution_timeout=job["timeout"],
                start_timeout=_KERNEL_START_TIMEOUT,
                # one write at the end (or at the failing cell), not two per cell:
                # rewriting a notebook with figures after every cell cost seconds
                request_save_on_cell_execute=False,
                # results are on disk when the last cell ends; a graceful shutdown only
                # waits ~2 s for the interpreter to garbage-collect itself on exit
                shutdown_kernel="immediate",
            )
            status, cell, error = "ok", None, None
        except pm.PapermillExecutionError as exc:
            status, error = "failed", f"{exc.ename}: {exc.evalue}"
            cell = failing_cell(executed)
        except Exception as exc:  # kernel died, bad JSON, missing parameters cell...
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            cell = failing_cell(executed) if executed.is_file() else None
            if attempt == 0 and kernel_never_started(exc, cell):
                print(f"kernel did not start ({error}); retrying once", file=sys.stderr)
                continue
        break
    seconds = time.perf_counter() - start
    html = None
    if job["html"] and executed.is_file():
        try:
            from casebook.course.notebook_html import render_html

            html = str(render_html(executed, Path(job["html"])))
        except Exception as exc:  # rendering must not hide the execution result
            print(f"HTML rendering failed: {exc}", file=sys.stderr)
    return {
        "notebook": Path(job["source"]).stem,
        "status": status,
        "seconds": round(seconds, 2),
        "executed": str(executed),
        "html": html,
        "output_dir": job["output_dir"],
        "cell": cell,
        "error": error,
        "parameters": job["parameters"],
        "log": job["log"],
    }


def serve() -> None:
    """Worker main loop: run each job file named on stdin until stdin ends."""
    from casebook.course.run_control import watch_parent

    def orphaned() -> None:  # the runner was SIGKILLed: take the kernel down too
        import psutil

        for kid in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                kid.kill()
        os._exit(1)

    watch_parent(orphaned)
    # Ctrl-C reaches the whole process group: the runner decides what stops and ends this
    # worker with its kernel; dying here first would orphan the kernel (a Python handler,
    # unlike SIG_IGN, is not inherited by the kernel)
    signal.signal(signal.SIGINT, lambda signum, frame: None)
    import papermill  # noqa: F401 - imported once per worker, not once per notebook

    for line in sys.stdin:
        job_file = Path(line.strip())
        job = json.loads(job_file.read_text(encoding="utf-8"))
        with open(job["log"], "w", encoding="utf-8") as log:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            result = execute_one(job)
            sys.stdout.flush()
            sys.stderr.flush()
        tmp = job_file.with_suffix(".result.tmp")
        tmp.write_text(json.dumps(result), encoding="utf-8")
        os.replace(tmp, job_file.with_suffix(".result.json"))
