"""The weekly drift report: Monitor (quality, drift), Diagnose (which signal), Act.

For every week the monitor

1. checks the batch against the reference schema (:mod:`casebook.monitoring.drift.quality`);
2. tests every feature fit for it (:func:`casebook.monitoring.drift.features.feature_drift`,
   the reference side computed once for all weeks): Kolmogorov-Smirnov (numeric) or chi-square
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
schedule of known injections into detection delays and false alerts;
:func:`casebook.monitoring.drift.html_report.write_html_report` writes it all as one HTML page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from casebook._validation.arrays import check_columns_present, plain_frame
from casebook.monitoring.drift._core import _check_columns, _check_instance, _check_threshold
from casebook.monitoring.drift.features import (
    DRIFT_COLUMNS,
    _check_inputs,
    _drift_table,
    _reference_profile,
)
from casebook.monitoring.drift.performance import prediction_drift
from casebook.monitoring.drift.quality import (
    DataSchema,
    check_batch,
    drift_ready_columns,
    issues_table,
)
from casebook.monitoring.drift.stats import mmd

__all__ = ["DriftReport", "detection_summary", "monitor_weeks"]


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
        From :func:`casebook.monitoring.drift.quality.infer_schema`.
    numeric, categorical : sequence of str
        Features to test.
    score : callable, optional
        ``score(frame) -> probabilities``, one per row; called on the
        reference and on the batches without quality errors, stacked into one
        call when they share columns and dtypes (so it must score each row on
        its own, as a fitted model does).
    alpha, correction, psi_threshold, js_threshold
        As in :func:`casebook.monitoring.drift.features.feature_drift`; ``alpha`` and ``psi_threshold`` also
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
    >>> from casebook.monitoring.drift.quality import infer_schema
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
    _check_inputs(reference, [*numeric, *categorical], numeric, "reference")
    profile = _reference_profile(reference, numeric=numeric, categorical=categorical, bins=10)
    issues_by_week = {week: check_batch(batches[week], schema) for week in sorted(batches)}
    clean = [w for w, issues in issues_by_week.items() if not any(i.severity == "error"
                                                                 for i in issues)]  # fmt: skip
    ref_scores = None if score is None else np.asarray(score(reference), dtype=float)
    scores = {} if score is None else _score_batches(score, {w: batches[w] for w in clean})
    week_rows, drift_parts, quality_parts = [], [], []
    for week, issues in issues_by_week.items():
        batch = batches[week]
        qt = issues_table(issues)
        qt.insert(0, "week", week)
        quality_parts.append(qt)
        ready = set(drift_ready_columns(schema, issues))
        num = [c for c in numeric if c in ready]
        cat = [c for c in categorical if c in ready]
        if num or cat:
            _check_inputs(batch, [*num, *cat], num, "current")
        table = _drift_table(profile, batch, numeric=num, categorical=cat, alpha=alpha,
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
                table = extra.reindex(columns=[*DRIFT_COLUMNS, "status"])
        table.insert(0, "week", week)
        drift_parts.append(table)
        row = _week_row(week, batch, issues, table, alpha)
        if len(num) == len(numeric) and num:
            j = mmd(reference[num], batch[num], threshold=alpha,
                    n_permutations=mmd_permutations, seed=seed + week)  # fmt: skip
            row.update(mmd=j.statistic, mmd_p_value=j.p_value)
        if week in scores:
            row["scored"] = True
            pdrift = prediction_drift(ref_scores, scores[week], alpha=alpha,
                                      psi_threshold=psi_threshold)  # fmt: skip
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


def _score_batches(
    score: Callable[[pd.DataFrame], np.ndarray], batches: Mapping[int, pd.DataFrame]
) -> dict[int, np.ndarray]:
    """Score every batch, stacking batches with the same columns and dtypes into one call."""
    groups: dict[tuple, list[int]] = {}
    for week, batch in batches.items():
        groups.setdefault(tuple(batch.dtypes.items()), []).append(week)
    out = {}
    for weeks in groups.values():
        frames = [batches[w] for w in weeks]
        stacked = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        s = np.asarray(score(stacked), dtype=float)
        if s.shape != (len(stacked),):
            raise ValueError(
                f"score must return one probability per row, got shape {s.shape} "
                f"for {len(stacked)} rows"
            )
        for week, part in zip(weeks, np.split(s, np.cumsum([len(f) for f in frames])[:-1]),
                              strict=True):  # fmt: skip
            out[week] = part
    return out


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
    weeks = plain_frame(weeks)  # nullable / Arrow columns: pd.NA behaves like NaN
    schedule = plain_frame(schedule)  # nullable / Arrow columns: pd.NA behaves like NaN
    _check_instance(weeks, pd.DataFrame, name="weeks")
    _check_instance(schedule, pd.DataFrame, name="schedule")
    _check_columns(weeks, ["week", "alert", "reasons"], name="weeks")
    _check_columns(schedule, ["week", "kind", "injection"], name="schedule")
    check_columns_present(weeks, ["week", "alert"], name="weeks")
    check_columns_present(schedule, ["week", "kind"], name="schedule")
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
