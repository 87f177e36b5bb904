"""Answer key of notebook 01: independent implementations pass, typical wrong ones are rejected."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("01")


def lift_with_counters(categories, flagged):
    """Category lift written with counters and loops (not pandas, unlike the reference)."""
    categories, flagged = list(categories), list(flagged)
    if len(categories) != len(flagged):
        raise ValueError("categories and flagged must have the same length")
    if any(c is None or c != c for c in categories):
        raise ValueError("a category is missing")
    n_flagged = sum(bool(f) for f in flagged)
    if n_flagged == 0:
        raise ValueError("nothing is flagged")
    everyone = Counter(categories)
    among_flagged = Counter(c for c, f in zip(categories, flagged, strict=True) if f)
    n = len(categories)
    return {c: (among_flagged[c] / n_flagged) / (everyone[c] / n) for c in everyone}


def lift_from_counts_not_shares(categories, flagged):
    """Wrong: divides counts, not shares (ignores how many messages each population has)."""
    everyone = Counter(categories)
    among_flagged = Counter(c for c, f in zip(categories, flagged, strict=True) if f)
    return {c: among_flagged[c] / everyone[c] for c in everyone}


def lift_without_checks(categories, flagged):
    """Wrong: right formula, but no flagged message gives a number instead of an error."""
    everyone = Counter(categories)
    among_flagged = Counter(c for c, f in zip(categories, flagged, strict=False) if f)
    n_flagged = max(sum(bool(f) for f in flagged), 1)
    return {c: (among_flagged[c] / n_flagged) / (everyone[c] / len(categories)) for c in everyone}


def test_independent_lift_passes():
    assert KEY.check("implement_category_lift", lift_with_counters) is None


def test_typical_wrong_lifts_are_rejected_with_the_case_named():
    message = KEY.check("implement_category_lift", lift_from_counts_not_shares)
    assert message.startswith("case 'six messages, three categories'"), message
    message = KEY.check("implement_category_lift", lift_without_checks)
    assert message.startswith("case 'no message flagged (lift is undefined)'"), message
    assert "bad input" in message


def test_blank_template_is_not_attempted():
    def blank(categories, flagged):
        raise NotImplementedError

    assert KEY.exercise("implement_category_lift").submit(blank).status == "not attempted"


Y = np.array(["ham"] * 8 + ["spam"] * 4)
S = np.array([0.1, 0.2, 0.3, 0.55, 0.6, 0.7, 0.96, 0.2, 0.5, 0.8, 0.97, 0.99])


def brute_force_threshold(y, s, fp_cost, fn_cost):
    best = None
    for t in sorted(set(s.tolist()) | {np.inf}):
        fp = sum(1 for yy, ss in zip(y, s, strict=True) if yy == "ham" and ss >= t)
        fn = sum(1 for yy, ss in zip(y, s, strict=True) if yy == "spam" and ss < t)
        cost = fp_cost * fp + fn_cost * fn
        if best is None or cost <= best[0]:
            best = (cost, t)
    return best[1]


def test_regulated_threshold():
    inputs = {"y_valid": Y, "score_valid": S}
    right = brute_force_threshold(Y, S, 50, 1)
    assert right == pytest.approx(0.97)
    assert KEY.check("regulated_threshold", right, inputs=inputs) is None
    message = KEY.check("regulated_threshold", 0.5, inputs=inputs)
    assert "default threshold" in message


def test_fp_per_10000():
    inputs = {"y_test": Y, "score_test": S}
    flagged_ham = sum(1 for y, s in zip(Y, S, strict=True) if y == "ham" and s >= 0.5)
    assert KEY.check("fp_per_10000", 10_000 * flagged_ham / 8, inputs=inputs) is None
    message = KEY.check("fp_per_10000", 10_000 * flagged_ham / 12, inputs=inputs)
    assert "divides by all test messages" in message


def test_fix_that_targets_the_cause():
    assert KEY.check("fix_that_targets_the_cause", "threshold from costs") is None
    assert "symptom" in KEY.check("fix_that_targets_the_cause", "allow-list")


@pytest.mark.parametrize(("budget", "call"), [(0.2, "yes"), (0.1, "no")])
def test_promise_one_in_500(budget, call):
    # at threshold 0.9, one of the eight legitimate messages is flagged: rate 0.125
    inputs = {"y_test": Y, "score_test": S, "threshold": 0.9, "fp_budget": budget}
    assert KEY.check("promise_one_in_500", (call, 0.125), inputs=inputs) is None
    other = "no" if call == "yes" else "yes"
    assert "not the right call" in KEY.check("promise_one_in_500", (other, 0.125), inputs=inputs)
    wrong_number = KEY.check("promise_one_in_500", (call, 1 / 12), inputs=inputs)
    assert "right call, but the number" in wrong_number


def slice_errors_by_loops(y_true, y_pred, slices):
    """The per-slice error table written with dictionaries and loops (not groupby)."""
    import pandas as pd

    y_true, y_pred, slices = list(y_true), list(y_pred), list(slices)
    if not len(y_true) == len(y_pred) == len(slices) or not y_true:
        raise ValueError("need three inputs of the same, non-zero length")
    if any(v not in ("ham", "spam") for v in y_true + y_pred):
        raise ValueError("labels must be 'ham' or 'spam'")
    if any(s is None or s != s for s in slices):
        raise ValueError("a slice is missing")
    rows = {}
    for t, p, s in zip(y_true, y_pred, slices, strict=True):
        n, fp, fn = rows.get(s, (0, 0, 0))
        rows[s] = (n + 1, fp + (t == "ham" and p == "spam"), fn + (t == "spam" and p == "ham"))
    table = pd.DataFrame(
        [(s, n, fp, fn, (fp + fn) / n) for s, (n, fp, fn) in sorted(rows.items())],
        columns=["slice", "n", "fp", "fn", "error_rate"],
    )
    return table.set_index("slice")


def test_independent_slice_errors_pass():
    assert KEY.check("implement_slice_errors", slice_errors_by_loops) is None


@pytest.mark.parametrize(
    "slip",
    [
        "the error rate divided by all messages, not by the slice's own",
        "false negatives counted as false positives (the two columns swapped)",
        "only false positives counted as errors in the error rate",
    ],
)
def test_slice_error_slips_are_rejected_with_their_name(slip):
    wrong = dict(KEY.spec("implement_slice_errors").slips)[slip]
    message = KEY.check("implement_slice_errors", wrong)
    assert message is not None and message.startswith("case 'seven messages, two slices'"), message
    assert slip in message, message


def test_slice_errors_without_checks_are_rejected_on_bad_input():
    def no_checks(y_true, y_pred, slices):
        """Right counts, but zip() silently drops the rows of the longer inputs."""
        import pandas as pd

        rows = pd.DataFrame(
            list(zip(y_true, y_pred, slices, strict=False)), columns=["t", "p", "s"]
        )
        rows["fp"] = (rows["t"] == "ham") & (rows["p"] == "spam")
        rows["fn"] = (rows["t"] == "spam") & (rows["p"] == "ham")
        table = rows.groupby("s").agg(n=("t", "size"), fp=("fp", "sum"), fn=("fn", "sum"))
        return table.assign(error_rate=(table["fp"] + table["fn"]) / table["n"])

    message = KEY.check("implement_slice_errors", no_checks)
    assert message.startswith("case 'inputs of different lengths'"), message
