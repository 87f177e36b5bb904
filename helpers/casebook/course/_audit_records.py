"""Reading a run's recorded results for its documents (private to the audit documents).

:class:`Recorded` gives the builders in :mod:`casebook.course._audit_cases` and
:mod:`casebook.course._audit_incident` the recorded values, with an error naming any
result the notebook did not record; the helpers turn audit-sheet rows into findings and
metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from casebook.governance.documents import Finding, Metric


class Recorded:
    """Read access to one run's results, with errors that say what is missing."""

    def __init__(self, results: Mapping[str, Any]) -> None:
        self.notebook = str(results["notebook"])
        self._values = results.get("results", {})
        self.fast = bool(results.get("fast", False))
        self.seed = results.get("seed", 0)
        started = str(results.get("started", ""))[:10]
        try:
            self.prepared = date.fromisoformat(started)
        except ValueError:
            raise ValueError(
                f"results must carry the run's start date ('started'), got {started!r}"
            ) from None

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            raise ValueError(
                f"results of {self.notebook} lack {key!r}: run the notebook to its documents "
                f"section (recorded: {len(self._values)} results)"
            )
        return self._values[key]["value"]

    @property
    def source(self) -> str:
        mode = "fast mode (fewer resamples, a sample of large data)" if self.fast else "full mode"
        return f"notebook {self.notebook}, seed {self.seed}, {mode}"

    def review(self, days: int) -> date:
        return self.prepared + timedelta(days=days)


def ci_of(r: Recorded, key: str) -> tuple[float, float, float]:
    """An (estimate, low, high) triple recorded as a list of three."""
    est, low, high = r[key]
    return float(est), float(low), float(high)


def label_of(criterion: str, method: str) -> str:
    return f"{criterion.replace('_', ' ')} ({method})"


def findings_of(rows: list[dict[str, Any]], *, prefix: str = "") -> list[Finding]:
    found = []
    for row in rows:
        if row["low"] is None or row["high"] is None or row["value"] is None:
            evidence = f"no interval: {row['reason'] or 'undefined'}"
        else:
            evidence = (
                f"{row['value']:.2f}, 95% interval {row['low']:.2f} to {row['high']:.2f}; "
                f"rule: {row['method']} {'<=' if row['method'] == 'difference' else '>='} "
                f"{row['tolerance']:g}"
            )
            if row["status"] == "inconclusive" and "straddles" not in row["reason"]:
                evidence += f" ({row['reason']})"  # e.g. a group too small to judge
        found.append(
            Finding(prefix + label_of(row["criterion"], row["method"]), row["status"], evidence)
        )
    return found


def row_of(rows: list[dict[str, Any]], criterion: str, method: str) -> dict[str, Any]:
    found = [x for x in rows if x["criterion"] == criterion and x["method"] == method]
    if not found:
        raise ValueError(f"the recorded audit sheet has no row for {criterion} ({method})")
    return found[0]


def sheet_metric(rows: list[dict[str, Any]], criterion: str, method: str, name: str) -> Metric:
    row = row_of(rows, criterion, method)
    # a min / max ratio is at most 1, so it is read against the tolerance; a gap against 0
    ref = float(row["tolerance"]) if method == "ratio" else 0.0
    tol = f"tolerance {row['tolerance']:g}"
    note = f"min / max, read against the {tol}" if method == "ratio" else tol
    if row["low"] is None or row["high"] is None:
        return Metric(name, row["value"], reference=ref, note=f"{note}; {row['reason']}")
    return Metric(name, row["value"], low=row["low"], high=row["high"], reference=ref, note=note)
