"""Find a registered file: explicit path, cache, mirror, then upstream; always verified.

Resolution order for :func:`fetch_file`:

1. ``path``: an explicit file the caller names (verified, used in place);
2. the cache folder: ``data_home`` argument, else ``$CASEBOOK_DATA_HOME``,
   else ``~/.cache/casebook/data`` (``$XDG_CACHE_HOME`` respected);
3. the mirror folder: ``mirror`` argument, else ``$CASEBOOK_DATA_MIRROR``,
   laid out as ``<mirror>/<dataset>/<file>``; a verified copy is written to
   the cache;
4. the upstream URL (skipped when ``download=False`` or
   ``$CASEBOOK_OFFLINE=1``).

Every candidate is checked against the registry's sha256 before it is
used. Copies and downloads go to a temporary file in the cache folder and
are renamed into place only after the checksum matches, so an interrupted
or corrupt fetch never leaves a bad file in the cache. When every source
fails, one :class:`DataUnavailableError` names the dataset, the file, the
expected sha256, what was tried and how to fix it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterable
from pathlib import Path

from casebook.data.registry import Dataset, RemoteFile, get_dataset

__all__ = [
    "DataUnavailableError",
    "data_home_dir",
    "fetch_file",
    "sha256_of",
    "user_cache_dir",
    "user_data_dir",
]

_CHUNK = 1 << 20


class DataUnavailableError(FileNotFoundError):
    """No source gave a file with the registered checksum."""


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a file, read in chunks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_of(p)[:12]
    'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _user_dir(env: str, fallback: str) -> Path:
    base = os.environ.get(env)
    return Path(base) if base else Path.home() / fallback


def user_cache_dir() -> Path:
    """Return the user cache folder for the casebook (XDG conventions).

    Examples
    --------
    >>> user_cache_dir().name
    'casebook'
    """
    return _user_dir("XDG_CACHE_HOME", ".cache") / "casebook"


def user_data_dir() -> Path:
    """Return the user data folder for the casebook (XDG conventions).

    Examples
    --------
    >>> user_data_dir().name
    'casebook'
    """
    return _user_dir("XDG_DATA_HOME", ".local/share") / "casebook"


def data_home_dir(data_home: str | os.PathLike | None = None) -> Path:
    """Return the cache folder: argument, else ``$CASEBOOK_DATA_HOME``, else the user cache.

    Examples
    --------
    >>> data_home_dir("/tmp/somewhere").as_posix()
    '/tmp/somewhere'
    """
    if data_home is not None:
        return Path(data_home)
    env = os.environ.get("CASEBOOK_DATA_HOME")
    return Path(env) if env else user_cache_dir() / "data"


def _mirror(mirror: str | os.PathLike | None) -> Path | None:
    if mirror is not None:
        return Path(mirror)
    env = os.environ.get("CASEBOOK_DATA_MIRROR")
    return Path(env) if env else None


def _copy_verified(chunks: Iterable[bytes], dest: Path, expected: str) -> str:
    """Stream ``chunks`` into a temp file beside ``dest``; rename only if the hash matches.

    Returns the actual sha256. On mismatch or error, no file is left behind.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    # the writer's pid is in the name, so a later fetch can tell a live copy from a dead one
    prefix = f".{dest.name}.{os.getpid()}."
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=prefix, suffix=".part")
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                h.update(chunk)
                out.write(chunk)
        actual = h.hexdigest()
        if actual == expected:
            os.chmod(tmp, 0o666 & ~_umask())  # a normal file, not mkstemp's 0o600
            os.replace(tmp, dest)
        return actual
    finally:
        Path(tmp).unlink(missing_ok=True)


def _file_chunks(path: Path) -> Iterable[bytes]:
    with open(path, "rb") as fh:
        yield from iter(lambda: fh.read(_CHUNK), b"")


def _download_chunks(spec: RemoteFile, timeout: float) -> Iterable[bytes]:
    with urllib.request.urlopen(spec.url, timeout=timeout) as resp:
        if spec.member is None:
            yield from iter(lambda: resp.read(_CHUNK), b"")
            return
        archive = io.BytesIO(resp.read())
    with zipfile.ZipFile(archive) as zf, zf.open(spec.member) as member:
        yield from iter(lambda: member.read(_CHUNK), b"")


def fetch_file(
    dataset: str | Dataset,
    filename: str,
    *,
    path: str | os.PathLike | None = None,
    data_home: str | os.PathLike | None = None,
    mirror: str | os.PathLike | None = None,
    download: bool = True,
    timeout: float = 60.0,
) -> Path:
    """Return a local, verified copy of one registered file.

    Parameters
    ----------
    dataset : str or Dataset
        Registry name, e.g. ``"adult"``.
    filename : str
        One of the dataset's files, e.g. ``"adult.data"``.
    path : path-like, optional
        An explicit file to use; it must match the registered sha256.
    data_home : path-like, optional
        Cache folder (default: ``$CASEBOOK_DATA_HOME`` or the user cache).
    mirror : path-like, optional
        Mirror folder (default: ``$CASEBOOK_DATA_MIRROR``).
    download : bool, default=True
        Whether to try the upstream URL; ``$CASEBOOK_OFFLINE=1`` also disables it.
    timeout : float, default=60.0
        Seconds to wait for the upstream server.

    Returns
    -------
    pathlib.Path
        A file whose sha256 equals the registry's.

    Raises
    ------
    DataUnavailableError
        If no source gave the right bytes; the message lists every attempt.

    Examples
    --------
    >>> import tempfile
    >>> fetch_file("adult", "adult.names", data_home=tempfile.mkdtemp(),
    ...            mirror=tempfile.mkdtemp(), download=False)
    Traceback (most recent call last):
    ...
    casebook.data.fetch.DataUnavailableError: dataset 'adult', file 'adult.names' ...
    """
    ds = get_dataset(dataset) if isinstance(dataset, str) else dataset
    if not isinstance(ds, Dataset):
        raise TypeError(f"dataset must be a name or a Dataset, got {type(dataset).__name__}")
    try:
        spec = ds.file(filename)
    except KeyError as exc:
        raise ValueError(f"filename: {exc.args[0]}") from None
    tried: list[str] = []

    if path is not None:
        explicit = Path(path)
        if not explicit.is_file():
            tried.append(f"explicit path {explicit}: no such file")
        else:
            actual = sha256_of(explicit)
            if actual == spec.sha256:
                return explicit
            tried.append(f"explicit path {explicit}: checksum mismatch (got sha256 {actual})")
        raise _unavailable(ds, spec, tried)

    cache_file = data_home_dir(data_home) / ds.name / spec.name
    if cache_file.parent.is_dir():
        # copies a killed fetch left behind; a live fetch's copy is kept (a read-only
        # cache has nothing to clean, and nothing will be written to it)
        with contextlib.suppress(OSError):
            clear_partial_files(cache_file.parent)
    if cache_file.is_file():
        actual = sha256_of(cache_file)
        if actual == spec.sha256:
            return cache_file
        tried.append(
            f"cache {cache_file}: checksum mismatch (got sha256 {actual}); left in place, "
            "since no source gave a verified copy to replace it (delete it, or fix a source)"
        )
    else:
        tried.append(f"cache {cache_file}: not there")

    mirror_dir = _mirror(mirror)
    if mirror_dir is None:
        tried.append("mirror: none set (CASEBOOK_DATA_MIRROR is unset)")
    else:
        source = mirror_dir / ds.name / spec.name
        if not source.is_file():
            tried.append(f"mirror {source}: no such file")
        else:
            try:
                actual = _copy_verified(_file_chunks(source), cache_file, spec.sha256)
            except OSError as exc:  # read-only cache: use the verified mirror in place
                if sha256_of(source) == spec.sha256:
                    return source
                tried.append(f"mirror {source}: copy to cache failed ({exc})")
            else:
                if actual == spec.sha256:
                    return cache_file
                tried.append(f"mirror {source}: checksum mismatch (got sha256 {actual})")

    offline = os.environ.get("CASEBOOK_OFFLINE", "") not in ("", "0")
    if not download or offline:
        reason = "download=False" if not download else "CASEBOOK_OFFLINE is set"
        tried.append(f"upstream {spec.url}: skipped ({reason})")
    else:
        try:
            actual = _copy_verified(_download_chunks(spec, timeout), cache_file, spec.sha256)
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            tried.append(f"upstream {spec.url}: failed ({type(exc).__name__}: {exc})")
        else:
            if actual == spec.sha256:
                return cache_file
            tried.append(f"upstream {spec.url}: checksum mismatch (got sha256 {actual})")
    raise _unavailable(ds, spec, tried)


def _unavailable(ds: Dataset, spec: RemoteFile, tried: list[str]) -> DataUnavailableError:
    lines = "\n".join(f"  - {t}" for t in tried)
    return DataUnavailableError(
        f"dataset {ds.name!r}, file {spec.name!r} (expected sha256 {spec.sha256}) "
        f"could not be found with the right checksum. Tried:\n{lines}\n"
        f"How to fix: set CASEBOOK_DATA_MIRROR to a folder holding {ds.name}/{spec.name} "
        f"(e.g. ../shared/datasets), or allow downloads from {spec.url}, or download it "
        f"yourself and pass path=. A checksum mismatch means the file is corrupt or a "
        f"different version: replace it."
    )


_PART_PID = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")
_STALE_SECONDS = 3600.0


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def clear_partial_files(folder: str | os.PathLike) -> int:
    """Remove leftover ``.part`` files (from a killed fetch) under ``folder``.

    A partial file is left over when the process that wrote it is gone (its pid
    is in the name) or, for a name without a pid, when it has not been written
    to for an hour. The partial file of a fetch still running is kept.

    Returns
    -------
    int
        How many were removed.
    """
    removed = 0
    now = time.time()
    for p in Path(folder).rglob(".*.part"):
        match = _PART_PID.match(p.name)
        try:
            idle = now - p.stat().st_mtime
        except FileNotFoundError:
            continue
        pid = int(match.group(1)) if match else None
        stale = (pid is not None and pid != os.getpid() and not _pid_alive(pid)) or (
            idle > _STALE_SECONDS
        )
        if stale:
            p.unlink(missing_ok=True)
            removed += 1
    return removed


__all__ += ["clear_partial_files"]
