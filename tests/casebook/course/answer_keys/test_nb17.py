"""Notebook 17's answer key: an independent agreement check passes, typical slips fail."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from casebook.course.answer_keys.nb17 import KEY


def loop_agreement(offline, online):
    """Cell by cell, with the standard library's NaN test."""
    if list(offline.columns) != list(online.columns):
        raise ValueError("the tables must have the same columns")
    if list(offline.index) != list(online.index):
        raise ValueError("the tables must cover the same requests")
    shares = {}
    for col in offline.columns:
        same = 0
        for a, b in zip(offline[col], online[col], strict=True):
            if (math.isnan(a) and math.isnan(b)) or a == b:
                same += 1
        shares[col] = same / len(offline)
    return pd.Series(shares)


def test_independent_agreement_passes():
    assert KEY.check("implement_path_agreement", loop_agreement) is None


def test_typical_wrong_agreements_are_rejected():
    def plain_equality(offline, online):
        return offline.eq(online).mean()

    def zero_for_missing(offline, online):
        return offline.fillna(0).eq(online.fillna(0)).mean()

    def no_input_checks(offline, online):
        return (offline.eq(online) | (offline.isna() & online.isna())).mean()

    for wrong in (plain_equality, zero_for_missing, no_input_checks):
        message = KEY.check("implement_path_agreement", wrong)
        assert message is not None and message.startswith("case '"), message


def _tables(shift_hours: float):
    rng = np.random.default_rng(0)
    n = 400
    train = pd.DataFrame({"x": rng.normal(size=n), "days_since_gambling": rng.uniform(0, 300, n)})
    batch = pd.DataFrame({"x": rng.normal(size=n), "days_since_gambling": rng.uniform(0, 300, n)})
    served = batch.assign(days_since_gambling=batch["days_since_gambling"] + shift_hours / 24)
    return {"batch": batch, "served": served, "train": train}


def test_monitor_or_check_small_shift_needs_the_check():
    inputs = _tables(5)  # every served value is 5 hours off; the distribution barely moves
    assert KEY.check("monitor_or_agreement_check", ("add the agreement check", 1.0),
                     inputs=inputs) is None  # fmt: skip
    message = KEY.check("monitor_or_agreement_check", ("the drift monitor is enough", 1.0),
                        inputs=inputs)  # fmt: skip
    assert "ship unnoticed" in message
    assert KEY.check("monitor_or_agreement_check", ("add the agreement check", 0.5),
                     inputs=inputs) is not None  # fmt: skip


def test_monitor_or_check_large_shift_is_seen_by_the_monitor():
    inputs = _tables(24 * 150)  # 150 days off: PSI explodes
    assert KEY.check("monitor_or_agreement_check", ("the drift monitor is enough", 1.0),
                     inputs=inputs) is None  # fmt: skip
    assert "already flags" in KEY.check(
        "monitor_or_agreement_check", ("add the agreement check", 1.0), inputs=inputs
    )


def numpy_psi(reference, current, bins=10):
    """Decile bins of the reference, open at both ends; NaN dropped."""
    ref, cur = reference[~np.isnan(reference)], current[~np.isnan(current)]
    edges = np.quantile(ref, np.linspace(0, 1, bins + 1))[1:-1]
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=bins) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=bins) / len(cur)
    r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def test_psi_of_the_skewed_feature():
    rng = np.random.default_rng(1)
    days = rng.uniform(0, 300, 2000)
    days[rng.random(2000) < 0.25] = np.nan
    train = pd.DataFrame({"days_since_gambling": days[:1000]})
    batch = pd.DataFrame({"days_since_gambling": days[1000:]})
    served = batch.fillna(0.0)
    inputs = {"train": train, "served": served}
    right = numpy_psi(
        train["days_since_gambling"].to_numpy(), served["days_since_gambling"].to_numpy()
    )
    assert right > 0.25
    assert KEY.check("psi_of_the_skewed_feature", right, inputs=inputs) is None
    batch_psi = numpy_psi(
        train["days_since_gambling"].to_numpy(), batch["days_since_gambling"].to_numpy()
    )
    assert KEY.check("psi_of_the_skewed_feature", batch_psi, inputs=inputs) is not None
