"""Where the course reads and writes: the checkout, its notebooks, each lesson's output folder.

Resolved from the package, never the current directory. The user's cache and data folders
(XDG conventions) are :func:`casebook.data.fetch.user_cache_dir` and ``user_data_dir``.
"""

from __future__ import annotations

import os
from pathlib import Path

from casebook.data.fetch import user_data_dir

__all__ = ["default_output_dir", "notebooks_dir", "project_root"]

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # helpers/casebook


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
    return user_data_dir() / "lessons" / name
