"""When does a bias mitigation need the protected attribute: to train, to decide, or never?

A mitigation that reads the applicant's sex, age or race **when the decision
is made** treats people differently because of that attribute. In some
settings that is prohibited outright, whatever it buys in parity: in US
employment, adjusting scores or using different cutoffs by sex, race,
religion or national origin is unlawful (Title VII, section 703(l),
42 U.S.C. 2000e-2(l)). Using the attribute only to *train* a model (to
reweigh rows, or to constrain the fit) or to *audit* it is a different
question, which counsel must answer for each setting; this table does not
give legal advice, it records what each method mechanically needs so that the
question can be asked before a method is chosen.

:data:`ATTRIBUTE_USE` is the data; :func:`attribute_use_table` returns it as
a table; :func:`casebook.fairness.operating_point.choose_operating_point`
uses the ``needs_attribute_at`` values to exclude methods that need the
attribute at decision time.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

__all__ = ["ATTRIBUTE_USE", "AttributeStage", "attribute_use_table"]

#: The latest stage at which a method reads the protected attribute.
AttributeStage = Literal["none", "training", "decision_time"]

#: method key -> (display name, family, library, needs_attribute_at, why).
ATTRIBUTE_USE: dict[str, tuple[str, str, str, AttributeStage, str]] = {
    "unawareness": (
        "drop the attribute (fairness through unawareness)",
        "none",
        "-",
        "none",
        "the column is removed; proxies can still carry it",
    ),
    "reweighing": (
        "reweighing",
        "pre",
        "aif360 Reweighing",
        "training",
        "weights each (group, label) cell of the training data; the fitted model never reads it",
    ),
    "disparate_impact_remover": (
        "disparate impact remover",
        "pre",
        "aif360 DisparateImpactRemover",
        "decision_time",
        "repairs each feature within its group, so every new row must be repaired with its group",
    ),
    "exponentiated_gradient": (
        "exponentiated gradient",
        "in",
        "fairlearn ExponentiatedGradient",
        "training",
        "the constraint is enforced while fitting; the fitted mixture reads only the features",
    ),
    "separate_models": (
        "a separate model per group",
        "in",
        "-",
        "decision_time",
        "the group picks the model that scores the row",
    ),
    "threshold_optimizer": (
        "threshold optimizer",
        "post",
        "fairlearn ThresholdOptimizer",
        "decision_time",
        "one threshold per group: the group picks the cutoff",
    ),
    "reject_option": (
        "reject option classification",
        "post",
        "aif360 RejectOptionClassification",
        "decision_time",
        "flips decisions near the threshold according to the group",
    ),
    "calibrated_equalized_odds": (
        "calibrated equalized odds",
        "post",
        "aif360 CalibratedEqOddsPostprocessing",
        "decision_time",
        "randomizes scores with group-specific mixing rates",
    ),
}


def attribute_use_table() -> pd.DataFrame:
    """Which mitigations need the protected attribute at training time, at decision time, or never.

    Returns
    -------
    pandas.DataFrame
        One row per method key of :data:`ATTRIBUTE_USE` with ``method``
        (display name), ``family`` ("none", "pre", "in", "post"),
        ``library``, ``at_training`` and ``at_decision_time`` (bool),
        ``needs_attribute_at`` (the latest stage: "none", "training" or
        "decision_time") and ``why``.

    Examples
    --------
    >>> t = attribute_use_table()
    >>> t.loc[["reweighing", "exponentiated_gradient", "threshold_optimizer"],
    ...       "needs_attribute_at"].tolist()
    ['training', 'training', 'decision_time']
    >>> bool(t.loc["unawareness", "at_training"])
    False
    """
    rows = {
        key: {
            "method": name,
            "family": family,
            "library": library,
            "at_training": stage != "none",
            "at_decision_time": stage == "decision_time",
            "needs_attribute_at": stage,
            "why": why,
        }
        for key, (name, family, library, stage, why) in ATTRIBUTE_USE.items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "key"
    return table
