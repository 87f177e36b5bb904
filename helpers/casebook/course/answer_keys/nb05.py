"""Answer key of notebook 05 (UCI Adult bias audit): selection-rate ratios and the four-fifths rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import check_same_length, encode_binary
from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.fairness.groups import encode_groups

KEY = AnswerKey("05")
FOUR_FIFTHS = 0.8


def _white_black_rates(y_pred: Any, race: Any) -> pd.Series:
    race, y_pred = np.asarray(race).astype(str), np.asarray(y_pred)
    keep = np.isin(race, ["White", "Black"])
    return pd.Series(y_pred[keep]).groupby(race[keep]).mean()


@KEY.number(
    "race_dp_ratio",
    question=(
        "Audit the same test decisions for race: among the test rows whose race is 'White' or "
        "'Black', what is the selection-rate ratio between the two groups (lowest over highest)?"
    ),
    form="a ratio between 0 and 1",
    hint=(
        "Keep only the two groups, find the share of each group the model selects, and divide "
        "the smaller share by the larger."
    ),
    abs_tol=0.01,
    wrong_example=lambda *, y_pred, race: float(
        _white_black_rates(y_pred, race).max() - _white_black_rates(y_pred, race).min()
    ),
    slip="that is the difference of the selection rates; the four-fifths rule reads their ratio",
)
def race_dp_ratio(*, y_pred: Any, race: Any) -> float:
    rates = _white_black_rates(y_pred, race)
    return float(rates.min() / rates.max())


KEY.choice(
    "criteria_conflict",
    question=(
        "The product owner wants a model whose 'yes' is equally reliable for women and men "
        "(equal PPV), that wrongly selects both at the same rate (equal FPR) and finds qualified "
        "people of both sexes at the same rate (equal TPR). With these base rates, which "
        "statement is right?"
    ),
    hint=(
        "In the identity of section 7, which quantity belongs to the population rather than to "
        "the model, and what happens to FPR when it differs between groups?"
    ),
    options={
        "better model": "no imperfect model can: with different base rates, equal PPV and equal "
        "TPR force a different FPR on each group (the identity of section 7), however good the "
        "model",
        "perfect model or equal base rates": None,
        "already hold": "they do not: the current model's selection and error rates differ "
        "between women and men, and section 7 shows its PPV and TPR would force the women's FPR "
        "far below the men's",
    },
)


@KEY.judgement(
    "launch_under_four_fifths",
    question=(
        "Legal says the model may launch only if it passes the four-fifths rule for women "
        "against men (selection-rate ratio at least 0.8), judged on the 95% interval. Launch, "
        "hold it back, or collect more data first? Give the call and the upper end of the "
        "ratio's 95% interval."
    ),
    hint=(
        "A verdict needs the whole interval on one side of 0.8; read the demographic-parity "
        "ratio row of the audit sheet."
    ),
    options={
        "launch": "launching needs the whole interval of the ratio at or above 0.8; here part "
        "of it (or all of it) lies below 0.8, so a pass is not shown",
        "hold": "holding the model back on this rule needs the whole interval below 0.8; here "
        "the interval reaches 0.8, so a failure is not shown",
        "collect more data": "the interval lies entirely on one side of 0.8: more data would "
        "narrow it but not change the verdict",
    },
    abs_tol=0.01,
)
def launch_under_four_fifths(*, sheet: pd.DataFrame) -> tuple[str, float]:
    row = sheet.set_index(["criterion", "method"]).loc[("demographic_parity", "ratio")]
    low, high = float(row["low"]), float(row["high"])
    if high < FOUR_FIFTHS:
        return "hold", high
    if low >= FOUR_FIFTHS:
        return "launch", high
    return "collect more data", high


def _upside_down(y_pred: Any, groups: Any) -> tuple[dict, float]:
    rates = pd.Series(np.asarray(y_pred, dtype=float)).groupby(np.asarray(groups)).mean()
    return {g: float(r) for g, r in rates.items()}, float(rates.max() / rates.min())


def _share_of_selected(y_pred: Any, groups: Any) -> tuple[dict, float]:
    y = np.asarray(y_pred, dtype=float)
    shares = pd.Series(y).groupby(np.asarray(groups)).sum() / y.sum()
    return {g: float(s) for g, s in shares.items()}, float(shares.min() / shares.max())


_rng = np.random.default_rng(0)
_G40 = np.repeat(["men", "women"], [24, 16])
_P40 = (_rng.random(40) < np.where(_G40 == "men", 0.5, 0.25)).astype(int)
_G3 = np.array(["17-29"] * 5 + ["30-49"] * 8 + ["50+"] * 7)
_P3 = np.array([0, 0, 1, 0, 0] + [1, 1, 0, 1, 0, 1, 1, 0] + [1, 0, 1, 1, 0, 0, 1])


@KEY.implement(
    "implement_four_fifths",
    question=(
        "Write the four-fifths check the audit starts from: the share of each group the model "
        "selects, and the ratio of the lowest share to the highest. Bad input (lengths that "
        "differ, decisions other than 0/1, a missing group, fewer than two groups, nobody "
        "selected at all) must raise ValueError or TypeError."
    ),
    signature="my_four_fifths(y_pred, groups) -> (rates, ratio), rates a dict group -> share",
    hint=(
        "A selection rate is counted within its group: the selected people of the group over "
        "the people of the group. The ratio divides the lowest rate by the highest, so 1 means "
        "parity and the four-fifths rule flags anything below 0.8."
    ),
    cases=[
        Case("two groups, women selected less", args=(_P40.tolist(), _G40.tolist())),
        Case("three age bands, unequal sizes", args=(_P3.tolist(), _G3.tolist())),
        Case("booleans as decisions", args=([True, False, True, True], ["a", "a", "b", "b"])),
        Case("a group with nobody selected", args=([1, 1, 0, 0, 0, 0], list("aabbbb"))),
        Case("every group selected at the same rate", args=([1, 0, 0, 1], list("aabb"))),
        Case("nobody selected at all", args=([0, 0, 0, 0], list("aabb"))),
        Case("one group only", args=([1, 0, 1], ["men", "men", "men"])),
        Case("lengths differ", args=([1, 0, 1], ["a", "b"])),
        Case("scores instead of decisions", args=([0.9, 0.2, 0.7, 0.4], list("aabb"))),
        Case("a missing group label", args=([1, 0, 1, 0], ["a", None, "b", "b"])),
        Case("no rows", args=([], [])),
    ],
    slips={
        "ratio upside down (highest rate over lowest)": _upside_down,
        "shares of the selected people instead of rates within each group": _share_of_selected,
    },
)
def implement_four_fifths(y_pred: Any, groups: Any) -> tuple[dict, float]:
    selected = encode_binary(y_pred, name="y_pred")
    codes, index = encode_groups(groups, n=check_same_length(y_pred=selected, groups=groups))
    if len(index) < 2:
        raise ValueError(f"groups must hold at least two groups to compare, got {list(index)}")
    n = np.bincount(codes, minlength=len(index))
    rates = np.bincount(codes, weights=selected, minlength=len(index)) / n
    if rates.max() == 0:
        raise ValueError("y_pred selects nobody: the ratio of selection rates is undefined")
    by_group = {g: float(r) for g, r in zip(index, rates, strict=True)}
    return by_group, float(rates.min() / rates.max())


def _women_selected(score: Any, sex: Any, threshold: float) -> int:
    score, sex = np.asarray(score, dtype=float), np.asarray(sex).astype(str)
    return int(np.sum(score[sex == "Female"] >= threshold))


@KEY.number(
    "extra_women_selected",
    question=(
        "Read the explorer sliced by sex: how many more women does the 'equal TPR' policy "
        "(per-group thresholds) select than the single threshold of 0.5, on the test rows?"
    ),
    form="a number of people (negative if fewer are selected)",
    hint=(
        "A person is selected when the score reaches the threshold of their group. Count the "
        "selected women (true and false positives) under each view, then subtract."
    ),
    abs_tol=0.5,
    wrong_example=lambda *, score, sex, thresholds: float(
        (_women_selected(score, sex, thresholds["Female"]) - _women_selected(score, sex, 0.5))
        / max(int(np.sum(np.asarray(sex).astype(str) == "Female")), 1)
    ),
    slip="that is the change in the women's selection rate, a share; the question asks for people",
)
def extra_women_selected(*, score: Any, sex: Any, thresholds: Mapping[str, float]) -> float:
    return float(
        _women_selected(score, sex, thresholds["Female"]) - _women_selected(score, sex, 0.5)
    )
