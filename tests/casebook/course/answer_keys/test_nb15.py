"""Answer key of notebook 15: an independent merged PSI passes, typical slips do not."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("15")


def merged_psi_by_loops(reference_counts, partition_counts):
    """Plain Python: add the partitions bin by bin, then one PSI on the merged week."""
    if not partition_counts:
        raise ValueError("no partitions")
    for counts in [reference_counts, *partition_counts]:
        if len(counts) != len(reference_counts):
            raise ValueError("bins differ")
        if any(not isinstance(n, int) or n < 0 for n in counts):
            raise ValueError("counts must be whole and >= 0")
    week = [sum(p[k] for p in partition_counts) for k in range(len(reference_counts))]
    n_ref, n_week = sum(reference_counts), sum(week)
    if n_ref == 0 or n_week == 0:
        raise ValueError("no values")
    total = 0.0
    for r_n, c_n in zip(reference_counts, week, strict=True):
        r, c = (r_n / n_ref) or 1e-4, (c_n / n_week) or 1e-4
        total += (c - r) * math.log(c / r)
    return total


def test_an_independent_merged_psi_passes():
    assert KEY.check("implement_merged_psi", merged_psi_by_loops) is None


def test_typical_wrong_merges_are_rejected_with_the_failing_case():
    def largest_partition_only(reference_counts, partition_counts):
        return merged_psi_by_loops(reference_counts, [max(partition_counts, key=sum)])

    def forgets_the_bad_input(reference_counts, partition_counts):
        try:
            return merged_psi_by_loops(reference_counts, partition_counts)
        except ValueError:
            return 0.0

    message = KEY.check("implement_merged_psi", largest_partition_only)
    assert message.startswith("case 'four partitions of unequal size'"), message
    message = KEY.check("implement_merged_psi", forgets_the_bad_input)
    assert message.startswith("case 'no partitions'"), message
    assert "bad input" in message


def test_missing_partitions_choice():
    assert KEY.check("missing_partitions_status", "b") is None
    assert "silent pass" in KEY.check("missing_partitions_status", "a")


def test_share_models_with_breach():
    inputs = {"summary": pd.DataFrame({"breaches": [0, 2, 0, 1]})}
    assert KEY.check("share_models_with_breach", 0.5, inputs=inputs) is None
    assert "typical slip: that is the number" in KEY.check(
        "share_models_with_breach", 2, inputs=inputs
    )


def fleet(peaks):
    """A two-model drift fleet with a covariate shift at week 2, and a performance model."""
    event = SimpleNamespace(kind="covariate_shift", week=2)
    models = [
        SimpleNamespace(name="a", policy=SimpleNamespace(trigger="drift"), events=[event]),
        SimpleNamespace(name="b", policy=SimpleNamespace(trigger="drift"), events=[event]),
        SimpleNamespace(name="c", policy=SimpleNamespace(trigger="performance"), events=[event]),
    ]
    rows = []
    for name, peak in zip("abc", peaks, strict=True):
        rows += [
            {"model": name, "week": 1, "max_psi": 0.9},  # before the shift: not its peak
            {"model": name, "week": 2, "max_psi": peak},
            {"model": name, "week": 3, "max_psi": peak / 2},
        ]
    return {"weekly": pd.DataFrame(rows), "config": SimpleNamespace(models=models)}


@pytest.mark.parametrize(
    ("peaks", "call", "weakest"),
    [((0.8, 0.6, 0.1), "adopt 0.5", 0.6), ((0.8, 0.3, 0.9), "keep 0.2", 0.3)],
)
def test_adopt_psi_05_looks_at_the_weakest_planted_shift(peaks, call, weakest):
    inputs = fleet(peaks)
    assert KEY.check("adopt_psi_05", (call, weakest), inputs=inputs) is None
    other = "keep 0.2" if call == "adopt 0.5" else "adopt 0.5"
    assert "is not the right call" in KEY.check("adopt_psi_05", (other, weakest), inputs=inputs)
    assert "right call, but the number" in KEY.check("adopt_psi_05", (call, 0.9), inputs=inputs)
