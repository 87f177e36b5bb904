"""What a model card and a fairness audit memo hold, checked when they are built.

A model card (Mitchell et al., 2019, "Model Cards for Model Reporting") describes one model
for anyone who might use it: purpose, data, metrics, limitations. An audit memo answers one
question for the person who owns the decision: the question, the recommendation, the
findings that support it, what the evidence cannot say, and when to look again. Both are
built here from numbers a notebook recorded; nothing in them is typed by hand except the
scenario (purpose, decision owner) and the sentences that read the numbers.

Every metric may carry an interval, and :func:`interval_reading` says what the interval
shows against a reference value ("excludes 0" or "not distinguishable from 0"): a
number without its uncertainty is not an audit finding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

__all__ = [
    "CARD_SECTIONS",
    "MEMO_SECTIONS",
    "AuditMemo",
    "Finding",
    "Metric",
    "ModelCard",
    "interval_reading",
]

Status = Literal["pass", "fail", "inconclusive"]
STATUSES: tuple[str, ...] = ("pass", "fail", "inconclusive")

#: The sections of a model card and of an audit memo, in the order they are rendered.
CARD_SECTIONS: tuple[str, ...] = (
    "Purpose", "Out of scope", "Model", "Data", "Metrics", "Verdicts", "Limitations",
    "Decision owner and review",
)  # fmt: skip
MEMO_SECTIONS: tuple[str, ...] = (
    "Question", "Recommendation", "Findings", "Metrics", "Limitations", "Next steps",
    "Decision owner and review",
)  # fmt: skip


def _text(value: Any, *, name: str, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def _texts(value: Any, *, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple of str, got {type(value).__name__}")
    return tuple(_text(v, name=f"{name}[{i}]") for i, v in enumerate(value))


def _number(value: Any, *, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__float__")
    ):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _items(value: Any, kind: type, *, name: str) -> tuple[Any, ...]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a list or tuple of {kind.__name__}, got {type(value).__name__}"
        )
    for i, v in enumerate(value):
        if not isinstance(v, kind):
            raise TypeError(f"{name}[{i}] must be a {kind.__name__}, got {type(v).__name__}")
    return tuple(value)


def interval_reading(low: float, high: float, *, reference: float = 0.0) -> str:
    """Say whether the interval ``[low, high]`` excludes ``reference``.

    Parameters
    ----------
    low, high : float
        The interval's ends, ``low <= high``.
    reference : float, default=0.0
        The value of "no effect": 0 for a difference, 1 for a ratio.

    Returns
    -------
    str
        ``"excludes <reference>"`` when the whole interval lies on one side of it,
        otherwise ``"not distinguishable from <reference>"``.

    Raises
    ------
    ValueError
        If an end is not finite or ``low > high``.

    Examples
    --------
    >>> interval_reading(0.08, 0.22)
    'excludes 0'
    >>> interval_reading(-0.04, 0.41)
    'not distinguishable from 0'
    >>> interval_reading(0.29, 0.38, reference=1.0)
    'excludes 1'
    """
    low = _number(low, name="low")
    high = _number(high, name="high")
    reference = _number(reference, name="reference")
    if low > high:
        raise ValueError(f"low must be <= high, got low={low!r}, high={high!r}")
    shown = f"{reference:g}"
    if low > reference or high < reference:
        return f"excludes {shown}"
    return f"not distinguishable from {shown}"


@dataclass(frozen=True)
class Metric:
    """One number of a card or memo, with its interval when one was computed.

    Parameters
    ----------
    name : str
        What is measured, in plain words ("selection-rate ratio, women / men").
    value : float
        The estimate.
    low, high : float, optional
        Ends of its interval (both or neither).
    reference : float, default=0.0
        The "no effect" value the interval is read against (0 for a gap, 1 for a ratio).
    confidence : float, default=0.95
        Level of the interval.
    digits : int, default=2
        Decimals shown.
    note : str, default=""
        How it was computed, or what it means.

    Examples
    --------
    >>> Metric("approval gap, older minus young", 0.15, low=0.08, high=0.22).reading()
    '0.15 (95% interval 0.08 to 0.22, excludes 0)'
    """

    name: str
    value: float
    low: float | None = None
    high: float | None = None
    reference: float = 0.0
    confidence: float = 0.95
    digits: int = 2
    note: str = ""

    def __post_init__(self) -> None:
        _text(self.name, name="name")
        object.__setattr__(self, "value", _number(self.value, name="value"))
        object.__setattr__(self, "reference", _number(self.reference, name="reference"))
        _text(self.note, name="note", empty=True)
        if (self.low is None) != (self.high is None):
            raise ValueError(
                f"low and high must be given together, got low={self.low!r}, high={self.high!r}"
            )
        if self.low is not None:
            low, high = _number(self.low, name="low"), _number(self.high, name="high")
            if low > high:
                raise ValueError(f"low must be <= high, got low={low!r}, high={high!r}")
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)
        confidence = _number(self.confidence, name="confidence")
        if not 0 < confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence!r}")
        if (
            isinstance(self.digits, bool)
            or not isinstance(self.digits, int)
            or not 0 <= self.digits <= 6
        ):
            raise ValueError(f"digits must be an int from 0 to 6, got {self.digits!r}")

    def reading(self) -> str:
        """The value, and its interval read against ``reference`` when there is one."""
        d = self.digits
        if self.low is None:
            return f"{self.value:.{d}f} (no interval computed)"
        level = f"{self.confidence:.0%}"
        read = interval_reading(self.low, self.high, reference=self.reference)
        return (
            f"{self.value:.{d}f} ({level} interval {self.low:.{d}f} to {self.high:.{d}f}, {read})"
        )


@dataclass(frozen=True)
class Finding:
    """One verdict of an audit: the criterion, pass / fail / inconclusive, and the evidence.

    Examples
    --------
    >>> Finding("four-fifths rule, women / men", "fail", "ratio 0.34, interval 0.29 to 0.38").status
    'fail'
    """

    criterion: str
    status: Status
    evidence: str

    def __post_init__(self) -> None:
        _text(self.criterion, name="criterion")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        _text(self.evidence, name="evidence")


def _check_dates(prepared: Any, review_date: Any) -> None:
    for name, value in (("prepared", prepared), ("review_date", review_date)):
        if not isinstance(value, date):
            raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    if review_date <= prepared:
        raise ValueError(
            f"review_date must be after prepared, got review_date={review_date}, prepared={prepared}"
        )


@dataclass(frozen=True)
class ModelCard:
    """A model card: what the model is for, on what data, how well, for whom, until when.

    Parameters
    ----------
    title : str
    model : str
        Algorithm, inputs and the decision rule (threshold).
    purpose : str
        The decision it supports and the intended users.
    out_of_scope : list of str
        Uses the evidence does not cover.
    data : list of str
        Source, size, period and representation facts.
    metrics : list of Metric
        Performance and disparity numbers, with intervals.
    findings : list of Finding
        The audit's verdicts.
    limitations : list of str
        What the evidence cannot say.
    decision_owner : str
        The role accountable for the decision to use the model.
    prepared, review_date : datetime.date
        When the card was written and when it must be reviewed again (later).
    source : str
        Where the numbers come from (notebook, seed, mode).

    Examples
    --------
    >>> from datetime import date
    >>> card = ModelCard("Card", model="logistic regression", purpose="pre-screening",
    ...                  out_of_scope=["pricing"], data=["1,000 rows"],
    ...                  metrics=[Metric("AUC", 0.79, digits=3)], findings=[], limitations=["small"],
    ...                  decision_owner="credit committee", prepared=date(2026, 1, 1),
    ...                  review_date=date(2026, 4, 1), source="notebook 06, seed 0")
    >>> card.review_date.isoformat()
    '2026-04-01'
    """

    title: str
    model: str
    purpose: str
    out_of_scope: tuple[str, ...]
    data: tuple[str, ...]
    metrics: tuple[Metric, ...]
    findings: tuple[Finding, ...]
    limitations: tuple[str, ...]
    decision_owner: str
    prepared: date
    review_date: date
    source: str

    def __post_init__(self) -> None:
        for name in ("title", "model", "purpose", "decision_owner", "source"):
            _text(getattr(self, name), name=name)
        for name in ("out_of_scope", "data", "limitations"):
            object.__setattr__(self, name, _texts(getattr(self, name), name=name))
        object.__setattr__(self, "metrics", _items(self.metrics, Metric, name="metrics"))
        object.__setattr__(self, "findings", _items(self.findings, Finding, name="findings"))
        _check_dates(self.prepared, self.review_date)


@dataclass(frozen=True)
class AuditMemo:
    """A fairness audit memo to the decision owner: question, recommendation, evidence, limits.

    Parameters
    ----------
    title : str
    question : str
        The decision asked for, with the rule it is judged by.
    recommendation : str
        The analyst's recommendation; the decision stays with ``decision_owner``.
    findings : list of Finding
    metrics : list of Metric
    limitations : list of str
    next_steps : list of str
        Options and what each costs, monitoring, data to collect.
    decision_owner : str
    prepared, review_date : datetime.date
    source : str

    Examples
    --------
    >>> from datetime import date
    >>> memo = AuditMemo("Memo", question="Launch?", recommendation="Not yet.",
    ...                  findings=[Finding("four-fifths", "fail", "ratio 0.34")], metrics=[],
    ...                  limitations=["1994 data"], next_steps=["retest on applicants"],
    ...                  decision_owner="product owner", prepared=date(2026, 1, 1),
    ...                  review_date=date(2026, 7, 1), source="demo")
    >>> [f.status for f in memo.findings]
    ['fail']
    """

    title: str
    question: str
    recommendation: str
    findings: tuple[Finding, ...]
    metrics: tuple[Metric, ...]
    limitations: tuple[str, ...]
    next_steps: tuple[str, ...]
    decision_owner: str
    prepared: date
    review_date: date
    source: str

    def __post_init__(self) -> None:
        for name in ("title", "question", "recommendation", "decision_owner", "source"):
            _text(getattr(self, name), name=name)
        for name in ("limitations", "next_steps"):
            object.__setattr__(self, name, _texts(getattr(self, name), name=name))
        object.__setattr__(self, "metrics", _items(self.metrics, Metric, name="metrics"))
        object.__setattr__(self, "findings", _items(self.findings, Finding, name="findings"))
        _check_dates(self.prepared, self.review_date)
