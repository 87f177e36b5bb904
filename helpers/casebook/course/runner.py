"""Execute notebooks headlessly with papermill, in parallel, and report.

:func:`run_notebooks` is what ``casebook run`` calls. ``workers`` worker
processes (:mod:`casebook.course.notebook_worker`) take notebooks one after
another, each in a kernel of its own; the kernel's start-up chatter goes to
``<output>/logs/<notebook>.log``, not to the terminal. Sources are
never written: executed copies go to ``<output>/executed/``, HTML renderings
to ``<output>/html/``, and each notebook's ``output_dir`` parameter points at
``<output>/lessons/<notebook>/``. One run at a time holds an output folder.

A first SIGINT (Ctrl-C) or SIGTERM stops scheduling, ends the running workers
with their kernels, writes ``summary.json`` (unfinished notebooks marked
``"interrupted"``) and raises :class:`RunInterrupted`; a second one kills every
child at once and exits.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from numbers import Real
from pathlib import Path
from typing import Any, Literal

__all__ = ["NotebookRun", "RunInterrupted", "resolve_notebooks", "run_notebooks"]

Status = Literal["ok", "failed", "interrupted"]


@dataclass(frozen=True)
class NotebookRun:
    """Outcome of executing one notebook.

    Attributes
    ----------
    notebook : str
        Notebook stem, e.g. ``"00_start_here"``.
    status : {"ok", "failed", "interrupted"}
        Whether every cell ran; ``"interrupted"`` if the run was stopped first.
    seconds : float
        Wall time of execution (kernel start included, HTML excluded).
    executed : str
        Path of the executed copy (it may not exist for a failed or interrupted run).
    html : str or None
        Path of the HTML rendering, if one was made.
    output_dir : str
        The ``output_dir`` parameter the notebook received.
    cell : int or None
        1-based index of the failing code cell.
    error : str or None
        ``"ExceptionName: message"`` of the failure.
    parameters : dict
        Parameters injected by papermill.
    log : str or None
        The worker's log file (kernel start-up chatter, tracebacks of the runner).
    """

    notebook: str
    status: Status
    seconds: float
    executed: str
    html: str | None
    output_dir: str
    cell: int | None = None
    error: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    log: str | None = None

    @property
    def kernel_died(self) -> bool:
        """Whether the failure was the kernel process dying (not an exception in a cell)."""
        return bool(self.error) and self.error.startswith(_DEAD_KERNEL)

    def report(self) -> str:
        """A short human report of a failure (empty for a success); names only files that exist."""
        if self.status == "ok":
            return ""
        if self.status == "interrupted":
            head = f"{self.notebook} was interrupted before it finished"
        else:
            where = f"in code cell {self.cell}" if self.cell is not None else "before any cell ran"
            if self.kernel_died:  # the cell is known only if papermill saved a copy
                where = f" in code cell {self.cell}" if self.cell is not None else ""
                head = f"{self.notebook} failed: the kernel died{where} ({self.error})"
            else:
                head = f"{self.notebook} failed {where}: {self.error}"
        lines = [head]
        if Path(self.executed).is_file():
            lines.append(f"  executed copy: {self.executed}")
        if self.log and Path(self.log).is_file():
            lines.append(f"  log: {self.log}")
        return "\n".join(lines)


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by SIGINT or SIGTERM; ``summary.json`` holds what finished.

    A :class:`KeyboardInterrupt`, so a caller that does not catch it stops as on Ctrl-C
    (pytest ends the session rather than failing one test and running the next).

    Attributes
    ----------
    runs : list of NotebookRun
        Every notebook, the unfinished ones with status ``"interrupted"``.
    signum : int
        The signal that stopped the run (``signal.SIGINT`` or ``signal.SIGTERM``).
    """

    def __init__(self, runs: list[NotebookRun], signum: int) -> None:
        super().__init__(f"run stopped by signal {signum}")
        self.runs = runs
        self.signum = signum


_DEAD_KERNEL = "DeadKernelError"


def resolve_notebooks(
    names: Sequence[str] | None = None, *, notebooks_dir: str | os.PathLike | None = None
) -> list[Path]:
    """Map names (``"03"``, ``"03_medical_screening_costs"``, a path) to notebook files.

    Parameters
    ----------
    names : sequence of str, optional
        Notebook names, number prefixes or paths; all notebooks if empty.
    notebooks_dir : path-like, optional
        Where to look (default: the checkout's ``notebooks/``).

    Returns
    -------
    list of pathlib.Path
        Sorted by name, without duplicates.

    Raises
    ------
    ValueError
        If a name matches no notebook, or a prefix matches several.
    """
    from casebook.course.paths import notebooks_dir as default_dir

    folder = Path(notebooks_dir) if notebooks_dir is not None else default_dir()
    available = sorted(p for p in folder.glob("*.ipynb") if p.stem[:2].isdigit())
    if not names:
        return available
    chosen: list[Path] = []
    for name in names:
        as_path = Path(name)
        if as_path.suffix == ".ipynb" and as_path.is_file():
            chosen.append(as_path.resolve())
            continue
        stem = as_path.stem if as_path.suffix == ".ipynb" else name
        matches = [p for p in available if p.stem == stem or p.stem.split("_")[0] == stem]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in available) or "none"
            what = "matches no notebook" if not matches else "is ambiguous"
            raise ValueError(f"notebook {name!r} {what}; available: {known}")
        chosen.append(matches[0])
    return sorted(dict.fromkeys(chosen), key=lambda p: p.stem)


def _check_timeout(timeout: Any) -> float | None:
    if timeout is None:
        return None
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, Real)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ValueError(
            f"timeout must be a positive number of seconds (or None for no limit), got {timeout!r}"
        )
    return float(timeout)


def _check_sources(paths: list[Path], out: Path) -> None:
    by_name: dict[str, Path] = {}
    for p in paths:
        if p.stem in by_name:
            raise ValueError(
                f"notebooks must have distinct file names (outputs are keyed by name), "
                f"got {by_name[p.stem]} and {p}; rename one or run them separately"
            )
        by_name[p.stem] = p
        if p.is_relative_to(out):
            raise ValueError(
                f"output must not hold the source notebooks, got {out}, which holds {p}; "
                "choose another folder with -o"
            )


def run_notebooks(
    notebooks: Iterable[str | os.PathLike],
    *,
    output: str | os.PathLike = "build",
    parameters: Mapping[str, Any] | None = None,
    fast: bool = False,
    workers: int | None = None,
    timeout: float | None = 600.0,
    html: bool = True,
    on_done: Callable[[NotebookRun], None] | None = None,
) -> list[NotebookRun]:
    """Execute notebooks with papermill, ``workers`` at a time.

    Parameters
    ----------
    notebooks : iterable of path-like
        Notebook files (see :func:`resolve_notebooks`), with distinct file names.
    output : path-like, default="build"
        Output folder; created if needed. It must not hold the sources, which are
        never written; relative paths are taken from the current directory.
    parameters : mapping, optional
        Extra parameters for every notebook (``output_dir`` and ``fast``
        are set by the runner).
    fast : bool, default=False
        Pass ``fast=True`` to every notebook.
    workers : int, optional
        Parallel notebooks; default: the number of CPU cores.
    timeout : float or None, default=600.0
        Seconds a single cell may run before it is stopped; None for no limit.
    html : bool, default=True
        Render each executed notebook to HTML.
    on_done : callable, optional
        Called with each :class:`NotebookRun` as it finishes (progress bars).

    Returns
    -------
    list of NotebookRun
        In the order of ``notebooks``.

    Raises
    ------
    ValueError
        For bad arguments, an output folder that is a file, not writable, holds a
        source, or is in use by another run.
    RunInterrupted
        After SIGINT or SIGTERM, once ``summary.json`` is written.
    """
    from casebook.course.run_control import (
        StopSignals,
        Worker,
        kernel_environment,
        output_lock,
        stop_process_trees,
        writable_output,
    )

    paths = [Path(p).resolve() for p in notebooks]
    if not paths:
        raise ValueError("notebooks must name at least one notebook, got none")
    for p in paths:
        if not p.is_file():
            raise ValueError(f"notebooks: no such notebook file {p}")
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}")
    timeout = _check_timeout(timeout)
    params = dict(parameters or {})
    for reserved in ("output_dir", "fast"):
        if reserved in params:
            raise ValueError(
                f"parameters must not set {reserved!r}; the runner sets it (use fast= or output=)"
            )
    out = Path(output).resolve()
    _check_sources(paths, out)
    out = writable_output(out)
    (out / "logs").mkdir(exist_ok=True)
    jobs = []
    for p in paths:
        job_params = {**params, "fast": bool(fast), "output_dir": str(out / "lessons" / p.stem)}
        jobs.append(
            {
                "source": str(p),
                "executed": str(out / "executed" / p.name),
                "html": str(out / "html" / f"{p.stem}.html") if html else None,
                "log": str(out / "logs" / f"{p.stem}.log"),
                "output_dir": job_params["output_dir"],
                "parameters": job_params,
                "timeout": timeout,
            }
        )
    env = kernel_environment(os.environ, cwd=os.getcwd(), single_threaded=workers > 1)
    results: dict[str, NotebookRun] = {}
    pool: list[Worker] = []
    with (
        output_lock(out),
        tempfile.TemporaryDirectory(prefix="casebook-run-") as tmp,
        StopSignals(lambda: [w.proc for w in pool]) as stop,
    ):
        pending, started = list(jobs), 0
        try:
            while stop.requested is None and (pending or any(w.job for w in pool)):
                pool = [w for w in pool if w.job is not None or w.proc.poll() is None]
                while len(pool) < min(workers, len(jobs)) and pending:
                    started += 1
                    pool.append(Worker(env, Path(tmp) / f"worker-{started}.log"))
                for w in pool:
                    finished = [(w.last_job, w.result())]
                    if w.job is None and pending and stop.requested is None:
                        job = pending.pop(0)
                        if not w.assign(job, Path(tmp) / f"{Path(job['source']).stem}.json"):
                            code = w.proc.poll()
                            error = (
                                f"WorkerError: the worker exited with code {code} before the job"
                            )
                            finished.append((job, {"error": error}))
                    for job, result in finished:
                        if job is not None and result is not None:
                            run = _collect(result, job, w.log)
                            results[run.notebook] = run
                            if on_done is not None:
                                on_done(run)
                time.sleep(0.05)
        finally:
            for w in pool:
                w.close()
            if stop.requested is None and not any(w.job for w in pool):
                # idle workers (their kernels already shut down) exit at the end of their input
                deadline = time.monotonic() + 1.0
                while time.monotonic() < deadline and any(w.proc.poll() is None for w in pool):
                    time.sleep(0.02)
            stop_process_trees([w.proc for w in pool if w.proc.poll() is None], grace=1.0)
        runs = [
            results.get(p.stem) or _interrupted(job) for p, job in zip(paths, jobs, strict=True)
        ]
        summary = out / "summary.json"
        summary.write_text(json.dumps([asdict(r) for r in runs], indent=2) + "\n", encoding="utf-8")
    if stop.requested is not None:
        raise RunInterrupted(runs, stop.requested)
    return runs


def _unfinished(job: dict[str, Any], status: str, error: str | None = None) -> NotebookRun:
    """The record of a job that produced no result of its own (failed to start, or interrupted)."""
    return NotebookRun(
        notebook=Path(job["source"]).stem,
        status=status,
        seconds=0.0,
        executed=job["executed"],
        html=None,
        output_dir=job["output_dir"],
        error=error,
        parameters=job["parameters"],
        log=job["log"],
    )


def _collect(result: dict[str, Any], job: dict[str, Any], worker_log: Path) -> NotebookRun:
    if "status" in result:
        return NotebookRun(**result)
    if worker_log.is_file():  # the worker's own start-up output, e.g. an import error
        with open(job["log"], "a", encoding="utf-8") as fh:
            fh.write(worker_log.read_text(encoding="utf-8", errors="replace"))
    return _unfinished(job, "failed", result["error"])


def _interrupted(job: dict[str, Any]) -> NotebookRun:
    return _unfinished(job, "interrupted")
