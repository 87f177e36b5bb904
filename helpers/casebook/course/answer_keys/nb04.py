"""Answer key of notebook 04 (fraud losses in money): fees, break-even, intervals, money lost."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.costs import cost_optimal_threshold, operating_point

KEY = AnswerKey("04")


@KEY.number(
    "threshold_for_fee_20",
    question=(
        "The bank outsources reviews and the fee rises to €20 per flagged transaction. Using the "
        "validation scores, what is the new money-optimal threshold?"
    ),
    form="a threshold between 0 and 1 (the exact score where the search stops)",
    hint=(
        "Every flag now costs 20 whether or not it is fraud, and a missed fraud still costs its "
        "own amount: price every candidate threshold on the validation period, keep the cheapest."
    ),
    rel_tol=1e-6,
    wrong_example=0.5,
    slip="that is the default threshold, not the money-optimal one",
)
def threshold_for_fee_20(*, y_val: Any, p_val: Any, amount_val: Any) -> float:
    missed = np.where(np.asarray(y_val) == 1, np.asarray(amount_val, dtype=float), 0.0)
    choice = cost_optimal_threshold(y_val, p_val, fp_cost=20.0, tp_cost=20.0, fn_cost=missed)
    return float(choice.threshold)


@KEY.number(
    "break_even_probability",
    question=(
        "A €200 transaction has a calibrated fraud probability p. Flagging costs the €5 review "
        "fee; not flagging costs €200 with probability p. Above which probability should it be "
        "flagged?"
    ),
    form="a probability between 0 and 1",
    hint="Flag when the expected loss of letting it through exceeds the sure cost of a review.",
    abs_tol=1e-4,
    wrong_example=40.0,
    slip="that is amount / fee; the break-even is a probability, the other way round",
)
def break_even_probability() -> float:
    return 5.0 / 200.0


KEY.choice(
    "class_weights_at_default",
    question="The fraud team proposes class_weight='balanced' shipped at threshold 0.5. Ship it?",
    hint=(
        "Balanced weights ignore the amounts; what does a flag cost, and who decides how many "
        "flags are worth it?"
    ),
    options={
        "a": "recall is not money: balanced weights flag far more transactions, and every flag "
        "costs a review fee that recall does not count",
        "b": None,
        "c": "class weights are a legitimate lever (section 6 uses amount-weighted ones); the "
        "problem is judging them without money on a later period",
    },
)


@KEY.judgement(
    "rule_saves_money",
    question=(
        "Management wants to tell the board that the per-transaction rule loses less money than "
        "the best single threshold. 'claim it' or 'not yet'? Justify with the lower end of the "
        "95% interval of the saving (the threshold's test loss minus the rule's)."
    ),
    hint=(
        "A saving measured on one short test period is a claim only when its whole interval "
        "lies above zero."
    ),
    options={
        "claim it": "the 95% interval of the saving does not lie entirely above zero: this test "
        "period cannot show that the rule loses less than the best threshold",
        "not yet": "the 95% interval of the saving lies entirely above zero: on this test "
        "period the rule loses less than the best threshold beyond resampling noise",
    },
    abs_tol=1.0,
)
def rule_saves_money(*, saving_ci: Any) -> tuple[str, float]:
    low = float(saving_ci.low)
    return ("claim it" if low > 0 else "not yet"), low


def _check_amount(y_true: Any, amount: Any) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true)
    money = np.asarray(amount, dtype=float)
    if money.shape != y.shape:
        raise ValueError(
            f"amount must have one value per transaction ({y.shape}), got shape {money.shape}"
        )
    if not np.isfinite(money).all() or (money < 0).any():
        raise ValueError("amount must be finite and non-negative, got a missing or negative one")
    return y, money


def _slip_loss(y_true, y_score, amount, *, threshold, fee, strict=False, fee_on_tp=True,
               any_missed=False) -> float:  # fmt: skip
    y, s, a = np.asarray(y_true), np.asarray(y_score, dtype=float), np.asarray(amount, dtype=float)
    flagged = s > threshold if strict else s >= threshold
    fees = fee * np.sum(flagged if fee_on_tp else flagged & (y == 0))
    missed = ~flagged if any_missed else ~flagged & (y == 1)
    return float(fees + a[missed].sum())


def _fee_on_false_alarms_only(y_true, y_score, amount, *, threshold, fee):
    return _slip_loss(y_true, y_score, amount, threshold=threshold, fee=fee, fee_on_tp=False)


def _strict_flag(y_true, y_score, amount, *, threshold, fee):
    return _slip_loss(y_true, y_score, amount, threshold=threshold, fee=fee, strict=True)


def _every_pass_costs(y_true, y_score, amount, *, threshold, fee):
    return _slip_loss(y_true, y_score, amount, threshold=threshold, fee=fee, any_missed=True)


_rng = np.random.default_rng(0)
_y40 = (_rng.random(40) < 0.25).astype(int)
_s40 = np.clip(0.3 * _y40 + _rng.random(40) * 0.7, 0, 1).round(3)
_a40 = np.exp(_rng.normal(3.5, 1.5, 40)).round(2)
_Y6, _S6, _A6 = (
    [0, 1, 0, 1, 1, 0],
    [0.1, 0.8, 0.6, 0.3, 0.9, 0.05],
    [20.0, 200.0, 35.0, 1.5, 900.0, 12.0],
)
_FEE5 = {"threshold": 0.5, "fee": 5.0}

MONEY_CASES = [
    Case("six transactions, threshold 0.5, fee 5", args=(_Y6, _S6, _A6), kwargs=_FEE5),
    Case(
        "forty transactions, threshold 0.2, fee 5",
        args=(_y40.tolist(), _s40.tolist(), _a40.tolist()),
        kwargs={"threshold": 0.2, "fee": 5.0},
    ),
    Case(
        "forty transactions, threshold 0.6, fee 20",
        args=(_y40.tolist(), _s40.tolist(), _a40.tolist()),
        kwargs={"threshold": 0.6, "fee": 20.0},
    ),
    Case(
        "a score exactly at the threshold is flagged",
        args=([1, 0, 1], [0.5, 0.5, 0.2], [300.0, 40.0, 10.0]),
        kwargs=_FEE5,
    ),
    Case(
        "nothing flagged (threshold above every score)",
        args=(_Y6, _S6, _A6),
        kwargs={"threshold": 0.95, "fee": 5.0},
    ),
    Case(
        "everything flagged (threshold 0)",
        args=(_Y6, _S6, _A6),
        kwargs={"threshold": 0.0, "fee": 5.0},
    ),
    Case("no fraud at all", args=([0, 0, 0], [0.7, 0.2, 0.9], [10.0, 20.0, 30.0]), kwargs=_FEE5),
    Case(
        "a missing amount",
        args=([0, 1, 1], [0.2, 0.8, 0.3], [10.0, float("nan"), 50.0]),
        kwargs=_FEE5,
    ),
    Case("a negative amount", args=([0, 1, 1], [0.2, 0.8, 0.3], [10.0, -80.0, 50.0]), kwargs=_FEE5),
    Case(
        "amounts of a different length",
        args=([0, 1, 1], [0.2, 0.8, 0.3], [10.0, 80.0]),
        kwargs=_FEE5,
    ),
    Case("a negative fee", args=(_Y6, _S6, _A6), kwargs={"threshold": 0.5, "fee": -5.0}),
    Case(
        "a missing score",
        args=([0, 1, 1], [0.2, float("nan"), 0.3], [10.0, 80.0, 50.0]),
        kwargs=_FEE5,
    ),
]


@KEY.implement(
    "implement_money_lost",
    question=(
        "Write the money lost by a threshold with example-dependent costs: every flagged "
        "transaction costs the review fee, every missed fraud costs its own amount."
    ),
    signature="my_money_lost(y_true, y_score, amount, *, threshold, fee) -> float",
    hint=(
        "Walk through the four cells of the confusion matrix and ask what each one costs in "
        "euros. A caught fraud is still reviewed; a legitimate transaction let through costs "
        "nothing."
    ),
    cases=MONEY_CASES,
    slips={
        "the fee charged only on false alarms (a caught fraud is reviewed too)": (
            _fee_on_false_alarms_only
        ),
        "flagging with > instead of >= (a score at the threshold is flagged)": _strict_flag,
        "every unflagged transaction's amount counted (only a missed fraud is lost)": (
            _every_pass_costs
        ),
    },
)
def money_lost(y_true: Any, y_score: Any, amount: Any, *, threshold: float, fee: float) -> float:
    y, money = _check_amount(y_true, amount)
    if (
        isinstance(fee, bool)
        or not isinstance(fee, int | float)
        or not math.isfinite(fee)
        or fee < 0
    ):
        raise ValueError(f"fee must be a finite non-negative number, got {fee!r}")
    point = operating_point(
        y,
        y_score,
        threshold=threshold,
        fp_cost=fee,
        tp_cost=fee,
        fn_cost=np.where(y == 1, money, 0.0),
    )
    return float(point.cost)
