"""Answer key of notebook 07: sklearn's recall per group passes, typical slips do not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.preprocessing import StandardScaler

from casebook.course.answer_keys import key_for
from casebook.synthetic.applicants import APPLICANT_FEATURES, PROXY_FEATURES, make_applicants

KEY = key_for("07")


def equal_opportunity_by_recall(y_true, y_pred, groups):
    """Per-group recall from sklearn, with the checks written out."""
    if not len(y_true) == len(y_pred) == len(groups):
        raise ValueError("lengths differ")
    frame = pd.DataFrame({"t": list(y_true), "p": list(y_pred), "g": list(groups)})
    if frame["g"].isna().any():
        raise ValueError("a group label is missing")
    if not (frame["t"].isin([0, 1]).all() and frame["p"].isin([0, 1]).all()):
        raise ValueError("labels and decisions must be 0/1")
    if frame["g"].nunique() < 2:
        raise ValueError("need two groups")
    tpr = {}
    for g, part in frame.groupby("g"):
        if part["t"].sum() == 0:
            raise ValueError(f"group {g} has nobody qualified")
        tpr[g] = recall_score(part["t"].astype(int), part["p"].astype(int))
    return tpr, max(tpr.values()) - min(tpr.values())


def test_sklearn_recall_per_group_passes():
    assert KEY.check("implement_equal_opportunity", equal_opportunity_by_recall) is None


def test_typical_wrong_implementations_are_rejected_with_the_failing_case():
    def false_positive_rate(y_true, y_pred, groups):
        flipped = [1 - t for t in y_true]
        return equal_opportunity_by_recall(flipped, y_pred, groups)

    def zero_for_an_empty_group(y_true, y_pred, groups):
        t, p, g = (
            np.asarray(y_true, dtype=float),
            np.asarray(y_pred, dtype=float),
            np.asarray(groups),
        )
        tpr = {k: float((t * p)[g == k].sum() / max(t[g == k].sum(), 1)) for k in np.unique(g)}
        return tpr, max(tpr.values()) - min(tpr.values())

    message = KEY.check("implement_equal_opportunity", false_positive_rate)
    assert message.startswith("case 'women and men'"), message
    message = KEY.check("implement_equal_opportunity", zero_for_an_empty_group)
    assert message.startswith("case 'a group with nobody qualified'"), message
    assert "bad input" in message


def test_share_removed_matches_a_hand_computation():
    applicants = make_applicants(600, seed=1, gender_bias=0.6)
    features = [*APPLICANT_FEATURES, *PROXY_FEATURES, "kw_chess_club"]
    half = len(applicants) // 2
    X = StandardScaler().fit(applicants[features][:half]).transform(applicants[features])
    y, g = applicants["hired"].to_numpy(), applicants["gender"].astype(str).to_numpy()
    # reweighing by hand: weight P(g) P(y) / P(g, y) on the training half
    tr = pd.DataFrame({"g": g[:half], "y": y[:half]})
    w = (
        tr.groupby("g")["y"].transform("size")
        / half
        * tr.groupby("y")["g"].transform("size")
        / half
    )
    w /= tr.groupby(["g", "y"])["y"].transform("size") / half
    fair = LogisticRegression(max_iter=1000).fit(X[:half], y[:half], sample_weight=w)
    base = LogisticRegression(max_iter=1000).fit(X[:half], y[:half])

    def gap(pred):
        rates = pd.Series(pred).groupby(g[half:]).mean()
        return rates.max() - rates.min()

    g0, g1 = gap(base.predict(X[half:])), gap(fair.predict(X[half:]))
    share = (g0 - g1) / g0
    assert share > 0.5  # the case is informative: reweighing removes most of the gap
    inputs = {"applicants": applicants, "features": features}
    assert KEY.check("reweighing_under_stronger_bias", share, inputs=inputs) is None
    assert "typical slip: that is a percentage" in KEY.check(
        "reweighing_under_stronger_bias", 100 * share, inputs=inputs
    )


@pytest.mark.parametrize(
    ("rw", "eg", "call"), [(0.7, 0.5, "reweighing"), (0.4, 0.9, "exp. gradient")]
)
def test_lawful_pick_ignores_thresholds(rw, eg, call):
    table = pd.DataFrame(
        {"disparity_removed": [0.0, rw, eg, 0.99]},
        index=["baseline", "reweighing x1", "exp. gradient", "thresholds"],
    )
    inputs = {"table": table}
    best = max(rw, eg)
    name = "mitigation_without_gender_at_decision_time"
    assert KEY.check(name, (call, best), inputs=inputs) is None
    assert "gender at decision time" in KEY.check(name, ("thresholds", 0.99), inputs=inputs)
    other = "exp. gradient" if call == "reweighing" else "reweighing"
    assert "removes a larger share" in KEY.check(name, (other, min(rw, eg)), inputs=inputs)
    assert "right call, but the number" in KEY.check(name, (call, 0.99), inputs=inputs)
