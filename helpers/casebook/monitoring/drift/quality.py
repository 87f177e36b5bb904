"""Data-quality checks that run before any drift statistic.

A drift alert on a broken pipeline is a false diagnosis: a column sent in
cents "drifts", but the fix is in the pipeline, not the model. So the monitor
first checks each batch against a :class:`DataSchema` inferred from the
reference, and reports every problem as a :class:`QualityIssue` with a clear
message. Checks never raise on bad data and never pass silently.

Checks (severity)
-----------------
- ``empty_batch`` (error): the batch has no rows.
- ``missing_column`` (error): a reference column is absent.
- ``new_column`` (warning): a column the reference does not have.
- ``type_change`` (error): a column's kind changed (numeric <-> categorical).
- ``all_missing`` (error): every value of a column is missing.
- ``infinite_values`` (error): a numeric column holds +-inf (drift
  distances on it would be infinite or undefined).
- ``missing_rate`` (warning): the share of missing values exceeds the
  reference's by more than ``max_missing_increase``.
- ``out_of_range`` (warning): numeric values outside the reference range
  widened by ``range_margin`` times its width on each side.
- ``unseen_category`` (warning): categories the reference never had.
- ``constant_column`` (warning): a column with one distinct value that varied
  in the reference.

A column with an error is not fit for drift statistics (see
:func:`drift_ready_columns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from casebook.monitoring.drift._core import _check_instance, _check_issues, _check_nonnegative

__all__ = ["DataSchema", "QualityIssue", "check_batch", "infer_schema", "issues_table",
           "drift_ready_columns"]  # fmt: skip

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class QualityIssue:
    """One problem found in a batch.

    Attributes
    ----------
    check : str
        Check name, e.g. ``"missing_column"``.
    column : str
        Affected column ("" for the whole batch).
    severity : {"error", "warning"}
        ``error`` makes the column (or batch) unfit for drift statistics.
    message : str
        What was found, with the numbers.
    """

    check: str
    column: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class DataSchema:
    """What the reference looks like, to check batches against.

    Attributes
    ----------
    kinds : dict of str -> {"numeric", "categorical"}
        Column kinds (bool and text count as categorical).
    ranges : dict of str -> (float, float)
        Allowed numeric range (reference range widened by the margin).
    categories : dict of str -> frozenset
        Categories observed in the reference (as strings).
    missing_rates : dict of str -> float
        Share of missing values per column in the reference.
    n_unique : dict of str -> int
        Distinct non-missing values per column in the reference.
    storage : dict of str -> {"numeric", "categorical"}
        How each column is stored (a 0/1 flag analysed as a category is
        still stored as numbers; receiving text instead is a type change).
    """

    kinds: Mapping[str, str]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    categories: Mapping[str, frozenset] = field(default_factory=dict)
    missing_rates: Mapping[str, float] = field(default_factory=dict)
    n_unique: Mapping[str, int] = field(default_factory=dict)
    storage: Mapping[str, str] = field(default_factory=dict)


def _kind(s: pd.Series) -> str:
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    return "numeric" if numeric else "categorical"


def infer_schema(
    reference: pd.DataFrame, *, range_margin: float = 0.1, categorical: tuple[str, ...] = ()
) -> DataSchema:
    """Infer the schema of the reference data.

    Parameters
    ----------
    reference : pandas.DataFrame
        The reference data (non-empty).
    range_margin : float, default=0.1
        Allowed numeric range is ``[min - m * w, max + m * w]`` with ``w``
        the reference range's width, so a fresh sample of the same population
        stays inside while a unit change does not.
    categorical : tuple of str, default=()
        Numeric columns to treat as categories (e.g. a 0/1 flag).

    Returns
    -------
    DataSchema

    Examples
    --------
    >>> ref = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]})
    >>> s = infer_schema(ref)
    >>> s.kinds, s.ranges["x"], sorted(s.categories["c"])
    ({'x': 'numeric', 'c': 'categorical'}, (0.8, 3.2), ['a', 'b'])
    """
    if not isinstance(reference, pd.DataFrame):
        raise TypeError(f"reference must be a pandas DataFrame, got {type(reference).__name__}")
    if len(reference) == 0:
        raise ValueError("reference must have at least one row, got an empty DataFrame")
    _check_nonnegative(range_margin, name="range_margin")
    unknown = [c for c in categorical if c not in reference.columns]
    if unknown:
        raise ValueError(f"categorical must name reference columns, got unknown {unknown}")
    kinds, ranges, cats, rates, nuniq, storage = {}, {}, {}, {}, {}, {}
    for col in reference.columns:
        s = reference[col]
        kind = "categorical" if col in categorical else _kind(s)
        kinds[col] = kind
        storage[col] = _kind(s)
        rates[col] = float(s.isna().mean())
        nuniq[col] = int(s.nunique(dropna=True))
        values = s.dropna()
        if kind == "numeric" and len(values):
            lo, hi = float(values.min()), float(values.max())
            width = hi - lo
            ranges[col] = (lo - range_margin * width, hi + range_margin * width)
        elif kind == "categorical":
            cats[col] = frozenset(str(v) for v in values.unique())
    return DataSchema(kinds, ranges, cats, rates, nuniq, storage)


def check_batch(
    batch: object, schema: DataSchema, *, max_missing_increase: float = 0.05
) -> list[QualityIssue]:
    """Check one batch against the schema; return every issue found (empty if clean).

    Parameters
    ----------
    batch : pandas.DataFrame
        The batch to check. Anything else is reported as an error issue.
    schema : DataSchema
        From :func:`infer_schema` on the reference.
    max_missing_increase : float, default=0.05
        Tolerated rise of a column's missing share over the reference's.

    Returns
    -------
    list of QualityIssue

    Examples
    --------
    >>> schema = infer_schema(pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}))
    >>> check_batch(pd.DataFrame({"x": [2.0, 300.0], "c": ["a", "z"]}), schema)[0].message
    'x: 1 of 2 values (50.0%) outside the expected range [0.8, 3.2]; observed [2, 300]'
    >>> [i.check for i in check_batch(pd.DataFrame(), schema)]
    ['empty_batch']
    """
    if not isinstance(schema, DataSchema):
        raise TypeError(f"schema must be a DataSchema, got {type(schema).__name__}")
    _check_nonnegative(max_missing_increase, name="max_missing_increase")
    if not isinstance(batch, pd.DataFrame):
        return [QualityIssue("not_a_table", "", "error",
                             f"batch must be a pandas DataFrame, got {type(batch).__name__}")]  # fmt: skip
    if len(batch) == 0:
        return [QualityIssue("empty_batch", "", "error", "batch is empty: 0 rows received")]
    issues: list[QualityIssue] = []
    for col in schema.kinds:
        if col not in batch.columns:
            issues.append(QualityIssue("missing_column", col, "error",
                                       f"{col}: column missing from the batch"))  # fmt: skip
    for col in batch.columns:
        if col not in schema.kinds:
            issues.append(QualityIssue("new_column", str(col), "warning",
                                       f"{col}: column not in the reference schema"))  # fmt: skip
    for col, kind in schema.kinds.items():
        if col in batch.columns:
            issues.extend(_check_column(batch[col], col, kind, schema, max_missing_increase))
    return issues


def _check_column(
    s: pd.Series, col: str, kind: str, schema: DataSchema, max_missing_increase: float
) -> list[QualityIssue]:
    n = len(s)
    missing = int(s.isna().sum())
    if missing == n:
        return [QualityIssue("all_missing", col, "error", f"{col}: all {n} values are missing")]
    out: list[QualityIssue] = []
    new_kind = _kind(s)
    expected = schema.storage.get(col, kind)
    if new_kind != expected:
        return [QualityIssue("type_change", col, "error",
                             f"{col}: expected a {expected} column, got dtype {s.dtype}")]  # fmt: skip
    if new_kind == "numeric":
        n_inf = int(np.isinf(s.to_numpy(dtype=float, na_value=np.nan)).sum())
        if n_inf:
            return [QualityIssue("infinite_values", col, "error",
                                 f"{col}: {n_inf} of {n} values are infinite")]  # fmt: skip
    rate, ref_rate = missing / n, schema.missing_rates.get(col, 0.0)
    if rate > ref_rate + max_missing_increase:
        out.append(QualityIssue("missing_rate", col, "warning",
                                f"{col}: {rate:.1%} missing, reference {ref_rate:.1%}"))  # fmt: skip
    values = s.dropna()
    if kind == "numeric" and col in schema.ranges:
        lo, hi = schema.ranges[col]
        arr = values.to_numpy(dtype=float)
        bad = int(np.sum((arr < lo) | (arr > hi)))
        if bad:
            out.append(QualityIssue(
                "out_of_range", col, "warning",
                f"{col}: {bad} of {arr.size} values ({bad / arr.size:.1%}) outside the expected "
                f"range [{lo:.4g}, {hi:.4g}]; observed [{arr.min():.4g}, {arr.max():.4g}]",
            ))  # fmt: skip
    if kind == "categorical" and col in schema.categories:
        if new_kind == "numeric" and values.dtype.kind == "f":
            values = values.astype("int64") if np.all(values == values.round()) else values
        seen = {str(v) for v in values.unique()}
        unseen = sorted(seen - schema.categories[col])
        if unseen:
            share = float(values.astype(str).isin(unseen).mean())
            out.append(QualityIssue(
                "unseen_category", col, "warning",
                f"{col}: categories never seen in the reference {unseen} "
                f"({share:.1%} of values)",
            ))  # fmt: skip
    if values.nunique() == 1 and schema.n_unique.get(col, 0) > 1:
        out.append(QualityIssue(
            "constant_column", col, "warning",
            f"{col}: every value is {values.iloc[0]!r}; the reference had "
            f"{schema.n_unique[col]} distinct values",
        ))  # fmt: skip
    return out


def issues_table(issues: list[QualityIssue]) -> pd.DataFrame:
    """Issues as a tidy table with columns check, column, severity, message.

    Examples
    --------
    >>> issues_table([]).columns.tolist()
    ['check', 'column', 'severity', 'message']
    """
    issues = _check_issues(issues, QualityIssue)
    return pd.DataFrame(
        [(i.check, i.column, i.severity, i.message) for i in issues],
        columns=["check", "column", "severity", "message"],
    )


def drift_ready_columns(schema: DataSchema, issues: list[QualityIssue]) -> list[str]:
    """Reference columns fit for drift statistics: no error on them or on the batch.

    Examples
    --------
    >>> schema = infer_schema(pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, 3.0]}))
    >>> drift_ready_columns(schema, check_batch(pd.DataFrame({"x": [1.0]}), schema))
    ['x']
    """
    _check_instance(schema, DataSchema, name="schema")
    issues = _check_issues(issues, QualityIssue)
    if any(i.severity == "error" and i.column == "" for i in issues):
        return []
    bad = {i.column for i in issues if i.severity == "error"}
    return [c for c in schema.kinds if c not in bad]
