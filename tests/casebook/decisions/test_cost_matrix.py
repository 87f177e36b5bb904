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


def test_review_action_takes_the_doubtful_rows_and_is_priced():
    from casebook.decisions.costs import expected_cost

    cm = CostMatrix.from_mapping(
        {("Home", "Electronics"): 25.0, ("Electronics", "Home"): 8.0},
        labels=["Electronics", "Home", "Clothing"],
        default=3.0,
    )
    proba = np.array([[0.55, 0.45, 0.0], [0.98, 0.02, 0.0], [0.0, 0.1, 0.9]])
    # without review the doubtful first row is parked in Clothing (3.00 < 4.40 < 11.25)
    parked = min_expected_cost_decision(proba, cost_matrix=cm)
    assert parked.tolist() == ["Clothing", "Electronics", "Clothing"]
    decided = min_expected_cost_decision(proba, cost_matrix=cm, review_cost=1.5)
    assert decided.tolist() == ["review", "Electronics", "Clothing"]
    # a review dearer than every expected cost is never chosen; a free one takes every doubt
    assert "review" not in min_expected_cost_decision(proba, cost_matrix=cm, review_cost=100.0)
    free = min_expected_cost_decision(proba, cost_matrix=cm, review_cost=0.0, review_label="?")
    assert free.tolist() == ["?", "?", "?"]
    truth = ["Home", "Electronics", "Home"]
    assert expected_cost(truth, decided, cost_matrix=cm, review_cost=1.5) == 1.5 + 0 + 3.0
    assert expected_cost(truth, decided, cost_matrix=cm, review_cost=2.0, normalize=True) == (
        pytest.approx(5.0 / 3)
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"review_cost": -1.0}, ValueError, r"review_cost must be finite and non-negative, got -1"),
        ({"review_cost": np.inf}, ValueError, r"review_cost must be finite.*inf"),
        ({"review_cost": "1"}, TypeError, r"review_cost must be a number or None, got str"),
        ({"review_cost": True}, TypeError, r"review_cost must be a number or None, got bool"),
        (
            {"review_cost": 1.0, "review_label": "a"},
            ValueError,
            r"review_label must differ from every class label \('a', 'b'\), got 'a'",
        ),
    ],
)
def test_review_action_bad_input(kwargs, error, match):
    from casebook.decisions.costs import expected_cost

    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2, labels=("a", "b"))
    with pytest.raises(error, match=match):
        min_expected_cost_decision([[0.5, 0.5]], cost_matrix=cm, **kwargs)
    with pytest.raises(error, match=match):
        expected_cost(["a"], ["review"], cost_matrix=cm, **kwargs)


def test_review_cost_pricing_bad_input():
    from casebook.decisions.costs import expected_cost

    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2, labels=("a", "b"))
    with pytest.raises(ValueError, match=r"review_cost needs cost_matrix"):
        expected_cost([0, 1], [0, 1], fp_cost=1, fn_cost=1, review_cost=1.0)
    with pytest.raises(ValueError, match=r"y_pred contains values not in labels.*'z'"):
        expected_cost(["a", "b"], ["review", "z"], cost_matrix=cm, review_cost=1.0)
    with pytest.raises(ValueError, match=r"inputs must have the same length"):
        expected_cost(["a", "b"], ["review"], cost_matrix=cm, review_cost=1.0)
