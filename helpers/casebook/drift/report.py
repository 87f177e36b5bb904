"""The weekly drift report: Monitor (quality, drift), Diagnose (which signal), Act.

For every week the monitor

1. checks the batch against the reference schema (:mod:`casebook.drift.quality`);
2. tests every feature fit for it: Kolmogorov-Smirnov (numeric) or chi-square
   (categorical) p-values, corrected across features for multiple testing,
   *and* an effect size (PSI for numeric, Jensen-Shannon for categorical) that
   must pass its threshold. A feature drifts only when the shift is both
   significant and large enough to matter, which keeps a clean week quiet
   while a broken one lights up;
3. tests the joint distribution of the numeric features with MMD (reported
   as a diagnostic, not part of the alert: a permutation p-value near its floor
   would page someone about 1% of clean weeks);
4. scores the batch (when the schema allows) and tests prediction drift.

A week raises an alert on any quality issue, any drifted feature or
prediction drift. :func:`detection_summary` turns the weekly alerts and a
schedule of known injections into detection delays and false alerts.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from casebook.drift._core import (
    _check_columns,
    _check_finite,
    _check_instance,
    _check_threshold,
    _is_numeric,
)
from casebook.drift.multitest import correct
from casebook.drift.performance import prediction_drift
from casebook.drift.quality import DataSchema, check_batch, drift_ready_columns, issues_table
from casebook.drift.stats import chi_square, jensen_shannon, ks, mmd, psi, wasserstein

__all__ = ["DriftReport", "detection_summary", "feature_drift", "monitor_weeks",
           "write_html_report"]  # fmt: skip

_DRIFT_COLUMNS = ["feature", "kind", "test", "statistic", "p_value", "p_adjusted", "effect",
                  "effect_value", "effect_threshold", "wasserstein", "significant", "drifted",
                  "detail"]  # fmt: skip


def feature_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    numeric: Sequence[str],
    categorical: Sequence[str],
    alpha: float = 0.01,
    correction: Literal["benjamini-hochberg", "bonferroni", "none"] = ("benjamini-hochberg"),
    psi_threshold: float = 0.1,
    js_threshold: float = 0.1,
    bins: int = 10,
) -> pd.DataFrame:
    """One row per feature: test, corrected p-value, effect size and the drift verdict.

    Parameters
    ----------
    reference, current : pandas.DataFrame
        Must hold every listed column, numeric ones without infinite values
        (check quality first); ValueError otherwise.
    numeric, categorical : sequence of str
        Features tested with KS + PSI and chi-square + Jensen-Shannon.
    alpha : float, default=0.01
        Level after the multiple-testing correction.
    correction : {"benjamini-hochberg", "bonferroni", "none"}
        Correction across all tested features of the batch.
    psi_threshold, js_threshold : float, default=0.1
        Effect-size thresholds.
    bins : int, default=10
        Reference-quantile bins for PSI.

    Returns
    -------
    pandas.DataFrame
        Columns ``feature, kind, test, statistic, p_value, p_adjusted, effect,
        effect_value, effect_threshold, wasserstein, significant, drifted, detail``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(size=800), "c": rng.choice(["a", "b"], 800)})
    >>> cur = pd.DataFrame({"x": rng.normal(1, 1, 300), "c": rng.choice(["a", "b"], 300)})
    >>> t = feature_drift(ref, cur, numeric=["x"], categorical=["c"])
    >>> t[["feature", "drifted"]].to_numpy().tolist()
    [['x', True], ['c', False]]
    """
    _check_threshold(alpha, test=True, name="alpha")
    for name, frame in (("reference", reference), ("current", current)):
        _check_instance(frame, pd.DataFrame, name=name)
        _check_columns(frame, [*numeric, *categorical], name=name)
        for col in numeric:
            if _is_numeric(frame[col]):
                _check_finite(frame[col].to_numpy(dtype=float, na_value=np.nan),
                              name=f"{name}[{col!r}]")  # fmt: skip
    rows = []
    for col in numeric:
        k = ks(reference[col], current[col], threshold=alpha)
        p = psi(reference[col], current[col], threshold=psi_threshold, bins=bins)
        w = wasserstein(reference[col], current[col])
        rows.append([col, "numeric", "ks", k.statistic, k.p_value, "psi", p.statistic,
                     psi_threshold, w.statistic, p.detail])  # fmt: skip
    for col in categorical:
        c = chi_square(reference[col], current[col], threshold=alpha)
        j = jensen_shannon(reference[col].dropna().astype(str), current[col].dropna().astype(str),
                           threshold=js_threshold)  # fmt: skip
        rows.append([col, "categorical", "chi_square", c.statistic, c.p_value,
                     "jensen_shannon", j.statistic, js_threshold, np.nan, c.detail])  # fmt: skip
    cols = ["feature", "kind", "test", "statistic", "p_value", "effect", "effect_value",
            "effect_threshold", "wasserstein", "detail"]  # fmt: skip
    table = pd.DataFrame(rows, columns=cols)
    if len(table):
        mt = correct(dict(zip(table["feature"], table["p_value"], strict=True)),
                     method=correction, alpha=alpha)  # fmt: skip
        table["p_adjusted"] = mt.adjusted
        table["significant"] = mt.rejected
    else:
        table["p_adjusted"] = pd.Series(dtype=float)
        table["significant"] = pd.Series(dtype=bool)
    table["drifted"] = table["significant"] & (table["effect_value"] >= table["effect_threshold"])
    return table[_DRIFT_COLUMNS]


@dataclass(frozen=True)
class DriftReport:
    """Everything the weekly monitor found.

    Attributes
    ----------
    weeks : pandas.DataFrame
        One row per week: ``week, n_rows, quality_errors, quality_warnings,
        features_tested, features_drifted, drifted_features, mmd, mmd_p_value,
        prediction_psi, prediction_ks_p, prediction_mean_shift, scored,
        prediction_drifted, quality_alert, feature_alert, prediction_alert,
        alert, reasons``.
    drift : pandas.DataFrame
        Tidy week x feature table (:func:`feature_drift` plus ``week`` and
        ``status``: "tested" or why the feature was not tested).
    quality : pandas.DataFrame
        Every quality issue with its ``week``.
    scores : dict of int -> numpy.ndarray
        Model scores per week (weeks the model could not score are absent).
    alpha : float
        The level used.
    """

    weeks: pd.DataFrame
    drift: pd.DataFrame
    quality: pd.DataFrame
    scores: dict[int, np.ndarray]
    alpha: float


def monitor_weeks(
    reference: pd.DataFrame,
    batches: Mapping[int, pd.DataFrame],
    *,
    schema: DataSchema,
    numeric: Sequence[str],
    categorical: Sequence[str],
    score: Callable[[pd.DataFrame], np.ndarray] | None = None,
    alpha: float = 0.01,
    correction: Literal["benjamini-hochberg", "bonferroni", "none"] = ("benjamini-hochberg"),
    psi_threshold: float = 0.1,
    js_threshold: float = 0.1,
    mmd_permutations: int = 200,
    seed: int = 0,
) -> DriftReport:
    """Run quality checks, feature drift, joint MMD and prediction drift on every week.

    Parameters
    ----------
    reference : pandas.DataFrame
        The reference data the schema was inferred from.
    batches : mapping of int -> pandas.DataFrame
        Week number to batch. Bad batches (empty, wrong columns or types)
        are reported, never raised on.
    schema : DataSchema
        From :func:`casebook.drift.quality.infer_schema`.
    numeric, categorical : sequence of str
        Features to test.
    score : callable, optional
        ``score(frame) -> probabilities``; called on the reference and on
        each batch without quality errors.
    alpha, correction, psi_threshold, js_threshold
        As in :func:`feature_drift`; ``alpha`` and ``psi_threshold`` also
        apply to prediction drift.
    mmd_permutations : int, default=200
        Permutations of the joint MMD test.
    seed : int, default=0
        Seed of the MMD test.

    Returns
    -------
    DriftReport

    Examples
    --------
    >>> from casebook.drift.quality import infer_schema
    >>> rng = np.random.default_rng(0)
    >>> ref = pd.DataFrame({"x": rng.normal(size=500), "c": rng.choice(["a", "b"], 500)})
    >>> weeks = {1: ref.sample(200, random_state=1), 2: ref.iloc[:0]}
    >>> rep = monitor_weeks(ref, weeks, schema=infer_schema(ref), numeric=["x"],
    ...                     categorical=["c"], mmd_permutations=19)
    >>> rep.weeks[["week", "alert", "reasons"]].to_numpy().tolist()
    [[1, False, ''], [2, True, 'quality: empty_batch']]
    """
    _check_threshold(alpha, test=True, name="alpha")
    _check_instance(reference, pd.DataFrame, name="reference")
    _check_instance(batches, Mapping, name="batches")
    _check_instance(schema, DataSchema, name="schema")
    unknown = [c for c in (*numeric, *categorical) if c not in schema.kinds]
    if unknown:
        raise ValueError(
            f"numeric and categorical must name schema columns {list(schema.kinds)}, "
            f"got unknown {unknown}"
        )
    _check_columns(reference, [*numeric, *categorical], name="reference")
    ref_scores = None if score is None else np.asarray(score(reference), dtype=float)
    week_rows, drift_parts, quality_parts, scores = [], [], [], {}
    for week in sorted(batches):
        batch = batches[week]
        issues = check_batch(batch, schema)
        qt = issues_table(issues)
        qt.insert(0, "week", week)
        quality_parts.append(qt)
        ready = set(drift_ready_columns(schema, issues))
        num = [c for c in numeric if c in ready]
        cat = [c for c in categorical if c in ready]
        table = feature_drift(reference, batch, numeric=num, categorical=cat, alpha=alpha,
                              correction=correction, psi_threshold=psi_threshold,
                              js_threshold=js_threshold)  # fmt: skip
        table["status"] = "tested"
        skipped = [c for c in (*numeric, *categorical) if c not in ready]
        if skipped:
            reason = {i.column: i.check for i in issues if i.severity == "error"}
            extra = pd.DataFrame({
                "feature": skipped,
                "kind": ["numeric" if c in numeric else "categorical" for c in skipped],
                "status": [f"not tested: {reason.get(c, 'batch error')}" for c in skipped],
            })  # fmt: skip
            if len(table):
                table = pd.concat([table, extra], ignore_index=True)
            else:
                table = extra.reindex(columns=[*_DRIFT_COLUMNS, "status"])
        table.insert(0, "week", week)
        drift_parts.append(table)
        row = _week_row(week, batch, issues, table, alpha)
        if len(num) == len(numeric) and num:
            j = mmd(reference[num], batch[num], threshold=alpha,
                    n_permutations=mmd_permutations, seed=seed + week)  # fmt: skip
            row.update(mmd=j.statistic, mmd_p_value=j.p_value)
        errors = [i for i in issues if i.severity == "error"]
        if score is not None and not errors:
            s = np.asarray(score(batch), dtype=float)
            scores[week] = s
            row["scored"] = True
            pdrift = prediction_drift(ref_scores, s, alpha=alpha, psi_threshold=psi_threshold)
            row.update(prediction_psi=pdrift.psi.statistic, prediction_ks_p=pdrift.ks.p_value,
                       prediction_mean_shift=pdrift.mean_shift,
                       prediction_drifted=pdrift.drifted)  # fmt: skip
        week_rows.append(row)
    weeks = pd.DataFrame(week_rows)
    weeks["quality_alert"] = (weeks["quality_errors"] + weeks["quality_warnings"]) > 0
    weeks["feature_alert"] = weeks["features_drifted"] > 0
    weeks["prediction_alert"] = weeks["prediction_drifted"].eq(True)
    weeks["alert"] = weeks["quality_alert"] | weeks["feature_alert"] | weeks["prediction_alert"]
    weeks["reasons"] = [_reasons(r, quality_parts[i]) for i, r in weeks.iterrows()]
    return DriftReport(weeks, pd.concat(drift_parts, ignore_index=True),
                       pd.concat(quality_parts, ignore_index=True), scores, float(alpha))  # fmt: skip


def _week_row(week: int, batch: object, issues: list, table: pd.DataFrame, alpha: float) -> dict:
    tested = table[table["status"] == "tested"]
    drifted = tested.loc[tested["drifted"].astype(bool), "feature"].tolist()
    return {
        "week": week,
        "n_rows": len(batch) if isinstance(batch, pd.DataFrame) else 0,
        "quality_errors": sum(i.severity == "error" for i in issues),
        "quality_warnings": sum(i.severity == "warning" for i in issues),
        "features_tested": len(tested),
        "features_drifted": len(drifted),
        "drifted_features": ", ".join(drifted),
        "mmd": np.nan,
        "mmd_p_value": np.nan,
        "prediction_psi": np.nan,
        "prediction_ks_p": np.nan,
        "prediction_mean_shift": np.nan,
        "scored": False,
        "prediction_drifted": False,
    }


def _reasons(row: pd.Series, quality: pd.DataFrame) -> str:
    out = []
    if row["quality_alert"]:
        out.append("quality: " + ", ".join(dict.fromkeys(quality["check"])))
    if row["feature_alert"]:
        out.append("drift: " + row["drifted_features"])
    if row["prediction_alert"]:
        out.append(f"prediction drift (PSI {row['prediction_psi']:.2f})")
    return "; ".join(out)


def detection_summary(weeks: pd.DataFrame, schedule: pd.DataFrame) -> pd.DataFrame:
    """Detection delay per injection and the verdict of every control week.

    Parameters
    ----------
    weeks : pandas.DataFrame
        :attr:`DriftReport.weeks` (``week``, ``alert``, ``reasons``).
    schedule : pandas.DataFrame
        ``week``, ``kind`` ("control" or an injection kind) and ``injection``.

    Returns
    -------
    pandas.DataFrame
        One row per injection (``injection, kind, start_week, end_week,
        first_alert_week, delay_weeks`` (NaN if never detected during it),
        ``detected_at_start, reasons``) and one per control week (``kind`` =
        "control", ``false_alert``).

    Examples
    --------
    >>> w = pd.DataFrame({"week": [1, 2, 3], "alert": [False, False, True],
    ...                   "reasons": ["", "", "drift: x"]})
    >>> s = pd.DataFrame({"week": [1, 2, 3], "kind": ["control", "gradual_shift"] + ["gradual_shift"],
    ...                   "injection": ["", "g", "g"]})
    >>> detection_summary(w, s)[["injection", "delay_weeks", "false_alert"]].to_numpy().tolist()
    [['g', 1.0, nan], ['', nan, False]]
    """
    _check_instance(weeks, pd.DataFrame, name="weeks")
    _check_instance(schedule, pd.DataFrame, name="schedule")
    _check_columns(weeks, ["week", "alert", "reasons"], name="weeks")
    _check_columns(schedule, ["week", "kind", "injection"], name="schedule")
    if len(weeks) == 0:
        raise ValueError("weeks must hold at least one monitored week, got an empty DataFrame")
    merged = schedule.merge(weeks[["week", "alert", "reasons"]], on="week", how="left")
    merged["alert"] = merged["alert"].eq(True)
    rows = []
    for name, g in merged[merged["kind"] != "control"].groupby("injection", sort=False):
        g = g.sort_values("week")
        start, end = int(g["week"].min()), int(g["week"].max())
        hits = g[g["alert"]]
        first = int(hits["week"].iloc[0]) if len(hits) else np.nan
        rows.append({"injection": name, "kind": g["kind"].iloc[0], "start_week": start,
                     "end_week": end, "first_alert_week": first,
                     "delay_weeks": first - start if len(hits) else np.nan,
                     "detected_at_start": bool(g["alert"].iloc[0]),
                     "reasons": g["reasons"].iloc[0], "false_alert": np.nan})  # fmt: skip
    for _, r in merged[merged["kind"] == "control"].iterrows():
        rows.append({"injection": "", "kind": "control", "start_week": int(r["week"]),
                     "end_week": int(r["week"]), "first_alert_week": np.nan,
                     "delay_weeks": np.nan, "detected_at_start": np.nan,
                     "reasons": r["reasons"], "false_alert": bool(r["alert"])})  # fmt: skip
    return pd.DataFrame(rows)


def _figure_html(fig: object) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
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
        From :func:`monitor_weeks`.
    output_dir : str or pathlib.Path
        Folder (created if needed).
    schedule : pandas.DataFrame, optional
        Known injections, shown next to the alerts when given.
    figures : sequence of matplotlib.figure.Figure
        Embedded as PNG, in order.
    filename : str, default="weekly_drift_report.html"
        File name (no folders).
    title : str
        Page title.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    if not isinstance(report, DriftReport):
        raise TypeError(f"report must be a DriftReport, got {type(report).__name__}")
    if not isinstance(filename, str) or "/" in filename or not filename.endswith(".html"):
        raise ValueError(f"filename must be a bare name ending in .html, got {filename!r}")
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
        *[_figure_html(f) for f in figures],
        "<h2>Data-quality issues</h2>",
        report.quality.to_html(index=False) if len(report.quality) else "<p>None.</p>",
        "<h2>Effect size per feature and week (PSI numeric, Jensen-Shannon categorical)</h2>",
        pivot.to_html(na_rep=""),
        "</body></html>",
    ]  # fmt: skip
    path = out / filename
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
