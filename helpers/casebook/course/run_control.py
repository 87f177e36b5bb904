"""Process control for ``casebook run``: the output lock, the kernels' environment, stopping.

* :func:`output_lock` keeps two runs out of one output folder (an ``flock`` on
  ``<output>/.casebook-run.lock``, released by the kernel when its holder dies, so
  a stale lock is taken over without a pid check).
* :func:`kernel_environment` is the environment of the worker processes and their
  kernels, with every relative path variable resolved against the caller's working
  directory (kernels run inside ``<output>/lessons/<notebook>/``).
* :class:`StopSignals` turns the first SIGINT / SIGTERM into a stop request the
  scheduler polls, and a second one into an immediate kill of every child.
* :func:`stop_process_trees` ends workers, their kernels and the kernels' children.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

__all__: list[str] = []  # course-internal helpers of casebook.course.runner

LOCK_NAME = ".casebook-run.lock"
_HELD: dict[Path, int] = {}

# variables naming one folder or file, and variables holding a list of them
PATH_VARIABLES = (
    "CASEBOOK_DATA_HOME",
    "CASEBOOK_DATA_MIRROR",
    "CASEBOOK_OUTPUT_DIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "MPLCONFIGDIR",
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
)
PATH_LIST_VARIABLES = ("PYTHONPATH", "JUPYTER_PATH")
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def writable_output(output: str | os.PathLike) -> Path:
    """Create ``output`` if needed; ``ValueError`` naming it if it cannot hold a run."""
    out = Path(output).resolve()
    if out.exists() and not out.is_dir():
        raise ValueError(f"output must be a folder, got {out}, which is a file")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".casebook-probe.", delete=True)  # noqa: SIM115
        probe.close()
    except OSError as exc:
        raise ValueError(
            f"output must be a writable folder, got {out} ({exc.strerror or exc})"
        ) from None
    return out


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock; re-entrant within one process.

    Raises
    ------
    ValueError
        If another live process holds it (the message names the folder and its pid).
    """
    out = Path(out).resolve()
    if out in _HELD:
        yield
        return
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise
        raise ValueError(
            f"output folder {out} is in use by another casebook run (pid {holder}); "
            "wait for it to finish or choose another folder with -o"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _HELD[out] = fd
    try:
        yield
    finally:
        del _HELD[out]
        with suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # releases the lock; the file stays (unlinking it would race)


def _absolute_uri(value: str, cwd: Path) -> str:
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////"):
        return "sqlite:///" + str(cwd / value[len("sqlite:///") :])
    if value.startswith("file:") and not value.startswith("file:/"):
        return "file:" + str(cwd / value[len("file:") :])
    if not _URI_SCHEME.match(value):
        return str(cwd / value)
    return value


def kernel_environment(
    base: Mapping[str, str], *, cwd: str | os.PathLike, single_threaded: bool
) -> dict[str, str]:
    """The workers' environment: relative paths made absolute against ``cwd``.

    Examples
    --------
    >>> env = kernel_environment({"CASEBOOK_DATA_MIRROR": "../shared"}, cwd="/w/main",
    ...                          single_threaded=False)
    >>> env["CASEBOOK_DATA_MIRROR"]
    '/w/shared'
    """
    here = Path(cwd)
    env = dict(base)
    for name in PATH_VARIABLES:
        if env.get(name):
            env[name] = os.path.normpath(here / Path(env[name]).expanduser())
    for name in PATH_LIST_VARIABLES:
        if env.get(name):
            parts = env[name].split(os.pathsep)
            env[name] = os.pathsep.join(os.path.normpath(here / p) for p in parts)
    if env.get("MLFLOW_TRACKING_URI"):
        env["MLFLOW_TRACKING_URI"] = _absolute_uri(env["MLFLOW_TRACKING_URI"], here)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    if single_threaded:
        # one kernel per core: native thread pools must not oversubscribe the machine
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # headless runs make no calls home (MLflow's telemetry threads would try, and fail offline)
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _tree(pid: int) -> list[Any]:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


_LISTED: list[Any] = []  # processes a stop in progress is ending: a second signal kills them


def stop_process_trees(
    workers: Sequence[subprocess.Popen], *, grace: float = 3.0, kill: bool = False
) -> None:
    """End each worker, its kernel and the kernel's children: SIGTERM, then SIGKILL.

    The whole tree is listed before any signal, so a kernel whose worker dies first
    (and is re-parented to init) is still ended; a stop interrupted by a second
    signal (``kill=True``) also kills what the first one listed. Kernels run in
    their own session (jupyter_client starts them so), which is why a signal to
    the process group alone never reached them.
    """
    import psutil

    victims = [p for w in workers for p in _tree(w.pid)]
    victims += [p for p in _LISTED if p not in victims]
    _LISTED[:] = victims
    for p in victims:
        with suppress(psutil.Error):
            p.kill() if kill else p.terminate()
    if kill:  # a second signal: no waiting
        return
    _, alive = psutil.wait_procs(victims, timeout=grace)
    for p in alive:
        with suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=2)
    _LISTED.clear()
    for w in workers:
        with suppress(subprocess.TimeoutExpired):
            w.wait(timeout=1)


def watch_parent(on_orphaned: Callable[[], None], *, interval: float = 0.5) -> None:
    """In a worker: call ``on_orphaned`` once the parent process is gone (even SIGKILLed)."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        on_orphaned()

    threading.Thread(target=watch, name="casebook-parent-watch", daemon=True).start()


class StopSignals:
    """Context manager: the first SIGINT/SIGTERM requests a stop, a second kills at once.

    ``requested`` holds the first signal's number (or None). ``children`` returns
    the live worker processes a second signal kills before exiting ``128 + signum``.
    Only installed in the main thread (elsewhere signals cannot be caught).
    """

    def __init__(self, children: Callable[[], Sequence[subprocess.Popen]]) -> None:
        self.children = children
        self.requested: int | None = None
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested is None:
            self.requested = signum
            name = signal.Signals(signum).name
            print(
                f"\n{name}: stopping; writing what finished (again to kill at once)",
                file=sys.stderr,
                flush=True,
            )
            return
        stop_process_trees(self.children(), kill=True)
        os._exit(128 + self.requested)

    def __enter__(self) -> StopSignals:
        import threading

        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


class Worker:
    """A notebook worker process (:mod:`casebook.course.notebook_worker`) and its current job."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        from casebook.course.notebook_worker import LAUNCHER

        self.log = log
        with open(log, "wb") as fh:  # start-up errors, before the first job's log takes over
            self.proc = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER],
                stdin=subprocess.PIPE,
                stdout=fh,
                stderr=subprocess.STDOUT,
                env=dict(env),
                text=True,
            )
        self.job: dict[str, Any] | None = None
        self.last_job: dict[str, Any] | None = None
        self.job_file: Path | None = None

    def assign(self, job: dict[str, Any], job_file: Path) -> bool:
        """Hand the worker a job; False if it has died (the job is not taken)."""
        job_file.write_text(json.dumps(job), encoding="utf-8")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(f"{job_file}\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        self.job, self.last_job, self.job_file = job, job, job_file
        return True

    def result(self) -> dict[str, Any] | None:
        """The current job's result once written (or a failure if the worker died), else None."""
        if self.job is None or self.job_file is None:
            return None
        done = self.job_file.with_suffix(".result.json")
        if done.is_file():
            result = json.loads(done.read_text(encoding="utf-8"))
        elif self.proc.poll() is not None:
            result = {"error": f"WorkerError: the worker exited with code {self.proc.returncode}"}
        else:
            return None
        self.job = self.job_file = None
        return result

    def close(self) -> None:
        """End of input: the worker exits after its current job."""
        with suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
