"""Answer key of notebook 01 (spam filter false positives): thresholds, rates and category lift."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.costs import cost_optimal_threshold

KEY = AnswerKey("01")
LABELS = ("ham", "spam")


@KEY.number(
    "regulated_threshold",
    question=(
        "A regulator now treats a lost legitimate message as 50 times worse than a spam in the "
        "inbox. Using the validation scores, what is the cost-optimal threshold?"
    ),
    form="a threshold between 0 and 1",
    hint=(
        "Price every threshold: count the lost messages and the spams let through on the "
        "validation messages, weight them 50 to 1, and keep the cheapest."
    ),
    abs_tol=0.005,
    wrong_example=0.5,
    slip="that is the default threshold, not the cost-optimal one",
)
def regulated_threshold(*, y_valid: Any, score_valid: Any) -> float:
    choice = cost_optimal_threshold(y_valid, score_valid, fp_cost=50.0, fn_cost=1.0, labels=LABELS)
    return float(choice.threshold)


KEY.choice(
    "fix_that_targets_the_cause",
    question=(
        "Most false positives were borderline scores on a model trained with spam weighted 20 "
        "times, cut at a 0.5 threshold nobody chose. Which fix targets that cause?"
    ),
    hint="Ask which option changes the decision that pushed weak cases over the line.",
    options={
        "bigger model": "a bigger model trained the same way keeps the spam weighting and the "
        "unchosen 0.5 threshold, which is what pushes borderline messages over the line",
        "allow-list": "an allow-list treats one symptom (some words) and lets every spam that "
        "uses those words through",
        "threshold from costs": None,
        "weekly accuracy": "accuracy is dominated by the legitimate majority: it hid the "
        "problem in the first place, and reporting it more often fixes nothing",
    },
)


def _test_fpr(y: Any, score: Any, threshold: float) -> float:
    y, score = np.asarray(y), np.asarray(score, dtype=float)
    return float(np.mean(score[y == "ham"] >= threshold))


@KEY.number(
    "fp_per_10000",
    question=(
        "At the shipped threshold of 0.5, how many legitimate messages out of every 10,000 "
        "would go to spam (use the test messages)?"
    ),
    form="a number of messages (per 10,000 legitimate ones)",
    hint="The rate people complain about is counted among legitimate messages only.",
    abs_tol=5,
    wrong_example=lambda *, y_test, score_test: float(
        10_000 * np.mean((np.asarray(score_test) >= 0.5) & (np.asarray(y_test) == "ham"))
    ),
    slip="that divides by all test messages, spam included; the rate is out of legitimate ones",
)
def fp_per_10000(*, y_test: Any, score_test: Any) -> float:
    return 10_000 * _test_fpr(y_test, score_test, 0.5)


@KEY.judgement(
    "promise_one_in_500",
    question=(
        "Support wants to deploy the cost-optimal threshold AND promise customers that at most "
        "the budgeted share of legitimate messages (fp_budget, 1 in 500 by default) lands in "
        "spam. Do the test messages support that promise? Answer 'yes' or 'no', with the test "
        "false-positive rate at the cost-optimal threshold."
    ),
    hint=(
        "A threshold chosen for prices makes no promise about a rate: measure the share of "
        "legitimate test messages it flags and compare it with the budget."
    ),
    options={
        "yes": "on the test messages the cost-optimal threshold flags a larger share of "
        "legitimate messages than the budget allows: the promise would be broken already",
        "no": "on the test messages the cost-optimal threshold stays within the budget, so the "
        "data do not argue against the promise (it is still an estimate: monitor it)",
    },
    abs_tol=0.0005,
)
def promise_one_in_500(
    *, y_test: Any, score_test: Any, threshold: float, fp_budget: float
) -> tuple[str, float]:
    fpr = _test_fpr(y_test, score_test, threshold)
    return ("yes" if fpr <= fp_budget else "no"), fpr


def _check_lift_inputs(categories: Any, flagged: Any) -> tuple[pd.Series, np.ndarray]:
    cats = pd.Series(np.asarray(categories, dtype=object).tolist(), dtype=object)
    flags = np.asarray(flagged)
    if len(cats) != len(flags):
        raise ValueError(
            f"categories and flagged must have the same length, got {len(cats)} and {len(flags)}"
        )
    if cats.isna().any():
        raise ValueError("categories must not be missing (None/NaN), got a missing category")
    if flags.dtype != bool:
        raise TypeError(f"flagged must be booleans, got dtype {flags.dtype}")
    if not flags.any():
        raise ValueError(
            "flagged must contain at least one True: with no false positive, lift is undefined"
        )
    return cats, flags


def _share_flagged(categories: Any, flagged: Any) -> dict:
    cats, flags = pd.Series(list(categories), dtype=object), np.asarray(flagged, dtype=bool)
    share = cats[flags].value_counts(normalize=True)
    return {c: float(share.get(c, 0.0)) for c in cats.unique()}


def _upside_down(categories: Any, flagged: Any) -> dict:
    cats, flags = pd.Series(list(categories), dtype=object), np.asarray(flagged, dtype=bool)
    share_fp, share_all = (
        cats[flags].value_counts(normalize=True),
        cats.value_counts(normalize=True),
    )
    return {c: float(share_all[c]) / float(share_fp.get(c, 0.0)) for c in share_all.index}


def _flagged_categories_only(categories: Any, flagged: Any) -> dict:
    cats, flags = pd.Series(list(categories), dtype=object), np.asarray(flagged, dtype=bool)
    share_fp, share_all = (
        cats[flags].value_counts(normalize=True),
        cats.value_counts(normalize=True),
    )
    return {c: float(share_fp[c] / share_all[c]) for c in share_fp.index}


_rng = np.random.default_rng(0)
_CATS = ["asks for a call", "money words", "numbers", "other"]
_many_cats = [_CATS[i] for i in _rng.choice(4, size=40, p=[0.3, 0.2, 0.1, 0.4])]
_many_flags = [bool(f) for f in _rng.random(40) < 0.3]

LIFT_CASES = [
    Case(
        "six messages, three categories",
        args=(
            ["call", "call", "money", "other", "other", "other"],
            [True, False, True, False, True, False],
        ),
    ),
    Case("forty messages, four categories", args=(_many_cats, _many_flags)),
    Case(
        "a category that is never flagged (its lift is 0)",
        args=(["call", "call", "chat", "chat", "chat"], [True, True, False, False, True]),
    ),
    Case("every message flagged (every lift is 1)", args=(["a", "b", "b"], [True, True, True])),
    Case("one category only", args=(["call"] * 4, [True, False, False, True])),
    Case(
        "numpy arrays", args=(np.array(["x", "y", "y", "z"]), np.array([True, True, False, False]))
    ),
    Case("no message flagged (lift is undefined)", args=(["a", "b"], [False, False])),
    Case("categories and flags of different lengths", args=(["a", "b", "a"], [True, False])),
    Case("a missing category", args=(["a", None, "b"], [True, False, True])),
    Case("no messages at all", args=([], [])),
]


@KEY.implement(
    "implement_category_lift",
    question=(
        "Write the lift table of the error taxonomy: for each category, its share among the "
        "flagged legitimate messages divided by its share among all legitimate messages."
    ),
    signature="my_category_lift(categories, flagged) -> dict",
    hint=(
        "Two shares per category, over two different populations: the flagged messages and "
        "all messages. A category nobody flagged still has a lift; with nothing flagged there "
        "is no lift to compute."
    ),
    cases=LIFT_CASES,
    slips={
        "the share among flagged messages, not divided by the share among all messages": (
            _share_flagged
        ),
        "the ratio upside down (share among all divided by share among flagged)": _upside_down,
        "categories with no flagged message left out (their lift is 0, not missing)": (
            _flagged_categories_only
        ),
    },
)
def category_lift(categories: Any, flagged: Any) -> dict:
    cats, flags = _check_lift_inputs(categories, flagged)
    share_fp = cats[flags].value_counts(normalize=True)
    share_all = cats.value_counts(normalize=True)
    return {c: float(share_fp.get(c, 0.0) / share_all[c]) for c in share_all.index}


def _check_slice_inputs(y_true: Any, y_pred: Any, slices: Any) -> pd.DataFrame:
    y, p, cut = (pd.Series(np.asarray(v, dtype=object).tolist(), dtype=object)
                 for v in (y_true, y_pred, slices))  # fmt: skip
    if not len(y) == len(p) == len(cut):
        raise ValueError(
            f"y_true, y_pred and slices must have the same length, got {len(y)}, {len(p)} "
            f"and {len(cut)}"
        )
    if len(y) == 0:
        raise ValueError("no messages: the error rate of an empty slice is undefined")
    for name, col in (("y_true", y), ("y_pred", p)):
        if not col.isin(LABELS).all():
            raise ValueError(
                f"{name} must hold only 'ham' and 'spam', got {set(col) - set(LABELS)}"
            )
    if cut.isna().any():
        raise ValueError("slices must not be missing (None/NaN)")
    return pd.DataFrame({"y": y, "p": p, "slice": cut})


def _slice_table(frame: pd.DataFrame, *, fp: Any, fn: Any, denominator: Any = None) -> pd.DataFrame:
    parts = frame.assign(fp=fp, fn=fn).groupby("slice", sort=True)
    table = parts.agg(n=("y", "size"), fp=("fp", "sum"), fn=("fn", "sum"))
    table["error_rate"] = (table["fp"] + table["fn"]) / (
        table["n"] if denominator is None else denominator
    )
    return table


def _errors_over_all(y_true: Any, y_pred: Any, slices: Any) -> pd.DataFrame:
    f = pd.DataFrame({"y": list(y_true), "p": list(y_pred), "slice": list(slices)})
    return _slice_table(f, fp=(f["y"] == "ham") & (f["p"] == "spam"),
                        fn=(f["y"] == "spam") & (f["p"] == "ham"), denominator=len(f))  # fmt: skip


def _fn_as_fp(y_true: Any, y_pred: Any, slices: Any) -> pd.DataFrame:
    f = pd.DataFrame({"y": list(y_true), "p": list(y_pred), "slice": list(slices)})
    return _slice_table(f, fp=(f["y"] == "spam") & (f["p"] == "ham"),
                        fn=(f["y"] == "ham") & (f["p"] == "spam"))  # fmt: skip


def _only_fp_are_errors(y_true: Any, y_pred: Any, slices: Any) -> pd.DataFrame:
    f = pd.DataFrame({"y": list(y_true), "p": list(y_pred), "slice": list(slices)})
    table = _slice_table(f, fp=(f["y"] == "ham") & (f["p"] == "spam"),
                         fn=(f["y"] == "spam") & (f["p"] == "ham"))  # fmt: skip
    table["error_rate"] = table["fp"] / table["n"]
    return table


_rng_slices = np.random.default_rng(1)
_y40 = ["spam" if v else "ham" for v in _rng_slices.random(40) < 0.3]
_p40 = [y if keep else ("ham" if y == "spam" else "spam")
        for y, keep in zip(_y40, _rng_slices.random(40) < 0.8, strict=True)]  # fmt: skip
_s40 = [["short", "medium", "long", "very long"][i] for i in _rng_slices.integers(0, 4, 40)]

SLICE_CASES = [
    Case(
        "seven messages, two slices",
        args=(
            ["ham", "ham", "spam", "ham", "spam", "spam", "ham"],
            ["spam", "ham", "spam", "ham", "ham", "ham", "spam"],
            ["short", "short", "short", "long", "long", "long", "long"],
        ),
    ),
    Case("forty messages, four slices", args=(_y40, _p40, _s40)),
    Case(
        "a slice without errors",
        args=(["ham", "spam", "ham", "spam"], ["ham", "spam", "spam", "ham"], ["a", "a", "b", "b"]),
    ),
    Case("one slice only", args=(["ham", "spam", "ham"], ["spam", "ham", "ham"], ["x", "x", "x"])),
    Case(
        "numpy arrays",
        args=(np.array(["ham", "spam"]), np.array(["spam", "spam"]), np.array(["p", "q"])),
    ),
    Case("inputs of different lengths", args=(["ham", "spam"], ["ham"], ["a", "a"])),
    Case("a missing label", args=(["ham", None, "spam"], ["ham", "ham", "spam"], ["a", "a", "b"])),
    Case("a label other than ham or spam", args=(["ham", "spam"], ["ham", "eggs"], ["a", "b"])),
    Case("a missing slice", args=(["ham", "spam"], ["ham", "spam"], ["a", None])),
    Case("no messages at all", args=([], [], [])),
]


@KEY.implement(
    "implement_slice_errors",
    question=(
        "Write the table behind the error explorer: for each slice (one label per message), the "
        "number of messages n, the false positives fp (ham sent to spam), the false negatives fn "
        "(spam let through) and the error rate (fp + fn) / n, as a DataFrame indexed by slice "
        "(sorted) with columns n, fp, fn, error_rate."
    ),
    signature="my_slice_errors(y_true, y_pred, slices) -> pandas.DataFrame",
    hint=(
        "Mark each message's error first (a false positive is a ham predicted spam, a false "
        "negative a spam predicted ham), then group by slice and count. A slice's error rate is "
        "out of that slice's own messages."
    ),
    cases=SLICE_CASES,
    slips={
        "the error rate divided by all messages, not by the slice's own": _errors_over_all,
        "false negatives counted as false positives (the two columns swapped)": _fn_as_fp,
        "only false positives counted as errors in the error rate": _only_fp_are_errors,
    },
)
def slice_errors(y_true: Any, y_pred: Any, slices: Any) -> pd.DataFrame:
    frame = _check_slice_inputs(y_true, y_pred, slices)
    return _slice_table(frame, fp=(frame["y"] == "ham") & (frame["p"] == "spam"),
                        fn=(frame["y"] == "spam") & (frame["p"] == "ham"))  # fmt: skip
