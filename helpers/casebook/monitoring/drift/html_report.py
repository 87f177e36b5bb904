"""The weekly drift report as one self-contained HTML page (tables and embedded figures).

:func:`write_html_report` turns a :class:`~casebook.monitoring.drift.report.DriftReport`
into a file a team can attach to the Monday email: the weekly alerts (next to
the known injections when a schedule is given), the figures, every
data-quality issue and the effect size of every feature in every week.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from casebook.monitoring.drift.report import DriftReport

__all__ = ["write_html_report"]


def _figure_html(fig: object) -> str:
    if isinstance(fig, (str, os.PathLike)):
        path = Path(fig)
        if path.suffix.lower() != ".png" or not path.is_file():
            raise ValueError(f"figures must be matplotlib figures or PNG files, got {str(fig)!r}")
        png = path.read_bytes()
    elif hasattr(fig, "savefig"):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        png = buf.getvalue()
    else:
        raise TypeError(
            f"figures must hold matplotlib figures or PNG paths, got {type(fig).__name__}"
        )
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="weekly drift figure" src="data:image/png;base64,{data}">'


def write_html_report(
    report: DriftReport,
    output_dir: str | Path,
    *,
    schedule: pd.DataFrame | None = None,
    figures: Sequence[object] = (),
    filename: str = "weekly_drift_report.html",
    title: str = "Weekly drift report",
) -> Path:
    """Write the weekly report (tables and embedded figures) as one HTML file.

    Parameters
    ----------
    report : DriftReport
        From :func:`casebook.monitoring.drift.report.monitor_weeks`.
    output_dir : str or pathlib.Path
        Folder (created if needed).
    schedule : pandas.DataFrame, optional
        Known injections, shown next to the alerts when given.
    figures : sequence of matplotlib.figure.Figure or path
        Embedded as PNG, in order: a figure is rendered, a path names a PNG
        already saved (e.g. by :meth:`casebook.course.lesson.Lesson.savefig`), so a
        figure is never drawn twice.
    filename : str, default="weekly_drift_report.html"
        File name (no folders).
    title : str
        Page title.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile
    >>> from casebook.monitoring.drift.quality import infer_schema
    >>> from casebook.monitoring.drift.report import monitor_weeks
    >>> ref = pd.DataFrame({"x": [0.1, 0.5, 0.9, 0.3] * 25})
    >>> rep = monitor_weeks(ref, {1: ref.iloc[:40]}, schema=infer_schema(ref), numeric=["x"],
    ...                     categorical=[], mmd_permutations=9)
    >>> write_html_report(rep, tempfile.mkdtemp()).name
    'weekly_drift_report.html'
    """
    if not isinstance(report, DriftReport):
        raise TypeError(f"report must be a DriftReport, got {type(report).__name__}")
    if not isinstance(filename, str) or "/" in filename or not filename.endswith(".html"):
        raise ValueError(f"filename must be a bare name ending in .html, got {filename!r}")
    images = [_figure_html(f) for f in figures]
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    weeks = report.weeks[["week", "n_rows", "alert", "reasons", "quality_errors",
                          "quality_warnings", "features_drifted", "mmd_p_value",
                          "prediction_psi"]]  # fmt: skip
    if schedule is not None:
        weeks = schedule[["week", "kind", "injection"]].merge(weeks, on="week", how="right")
    tested = report.drift[report.drift["status"] == "tested"]
    pivot = tested.pivot_table(index="feature", columns="week", values="effect_value",
                               sort=False).round(3)  # fmt: skip
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{int(report.weeks['alert'].sum())} of {len(report.weeks)} weeks raised an alert "
        f"(level {report.alpha:g} after multiple-testing correction, plus effect-size "
        "thresholds).</p>",
        "<h2>Weekly summary</h2>", weeks.to_html(index=False, na_rep="", float_format="%.3g"),
        *images,
        "<h2>Data-quality issues</h2>",
        report.quality.to_html(index=False) if len(report.quality) else "<p>None.</p>",
        "<h2>Effect size per feature and week (PSI numeric, Jensen-Shannon categorical)</h2>",
        pivot.to_html(na_rep=""),
        "</body></html>",
    ]  # fmt: skip
    path = out / filename
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
