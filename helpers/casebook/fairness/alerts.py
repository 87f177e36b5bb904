"""Fairness over time: KPIs per batch, alert rules that survive small groups, diagnosis.

A one-off audit answers "is the model fair today?". A monitoring job asks it
every batch, and two things make that harder than it looks:

* **Small groups.** In a quiet week a group may have a dozen members; its
  rate, and any ratio built on it, then swings wildly. A rule on the point
  estimate raises false alarms. :func:`alert_timeline` therefore decides on
  the *interval* (breach only when the whole interval is past the tolerance),
  refuses to judge batches whose smallest group is below ``min_group_size``
  ("insufficient data"), and alerts only after ``consecutive`` breaches.
* **Finding the cause.** When an alert fires, :func:`rank_shifted_features`
  compares each feature's distribution before and during the alert, group by
  group, and ranks features by how much *more* they moved in one group than
  in another. A feature that shifted for everyone (inflation) is drift, not
  a fairness cause; one that shifted for one group only is the suspect.

The per-batch intervals come from :func:`casebook.fairness.intervals.bootstrap_counts`
(the row bootstrap within groups, done on confusion counts).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Integral
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from casebook._validation.arrays import check_n_resamples, plain_frame
from casebook.fairness._checks import check_frame, finite_scalar
from casebook.fairness.intervals import bootstrap_counts
from casebook.fairness.metrics import UndefinedMetricWarning, criterion_from_counts, group_metrics

__all__ = ["alert_timeline", "fairness_kpis_by_batch", "first_alert", "rank_shifted_features"]

Direction = Literal["below", "above"]
Rule = Literal["interval", "point"]


def fairness_kpis_by_batch(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    batch: Any,
    metric: str = "demographic_parity",
    method: Literal["difference", "ratio"] = "ratio",
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """One fairness KPI per batch with its bootstrap interval.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1}
        Outcomes (only needed by label-based metrics; pass ``y_pred`` again
        for selection-rate KPIs when outcomes are not known yet) and decisions.
    sensitive_features : array-like
        Group of each row. Every batch reports every group seen anywhere.
    batch : array-like
        Batch of each row (e.g. the week); output is sorted by batch.
    metric : str, default="demographic_parity"
        A criterion or rate understood by
        :func:`casebook.fairness.metrics.criterion_from_counts`.
    method : {"difference", "ratio"}, default="ratio"
    n_resamples : int, default=1000
    confidence : float, default=0.95
    seed : int, default=0
        Each batch uses ``seed + batch position`` so batches are independent.

    Returns
    -------
    pandas.DataFrame
        One row per batch: ``batch``, ``n``, ``min_group_n`` (smallest group
        in the batch), ``selection_rate_<group>`` for each group,
        ``estimate``, ``low``, ``high`` (NaN when the KPI or its interval is
        undefined, e.g. an empty group).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> week = np.repeat([1, 2], 400)
    >>> g = rng.choice(["a", "b"], 800)
    >>> p = (rng.random(800) < np.where((week == 2) & (g == "b"), 0.3, 0.6)).astype(int)
    >>> k = fairness_kpis_by_batch(p, p, sensitive_features=g, batch=week, n_resamples=200)
    >>> k[["batch", "n"]].values.tolist()
    [[1, 400], [2, 400]]
    >>> bool(k.loc[1, "high"] < 0.75 < k.loc[0, "low"])
    True
    """
    if isinstance(confidence, (bool, np.bool_)) or not (
        isinstance(confidence, (int, float, np.integer, np.floating)) and 0 < confidence < 1
    ):
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    check_n_resamples(n_resamples, confidence=float(confidence))
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    s, b = np.asarray(sensitive_features), np.asarray(batch)
    n = len(yp)
    for name, arr in (("y_true", yt), ("sensitive_features", s), ("batch", b)):
        if len(arr) != n:
            raise ValueError(f"{name} must have the same length as y_pred ({n}), got {len(arr)}")
    if n == 0:
        raise ValueError(
            "y_true, y_pred, sensitive_features and batch must not be empty, got 0 rows"
        )
    if pd.isna(s).any():
        raise ValueError("sensitive_features must not contain missing values")
    if pd.isna(b).any():
        raise ValueError(
            f"batch must not contain missing values, got {int(pd.isna(b).sum())} NaN/None"
        )
    groups = sorted(pd.unique(s).tolist())
    rows = []
    for i, value in enumerate(np.unique(b)):
        mask = b == value
        with warnings.catch_warnings():
            # empty groups / no positives are expected in small batches:
            # they surface as NaN and as min_group_n below the minimum
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            table = group_metrics(yt[mask], yp[mask], sensitive_features=s[mask], groups=groups)
        counts = table[["tn", "fp", "fn", "tp"]].to_numpy()
        estimate = float(criterion_from_counts(counts, metric, method))
        row = {"batch": value, "n": int(mask.sum()), "min_group_n": int(table["n"].min())}
        for g in groups:
            row[f"selection_rate_{g}"] = float(table.loc[g, "selection_rate"])
        low = high = np.nan
        if not np.isnan(estimate):
            boot = bootstrap_counts(counts, n_resamples=n_resamples, seed=seed + i)
            dist = criterion_from_counts(boot, metric, method)
            dist = dist[~np.isnan(dist)]
            if len(dist) >= n_resamples / 2:
                alpha = (1 - confidence) / 2
                low, high = (float(q) for q in np.quantile(dist, [alpha, 1 - alpha]))
        rows.append(row | {"estimate": estimate, "low": low, "high": high})
    return pd.DataFrame(rows)


def alert_timeline(
    kpis: pd.DataFrame,
    *,
    tolerance: float,
    direction: Direction = "below",
    rule: Rule = "interval",
    min_group_size: int = 30,
    consecutive: int = 2,
) -> pd.DataFrame:
    """Apply an alert rule to per-batch KPIs and return the timeline.

    The rule, batch by batch:

    1. ``status = "insufficient"`` if the smallest group has fewer than
       ``min_group_size`` members (or the KPI is undefined). Such a batch is
       skipped: it neither extends nor resets a run of breaches.
    2. Otherwise the batch is a **breach** if, for ``rule="interval"``, the
       whole interval is past the tolerance (``high < tolerance`` for
       ``direction="below"``, ``low > tolerance`` for ``"above"``), or, for
       ``rule="point"``, the estimate is.
    3. An **alert** is raised in a batch that completes ``consecutive``
       judged breaches in a row; it stays raised while breaches continue.

    ``rule="point", min_group_size=0, consecutive=1`` is the naive rule.

    Parameters
    ----------
    kpis : pandas.DataFrame
        From :func:`fairness_kpis_by_batch` (``estimate``, ``low``, ``high``,
        ``min_group_n``).
    tolerance : float
        E.g. 0.8 for a selection-rate ratio (four-fifths rule).
    direction : {"below", "above"}, default="below"
        Which side of the tolerance is bad: "below" for ratios, "above" for
        differences.
    rule : {"interval", "point"}, default="interval"
    min_group_size : int, default=30
    consecutive : int, default=2

    Returns
    -------
    pandas.DataFrame
        ``kpis`` plus ``status`` ("insufficient", "ok", "breach" or
        "alert"), ``breach`` (bool), ``streak`` (judged breaches in a row) and
        ``alert`` (bool).

    Examples
    --------
    >>> k = pd.DataFrame({"batch": [1, 2, 3, 4, 5], "min_group_n": [50, 5, 50, 50, 50],
    ...                   "estimate": [0.9, 0.3, 0.6, 0.6, 0.6],
    ...                   "low": [0.8, 0.0, 0.5, 0.5, 0.5], "high": [1.0, 0.9, 0.7, 0.7, 0.7]})
    >>> alert_timeline(k, tolerance=0.8)["status"].tolist()
    ['ok', 'insufficient', 'breach', 'alert', 'alert']
    """
    kpis = plain_frame(kpis)  # nullable / Arrow columns: pd.NA behaves like NaN
    kpi_columns = ("estimate", "low", "high", "min_group_n")
    check_frame(kpis, name="kpis", nonempty=False)
    missing = set(kpi_columns) - set(kpis.columns)
    if missing:
        raise ValueError(f"kpis must have columns {sorted(missing)}; got {list(kpis.columns)}")
    for col in kpi_columns:
        values = kpis[col].to_numpy()
        if not pd.api.types.is_numeric_dtype(kpis[col]):
            raise TypeError(f"kpis[{col!r}] must be numeric, got dtype {kpis[col].dtype}")
        if np.isinf(values.astype(float)).any():
            raise ValueError(f"kpis[{col!r}] must not contain infinity (NaN means undefined)")
    if direction not in ("below", "above"):
        raise ValueError(f"direction must be 'below' or 'above', got {direction!r}")
    if rule not in ("interval", "point"):
        raise ValueError(f"rule must be 'interval' or 'point', got {rule!r}")
    tolerance = finite_scalar(tolerance, name="tolerance")
    for name, value, low in (
        ("min_group_size", min_group_size, 0),
        ("consecutive", consecutive, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    out = kpis.copy()
    if rule == "interval":
        edge = out["high"] if direction == "below" else out["low"]
    else:
        edge = out["estimate"]
    past = edge < tolerance if direction == "below" else edge > tolerance
    judged = (out["min_group_n"] >= min_group_size) & edge.notna()
    status, breach, streaks, alerts = [], [], [], []
    streak = 0
    for ok_to_judge, is_past in zip(judged, past, strict=True):
        if not ok_to_judge:
            status.append("insufficient")
            breach.append(False)
        else:
            streak = streak + 1 if is_past else 0
            breach.append(bool(is_past))
            status.append("alert" if streak >= consecutive else "breach" if is_past else "ok")
        streaks.append(streak)
        alerts.append(status[-1] == "alert")
    out["status"], out["breach"], out["streak"], out["alert"] = status, breach, streaks, alerts
    return out


def first_alert(timeline: pd.DataFrame) -> Any:
    """Batch of the first alert in a timeline from :func:`alert_timeline`, or None.

    Examples
    --------
    >>> first_alert(pd.DataFrame({"batch": [1, 2, 3], "alert": [False, True, True]}))
    2
    """
    timeline = plain_frame(timeline)  # nullable / Arrow columns: pd.NA behaves like NaN
    check_frame(timeline, name="timeline", columns=("batch", "alert"), nonempty=False)
    hits = timeline.loc[timeline["alert"].astype(bool), "batch"]
    return (
        None
        if hits.empty
        else hits.iloc[0].item()
        if hasattr(hits.iloc[0], "item")
        else hits.iloc[0]
    )


def rank_shifted_features(
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    group: str,
    period: str,
    reference: Sequence[Any],
    current: Sequence[Any],
) -> pd.DataFrame:
    """Rank features by how much more their distribution moved in one group.

    For every feature and group, the shift is the two-sample
    Kolmogorov-Smirnov statistic (the largest gap between the two empirical
    CDFs, in [0, 1]; no binning, so no empty-bin handling is needed) between
    the ``reference`` and ``current`` periods. The ``differential_shift`` is
    the largest minus the smallest group shift: near 0 when a feature moved
    alike for everyone (ordinary drift), large when it moved for one group
    only (a candidate cause of a fairness alert).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with the features, the group column and the period column.
    features : sequence of str
        Numeric columns to compare.
    group : str
        Column with the sensitive group.
    period : str
        Column with the batch (e.g. week).
    reference, current : sequence
        Period values before the alert (baseline) and around it.

    Returns
    -------
    pandas.DataFrame
        Index ``feature``, sorted by ``differential_shift`` (descending);
        columns ``shift_<group>`` per group, ``overall_shift`` (both groups
        pooled), ``differential_shift`` and ``most_shifted_group``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"week": np.repeat([1, 2], 500), "g": rng.choice(["a", "b"], 1000),
    ...                    "x": rng.normal(size=1000), "y": rng.normal(size=1000)})
    >>> df.loc[(df.week == 2) & (df.g == "b"), "x"] -= 1.0
    >>> r = rank_shifted_features(df, features=["x", "y"], group="g", period="week",
    ...                           reference=[1], current=[2])
    >>> r.index[0], r.loc["x", "most_shifted_group"]
    ('x', 'b')
    """
    check_frame(frame, name="frame", nonempty=False)
    for col in (*features, group, period):
        if col not in frame.columns:
            raise ValueError(f"column {col!r} is not in frame; columns: {list(frame.columns)}")
    check_frame(frame, name="frame")
    for feat in features:
        if not pd.api.types.is_numeric_dtype(frame[feat]):
            raise TypeError(
                f"frame[{feat!r}] must be numeric to compare distributions, got dtype "
                f"{frame[feat].dtype}"
            )
    ref = frame[frame[period].isin(list(reference))]
    cur = frame[frame[period].isin(list(current))]
    if ref.empty or cur.empty:
        raise ValueError(
            f"reference and current must select rows; got {len(ref)} and {len(cur)} rows"
        )
    groups = sorted(frame[group].dropna().unique().tolist())
    rows = {}
    for feat in features:
        row: dict[str, Any] = {}
        for g in groups:
            a = ref.loc[ref[group] == g, feat].dropna().to_numpy()
            c = cur.loc[cur[group] == g, feat].dropna().to_numpy()
            row[f"shift_{g}"] = float(ks_2samp(a, c).statistic) if len(a) and len(c) else np.nan
        row["overall_shift"] = float(
            ks_2samp(ref[feat].dropna().to_numpy(), cur[feat].dropna().to_numpy()).statistic
        )
        shifts = pd.Series({g: row[f"shift_{g}"] for g in groups}, dtype=float)
        row["differential_shift"] = float(shifts.max() - shifts.min())
        row["most_shifted_group"] = str(shifts.idxmax())
        rows[feat] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "feature"
    return out.sort_values("differential_shift", ascending=False)
