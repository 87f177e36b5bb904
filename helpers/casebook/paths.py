"""Where the casebook reads and writes, resolved from the package, never the CWD."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_output_dir", "notebooks_dir", "project_root", "user_cache_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path | None:
    """Return the source checkout holding this package, or None if installed.

    Examples
    --------
    >>> root = project_root()
    >>> root is None or (root / "pyproject.toml").is_file()
    True
    """
    candidate = _PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
        return candidate
    return None


def notebooks_dir() -> Path:
    """Return the folder of the curriculum's notebooks.

    Raises
    ------
    FileNotFoundError
        If the package is not running from a source checkout.
    """
    root = project_root()
    if root is None:
        raise FileNotFoundError(
            "the notebooks ship with the source checkout; clone the repository "
            "and install it with `make test` or `make run`"
        )
    return root / "notebooks"


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


def default_output_dir(name: str) -> Path:
    """Return where a lesson writes when its ``output_dir`` parameter is None.

    ``$CASEBOOK_OUTPUT_DIR/<name>`` if that variable is set, else
    ``<checkout>/build/lessons/<name>`` in a source checkout, else
    ``$XDG_DATA_HOME/casebook/lessons/<name>``.

    Examples
    --------
    >>> default_output_dir("00_start_here").name
    '00_start_here'
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    env = os.environ.get("CASEBOOK_OUTPUT_DIR")
    if env:
        return Path(env) / name
    root = project_root()
    if root is not None:
        return root / "build" / "lessons" / name
    return _user_dir("XDG_DATA_HOME", ".local/share") / "casebook" / "lessons" / name
