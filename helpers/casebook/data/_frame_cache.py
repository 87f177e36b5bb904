"""A parquet copy of a parsed data file, so a large CSV is parsed once per machine.

The copy sits beside the verified source file in the data cache, named after the
source's sha256 (and a format version), and carries the same key in its parquet
metadata. It is used only when the key matches and every page passes its CRC check;
otherwise (missing, unreadable, truncated, a different key) the source is parsed again
and the copy rewritten. Writes go to a temporary file in the same folder and are renamed
into place, so a reader sees a whole file or none, and two processes writing at once
each install a complete copy. A read-only cache folder only loses the speed-up. The
source file itself is never touched: the mirror and cache rules of
:mod:`casebook.data.fetch` (byte-for-byte copies, checked by sha256) still hold.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from casebook.data.fetch import _umask

# bump when a loader's parsing changes, so old copies are not reused
CACHE_VERSION = "1"
_KEY = b"casebook_source"


def cache_path(source: Path, sha256: str) -> Path:
    """Where the parquet copy of ``source`` (with this sha256) lives."""
    return source.with_name(f"{source.name}.{sha256[:16]}.v{CACHE_VERSION}.parquet")


def _key(sha256: str, what: str) -> bytes:
    return f"{sha256}:{what}:v{CACHE_VERSION}".encode()


def _read(path: Path, key: bytes) -> pd.DataFrame | None:
    """The cached frame, or None when the copy is missing, damaged or for other bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, page_checksum_verification=True, use_threads=True)
    except (OSError, pa.ArrowException):
        return None
    if (table.schema.metadata or {}).get(_KEY) != key:
        return None
    return table.to_pandas()


def _write(df: pd.DataFrame, path: Path, key: bytes) -> None:
    """Write atomically: a temp file in the same folder, renamed into place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _KEY: key})
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError:  # read-only cache folder: no copy, no error
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh, compression="none", write_page_checksum=True)
        os.chmod(tmp, 0o666 & ~_umask())  # a normal file, not mkstemp's 0o600
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        Path(tmp).unlink(missing_ok=True)


def cached_frame(
    source: Path, sha256: str, parse: Callable[[Path], pd.DataFrame], *, what: str
) -> pd.DataFrame:
    """``parse(source)``, through a verified parquet copy keyed by ``sha256`` and ``what``.

    ``sha256`` must be the verified checksum of ``source`` (as returned by
    :func:`casebook.data.fetch.fetch_file`); ``what`` names the parsing (e.g. the
    loader), so two loaders of one file never share a copy.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is a dependency of the casebook
        return parse(source)
    path = cache_path(source, sha256)
    key = _key(sha256, what)
    df = _read(path, key)
    if df is None:
        df = parse(source)
        _write(df, path, key)
    return df
