"""Curriculum timing against its floor.

The *floor* of a notebook is a twin that starts a kernel, receives the same
parameters and imports the same libraries, and does nothing else: no data, no
models, no figures. Running every twin with the same number of workers gives
the wall time no lesson can beat; a curriculum within about 1.6x of its floor
spends little beyond start-up and imports.
"""

from __future__ import annotations

import ast
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["floor_notebook", "imports_of", "time_curriculum"]


def imports_of(source: str) -> list[str]:
    """Return the top-level import statements of a code cell, as source lines.

    Cells that do not parse (IPython magics) contribute nothing.

    Examples
    --------
    >>> imports_of("import numpy as np\\nfrom casebook.data import load_adult\\nx = 1")
    ['import numpy as np', 'from casebook.data import load_adult']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        ast.get_source_segment(source, node) or ""
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def floor_notebook(source: str | os.PathLike) -> Any:
    """Build the floor twin of a notebook: its parameters cell and its imports.

    Parameters
    ----------
    source : path-like
        The notebook.

    Returns
    -------
    nbformat.NotebookNode
        A notebook with the same kernelspec, the original parameters cell and
        one cell holding every distinct import statement of the original.
    """
    import nbformat

    nb = nbformat.read(source, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code:
        raise ValueError(f"source must be a notebook with code cells, got none in {source}")
    imports: list[str] = []
    for cell in code[1:]:
        imports += [i for i in imports_of(cell.source) if i not in imports]
    twin = nbformat.v4.new_notebook(metadata=nb.metadata)
    params = nbformat.v4.new_code_cell(code[0].source, metadata=code[0].metadata)
    twin.cells = [
        nbformat.v4.new_markdown_cell(f"# Floor of {Path(source).stem}"),
        params,
        nbformat.v4.new_code_cell("\n".join(imports) or "pass"),
    ]
    return twin


def time_curriculum(
    notebooks: Sequence[str | os.PathLike],
    *,
    output: str | os.PathLike,
    fast: bool = True,
    workers: int | None = None,
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run notebooks and their floor twins with the same workers; compare wall times.

    Returns
    -------
    dict
        ``wall_s`` and ``floor_wall_s`` (whole batches), ``ratio``, per-notebook
        ``seconds`` and ``floor_seconds``, ``workers``, ``fast``; also written
        to ``<output>/timing.json``.
    """
    import nbformat

    from casebook.course.runner import run_notebooks

    out = Path(output)
    # beside the floor run's output, not inside it: a run refuses an output holding its sources
    twins_dir = out / "floor_sources"
    twins_dir.mkdir(parents=True, exist_ok=True)
    twins = []
    for nb in notebooks:
        twin = twins_dir / f"{Path(nb).stem}.ipynb"
        nbformat.write(floor_notebook(nb), twin)
        twins.append(twin)
    workers = workers or os.cpu_count() or 1
    start = time.perf_counter()
    runs = run_notebooks(
        notebooks, output=out, fast=fast, workers=workers, parameters=parameters, html=False
    )
    wall = time.perf_counter() - start
    start = time.perf_counter()
    floor_runs = run_notebooks(
        twins, output=out / "floor", fast=fast, workers=workers, parameters=parameters, html=False
    )
    floor_wall = time.perf_counter() - start
    report = {
        "fast": fast,
        "workers": workers,
        "wall_s": round(wall, 1),
        "floor_wall_s": round(floor_wall, 1),
        "ratio": round(wall / floor_wall, 2),
        "seconds": {r.notebook: r.seconds for r in runs},
        "floor_seconds": {r.notebook: r.seconds for r in floor_runs},
        "status": {r.notebook: r.status for r in runs},
    }
    (out / "timing.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
