"""HTML renderings of executed notebooks (the study site is built by :mod:`casebook.course.site`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["notebook_title", "render_html"]


def render_html(executed: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Render an executed notebook to a standalone HTML file (images inline).

    Parameters
    ----------
    executed : path-like
        The executed ``.ipynb``.
    dest : path-like
        The HTML file to write (its folder is created).

    Returns
    -------
    pathlib.Path
        ``dest``.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(dest, body)
    return dest


def write_text_atomic(dest: Path, text: str) -> None:
    """Write ``text`` to a uniquely named temporary file beside ``dest``, then rename it.

    Concurrent writers never share a temporary name, a reader never sees half a
    file, and the file gets the usual mode (``0o666`` minus the umask), not the
    ``0o600`` of :func:`tempfile.mkstemp`.
    """
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def notebook_title(path: str | os.PathLike) -> str:
    """Return the text of the notebook's first Markdown heading (or its stem).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> cell = {"cell_type": "markdown", "metadata": {}, "source": "# 01 · A title\\nText"}
    >>> _ = p.write_text(json.dumps({"cells": [cell]}))
    >>> notebook_title(p)
    '01 · A title'
    """
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Path(path).stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for line in src.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return Path(path).stem
