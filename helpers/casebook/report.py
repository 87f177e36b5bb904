"""HTML renderings of executed notebooks and the run's ``index.html``."""

from __future__ import annotations

import html as html_lib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casebook.runner import NotebookRun

__all__ = ["notebook_title", "render_html", "write_index"]


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


def write_index(runs: Sequence[NotebookRun], output: str | os.PathLike) -> Path:
    """Write ``index.html`` linking every notebook's HTML, results and status.

    Parameters
    ----------
    runs : sequence of NotebookRun
        The runner's results.
    output : path-like
        The run's output folder.

    Returns
    -------
    pathlib.Path
        The index file.
    """
    out = Path(output)
    rows = []
    for r in runs:
        title = html_lib.escape(notebook_title(r.executed))
        link = (
            f'<a href="{Path(r.html).relative_to(out).as_posix()}">{title}</a>' if r.html else title
        )
        results = Path(r.output_dir) / "results.json"
        thumb, claims = "", ""
        if results.is_file():
            data = json.loads(results.read_text(encoding="utf-8"))
            held = sum(c["holds"] for c in data.get("claims", []))
            claims = f"{held}/{len(data.get('claims', []))}"
            if data.get("key_figure"):
                src = (Path(r.output_dir) / data["key_figure"]).relative_to(out).as_posix()
                thumb = f'<img src="{src}" alt="key figure of {title}" height="80">'
        status = (
            "ok"
            if r.status == "ok"
            else f"failed (cell {r.cell}): {html_lib.escape(r.error or '')}"
        )
        rows.append(
            f"<tr class='{r.status}'><td>{link}</td><td>{status}</td>"
            f"<td>{r.seconds:.1f}</td><td>{claims}</td><td>{thumb}</td></tr>"
        )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ML Model Analyst Casebook: run report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }}
tr.failed td {{ background: #fde8e8; }}
</style></head><body>
<h1>ML Model Analyst Casebook: run report</h1>
<p>{sum(r.status == "ok" for r in runs)} of {len(runs)} notebooks ran top to bottom.</p>
<table><thead><tr><th>Notebook</th><th>Status</th><th>Seconds</th><th>Claims held</th>
<th>Key figure</th></tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
