"""Tests for casebook.governance.documents: what a card and a memo may hold."""

from __future__ import annotations

import math
from datetime import date

import pytest

from casebook.governance.documents import AuditMemo, Finding, Metric, ModelCard, interval_reading

D0, D1 = date(2026, 1, 1), date(2026, 7, 1)


def card(**changes):
    kwargs = dict(
        model="logistic regression", purpose="pre-screening", out_of_scope=["pricing"],
        data=["1,000 rows"], metrics=[Metric("AUC", 0.8, low=0.75, high=0.85, reference=0.5)],
        findings=[Finding("four-fifths", "fail", "ratio 0.34")], limitations=["1994 data"],
        decision_owner="product owner", prepared=D0, review_date=D1, source="test",
    )  # fmt: skip
    kwargs.update(changes)
    return ModelCard("Card", **kwargs)


def memo(**changes):
    kwargs = dict(
        question="Launch?", recommendation="Not yet.", findings=[], metrics=[],
        limitations=["small"], next_steps=["retest"], decision_owner="owner", prepared=D0,
        review_date=D1, source="test",
    )  # fmt: skip
    kwargs.update(changes)
    return AuditMemo("Memo", **kwargs)


@pytest.mark.parametrize(
    ("low", "high", "reference", "expected"),
    [
        (0.08, 0.22, 0.0, "excludes 0"),
        (-0.3, -0.1, 0.0, "excludes 0"),
        (-0.04, 0.41, 0.0, "not distinguishable from 0"),
        (
            0.0,
            0.2,
            0.0,
            "not distinguishable from 0",
        ),  # an end on the reference does not exclude it
        (0.81, 0.95, 0.8, "excludes 0.8"),
        (0.96, 1.42, 1.0, "not distinguishable from 1"),
    ],
)
def test_interval_reading(low, high, reference, expected):
    assert interval_reading(low, high, reference=reference) == expected


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0.3, 0.1), ValueError, "low must be <= high"),
        ((math.nan, 0.1), ValueError, "low must be finite"),
        ((0.1, math.inf), ValueError, "high must be finite"),
        (("0.1", 0.2), TypeError, "low must be a number"),
        ((True, 0.2), TypeError, "low must be a number"),
    ],
)
def test_interval_reading_refuses_bad_intervals(args, error, match):
    with pytest.raises(error, match=match):
        interval_reading(*args)


def test_metric_reads_its_interval():
    assert Metric("gap", 0.15, low=0.08, high=0.22).reading() == (
        "0.15 (95% interval 0.08 to 0.22, excludes 0)"
    )
    assert Metric("AUC", 0.7512, low=0.7, high=0.8, reference=0.5, digits=3).reading() == (
        "0.751 (95% interval 0.700 to 0.800, excludes 0.5)"
    )
    assert Metric("ratio", 0.9, confidence=0.9, low=0.7, high=1.0, reference=0.8).reading() == (
        "0.90 (90% interval 0.70 to 1.00, not distinguishable from 0.8)"
    )
    assert Metric("share", 0.5).reading() == "0.50 (no interval computed)"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"name": ""}, ValueError, "name must be a non-empty string"),
        ({"name": 3}, TypeError, "name must be a str"),
        ({"value": math.nan}, ValueError, "value must be finite"),
        ({"value": "0.5"}, TypeError, "value must be a number"),
        ({"low": 0.1}, ValueError, "low and high must be given together"),
        ({"low": 0.6, "high": 0.4}, ValueError, "low must be <= high"),
        ({"low": 0.1, "high": math.nan}, ValueError, "high must be finite"),
        ({"confidence": 95}, ValueError, "confidence must be in"),
        ({"digits": 9}, ValueError, "digits must be an int from 0 to 6"),
        ({"digits": True}, ValueError, "digits must be an int from 0 to 6"),
        ({"note": None}, TypeError, "note must be a str"),
    ],
)
def test_metric_refuses_bad_fields(kwargs, error, match):
    args = {"name": "gap", "value": 0.1, **kwargs}
    with pytest.raises(error, match=match):
        Metric(**args)


def test_finding_status_is_one_of_three():
    with pytest.raises(ValueError, match="status must be one of"):
        Finding("four-fifths", "FAIL", "ratio 0.34")
    with pytest.raises(ValueError, match="evidence must be a non-empty string"):
        Finding("four-fifths", "fail", " ")


def test_card_and_memo_accept_valid_fields_as_tuples():
    c = card()
    assert isinstance(c.out_of_scope, tuple) and isinstance(c.metrics, tuple)
    assert memo().next_steps == ("retest",)


@pytest.mark.parametrize(
    ("build", "changes", "error", "match"),
    [
        (card, {"review_date": D0}, ValueError, "review_date must be after prepared"),
        (card, {"prepared": "2026-01-01"}, TypeError, "prepared must be a datetime.date"),
        (card, {"out_of_scope": "pricing"}, TypeError, "out_of_scope must be a list or tuple"),
        (card, {"data": ["ok", ""]}, ValueError, r"data\[1\] must be a non-empty string"),
        (card, {"metrics": [0.8]}, TypeError, r"metrics\[0\] must be a Metric"),
        (card, {"findings": "none"}, TypeError, "findings must be a list or tuple of Finding"),
        (card, {"decision_owner": ""}, ValueError, "decision_owner must be a non-empty string"),
        (memo, {"recommendation": None}, TypeError, "recommendation must be a str"),
        (memo, {"next_steps": ("a", 1)}, TypeError, r"next_steps\[1\] must be a str"),
        (memo, {"review_date": date(2025, 1, 1)}, ValueError, "review_date must be after"),
    ],
)
def test_documents_refuse_bad_fields(build, changes, error, match):
    with pytest.raises(error, match=match):
        build(**changes)
