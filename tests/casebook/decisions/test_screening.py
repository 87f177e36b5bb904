"""Tests for casebook.decisions.screening."""

from __future__ import annotations

import numpy as np
import pytest

from casebook.decisions.screening import (
    negative_predictive_value,
    positive_predictive_value,
    screening_table,
)


def test_bayes_against_simulated_population():
    rng = np.random.default_rng(0)
    n, prev, sens, spec = 400_000, 0.02, 0.9, 0.95
    sick = rng.random(n) < prev
    positive = np.where(sick, rng.random(n) < sens, rng.random(n) > spec)
    ppv_sim = sick[positive].mean()
    npv_sim = (~sick[~positive]).mean()
    assert positive_predictive_value(sensitivity=sens, specificity=spec, prevalence=prev) == (
        pytest.approx(ppv_sim, abs=0.01)
    )
    assert negative_predictive_value(sensitivity=sens, specificity=spec, prevalence=prev) == (
        pytest.approx(npv_sim, abs=0.001)
    )


def test_ppv_falls_and_npv_rises_as_prevalence_drops():
    prev = np.array([0.4, 0.1, 0.01, 0.001])
    ppv = positive_predictive_value(sensitivity=0.98, specificity=0.93, prevalence=prev)
    npv = negative_predictive_value(sensitivity=0.98, specificity=0.93, prevalence=prev)
    assert isinstance(ppv, np.ndarray)
    assert np.all(np.diff(ppv) < 0) and np.all(np.diff(npv) > 0)


def test_perfect_specificity_gives_ppv_one():
    assert positive_predictive_value(sensitivity=0.5, specificity=1.0, prevalence=0.01) == 1.0


def test_screening_table_counts_add_up():
    t = screening_table(sensitivity=0.98, specificity=0.9, prevalences=[0.37, 0.01], per=10_000)
    assert (t["true_positives"] + t["missed"]).tolist() == pytest.approx([3700, 100])
    assert (t["flagged"] == t["true_positives"] + t["false_alarms"]).all()
    assert t.loc[1, "false_alarms_per_case_found"] == pytest.approx(990 / 98)
    assert t.loc[1, "ppv"] == pytest.approx(98 / (98 + 990))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sensitivity": 1.2}, r"sensitivity must be in \[0, 1\], got \[1.2\]"),
        ({"specificity": -0.1}, r"specificity must be in \[0, 1\], got \[-0.1\]"),
        ({"prevalence": 0.0}, r"prevalence must be in \(0, 1\), got \[0.0\]"),
        ({"prevalence": [0.1, np.nan]}, r"prevalence must be in \(0, 1\), got \[nan\]"),
    ],
)
@pytest.mark.parametrize("fn", [positive_predictive_value, negative_predictive_value])
def test_bad_input(fn, kwargs, match):
    args = {"sensitivity": 0.9, "specificity": 0.9, "prevalence": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        fn(**args)


def test_undefined_predictive_values():
    with pytest.raises(ValueError, match=r"PPV is undefined.*never flags"):
        positive_predictive_value(sensitivity=0.0, specificity=1.0, prevalence=0.1)
    with pytest.raises(ValueError, match=r"NPV is undefined.*never clears"):
        negative_predictive_value(sensitivity=1.0, specificity=0.0, prevalence=0.1)


def test_screening_table_bad_input():
    with pytest.raises(ValueError, match=r"per must be a positive integer, got 0"):
        screening_table(sensitivity=0.9, specificity=0.9, prevalences=[0.1], per=0)
    with pytest.raises(ValueError, match=r"prevalences must be in \(0, 1\), got \[1.0\]"):
        screening_table(sensitivity=0.9, specificity=0.9, prevalences=[1.0])
    with pytest.raises(ValueError, match=r"prevalences must be in \(0, 1\), got \[nan\]"):
        screening_table(sensitivity=0.9, specificity=0.9, prevalences=[0.1, np.nan])
    with pytest.raises(
        TypeError, match=r"prevalences must be numeric, got <U1 values such as \['a'\]"
    ):
        screening_table(sensitivity=0.9, specificity=0.9, prevalences=["a"])


@pytest.mark.parametrize("value", ["0.9x", True, ["a", "b"]])
def test_rates_must_be_numeric(value):
    with pytest.raises(TypeError, match=r"sensitivity must be numeric, got"):
        positive_predictive_value(sensitivity=value, specificity=0.9, prevalence=0.1)
    with pytest.raises(TypeError, match=r"sensitivity must be numeric, got"):
        negative_predictive_value(sensitivity=value, specificity=0.9, prevalence=0.1)
