"""Execute notebooks headlessly with papermill, in parallel, and report.

:func:`run_notebooks` is what ``casebook run`` calls. Each notebook runs in
its own worker process with its own kernel; the kernel's start-up chatter
goes to ``<output>/logs/<notebook>.log``, not to the terminal. Sources are
never written: executed copies go to ``<output>/executed/``, HTML renderings
to ``<output>/html/``, and each notebook's ``output_dir`` parameter points at
``<output>/lessons/<notebook>/``.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = ["NotebookRun", "resolve_notebooks", "run_notebooks"]

Status = Literal["ok", "failed"]


@dataclass(frozen=True)
class NotebookRun:
    """Outcome of executing one notebook.

    Attributes
    ----------
    notebook : str
        Notebook stem, e.g. ``"00_start_here"``.
    status : {"ok", "failed"}
        Whether every cell ran.
    seconds : float
        Wall time of execution (kernel start included, HTML excluded).
    executed : str
        Path of the executed copy.
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

    def report(self) -> str:
        """A short human report of a failure (empty for a success)."""
        if self.status == "ok":
            return ""
        where = f"code cell {self.cell}" if self.cell is not None else "before any cell ran"
        return f"{self.notebook} failed in {where}: {self.error}\n  executed copy: {self.executed}"


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


def _first_failing_cell(executed: Path) -> int | None:
    """1-based index, among the *source* notebook's code cells, of the cell that raised.

    The cell papermill injects (tag ``injected-parameters``) is not counted, so
    the number matches what the learner sees when opening the source notebook.
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
    for i, cell in enumerate(code_cells, 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


_KERNEL_START_TIMEOUT = 180


def _kernel_never_started(exc: Exception, cell: int | None) -> bool:
    """True when a run failed before any cell ran because the kernel did not come up.

    On a loaded machine a kernel occasionally misses its start-up deadline; such a
    run says nothing about the notebook, so the runner retries it once.
    """
    text = f"{type(exc).__name__}: {exc}".lower()
    return cell is None and "kernel" in text and ("respond" in text or "start" in text)


def _execute_one(job: dict[str, Any]) -> dict[str, Any]:
    """Worker: run one notebook with papermill; never raises."""
    log_path = Path(job["log"])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - kept open for the fd redirect
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("MPLBACKEND", "Agg")
    if job["single_threaded"]:
        # one kernel per core: native thread pools must not oversubscribe the machine
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # headless runs make no calls home (MLflow's telemetry threads would try, and fail offline)
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

    import papermill as pm

    executed = Path(job["executed"])
    executed.parent.mkdir(parents=True, exist_ok=True)
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
            cell = _first_failing_cell(executed)
        except Exception as exc:  # kernel died, bad JSON, missing parameters cell...
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            cell = _first_failing_cell(executed) if executed.is_file() else None
            if attempt == 0 and _kernel_never_started(exc, cell):
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
    log.flush()
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
    }


def run_notebooks(
    notebooks: Iterable[str | os.PathLike],
    *,
    output: str | os.PathLike = "build",
    parameters: Mapping[str, Any] | None = None,
    fast: bool = False,
    workers: int | None = None,
    timeout: float = 600.0,
    html: bool = True,
    on_done: Callable[[NotebookRun], None] | None = None,
) -> list[NotebookRun]:
    """Execute notebooks with papermill, ``workers`` at a time.

    Parameters
    ----------
    notebooks : iterable of path-like
        Notebook files (see :func:`resolve_notebooks`).
    output : path-like, default="build"
        Output folder; created if needed. Sources are never written.
    parameters : mapping, optional
        Extra parameters for every notebook (``output_dir`` and ``fast``
        are set by the runner).
    fast : bool, default=False
        Pass ``fast=True`` to every notebook.
    workers : int, optional
        Parallel notebooks; default: the number of CPU cores.
    timeout : float, default=600.0
        Seconds a single cell may run before it is stopped.
    html : bool, default=True
        Render each executed notebook to HTML.
    on_done : callable, optional
        Called with each :class:`NotebookRun` as it finishes (progress bars).

    Returns
    -------
    list of NotebookRun
        In the order of ``notebooks``.
    """
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
    out = Path(output).resolve()
    params = dict(parameters or {})
    for reserved in ("output_dir", "fast"):
        if reserved in params:
            raise ValueError(
                f"parameters must not set {reserved!r}; the runner sets it (use fast= or output=)"
            )
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
                "single_threaded": workers > 1,
            }
        )
    results: dict[str, NotebookRun] = {}
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
        futures = {pool.submit(_execute_one, job): job for job in jobs}
        for fut in cf.as_completed(futures):
            run = NotebookRun(**fut.result())
            results[run.notebook] = run
            if on_done is not None:
                on_done(run)
    runs = [results[p.stem] for p in paths]
    summary = out / "summary.json"
    summary.write_text(json.dumps([asdict(r) for r in runs], indent=2) + "\n", encoding="utf-8")
    return runs
