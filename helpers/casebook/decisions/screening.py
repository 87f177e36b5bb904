"""Screening arithmetic: what a positive or negative test means as prevalence changes (Bayes).

Sensitivity and specificity are properties of the test; the predictive values
are not. With prevalence ``pi``::

    PPV = sens * pi / (sens * pi + (1 - spec) * (1 - pi))
    NPV = spec * (1 - pi) / (spec * (1 - pi) + (1 - sens) * pi)

A test validated on a hospital cohort where a third of cases are positive
therefore produces mostly false alarms when it screens a population where
one person in a few hundred is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import _show, as_float_array

__all__ = ["negative_predictive_value", "positive_predictive_value", "screening_table"]


def _rate(value: Any, *, name: str, open_interval: bool = False) -> np.ndarray:
    arr = as_float_array(value, name=name)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if open_interval:
        bad |= (arr <= 0) | (arr >= 1)
    if bad.any():
        interval = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must be in {interval}, got {_show(arr[bad])}")
    return arr


def _result(x: np.ndarray) -> float | np.ndarray:
    return float(x) if x.ndim == 0 else x


def positive_predictive_value(
    *, sensitivity: float, specificity: float, prevalence: Any
) -> float | np.ndarray:
    """Probability of disease given a positive test (vectorized over ``prevalence``).

    Examples
    --------
    >>> round(positive_predictive_value(sensitivity=0.98, specificity=0.9, prevalence=0.01), 4)
    0.0901
    """
    sens = _rate(sensitivity, name="sensitivity")
    spec = _rate(specificity, name="specificity")
    prev = _rate(prevalence, name="prevalence", open_interval=True)
    flagged = sens * prev + (1 - spec) * (1 - prev)
    if np.any(flagged == 0):
        raise ValueError(
            f"PPV is undefined when the test never flags anyone, got sensitivity={float(sens)} "
            f"and specificity={float(spec)}"
        )
    return _result(sens * prev / flagged)


def negative_predictive_value(
    *, sensitivity: float, specificity: float, prevalence: Any
) -> float | np.ndarray:
    """Probability of no disease given a negative test (vectorized over ``prevalence``).

    Examples
    --------
    >>> round(negative_predictive_value(sensitivity=0.98, specificity=0.9, prevalence=0.01), 5)
    0.99977
    """
    sens = _rate(sensitivity, name="sensitivity")
    spec = _rate(specificity, name="specificity")
    prev = _rate(prevalence, name="prevalence", open_interval=True)
    cleared = spec * (1 - prev) + (1 - sens) * prev
    if np.any(cleared == 0):
        raise ValueError(
            f"NPV is undefined when the test never clears anyone, got sensitivity={float(sens)} "
            f"and specificity={float(spec)}"
        )
    return _result(spec * (1 - prev) / cleared)


def screening_table(
    *,
    sensitivity: float,
    specificity: float,
    prevalences: Any,
    per: int = 10_000,
) -> pd.DataFrame:
    """PPV, NPV and expected counts per ``per`` people screened, one row per prevalence.

    Returns
    -------
    pandas.DataFrame
        Columns ``prevalence``, ``ppv``, ``npv``, ``flagged``, ``true_positives``,
        ``false_alarms``, ``missed`` (expected counts per ``per`` people) and
        ``false_alarms_per_case_found``.

    Examples
    --------
    >>> t = screening_table(sensitivity=0.98, specificity=0.9, prevalences=[0.37, 0.005])
    >>> t[["prevalence", "ppv", "false_alarms", "missed"]].round(3)
       prevalence    ppv  false_alarms  missed
    0       0.370  0.852         630.0    74.0
    1       0.005  0.047         995.0     1.0
    """
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or per <= 0:
        raise ValueError(f"per must be a positive integer, got {per!r}")
    prev = np.atleast_1d(_rate(prevalences, name="prevalences", open_interval=True))
    if prev.ndim != 1:
        raise ValueError(f"prevalences must be 1-D, got shape {prev.shape}")
    ppv = np.atleast_1d(
        positive_predictive_value(sensitivity=sensitivity, specificity=specificity, prevalence=prev)
    )
    npv = np.atleast_1d(
        negative_predictive_value(sensitivity=sensitivity, specificity=specificity, prevalence=prev)
    )
    tp = per * sensitivity * prev
    fa = per * (1 - specificity) * (1 - prev)
    with np.errstate(divide="ignore"):
        ratio = np.where(tp > 0, fa / np.where(tp > 0, tp, 1.0), np.inf)
    return pd.DataFrame(
        {
            "prevalence": prev,
            "ppv": ppv,
            "npv": npv,
            "flagged": tp + fa,
            "true_positives": tp,
            "false_alarms": fa,
            "missed": per * (1 - sensitivity) * prev,
            "false_alarms_per_case_found": ratio,
        }
    )
