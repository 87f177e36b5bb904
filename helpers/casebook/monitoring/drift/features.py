"""Feature drift of one batch: a test and an effect size per feature, corrected across features.

Every numeric feature gets a Kolmogorov-Smirnov test, PSI on reference-quantile
bins and the normed Wasserstein distance; every categorical feature a
chi-square test and the Jensen-Shannon distance (on the labels as text). The
p-values are corrected across the batch's features (:mod:`casebook.monitoring.drift.multitest`)
and a feature drifts only when it is significant *and* its effect size reaches
its threshold. The statistics equal the functions of :mod:`casebook.monitoring.drift.stats`
called column by column; the reference side (PSI edges and counts, category
counts) is computed once, so that a monitor testing many batches against the
same reference does not recount it every week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon as _js

from casebook.monitoring.drift._core import (
    _bin_counts,
    _categories,
    _check_columns,
    _check_finite,
    _check_instance,
    _check_threshold,
    _chi_square_from_counts,
    _edges,
    _is_numeric,
    _numeric,
    _psi_from_counts,
    _result,
    _value_counts,
    category_key,
)
from casebook.monitoring.drift.multitest import correct
from casebook.monitoring.drift.stats import ks, wasserstein

__all__ = ["feature_drift"]

DRIFT_COLUMNS = ["feature", "kind", "test", "statistic", "p_value", "p_adjusted", "effect",
                 "effect_value", "effect_threshold", "wasserstein", "significant", "drifted",
                 "detail"]  # fmt: skip
_PSI_EPS = 1e-4  # the empty-bin proportion of casebook.monitoring.drift.stats.psi


@dataclass(frozen=True)
class _ReferenceProfile:
    """What every batch is compared with, computed once per reference."""

    numeric: dict[str, np.ndarray]  # non-missing values
    edges: dict[str, np.ndarray]  # PSI bin edges
    counts: dict[str, np.ndarray]  # PSI bin counts
    categories: dict[str, dict]  # non-zero category counts


def _reference_profile(
    reference: pd.DataFrame, *, numeric: Sequence[str], categorical: Sequence[str], bins: int
) -> _ReferenceProfile:
    values, edges, counts, cats = {}, {}, {}, {}
    for col in numeric:
        ref = _numeric(reference[col], name="reference")
        _check_finite(ref, name=f"reference[{col!r}]")
        values[col] = ref
        edges[col] = _edges(ref, bins)
        counts[col] = _bin_counts(ref, edges[col])
    for col in categorical:
        cats[col] = _value_counts(_categories(reference[col], name="reference"))
    return _ReferenceProfile(values, edges, counts, cats)


def _aligned(rc: dict, cc: dict) -> tuple[list, np.ndarray, np.ndarray]:
    cats = sorted(set(rc) | set(cc), key=category_key)
    return (
        cats,
        np.array([rc.get(c, 0) for c in cats], dtype=np.int64),
        np.array([cc.get(c, 0) for c in cats], dtype=np.int64),
    )


def _as_text(counts: dict) -> dict[str, int]:
    """Category counts keyed by the label as text (``Series.astype(str)``), merging clashes."""
    out: dict[str, int] = {}
    for k, v in counts.items():
        out[str(k)] = out.get(str(k), 0) + v
    return out


def _drift_table(
    profile: _ReferenceProfile,
    current: pd.DataFrame,
    *,
    numeric: Sequence[str],
    categorical: Sequence[str],
    alpha: float,
    correction: str,
    psi_threshold: float,
    js_threshold: float,
) -> pd.DataFrame:
    rows = []
    for col in numeric:
        cur = _numeric(current[col], name="current")
        ref, edges = profile.numeric[col], profile.edges[col]
        k = ks(ref, cur, threshold=alpha)
        value = _psi_from_counts(profile.counts[col], _bin_counts(cur, edges), eps=_PSI_EPS)
        p = _result("psi", value, None, psi_threshold, f"{edges.size - 1} bins")
        w = wasserstein(ref, cur)
        rows.append([col, "numeric", "ks", k.statistic, k.p_value, "psi", p.statistic,
                     psi_threshold, w.statistic, p.detail])  # fmt: skip
    for col in categorical:
        rc = profile.categories[col]
        cc = _value_counts(_categories(current[col], name="current"))
        c = _chi_square_from_counts(*_aligned(rc, cc), threshold=alpha, unseen="include")
        _, pt, qt = _aligned(_as_text(rc), _as_text(cc))
        js = max(float(_js(pt / pt.sum(), qt / qt.sum(), base=2)), 0.0)
        rows.append([col, "categorical", "chi_square", c.statistic, c.p_value,
                     "jensen_shannon", js, js_threshold, np.nan, c.detail])  # fmt: skip
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
    return table[DRIFT_COLUMNS]


def _check_inputs(frame: object, columns: Sequence[str], numeric: Sequence[str], name: str) -> None:
    _check_instance(frame, pd.DataFrame, name=name)
    _check_columns(frame, columns, name=name)
    for col in numeric:
        if _is_numeric(frame[col]):
            _check_finite(frame[col].to_numpy(dtype=float, na_value=np.nan),
                          name=f"{name}[{col!r}]")  # fmt: skip


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
        ``p_value`` is the raw (uncorrected) p-value of the feature's test.

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
    _check_threshold(psi_threshold, test=False, name="psi_threshold")
    _check_threshold(js_threshold, test=False, name="js_threshold")
    for name, frame in (("reference", reference), ("current", current)):
        _check_inputs(frame, [*numeric, *categorical], numeric, name)
    profile = _reference_profile(reference, numeric=numeric, categorical=categorical, bins=bins)
    return _drift_table(profile, current, numeric=numeric, categorical=categorical, alpha=alpha,
                        correction=correction, psi_threshold=psi_threshold,
                        js_threshold=js_threshold)  # fmt: skip
