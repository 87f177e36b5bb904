"""Answer key of notebook 15 (model fleet): a what-if policy, breaches, mergeable summaries."""

from __future__ import annotations

import math
import os
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.monitoring.drift.summaries import HistogramSummary, merge_all, psi_from_summaries
from casebook.monitoring.fleet import monitor_fleet
from casebook.monitoring.fleet_config import FleetConfig, replace_policies

KEY = AnswerKey("15")
STRICT, STRICT_DISARM = 0.5, 0.25
EPS = 1e-4


@KEY.number(
    "alerts_with_psi_05",
    question=(
        "The platform team proposes a stricter PSI threshold of 0.5 (disarm 0.25) for every "
        "drift-triggered model, to cut alerts. Rerun the job in-process for all 12 weeks with "
        "that what-if config: how many alert episodes does the fleet raise in total?"
    ),
    form="a whole number of alert episodes",
    hint=(
        "Only the drift-triggered policies change; the data, the seed and the other policies "
        "stay the same. Count alert episodes the way the fleet summary counts them."
    ),
    abs_tol=0.0,
)
def alerts_with_psi_05(
    *, config: FleetConfig, seed: int, rows_scale: float, audit_path: str | os.PathLike
) -> float:
    what_if = replace_policies(config, trigger="drift", threshold=STRICT, disarm=STRICT_DISARM)
    strict = monitor_fleet(what_if, audit_path=audit_path, seed=seed, rows_scale=rows_scale)
    return float(strict.summary["alerts"].sum())


def _weakest_shift_peak(weekly: pd.DataFrame, config: FleetConfig) -> float:
    peaks = []
    for m in config.models:
        starts = [e.week for e in m.events if e.kind == "covariate_shift"]
        if m.policy.trigger != "drift" or not starts:
            continue
        rows = weekly[(weekly["model"] == m.name) & (weekly["week"] >= min(starts))]
        peaks.append(float(rows["max_psi"].max()))
    return min(peaks)


@KEY.judgement(
    "adopt_psi_05",
    question=(
        "Should the platform adopt the stricter PSI threshold of 0.5 for the drift-triggered "
        "models ('adopt 0.5') or keep 0.2 ('keep 0.2')? The stricter threshold is safe only if "
        "every planted covariate shift on a drift-triggered model still reaches it. Give the "
        "call and the number it rests on: over those models, the smallest of their highest "
        "weekly PSI from the week their shift starts (the weakest planted shift)."
    ),
    hint=(
        "A higher threshold keeps only the alerts whose PSI reaches it. Look at the weakest of "
        "the real shifts, not at the noise: if even that one clears 0.5, the stricter threshold "
        "misses nothing that was planted."
    ),
    options={
        "adopt 0.5": "at least one planted covariate shift on a drift-triggered model never "
        "reaches a PSI of 0.5: the stricter threshold would miss a real shift",
        "keep 0.2": "every planted covariate shift on a drift-triggered model reaches a PSI of "
        "0.5 at some week, so the stricter threshold still catches all of them and only drops "
        "alerts on smaller movements",
    },
    abs_tol=0.01,
)
def adopt_psi_05(*, weekly: pd.DataFrame, config: FleetConfig) -> tuple[str, float]:
    weakest = _weakest_shift_peak(weekly, config)
    return ("adopt 0.5" if weakest >= STRICT else "keep 0.2"), weakest


KEY.choice(
    "missing_partitions_status",
    question=(
        "In week 8 two of the four partitions of fraud-merchant never arrived, and the PSI on "
        "the two that did arrive is low. What should the central job report?"
    ),
    hint=(
        "Ask what half a week can tell you about the whole week, and which statuses of "
        "section 3 describe a week whose data did not all arrive."
    ),
    options={
        "a": "half a week is not the week: the missing partitions may be exactly where the "
        "drift is, so 'ok' would be a silent pass",
        "b": None,
        "c": "missing data is a pipeline failure, not drift: retraining on half a week learns "
        "the gap and fixes nothing upstream",
        "d": "saying nothing is the worst silent pass: the missing data itself is the news, and "
        "the service level says so",
    },
)


@KEY.number(
    "share_models_with_breach",
    question=(
        "From the in-process fleet summary, what share of the fleet had at least one policy "
        "breach in the 12 weeks?"
    ),
    form="a share between 0 and 1",
    hint="Count the models with at least one breach, not the breaches, and divide by the fleet.",
    abs_tol=0.01,
    wrong_example=lambda *, summary: float((summary["breaches"] > 0).sum()),
    slip="that is the number of models with a breach; the question asks for their share of "
    "the fleet",
)
def share_models_with_breach(*, summary: pd.DataFrame) -> float:
    return float((summary["breaches"] > 0).mean())


def _counts(values: Any, name: str) -> tuple[int, ...]:
    values = list(values)
    for v in values:
        if isinstance(v, bool) or not isinstance(v, Integral | np.integer):
            raise TypeError(f"{name} must hold whole counts, got {v!r}")
        if v < 0:
            raise ValueError(f"{name} must hold counts >= 0, got {v!r}")
    return tuple(int(v) for v in values)


def _summary(counts: tuple[int, ...]) -> HistogramSummary:
    edges = (-math.inf, *map(float, range(len(counts) - 1)), math.inf)
    return HistogramSummary(edges, counts, 0, None, None)


def _psi(r: np.ndarray, c: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):  # the slips meet empty partitions
        r, c = r / r.sum(), c / c.sum()
        r, c = np.where(r == 0, EPS, r), np.where(c == 0, EPS, c)
        return float(np.sum((c - r) * np.log(c / r)))


def _mean_of_partition_psis(reference_counts, partition_counts):
    if not partition_counts:
        raise ValueError("no partitions")
    r = np.asarray(reference_counts, dtype=float)
    return float(np.mean([_psi(r, np.asarray(p, dtype=float)) for p in partition_counts]))


def _mean_of_partition_shares(reference_counts, partition_counts):
    if not partition_counts:
        raise ValueError("no partitions")
    r = np.asarray(reference_counts, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.mean([np.asarray(p, float) / np.sum(p) for p in partition_counts], axis=0)
    return _psi(r, shares)


def _no_empty_bin_rule(reference_counts, partition_counts):
    r = np.asarray(reference_counts, dtype=float)
    c = np.sum(np.asarray(partition_counts, dtype=float), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r, c = r / r.sum(), c / c.sum()
        return float(np.sum((c - r) * np.log(c / r)))


_REF = [30, 40, 50, 40, 40]


@KEY.implement(
    "implement_merged_psi",
    question=(
        "Write the job's drift statistic from partition summaries. reference_counts is the "
        "reference histogram (counts per bin on the model's fixed edges); partition_counts "
        "holds one histogram per partition of this week, on the same edges. Return the PSI of "
        "the whole week against the reference: shares r and c per bin, an empty bin's share "
        "counted as 0.0001, PSI = sum (c - r) * ln(c / r). Bad input (no partitions, a "
        "histogram with a different number of bins, a negative or fractional count, no value "
        "at all in the reference or in the week) raises ValueError or TypeError."
    ),
    signature="my_merged_psi(reference_counts, partition_counts) -> float",
    hint=(
        "Counts on the same edges add up exactly, so the week's histogram is the sum of its "
        "partitions' histograms; PSI is then computed once, on the merged week, never "
        "partition by partition."
    ),
    cases=[
        Case(
            "four partitions of unequal size",
            args=(
                _REF,
                [[10, 12, 15, 10, 3], [2, 3, 5, 6, 4], [20, 25, 30, 30, 15], [1, 0, 2, 1, 1]],
            ),
        ),  # fmt: skip
        Case("one partition", args=(_REF, [[25, 45, 55, 40, 35]])),
        Case("the same shares as the reference", args=(_REF, [[3, 4, 5, 4, 4], [3, 4, 5, 4, 4]])),
        Case("an empty partition", args=(_REF, [[10, 12, 15, 10, 3], [0, 0, 0, 0, 0]])),
        Case("an empty bin in the week", args=(_REF, [[0, 10, 10, 10, 10], [0, 5, 0, 5, 10]])),
        Case("an empty bin in the reference", args=([0, 40, 50, 40, 40], [[5, 10, 10, 10, 10]])),
        Case("no partitions", args=(_REF, [])),
        Case("a partition with a different number of bins", args=(_REF, [[1, 2, 3]])),
        Case("a negative count", args=(_REF, [[10, -2, 15, 10, 3]])),
        Case("a fractional count", args=(_REF, [[10, 2.5, 15, 10, 3]])),
        Case("no value in the week", args=(_REF, [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]])),
        Case("no value in the reference", args=([0, 0, 0, 0, 0], [[1, 2, 3, 4, 5]])),
    ],
    slips={
        "averages the partitions' PSIs instead of merging their counts": (_mean_of_partition_psis),
        "averages the partitions' shares, as if every partition had the same size": (
            _mean_of_partition_shares
        ),
        "no empty-bin rule: an empty bin makes ln(0) and PSI infinite": _no_empty_bin_rule,
    },
)
def my_merged_psi(reference_counts: Any, partition_counts: Any) -> float:
    ref = _counts(reference_counts, "reference_counts")
    parts = [_counts(p, f"partition_counts[{i}]") for i, p in enumerate(partition_counts)]
    if not parts:
        raise ValueError("partition_counts must hold at least one partition, got none")
    for i, p in enumerate(parts):
        if len(p) != len(ref):
            raise ValueError(
                f"partition_counts[{i}] must have {len(ref)} bins like the reference, got {len(p)}"
            )
    week = merge_all(_summary(p) for p in parts)
    return psi_from_summaries(_summary(ref), week, eps=EPS).statistic
