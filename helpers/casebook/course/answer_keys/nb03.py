"""Answer key of notebook 03 (medical screening costs): thresholds, false alarms, calibration."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.costs import cost_optimal_threshold
from casebook.decisions.screening import screening_table

KEY = AnswerKey("03")
CLINIC_PREVALENCE = 0.37  # share of malignant cases in the hospital's data (a fixed fact)


@KEY.number(
    "threshold_for_fn_cost_60",
    question=(
        "A missed cancer now costs 60 follow-up units (a false positive still costs 1). Using "
        "the out-of-fold development scores, what is the new cost-optimal threshold?"
    ),
    form="a threshold between 0 and 1",
    hint=(
        "The best threshold is where one more flagged case costs as much in false alarms as it "
        "saves in misses: price every candidate threshold on the development scores and keep "
        "the cheapest."
    ),
    abs_tol=0.005,
    wrong_example=0.5,
    slip="that is the default threshold, not the cost-optimal one",
)
def threshold_for_fn_cost_60(*, y_dev: Any, p_dev: Any) -> float:
    return float(cost_optimal_threshold(y_dev, p_dev, fp_cost=1.0, fn_cost=60.0).threshold)


@KEY.number(
    "false_alarms_per_10000",
    question=(
        "A screening programme runs this test (at the sensitivity-floor threshold) on 10,000 "
        "people at 0.5% prevalence. How many of them receive a false positive result?"
    ),
    form="a number of people (answers within 2% are accepted)",
    hint=(
        "A false alarm needs two things: no cancer, and a positive test anyway. Count the "
        "people without cancer first."
    ),
    rel_tol=0.02,
    wrong_example=lambda *, sens_test, spec_test: float(
        10_000 * (1 - spec_test) * (1 - CLINIC_PREVALENCE)
    ),
    slip="that uses the hospital's prevalence; the screening population is 0.5% malignant",
)
def false_alarms_per_10000(*, sens_test: float, spec_test: float) -> float:
    table = screening_table(sensitivity=sens_test, specificity=spec_test, prevalences=[0.005])
    return float(table["false_alarms"].iloc[0])


KEY.choice(
    "what_recalibration_does",
    question="What does Platt recalibration change?",
    hint="The sigmoid mapping is monotonic.",
    options={
        "a": "the Platt sigmoid is monotonic: every patient keeps its rank, so the ROC curve "
        "cannot change",
        "b": None,
        "c": "an empirically chosen threshold still reads scores as risks the moment you quote "
        "a PPV, a decision curve or the formula threshold; and the threshold itself moves when "
        "the probabilities move",
    },
)


@KEY.judgement(
    "switch_from_05",
    question=(
        "The clinical lead will replace the 0.5 threshold by the cost-optimal one only if the "
        "evidence says it saves cost on new patients, not on one lucky split. Switch or keep "
        "0.5? Justify with the share of the pooled test cost it saves over the repeated random "
        "splits of section 2b."
    ),
    hint=(
        "One split of 171 patients is noisy; add up the test costs of both thresholds over all "
        "the repeated splits and compare."
    ),
    options={
        "switch": "over the repeated splits the cost-optimal threshold does not lower the pooled "
        "test cost: the evidence does not support the switch",
        "keep 0.5": "over the repeated splits the cost-optimal threshold lowers the pooled test "
        "cost: keeping 0.5 pays for cancers the other threshold would catch",
    },
    abs_tol=0.01,
)
def switch_from_05(*, repeat: pd.DataFrame) -> tuple[str, float]:
    saving = 1 - repeat["cost_at_optimum"].sum() / repeat["cost_at_05"].sum()
    return ("switch" if saving > 0 else "keep 0.5"), float(saving)


def _sweep_slip(y, p, *, fp_cost, fn_cost, flag_above=False, lowest_on_tie=False, nothing=True):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    candidates = sorted(set(p.tolist())) + ([np.inf] if nothing else [])
    costs = []
    for t in candidates:
        flagged = p > t if flag_above else p >= t
        costs.append(fp_cost * np.sum(flagged & (y == 0)) + fn_cost * np.sum(~flagged & (y == 1)))
    costs = np.asarray(costs, dtype=float)
    best = np.flatnonzero(costs == costs.min())
    return float(candidates[best[0] if lowest_on_tie else best[-1]])


def _grid_slip(y, p, *, fp_cost, fn_cost):
    y, p = np.asarray(y), np.asarray(p, dtype=float)
    grid = np.round(np.arange(0.01, 1.0, 0.01), 2)
    costs = [
        fp_cost * np.sum((p >= t) & (y == 0)) + fn_cost * np.sum((p < t) & (y == 1)) for t in grid
    ]
    return float(grid[int(np.argmin(costs))])


def _strict_slip(y, p, *, fp_cost, fn_cost):
    return _sweep_slip(y, p, fp_cost=fp_cost, fn_cost=fn_cost, flag_above=True)


def _lowest_on_tie_slip(y, p, *, fp_cost, fn_cost):
    return _sweep_slip(y, p, fp_cost=fp_cost, fn_cost=fn_cost, lowest_on_tie=True)


def _no_flag_nothing_slip(y, p, *, fp_cost, fn_cost):
    return _sweep_slip(y, p, fp_cost=fp_cost, fn_cost=fn_cost, nothing=False)


_rng = np.random.default_rng(0)
_y30 = (_rng.random(30) < 0.4).astype(int)
_p30 = np.clip(0.35 * _y30 + _rng.normal(0.3, 0.2, 30), 0.001, 0.999).round(3)

THRESHOLD_CASES = [
    Case(
        "eight patients, misses cost 5",
        args=([0, 0, 1, 1, 0, 1, 0, 0], [0.1, 0.4, 0.35, 0.8, 0.2, 0.6, 0.05, 0.7]),
        kwargs={"fp_cost": 1.0, "fn_cost": 5.0},
    ),
    Case(
        "thirty patients, misses cost 25",
        args=(_y30.tolist(), _p30.tolist()),
        kwargs={"fp_cost": 1.0, "fn_cost": 25.0},
    ),
    Case(
        "thirty patients, false alarms cost 3",
        args=(_y30.tolist(), _p30.tolist()),
        kwargs={"fp_cost": 3.0, "fn_cost": 1.0},
    ),
    Case(
        "tied scores are flagged together",
        args=([0, 1, 0, 1, 1], [0.2, 0.5, 0.5, 0.5, 0.9]),
        kwargs={"fp_cost": 1.0, "fn_cost": 2.0},
    ),
    Case(
        "two thresholds cost the same (the higher one flags fewer)",
        args=([0, 1, 0, 1], [0.1, 0.3, 0.6, 0.8]),
        kwargs={"fp_cost": 1.0, "fn_cost": 1.0},
    ),
    Case(
        "flagging nobody is cheapest (threshold inf)",
        args=([0, 0, 1, 0], [0.6, 0.7, 0.4, 0.9]),
        kwargs={"fp_cost": 5.0, "fn_cost": 1.0},
    ),
    Case(
        "flagging everyone is cheapest",
        args=([1, 0, 1, 1], [0.1, 0.2, 0.3, 0.9]),
        kwargs={"fp_cost": 1.0, "fn_cost": 10.0},
    ),
    Case(
        "one class only", args=([0, 0, 0], [0.1, 0.5, 0.9]), kwargs={"fp_cost": 1.0, "fn_cost": 5.0}
    ),
    Case(
        "a missing score",
        args=([0, 1, 1], [0.1, float("nan"), 0.9]),
        kwargs={"fp_cost": 1.0, "fn_cost": 5.0},
    ),
    Case(
        "labels and scores of different lengths",
        args=([0, 1, 1], [0.1, 0.9]),
        kwargs={"fp_cost": 1.0, "fn_cost": 5.0},
    ),
    Case("a negative cost", args=([0, 1], [0.2, 0.8]), kwargs={"fp_cost": -1.0, "fn_cost": 5.0}),
]


@KEY.implement(
    "implement_cost_optimal_threshold",
    question=(
        "Write the exact cost-optimal threshold: the threshold (flag when score >= threshold) "
        "with the lowest total cost, searched over every distinct score."
    ),
    signature="my_cost_optimal_threshold(y_true, y_score, *, fp_cost, fn_cost) -> float",
    hint=(
        "Only the distinct scores can change a decision, so they are the only candidates, plus "
        "one that flags nobody. Among equally cheap thresholds, prefer the one that flags fewest."
    ),
    cases=THRESHOLD_CASES,
    slips={
        "a grid of thresholds (0.01, 0.02, ...) instead of the distinct scores": _grid_slip,
        "flagging with > instead of >= (the case at the threshold must be flagged)": _strict_slip,
        "the lowest of equally cheap thresholds (prefer the one that flags fewest)": (
            _lowest_on_tie_slip
        ),
        "flagging nobody left out of the candidates (threshold inf)": _no_flag_nothing_slip,
    },
)
def cost_optimal(y_true: Any, y_score: Any, *, fp_cost: float, fn_cost: float) -> float:
    return float(
        cost_optimal_threshold(y_true, y_score, fp_cost=fp_cost, fn_cost=fn_cost).threshold
    )
