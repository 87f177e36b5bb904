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
    tmp = dest.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, dest)
    return dest


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
