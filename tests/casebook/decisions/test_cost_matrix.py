"""Tests for casebook.decisions.cost_matrix: validated cost matrices and minimum-expected-cost decisions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.decisions.cost_matrix import CostMatrix, min_expected_cost_decision
from casebook.decisions.costs import CostMatrix as ReExported


def test_reexported_from_costs():
    assert ReExported is CostMatrix


def test_cost_matrix_frame_and_equality():
    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=20, labels=("benign", "malignant"))
    frame = cm.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc["malignant", "benign"] == 20
    assert cm == CostMatrix(("benign", "malignant"), [[0, 1], [20, 0]])
    assert cm != CostMatrix(("benign", "malignant"), [[0, 1], [21, 0]])
    with pytest.raises(ValueError, match="read-only"):
        cm.costs[0, 0] = 3
    assert CostMatrix((np.int64(0), np.int64(1)), np.eye(2)).labels == (0, 1)


def test_min_expected_cost_decision_differs_from_argmax():
    cm = CostMatrix.from_mapping(
        {("Home", "Electronics"): 50.0}, labels=["Electronics", "Home"], default=1.0
    )
    proba = np.array([[0.8, 0.2], [0.99, 0.01], [0.3, 0.7]])
    decision = min_expected_cost_decision(proba, cost_matrix=cm)
    assert decision.tolist() == ["Home", "Electronics", "Home"]
    argmax = np.array(cm.labels)[proba.argmax(axis=1)]
    assert argmax.tolist() == ["Electronics", "Electronics", "Home"]
    # columns in another order (model.classes_): same decisions
    flipped = min_expected_cost_decision(
        proba[:, ::-1], cost_matrix=cm, classes=np.array(["Home", "Electronics"])
    )
    assert flipped.tolist() == decision.tolist()
    # 0-1 costs reduce to argmax
    zero_one = CostMatrix.from_mapping({}, labels=["a", "b", "c"], default=1.0)
    p3 = np.random.default_rng(0).dirichlet([1, 1, 1], size=50)
    np.testing.assert_array_equal(
        min_expected_cost_decision(p3, cost_matrix=zero_one),
        np.array(["a", "b", "c"])[p3.argmax(1)],
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((("a",), [[0]]), r"at least two classes"),
        ((("a", "a"), [[0, 1], [1, 0]]), r"labels must be unique.*'a'"),
        (
            (("a", "b"), [[0, 1, 2], [1, 0, 2]]),
            r"costs must be a square matrix of shape \(2, 2\).*\(2, 3\)",
        ),
        ((("a", "b"), [[0, -1], [1, 0]]), r"costs must be non-negative.*-1"),
        ((("a", "b"), [[0, np.inf], [1, 0]]), r"costs must be finite.*inf"),
    ],
)
def test_cost_matrix_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        CostMatrix(*args)


def test_cost_matrix_mapping_and_cost_bad_input():
    with pytest.raises(ValueError, match=r"labels not in labels.*'Toys'"):
        CostMatrix.from_mapping({("Home", "Toys"): 1.0}, labels=["Home", "Garden"])
    with pytest.raises(ValueError, match=r"\(true, predicted\) pairs, got 'Home'"):
        CostMatrix.from_mapping({"Home": 1.0}, labels=["Home", "Garden"])
    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2)
    with pytest.raises(ValueError, match=r"predicted must be one of \(0, 1\), got 3"):
        cm.cost(0, 3)


@pytest.mark.parametrize(
    ("proba", "kwargs", "match"),
    [
        ([[0.5, 0.5, 0.0]], {}, r"proba must have shape \(n_samples, 2\).*\(1, 3\)"),
        ([[0.5, np.nan]], {}, r"proba must be finite"),
        ([[1.2, -0.2]], {}, r"proba must be probabilities in \[0, 1\].*min=-0.2"),
        ([[0.5, 0.6]], {}, r"proba rows must sum to 1.*1.1"),
        ([[0.5, 0.5]], {"classes": ["a", "z"]}, r"classes must be the cost matrix labels"),
    ],
)
def test_min_expected_cost_decision_bad_input(proba, kwargs, match):
    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2, labels=("a", "b"))
    with pytest.raises(ValueError, match=match):
        min_expected_cost_decision(proba, cost_matrix=cm, **kwargs)


def test_min_expected_cost_decision_type_error():
    with pytest.raises(TypeError, match=r"cost_matrix must be a CostMatrix, got ndarray"):
        min_expected_cost_decision([[0.5, 0.5]], cost_matrix=np.eye(2))


def test_non_numeric_costs_and_proba_name_the_parameter():
    with pytest.raises(TypeError, match=r"costs must be numeric, got <U1 values such as \['a'"):
        CostMatrix(labels=("x", "y"), costs=np.array([["a", "b"], ["c", "d"]]))
    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2, labels=("a", "b"))
    with pytest.raises(TypeError, match=r"proba must be numeric, got <U3 values"):
        min_expected_cost_decision([["0.5", "0.5"], ["bad", "0.1"]], cost_matrix=cm)
