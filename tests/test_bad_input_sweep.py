"""Bad-input sweep: every public function of ``casebook`` against every class of bad input.

A registry (``REGISTRY``) maps each public function (everything in a module's
``__all__``, found by walking the package) to a factory of small, valid
arguments and to the bad variants that apply to it. Each variant is built by a
reusable mutator (``shorten``, ``inject``, ``empty``, ``as_strings``,
``unknown_label``, ``single_class``, ``negative``, ``drop_column``) that edits
one parameter of the valid call. Every variant must raise ``ValueError`` or
``TypeError`` whose message names the offending parameter: no wrong number,
no silent acceptance, no stray ``RuntimeWarning``.

A second family, ``ODD_CASES``, is derived from every entry's valid call
(``odd_variants``): its arrays and frames as nullable, Arrow-backed and
categorical data, with and without ``pd.NA``, and its Python numbers as numpy
scalars. These must give the plain input's result (pd.NA where NaN is
accepted, numpy scalars, nullable data) or an error naming the parameter.

Functions that take no array or frame input (paths, a CLI, generators driven
by a seed, result containers) are listed in ``NOT_APPLICABLE`` with the reason.
``test_every_public_function_is_swept_or_excused`` fails when a new public
function is in neither place. Run this file as a script to print the counts::

    .venv/bin/python tests/test_bad_input_sweep.py
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import casebook

NAN = float("nan")
INF = float("inf")

# --------------------------------------------------------------------------------------
# mutators: each returns a Bad (kind, parameter, how to mutate a dict of valid arguments)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    kind: str
    param: str
    mutate: Callable[[dict[str, Any]], dict[str, Any]]
    expect: tuple[str, ...] = ()  # names the message may contain (default: param)

    def naming(self, *names: str) -> Bad:
        """The same variant, but the error is expected to name one of ``names``."""
        return Bad(self.kind, self.param, self.mutate, names)

    @property
    def expected(self) -> tuple[str, ...]:
        return self.expect or (self.param,)


def _edit(params: Mapping[str, Any], names: tuple[str, ...], fn: Callable[[Any], Any]) -> dict:
    out = dict(params)
    for name in names:
        out[name] = fn(params.get(name))  # None: a keyword left at its default
    return out


def _values(v: Any) -> np.ndarray:
    return v.to_numpy().copy() if isinstance(v, (pd.Series, pd.Index)) else np.array(v)


def _like(original: Any, arr: np.ndarray) -> Any:
    """Return ``arr`` in the container type of ``original`` (Series keep their index)."""
    if isinstance(original, pd.Series):
        return pd.Series(arr, index=original.index[: len(arr)], name=original.name)
    if isinstance(original, list):
        return arr.tolist()
    return arr


def _rows(v: Any, stop: int) -> Any:
    if isinstance(v, (pd.DataFrame, pd.Series)):
        return v.iloc[:stop].copy()
    if isinstance(v, Mapping):
        return {k: _rows(x, stop) for k, x in v.items()}
    return v[:stop]


def shorten(param: str) -> Bad:
    """Drop the last row of ``param`` (length mismatch with the other arrays)."""
    return Bad("wrong length", param, lambda p: _edit(p, (param,), lambda v: _rows(v, -1)))


def empty(*params: str) -> Bad:
    """Keep zero rows of every named parameter (consistently empty input)."""
    return Bad("empty", params[0], lambda p: _edit(p, params, lambda v: _rows(v, 0)), params)


def _inject_value(v: Any, value: Any, col: str | None, at: int) -> Any:
    if col is not None:
        frame = v.copy()
        frame[col] = frame[col].astype(float)
        frame.loc[frame.index[at], col] = value
        return frame
    if isinstance(v, Mapping):  # e.g. model name -> scores: spoil the first entry
        first = next(iter(v))
        return {k: (_inject_value(x, value, None, at) if k == first else x) for k, x in v.items()}
    if v is None or np.ndim(v) == 0:
        return value
    arr = _values(v)
    arr = arr.astype(float) if arr.dtype.kind in "iufb" else arr.astype(object)
    arr.flat[at] = value
    return _like(v, arr)


def inject(param: str, value: float, *, col: str | None = None, at: int = 0) -> Bad:
    """Put NaN or inf into ``param`` (into column ``col`` of a frame; a scalar is replaced)."""
    kind = "NaN" if value != value else "inf"
    where = f"{param}[{col}]" if col else param
    expect = (param, col) if col else (param,)
    return Bad(
        kind,
        where,
        lambda p: _edit(p, (param,), lambda v: _inject_value(v, value, col, at)),
        expect,
    )


def _strings(v: Any, col: str | None) -> Any:
    if col is not None:
        frame = v.copy()
        frame[col] = [f"s{i}" for i in range(len(frame))]
        return frame
    if isinstance(v, Mapping):
        first = next(iter(v))
        return {k: (_strings(x, None) if k == first else x) for k, x in v.items()}
    if np.ndim(v) == 0:
        return "0.5x"
    arr = _values(v)
    out = np.array([f"s{i}" for i in range(arr.size)], dtype=object).reshape(arr.shape)
    return _like(v, out)


def as_strings(param: str, *, col: str | None = None) -> Bad:
    """Replace numbers by non-numeric strings (wrong dtype)."""
    where = f"{param}[{col}]" if col else param
    expect = (param, col) if col else (param,)
    return Bad(
        "wrong dtype", where, lambda p: _edit(p, (param,), lambda v: _strings(v, col)), expect
    )


def unknown_label(param: str, label: Any = 7) -> Bad:
    """Set the first entry of ``param`` to a label outside the declared ones."""

    def fn(v: Any) -> Any:
        arr = _values(v).astype(object)
        arr[0] = label
        return _like(v, arr)

    return Bad("unknown label", param, lambda p: _edit(p, (param,), fn))


def single_class(param: str) -> Bad:
    """Make every entry of ``param`` equal its first one."""

    def fn(v: Any) -> Any:
        arr = _values(v)
        arr[:] = arr[0]
        return _like(v, arr)

    return Bad("single class", param, lambda p: _edit(p, (param,), fn))


def negative(param: str, *, col: str | None = None, kind: str = "negative cost") -> Bad:
    """Make ``param`` (or its first entry, or column ``col``) negative."""

    def fn(v: Any) -> Any:
        if col is not None:
            frame = v.copy()
            frame[col] = frame[col].astype(float)
            frame.loc[frame.index[0], col] = -abs(float(frame[col].iloc[0])) - 1.0
            return frame
        if v is None or np.ndim(v) == 0:
            return -abs(float(v or 0.0)) - 1.0
        arr = _values(v).astype(float)
        arr.flat[0] = -abs(arr.flat[0]) - 1.0
        return _like(v, arr)

    where = f"{param}[{col}]" if col else param
    return Bad(kind, where, lambda p: _edit(p, (param,), fn), (param, col) if col else ())


def drop_column(param: str, col: str) -> Bad:
    """Remove column ``col`` from the frame ``param``."""
    return Bad(
        "missing column",
        f"{param}[{col}]",
        lambda p: _edit(p, (param,), lambda v: v.drop(columns=[col])),
        (param, col),  # naming the frame or the missing column both point at the culprit
    )


def replace(param: str, value: Any, kind: str) -> Bad:
    """Set ``param`` to ``value`` (for bad inputs no generic mutator expresses)."""
    return Bad(kind, param, lambda p: _edit(p, (param,), lambda v: value))


# --------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------


@dataclass
class Entry:
    func: Callable[..., Any]
    valid: Callable[[], dict[str, Any]]
    bad: list[Bad] = field(default_factory=list)


REGISTRY: dict[str, Entry] = {}


def qualname(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def register(func: Callable[..., Any], valid: Callable[[], dict[str, Any]], *bad: Bad) -> None:
    key = qualname(func)
    assert key not in REGISTRY, f"{key} registered twice"
    REGISTRY[key] = Entry(func, valid, list(bad))


def call(func: Callable[..., Any], params: Mapping[str, Any]) -> Any:
    """Call ``func`` with a dict of arguments by parameter name (handles *args)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    signature = inspect.signature(func).parameters
    has_varargs = any(p.kind is p.VAR_POSITIONAL for p in signature.values())
    for name, p in signature.items():
        if name not in params:
            continue
        if p.kind is p.VAR_POSITIONAL:
            args.extend(params[name])
        elif p.kind is p.POSITIONAL_ONLY or (p.kind is p.POSITIONAL_OR_KEYWORD and has_varargs):
            args.append(params[name])
        elif p.kind is p.VAR_KEYWORD:
            kwargs.update(params[name])
        else:
            kwargs[name] = params[name]
    return func(*args, **kwargs)


# ---- shared small data -----------------------------------------------------------------

N = 20
Y = np.array([0, 1] * 10)
Y_PRED = np.array([0, 1, 1, 0] * 5)
SCORE = np.round(np.linspace(0.05, 0.95, N), 3)
PROB = np.clip(SCORE * 0.6 + Y * 0.3, 0.01, 0.99)
GROUPS = np.array(["a"] * 10 + ["b"] * 10)
RNG = np.random.default_rng(0)
X2 = np.column_stack([Y + RNG.normal(0, 0.5, N), RNG.normal(size=N)])


@functools.cache
def tiny_model() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit(X2, Y)


def _binary(**extra: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"y_true": Y.copy(), "y_score": SCORE.copy()} | extra


def _labels(**extra: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"y_true": Y.copy(), "y_pred": Y_PRED.copy()} | extra


def _fair(**extra: Any) -> Callable[[], dict[str, Any]]:
    return lambda: (
        {
            "y_true": Y.copy(),
            "y_pred": Y_PRED.copy(),
            "sensitive_features": GROUPS.copy(),
        }
        | extra
    )


SCORE_BAD = [
    shorten("y_score"),
    inject("y_score", NAN),
    inject("y_score", INF),
    empty("y_true", "y_score"),
    as_strings("y_score"),
    unknown_label("y_true"),
]
COSTS_BAD = [
    negative("fp_cost"),
    inject("fn_cost", NAN),
    inject("fn_cost", INF),
]
PROB_BAD = [
    shorten("y_prob"),
    inject("y_prob", NAN),
    inject("y_prob", INF),
    empty("y_true", "y_prob"),
    as_strings("y_prob"),
    unknown_label("y_true"),
    negative("y_prob", kind="out of range"),
]
LABEL_BAD = [
    shorten("y_pred"),
    inject("y_pred", NAN),
    empty("y_true", "y_pred"),
    unknown_label("y_pred"),
    unknown_label("y_true"),
]
FAIR_BAD = [
    shorten("y_pred"),
    shorten("sensitive_features"),
    inject("y_pred", NAN),
    empty("y_true", "y_pred", "sensitive_features"),
    unknown_label("y_pred"),
    unknown_label("y_true"),
    single_class("sensitive_features"),
    inject("sensitive_features", NAN),
]


def _register_costs() -> None:
    from casebook.decisions import cost_matrix, costs, decision_curve, screening

    for f in (costs.cost_curve, costs.cost_optimal_threshold):
        register(f, _binary(fp_cost=1.0, fn_cost=5.0), *SCORE_BAD, *COSTS_BAD)
    register(
        costs.operating_point,
        _binary(threshold=0.5, fp_cost=1.0, fn_cost=5.0),
        *SCORE_BAD,
        *COSTS_BAD,
        inject("threshold", NAN),
        as_strings("threshold"),
    )
    register(
        costs.expected_cost,
        _labels(fp_cost=1.0, fn_cost=5.0),
        *LABEL_BAD,
        *COSTS_BAD,
        as_strings("y_pred").naming("y_pred"),
    )
    register(
        costs.threshold_for_budget,
        _binary(max_fpr=0.2),
        *SCORE_BAD,
        inject("max_fpr", NAN),
        negative("max_fpr", kind="out of range"),
    )

    def cm() -> dict[str, Any]:
        return {"labels": ("a", "b", "c"), "costs": np.array([[0, 1, 2], [3, 0, 1], [5, 2, 0.0]])}

    register(
        cost_matrix.CostMatrix,
        cm,
        shorten("labels"),
        inject("costs", NAN),
        inject("costs", INF),
        negative("costs"),
        as_strings("costs"),
        empty("labels"),
        replace("labels", ("a", "a", "b"), "duplicate label"),
    )

    def proba() -> dict[str, Any]:
        p = np.array([[0.2, 0.5, 0.3], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8]])
        return {"proba": p, "cost_matrix": cost_matrix.CostMatrix(**cm())}

    register(
        cost_matrix.min_expected_cost_decision,
        proba,
        inject("proba", NAN),
        inject("proba", INF),
        negative("proba", kind="out of range"),
        as_strings("proba"),
        Bad("wrong length", "proba", lambda p: p | {"proba": p["proba"][:, :2]}),
        empty("proba"),
        replace("cost_matrix", np.zeros((3, 3)), "wrong dtype"),
    )
    register(
        decision_curve.decision_curve,
        lambda: {"y_true": Y.copy(), "y_prob": PROB.copy()},
        *PROB_BAD,
        replace("thresholds", [0.1, NAN], "NaN"),
    )
    register(
        decision_curve.net_benefit,
        lambda: {"y_true": Y.copy(), "y_prob": PROB.copy(), "threshold": 0.2},
        *PROB_BAD,
        inject("threshold", NAN),
        negative("threshold", kind="out of range"),
    )
    for f in (screening.positive_predictive_value, screening.negative_predictive_value):
        register(
            f,
            lambda: {"sensitivity": 0.9, "specificity": 0.8, "prevalence": 0.1},
            inject("sensitivity", NAN),
            inject("specificity", INF),
            negative("prevalence", kind="out of range"),
            as_strings("sensitivity"),
            replace("prevalence", np.array([0.1, NAN]), "NaN"),
        )
    register(
        screening.screening_table,
        lambda: {"sensitivity": 0.9, "specificity": 0.8, "prevalences": [0.01, 0.1]},
        inject("sensitivity", NAN),
        inject("prevalences", NAN),
        inject("prevalences", INF),
        negative("prevalences", kind="out of range"),
        as_strings("prevalences"),
    )


def _register_calibration() -> None:
    from casebook.decisions import calibration

    def prob() -> dict[str, Any]:
        return {"y_true": Y.copy(), "y_prob": PROB.copy(), "n_bins": 4}

    for f in (
        calibration.brier_decomposition,
        calibration.expected_calibration_error,
        calibration.reliability_table,
    ):
        register(f, prob, *PROB_BAD)
    register(
        calibration.recalibrate,
        lambda: {"estimator": tiny_model(), "X_calib": X2.copy(), "y_calib": Y.copy()},
        shorten("y_calib"),
        inject("X_calib", NAN),
        inject("X_calib", INF),
        empty("X_calib", "y_calib"),
        single_class("y_calib"),
        as_strings("X_calib"),
    )


def _register_explore() -> None:
    from casebook.decisions import costs
    from casebook.plots import explorer

    register(
        explorer.explorer_state,
        _binary(threshold=0.5, fp_cost=1.0, fn_cost=5.0),
        *SCORE_BAD,
        *COSTS_BAD,
        inject("threshold", NAN),
    )
    register(
        explorer.cost_explorer,
        _binary(fp_cost=1.0, fn_cost=5.0),
        *SCORE_BAD,
        *COSTS_BAD,
        inject("threshold", NAN),
    )

    def state() -> dict[str, Any]:
        curve = costs.cost_curve(Y, SCORE, fp_cost=1.0, fn_cost=5.0)
        st = explorer.explorer_state(Y, SCORE, threshold=0.5, fp_cost=1.0, fn_cost=5.0)
        return {"state": st, "curve": curve}

    register(
        explorer.plot_explorer_state,
        state,
        drop_column("curve", "cost"),
        empty("curve"),
        replace("state", {"threshold": 0.5}, "wrong dtype"),
    )
    _register_error_explorer()


def _register_error_explorer() -> None:
    from casebook.error_analysis import error_explorer as ea
    from casebook.plots import error_explorer as pe

    register(
        ea.slice_confusion,
        _binary(slices=GROUPS.copy(), threshold=0.5, fp_cost=1.0, fn_cost=5.0),
        *SCORE_BAD,
        *COSTS_BAD,
        shorten("slices"),
        inject("threshold", NAN),
        replace("threshold", SCORE[:5], "wrong length"),
        replace("slices", "ab", "wrong dtype"),
        replace("confidence", 1.5, "out of range"),
    )
    frame = pd.DataFrame({"group": GROUPS.copy(), "x": np.round(np.linspace(0.0, 1.9, N), 2)})

    def state_args() -> dict[str, Any]:
        return {
            "X": frame.copy(),
            "y_true": Y.copy(),
            "views": {"A": (SCORE.copy(), 0.5), "B": (SCORE.copy(), 0.7)},
            "by": "x",
            "fp_cost": 1.0,
            "fn_cost": 5.0,
            "min_support": 2,
        }

    explorer_bad = [
        shorten("y_true"),
        unknown_label("y_true"),
        inject("y_true", NAN),
        replace("views", {"A": (np.r_[NAN, SCORE[1:]], 0.5)}, "NaN"),
        replace("views", {"A": (np.r_[INF, SCORE[1:]], 0.5)}, "inf"),
        replace("views", {"A": (SCORE.astype(str), 0.5)}, "wrong dtype"),
        replace("views", {"A": (SCORE[:-1], 0.5)}, "wrong length"),
        replace("views", {"A": (SCORE, NAN)}, "NaN threshold"),
        inject("X", INF, col="x"),
        drop_column("X", "x"),
        *COSTS_BAD,
        replace("views", {}, "empty"),
        replace("views", [SCORE], "wrong dtype"),
        negative("min_support", kind="negative value"),
    ]
    register(ea.error_explorer_state, state_args, *explorer_bad)
    register(pe.error_explorer, state_args, *explorer_bad)
    register(
        pe.plot_error_explorer_state,
        lambda: {"state": ea.error_explorer_state(**state_args())},
        replace("state", {"by": "x"}, "wrong dtype"),
        replace("rate", "accuracy", "unknown label"),
        replace("slice_", "nope", "unknown label"),
    )


def _register_confusion() -> None:
    from casebook.decisions import confusion

    lab = {"labels": [0, 1]}
    for f in (confusion.confusion_table, confusion.rates_table, confusion.top_confused_pairs):
        register(
            f,
            _labels(**lab),
            *LABEL_BAD,
            replace("labels", [], "empty"),
            replace("labels", [0, 0], "duplicate label"),
        )
    register(
        confusion.binary_rates,
        _labels(labels=[0, 1], pos_label=1),
        *LABEL_BAD,
        replace("pos_label", 7, "unknown label"),
        replace("labels", [], "empty"),
    )


def _register_plots_costs() -> None:
    from casebook.decisions import calibration, costs, decision_curve
    from casebook.plots import costs as pc

    register(
        pc.plot_cost_curve,
        lambda: {"curve": costs.cost_curve(Y, SCORE, fp_cost=1.0, fn_cost=5.0)},
        drop_column("curve", "cost"),
        drop_column("curve", "threshold"),
        empty("curve"),
        replace("points", {"x": 0.5}, "wrong dtype"),
    )
    register(
        pc.plot_decision_curve,
        lambda: {"curves": decision_curve.decision_curve(Y, PROB)},
        drop_column("curves", "model"),
        empty("curves"),
        replace("curves", {}, "empty"),
    )
    register(
        pc.plot_reliability,
        lambda: {"tables": calibration.reliability_table(Y, PROB, n_bins=4)},
        drop_column("tables", "observed_rate"),
        empty("tables"),
        replace("tables", {}, "empty"),
    )
    for f in (pc.plot_roc_with_points, pc.plot_pr_with_points):
        register(
            f,
            _binary(),
            shorten("y_score"),
            inject("y_score", NAN),
            inject("y_score", INF),
            empty("y_true", "y_score"),
            as_strings("y_score"),
            single_class("y_true"),
            replace("points", {"x": 0.5}, "wrong dtype"),
        )


def _register_drift() -> None:
    from casebook.monitoring.drift import (
        _core,
        features,
        multitest,
        performance,
        quality,
        report,
        stats,
        summaries,
    )

    ref = RNG.normal(size=40)
    cur = RNG.normal(0.5, 1, size=30)

    def num() -> dict[str, Any]:
        return {"reference": ref.copy(), "current": cur.copy()}

    numeric_bad = [
        empty("current"),
        as_strings("current"),
        replace("reference", [NAN, NAN], "NaN"),
    ]
    for f in (stats.psi, stats.ks):  # rank/bin based: +-inf fall in the outer bins, NaN dropped
        register(f, num, *numeric_bad, inject("threshold", NAN))
    register(
        stats.wasserstein,
        num,
        *numeric_bad,
        inject("reference", INF),
        inject("current", INF),
        inject("threshold", NAN),
    )
    register(
        stats.mmd,
        lambda: {"reference": X2.copy(), "current": X2[::-1].copy() + 1, "n_permutations": 9},
        inject("reference", INF),
        inject("current", INF),
        empty("current"),
        as_strings("current"),
        Bad("wrong length", "current", lambda p: p | {"current": p["current"][:, :1]}),
        inject("threshold", NAN),
    )
    cat_ref = np.array(["a", "b"] * 20, dtype=object)
    cat_cur = np.array(["a", "a", "b"] * 10, dtype=object)
    register(
        stats.chi_square,
        lambda: {"reference": cat_ref.copy(), "current": cat_cur.copy()},
        empty("current"),
        empty("reference"),
        inject("threshold", NAN),
        replace("unseen", "bogus", "unknown label"),
    )
    register(
        stats.jensen_shannon,
        lambda: {"reference": cat_ref.copy(), "current": cat_cur.copy()},
        empty("current"),
        empty("reference"),
        inject("threshold", NAN),
    )
    register(
        _core.quantile_edges,
        lambda: {"reference": ref.copy(), "bins": 4},
        empty("reference"),
        as_strings("reference"),
        negative("bins", kind="out of range"),
    )
    for f in (multitest.bonferroni, multitest.benjamini_hochberg, multitest.correct):
        register(
            f,
            lambda: {"p_values": np.array([0.01, 0.04, 0.3])},
            inject("p_values", NAN),
            inject("p_values", INF),
            negative("p_values", kind="out of range"),
            empty("p_values"),
            as_strings("p_values"),
            inject("alpha", NAN),
        )
    proba = np.array([0.9, 0.2, 0.6, 0.7])
    for f in (performance.expected_accuracy, performance.expected_roc_auc):
        register(
            f,
            lambda: {"y_proba": proba.copy()},
            inject("y_proba", NAN),
            inject("y_proba", INF),
            negative("y_proba", kind="out of range"),
            empty("y_proba"),
            as_strings("y_proba"),
        )
    register(
        performance.realized_performance,
        lambda: {"y_true": np.array([0, 1, 1, 0]), "y_proba": proba.copy()},
        shorten("y_proba"),
        inject("y_proba", NAN),
        inject("y_proba", INF),
        empty("y_true", "y_proba"),
        as_strings("y_proba"),
        unknown_label("y_true"),
        inject("threshold", NAN),
    )
    register(
        performance.prediction_drift,
        lambda: {"reference_proba": PROB.copy(), "current_proba": SCORE.copy()},
        inject("reference_proba", NAN),
        inject("current_proba", INF),
        empty("current_proba"),
        as_strings("current_proba"),
        negative("current_proba", kind="out of range"),
    )
    register(
        performance.performance_table,
        lambda: {
            "y_proba_by_week": {1: [0.9, 0.1], 2: [0.8, 0.3]},
            "y_true_by_week": {1: [1, 0], 2: [1, 1]},
            "as_of_week": 2,
            "delay": 1,
        },
        replace("y_true_by_week", {1: [1], 2: [1, 1]}, "wrong length"),
        replace("y_proba_by_week", {1: [0.9, NAN], 2: [0.8, 0.3]}, "NaN"),
        replace("y_true_by_week", {1: [1, 7], 2: [1, 1]}, "unknown label"),
        negative("delay", kind="negative value"),
    )
    register(
        performance.labels_arrived,
        lambda: {"week": 3, "as_of_week": 6, "delay": 3},
        negative("delay", kind="negative value"),
        as_strings("week"),
    )

    frame = pd.DataFrame({"x": RNG.normal(size=30), "c": RNG.choice(["a", "b"], 30)})
    register(
        quality.infer_schema,
        lambda: {"reference": frame.copy()},
        empty("reference"),
        replace("reference", frame["x"].to_numpy(), "wrong dtype"),
        inject("range_margin", NAN),
        replace("categorical", ("nope",), "missing column"),
    )
    schema = quality.infer_schema(frame)
    register(
        quality.check_batch,
        lambda: {"batch": frame.iloc[:10].copy(), "schema": schema},
        replace("schema", {"x": "numeric"}, "wrong dtype"),
        inject("max_missing_increase", NAN),
    )
    register(
        quality.issues_table,
        lambda: {"issues": quality.check_batch(frame.drop(columns="x"), schema)},
        replace("issues", ["not an issue"], "wrong dtype"),
    )
    register(
        quality.drift_ready_columns,
        lambda: {"schema": schema, "issues": []},
        replace("schema", {"x": "numeric"}, "wrong dtype"),
        replace("issues", ["not an issue"], "wrong dtype"),
    )
    cur_frame = pd.DataFrame({"x": RNG.normal(1, 1, 30), "c": RNG.choice(["a", "b"], 30)})

    def fd() -> dict[str, Any]:
        return {
            "reference": frame.copy(),
            "current": cur_frame.copy(),
            "numeric": ["x"],
            "categorical": ["c"],
        }

    register(
        features.feature_drift,
        fd,
        drop_column("reference", "x"),
        drop_column("current", "c"),
        as_strings("reference", col="x"),
        inject("reference", INF, col="x"),
        empty("reference"),
        inject("alpha", NAN),
        negative("bins", kind="out of range"),
    )

    def mw() -> dict[str, Any]:
        return {
            "reference": frame.copy(),
            "batches": {1: cur_frame.copy()},
            "schema": schema,
            "numeric": ["x"],
            "categorical": ["c"],
            "mmd_permutations": 9,
        }

    register(
        report.monitor_weeks,
        mw,
        drop_column("reference", "x"),
        empty("reference"),
        replace("numeric", ["nope"], "missing column").naming("nope"),
        replace("batches", [cur_frame], "wrong dtype"),
        inject("alpha", NAN),
    )

    def ds() -> dict[str, Any]:
        w = pd.DataFrame(
            {"week": [1, 2, 3], "alert": [False, False, True], "reasons": ["", "", "x"]}
        )
        s = pd.DataFrame(
            {
                "week": [1, 2, 3],
                "kind": ["control", "gradual_shift", "gradual_shift"],
                "injection": ["", "g", "g"],
            }
        )
        return {"weeks": w, "schedule": s}

    register(
        report.detection_summary,
        ds,
        drop_column("weeks", "alert"),
        drop_column("schedule", "kind"),
        empty("weeks"),
    )

    def summ() -> dict[str, Any]:
        e = [-np.inf, 0.0, np.inf]
        return {
            "reference": summaries.summarize_numeric(ref, edges=e),
            "current": summaries.summarize_numeric(cur, edges=e),
        }

    def summ_cat() -> dict[str, Any]:
        return {
            "reference": summaries.summarize_categories(cat_ref),
            "current": summaries.summarize_categories(cat_cur),
        }

    other_edges = summaries.summarize_numeric(cur, edges=[-np.inf, 1.0, np.inf])
    register(
        summaries.psi_from_summaries,
        summ,
        replace("current", other_edges, "wrong length"),
        replace("current", summaries.summarize_categories(cat_cur), "wrong dtype"),
        replace("current", summaries.summarize_numeric([], edges=[-np.inf, 0.0, np.inf]), "empty"),
        inject("threshold", NAN),
    )
    register(
        summaries.jensen_shannon_from_summaries,
        summ_cat,
        replace(
            "current", summaries.summarize_numeric(cur, edges=[-np.inf, 0.0, np.inf]), "wrong dtype"
        ),
        replace("current", summaries.summarize_categories([]), "empty"),
        inject("threshold", NAN),
    )
    register(
        summaries.chi_square_from_summaries,
        summ_cat,
        replace(
            "current", summaries.summarize_numeric(cur, edges=[-np.inf, 0.0, np.inf]), "wrong dtype"
        ),
        replace("current", summaries.summarize_categories([]), "empty"),
        inject("threshold", NAN),
    )
    register(
        summaries.summarize_numeric,
        lambda: {"values": ref.copy(), "edges": [-np.inf, 0.0, np.inf]},
        as_strings("values"),
        inject("edges", NAN, at=1),
        replace("edges", [1.0, 0.0], "unsorted"),
        empty("edges"),
    )
    register(
        summaries.summarize_categories,
        lambda: {"values": cat_ref.copy()},
        replace("values", np.zeros((2, 2)), "wrong dtype"),
    )
    register(
        summaries.merge,
        lambda: {
            "a": summaries.summarize_categories(["a"]),
            "b": summaries.summarize_categories(["b"]),
        },
        replace("b", summaries.summarize_numeric([1.0], edges=[-np.inf, np.inf]), "wrong dtype"),
        replace("b", {"a": 1}, "wrong dtype"),
    )
    register(
        summaries.merge_all,
        lambda: {"summaries": [summaries.summarize_categories(["a"])] * 2},
        empty("summaries"),
        replace("summaries", ["a", "b"], "wrong dtype"),
    )


def _register_fairness() -> None:
    from casebook.fairness import (
        adapters,
        alerts,
        audit,
        criteria,
        data_checks,
        group_calibration,
        groups,
        intervals,
        metrics,
        mitigation,
        operating_point,
        paired,
        tradeoffs,
    )

    simple = [
        criteria.demographic_parity_difference,
        criteria.demographic_parity_ratio,
        criteria.equal_opportunity_difference,
        criteria.equal_opportunity_ratio,
        criteria.equalized_odds_difference,
        criteria.equalized_odds_ratio,
        criteria.predictive_parity_difference,
        criteria.predictive_parity_ratio,
        criteria.disparities,
        metrics.disparity,
        metrics.group_metrics,
        adapters.aif360_group_metrics,
        adapters.fairlearn_disparities,
        adapters.fairlearn_group_metrics,
        adapters.fairlearn_metric_frame,
    ]
    for f in simple:
        register(f, _fair(), *FAIR_BAD)
    for f in (adapters.aif360_classification_metric, adapters.aif360_disparities):
        register(f, _fair(privileged="a"), *FAIR_BAD, replace("privileged", "zz", "unknown label"))
    boot = {"n_resamples": 40}  # the fewest a 95% interval accepts
    register(
        audit.audit_sheet,
        _fair(min_group_size=2, **boot),
        *FAIR_BAD,
        negative("n_resamples", kind="negative value"),
        replace("n_resamples", 1, "too few resamples"),
        inject("confidence", NAN),
    )
    for f in (
        intervals.bootstrap_disparities,
        intervals.bootstrap_group_metrics,
        intervals.disparity_ci,
    ):
        register(
            f,
            _fair(**boot),
            *FAIR_BAD,
            negative("n_resamples", kind="negative value"),
            replace("n_resamples", 39, "too few resamples"),
            inject("confidence", NAN),
        )
    register(
        alerts.fairness_kpis_by_batch,
        _fair(batch=np.repeat([1, 2], 10)[np.r_[0:5, 10:15, 5:10, 15:20]], **boot),
        *[b for b in FAIR_BAD if b.kind != "empty"],
        shorten("batch"),
        inject("batch", NAN),
        empty("y_true", "y_pred", "sensitive_features", "batch"),
        replace("n_resamples", -1, "negative value"),
        replace("n_resamples", 1, "too few resamples"),
    )
    register(
        audit.verdict,
        lambda: {"low": 0.02, "high": 0.06, "tolerance": 0.1, "method": "difference"},
        inject("tolerance", NAN),  # a NaN bound is documented as inconclusive
        negative("tolerance", kind="negative value"),
        replace("high", 0.01, "unsorted"),
    )
    register(
        group_calibration.calibration_by_group,
        lambda: {
            "y_true": Y.copy(),
            "y_prob": PROB.copy(),
            "sensitive_features": GROUPS.copy(),
            "n_bins": 2,
        },
        *PROB_BAD,
        shorten("sensitive_features"),
        inject("sensitive_features", NAN),
    )
    feats = pd.DataFrame(
        {"role": np.where(GROUPS == "a", "wife", "husband"), "noise": RNG.normal(size=N)}
    )
    register(
        data_checks.proxy_strength,
        lambda: {"features": feats.copy(), "sensitive": GROUPS.copy(), "positive": "a"},
        shorten("sensitive"),
        empty("features", "sensitive"),
        single_class("sensitive"),
        replace("positive", "zz", "unknown label"),
        inject("sensitive", NAN),
    )
    strata = pd.DataFrame({"job": ["x", "y"] * 10})
    register(
        data_checks.conditional_rate_gap,
        lambda: {
            "y_true": Y.copy(),
            "sensitive": GROUPS.copy(),
            "positive": "a",
            "strata": strata.copy(),
        },
        shorten("sensitive"),
        shorten("strata"),
        unknown_label("y_true"),
        single_class("sensitive"),
        replace("positive", "zz", "unknown label"),
        empty("y_true", "sensitive", "strata"),
    )
    register(
        groups.encode_groups,
        lambda: {"sensitive_features": GROUPS.copy(), "n": N},
        shorten("sensitive_features"),
        inject("sensitive_features", NAN),
        empty("sensitive_features"),
        replace("groups", ["zz"], "unknown label").naming("sensitive_features"),
    )
    counts = np.array([[5, 1, 2, 2], [3, 3, 3, 1]])
    register(
        intervals.bootstrap_counts,
        lambda: {"counts": counts.copy(), "n_resamples": 5},
        negative("counts", kind="negative value"),
        as_strings("counts"),
        Bad("wrong length", "counts", lambda p: p | {"counts": p["counts"][:, :3]}),
        empty("counts"),
        inject("counts", NAN),
    )
    register(
        metrics.rates_from_counts,
        lambda: {"counts": counts.copy(), "rate": "tpr"},
        negative("counts", kind="negative value"),
        Bad("wrong length", "counts", lambda p: p | {"counts": p["counts"][:, :3]}),
        inject("counts", NAN),
        replace("rate", "bogus", "unknown label"),
    )
    register(
        metrics.criterion_from_counts,
        lambda: {"counts": counts.copy(), "criterion": "demographic_parity", "method": "ratio"},
        negative("counts", kind="negative value"),
        Bad("wrong length", "counts", lambda p: p | {"counts": p["counts"][:, :3]}),
        inject("counts", NAN),
        replace("criterion", "bogus", "unknown label"),
        replace("method", "bogus", "unknown label"),
    )
    register(
        intervals.required_group_size,
        lambda: {"rate": 0.5, "margin": 0.05},
        inject("rate", NAN),
        inject("margin", INF),
        negative("margin", kind="negative value"),
        negative("rate", kind="out of range"),
    )
    register(
        intervals.detectable_difference,
        lambda: {"n_a": 190, "n_b": 810, "rate": 0.7},
        inject("rate", NAN),
        negative("n_a", kind="negative value"),
        replace("n_b", 0, "empty"),
        as_strings("n_a"),
    )
    register(
        tradeoffs.implied_fpr,
        lambda: {"base_rate": 0.1, "ppv": 0.75, "tpr": 0.6},
        inject("base_rate", NAN),
        inject("ppv", INF),
        negative("tpr", kind="out of range"),
    )
    register(
        tradeoffs.group_thresholds,
        lambda: {
            "y_score": SCORE.copy(),
            "sensitive_features": GROUPS.copy(),
            "rate": "selection_rate",
            "target": 0.5,
        },
        shorten("sensitive_features"),
        inject("y_score", NAN),
        inject("y_score", INF),
        empty("y_score", "sensitive_features"),
        as_strings("y_score"),
        inject("target", NAN),
        inject("sensitive_features", NAN),
    )

    def preds() -> dict[str, Any]:
        return {
            "predictions": {"baseline": Y_PRED.copy(), "fair": Y.copy()},
            "y_historical": Y.copy(),
            "sensitive_features": GROUPS.copy(),
        }

    register(
        operating_point.mitigation_table,
        preds,
        shorten("y_historical"),
        shorten("sensitive_features"),
        inject("predictions", NAN),
        unknown_label("y_historical"),
        replace("predictions", {}, "empty"),
        replace("baseline", "nope", "unknown label"),
        inject("sensitive_features", NAN),
    )
    register(
        operating_point.pareto_front,
        lambda: {"disparity": [0.10, 0.05, 0.02, 0.06], "accuracy": [0.80, 0.79, 0.75, 0.70]},
        shorten("accuracy"),
        inject("disparity", NAN),
        inject("accuracy", INF),
        as_strings("accuracy"),
    )
    register(
        operating_point.accuracy_cost_per_disparity,
        lambda: {
            "accuracy_baseline": 0.8,
            "accuracy_mitigated": 0.79,
            "disparity_baseline": 0.1,
            "disparity_mitigated": 0.02,
        },
        inject("accuracy_baseline", NAN),
        inject("disparity_mitigated", INF),
        negative("disparity_baseline", kind="negative value"),
    )
    table = pd.DataFrame(
        {"dp_difference": [0.10, 0.04, 0.01], "accuracy_historical": [0.80, 0.78, 0.74]},
        index=["a", "b", "c"],
    )
    register(
        operating_point.choose_operating_point,
        lambda: {"table": table.copy(), "max_disparity": 0.05},
        drop_column("table", "dp_difference"),
        drop_column("table", "accuracy_historical"),
        empty("table"),
        inject("max_disparity", NAN),
        inject("table", NAN, col="dp_difference"),
    )
    register(
        paired.compare_decisions,
        lambda: {
            "y_true": Y.copy(),
            "y_pred_a": Y_PRED.copy(),
            "y_pred_b": Y.copy(),
            "sensitive_features": GROUPS.copy(),
            "n_resamples": 50,
        },
        shorten("y_pred_b").naming("y_true", "y_pred_b"),
        shorten("sensitive_features"),
        unknown_label("y_pred_a"),
        inject("y_true", NAN),
        inject("sensitive_features", NAN),
        inject("confidence", NAN),
    )
    register(
        paired.describe_difference,
        lambda: {
            "table": paired.compare_decisions(
                Y, Y_PRED, Y, sensitive_features=GROUPS, n_resamples=50
            ),
            "metric": "accuracy",
        },
        drop_column("table", "excludes_zero"),
        replace("metric", "nope", "unknown label"),
        replace("table", [0.1], "wrong type"),
        inject("scale", NAN),
    )
    register(
        paired.describe_interval,
        lambda: {"values": [0.01, -0.01, 0.03]},
        replace("values", [0.1, 0.2], "wrong length"),
        replace("values", [0.1, 0.3, 0.2], "low above high"),
        replace("values", "abc", "wrong type"),
        inject("scale", NAN),
    )
    register(
        mitigation.reweighing_weights,
        lambda: {"y": Y.copy(), "sensitive_features": GROUPS.copy()},
        shorten("sensitive_features"),
        unknown_label("y"),
        inject("y", NAN),
        empty("y", "sensitive_features"),
        inject("sensitive_features", NAN),
        inject("strength", NAN),
    )

    def fit_args(**extra: Any) -> Callable[[], dict[str, Any]]:
        from sklearn.linear_model import LogisticRegression

        return lambda: (
            {
                "estimator": LogisticRegression(),
                "X_train": X2.copy(),
                "y_train": Y.copy(),
                "X_eval": X2[:6].copy(),
                "sensitive_features": GROUPS.copy(),
            }
            | extra
        )

    fit_bad = [
        shorten("y_train"),
        shorten("sensitive_features"),
        inject("X_train", NAN),
        inject("X_eval", INF),
        unknown_label("y_train"),
        single_class("y_train"),
        as_strings("X_train"),
        empty("X_train", "y_train", "sensitive_features"),
    ]
    register(mitigation.reweighing_predictions, fit_args(), *fit_bad)
    register(mitigation.exponentiated_gradient_predictions, fit_args(max_iter=1), *fit_bad)

    def to_args() -> dict[str, Any]:
        d = fit_args(sensitive_features_eval=GROUPS[:6].copy())()
        d["fitted_estimator"] = tiny_model()
        del d["estimator"]
        return d

    register(
        mitigation.threshold_optimizer_predictions,
        to_args,
        *fit_bad,
        shorten("sensitive_features_eval"),
    )

    def kpis() -> dict[str, Any]:
        k = pd.DataFrame(
            {
                "batch": [1, 2, 3, 4, 5],
                "min_group_n": [50, 5, 50, 50, 50],
                "estimate": [0.9, 0.3, 0.6, 0.6, 0.6],
                "low": [0.8, 0.0, 0.5, 0.5, 0.5],
                "high": [1.0, 0.9, 0.7, 0.7, 0.7],
            }
        )
        return {"kpis": k, "tolerance": 0.8}

    register(
        alerts.alert_timeline,
        kpis,
        drop_column("kpis", "low"),
        drop_column("kpis", "estimate"),
        inject("tolerance", NAN),
        inject("kpis", INF, col="estimate"),
        negative("consecutive", kind="negative value"),
    )
    register(
        alerts.first_alert,
        lambda: {"timeline": pd.DataFrame({"batch": [1, 2, 3], "alert": [False, True, True]})},
        drop_column("timeline", "alert"),
        drop_column("timeline", "batch"),
        replace("timeline", [False, True], "wrong dtype"),
    )
    shift = pd.DataFrame(
        {
            "week": np.repeat([1, 2], 20),
            "g": np.tile(["a", "b"], 20),
            "x": RNG.normal(size=40),
            "y": RNG.normal(size=40),
        }
    )
    register(
        alerts.rank_shifted_features,
        lambda: {
            "frame": shift.copy(),
            "features": ["x", "y"],
            "group": "g",
            "period": "week",
            "reference": [1],
            "current": [2],
        },
        drop_column("frame", "g"),
        drop_column("frame", "week"),
        drop_column("frame", "x"),
        empty("frame"),
        replace("current", [9], "unknown label"),
        as_strings("frame", col="x"),
    )
    bl = pd.DataFrame({"sex": [0, 1, 1, 0], "x": [0.5, 1.0, 2.0, 3.0], "y": [1, 0, 1, 0]})
    register(
        adapters.to_binary_label_dataset,
        lambda: {"frame": bl.copy(), "label": "y", "protected": "sex"},
        drop_column("frame", "y"),
        drop_column("frame", "sex"),
        inject("frame", NAN, col="x"),
        as_strings("frame", col="x"),
        replace("frame", bl.assign(y=[7, 0, 1, 0]), "unknown label").naming("y", "label"),
        replace("protected", "nope", "missing column").naming("protected", "nope"),
    )


def _register_modeling() -> None:
    from casebook.decisions import profit
    from casebook.error_analysis import slices, taxonomy
    from casebook.modeling import (
        explain,
        imbalance,
        latency,
        minority_synthesis,
        pipelines,
        resampling,
        segment_description,
        segmentation,
    )

    register(
        imbalance.ranking_scores,
        _binary(),
        *SCORE_BAD,
        single_class("y_true"),
        shorten("y_true"),
        replace("sample_weight", -np.ones(N), "negative value"),
    )
    register(
        imbalance.subsample_majority,
        lambda: {"y": Y.copy(), "keep": 0.5, "seed": 0},
        inject("y", NAN),
        unknown_label("y"),
        as_strings("y"),
        inject("keep", NAN),
        negative("keep", kind="out of range"),
    )
    register(
        imbalance.recall_at_precision,
        _binary(min_precision=0.5),
        *SCORE_BAD,
        single_class("y_true"),
        inject("min_precision", NAN),
        negative("min_precision", kind="out of range"),
    )
    register(
        imbalance.net_savings,
        _binary(amount=np.arange(1.0, N + 1), threshold=0.5, review_cost=3.0),
        *SCORE_BAD,
        shorten("amount"),
        inject("amount", NAN),
        negative("amount", kind="negative value"),
        negative("review_cost"),
        inject("review_cost", INF),
        inject("threshold", NAN),
    )
    Xs = np.vstack([RNG.normal(0, 1, (30, 2)), RNG.normal(2, 1, (10, 2))])
    ys = np.r_[np.zeros(30, int), np.ones(10, int)]
    register(
        minority_synthesis.synthesize_minority,
        lambda: {
            "X": Xs.copy(),
            "y": ys.copy(),
            "method": "gaussian_mixture",
            "n_samples": 5,
            "seed": 0,
        },
        shorten("y"),
        inject("X", NAN),
        inject("X", INF),
        unknown_label("y"),
        single_class("y"),
        as_strings("X"),
        negative("n_samples", kind="negative value"),
        empty("X", "y"),
    )

    def leak() -> dict[str, Any]:
        from imblearn.over_sampling import RandomOverSampler
        from sklearn.linear_model import LogisticRegression

        return {
            "X": Xs.copy(),
            "y": ys.copy(),
            "sampler": RandomOverSampler(),
            "estimator": LogisticRegression(),
            "n_splits": 2,
            "seed": 0,
        }

    register(
        resampling.resampling_leak,
        leak,
        shorten("y"),
        inject("X", NAN),
        inject("X", INF),
        unknown_label("y"),
        single_class("y"),
        as_strings("X"),
        empty("X", "y"),
    )

    def tstr() -> dict[str, Any]:
        from sklearn.linear_model import LogisticRegression

        return {
            "X_train": Xs.copy(),
            "y_train": ys.copy(),
            "X_test": Xs.copy(),
            "y_test": ys.copy(),
            "method": "real",
            "estimator": LogisticRegression(),
            "n_samples": 10,
            "min_precision": 0.5,
            "seed": 0,
        }

    register(
        minority_synthesis.train_synthetic_test_real,
        tstr,
        shorten("y_train"),
        shorten("y_test"),
        inject("X_train", NAN),
        inject("X_test", INF),
        unknown_label("y_test"),
        single_class("y_train"),
        as_strings("X_test"),
        inject("min_precision", NAN),
    )
    register(
        importlib.import_module("casebook.decisions.auc").roc_auc_difference_ci,
        lambda: {
            "y_true": Y.copy(),
            "score_a": SCORE.copy(),
            "score_b": SCORE[::-1].copy(),
            "n_resamples": 40,
        },
        shorten("score_b"),
        inject("score_a", NAN),
        inject("score_b", INF),
        empty("y_true", "score_a", "score_b"),
        as_strings("score_a"),
        unknown_label("y_true"),
        single_class("y_true"),
        replace("n_resamples", 1, "too few resamples"),
    )
    register(
        importlib.import_module("casebook.decisions.auc").average_precision_difference_ci,
        lambda: {
            "y_true": Y.copy(),
            "score_a": SCORE.copy(),
            "score_b": SCORE[::-1].copy(),
            "sample_weight": np.ones(len(Y)),
            "n_resamples": 40,
        },
        shorten("score_b"),
        inject("score_a", NAN),
        inject("sample_weight", INF),
        negative("sample_weight", kind="negative weight"),
        empty("y_true", "score_a", "score_b", "sample_weight"),
        unknown_label("y_true"),
        single_class("y_true"),
    )
    register(
        importlib.import_module("casebook.decisions.auc").corrected_resampled_ttest,
        lambda: {"differences": np.array([0.01, 0.02, -0.005, 0.0]), "test_train_ratio": 0.5},
        inject("differences", NAN),
        inject("differences", INF),
        as_strings("differences"),
        negative("test_train_ratio", kind="negative ratio"),
        inject("confidence", NAN),
    )
    register(
        latency.measure_latency,
        lambda: {
            "predict": lambda r: sum(r),
            "requests": [[1, 2], [3, 4]],
            "n_calls": 10,
            "n_warmup": 1,
        },
        empty("requests"),
        negative("n_calls", kind="negative value"),
        inject("budget_ms", NAN),
        negative("budget_ms", kind="negative value"),
        replace("predict", 3, "wrong dtype"),
    )
    frame = pd.DataFrame(
        {
            "tenure": RNG.integers(1, 60, N),
            "charges": RNG.uniform(20, 100, N),
            "plan": np.where(Y == 1, "m", "y"),
        }
    )
    seg = np.array([0, 1] * 10)
    register(
        segment_description.segment_profiles,
        lambda: {"frame": frame.copy(), "labels": seg.copy()},
        shorten("labels"),
        inject("labels", NAN),
        empty("frame", "labels"),
    )
    register(
        segment_description.describe_segments,
        lambda: {"frame": frame.copy(), "labels": seg.copy()},
        shorten("labels"),
        inject("labels", NAN),
        empty("frame", "labels"),
        inject("min_share", NAN),
    )
    register(
        segment_description.segment_rates,
        lambda: {"y": Y.copy(), "labels": seg.copy()},
        shorten("labels"),
        inject("labels", NAN),
        empty("y", "labels"),
        inject("confidence", NAN),
    )
    Xc = np.vstack([RNG.normal(0, 0.3, (15, 2)), RNG.normal(3, 0.3, (15, 2))])
    register(
        segmentation.fit_segments,
        lambda: {"X": Xc.copy(), "k": 2},
        inject("X", NAN),
        inject("X", INF),
        empty("X"),
        as_strings("X"),
        negative("k", kind="negative value"),
        replace("k", 100, "wrong length"),
    )
    register(
        segmentation.choose_k,
        lambda: {"X": Xc.copy(), "k_values": [2, 3], "n_bootstrap": 2, "silhouette_sample": None},
        inject("X", NAN),
        inject("X", INF),
        empty("X"),
        as_strings("X"),
        replace("k_values", [], "empty"),
        replace("k_values", [1, 2], "out of range"),
    )
    register(
        profit.profit_curve,
        _binary(value=100.0, offer_cost=10.0, save_rate=0.5),
        *SCORE_BAD,
        negative("offer_cost"),
        inject("value", NAN),
        negative("value", kind="negative value"),
        inject("save_rate", INF),
        replace("groups", np.array(["a"] * 5), "wrong length"),
    )
    register(
        profit.uplift_by_group,
        lambda: {
            "y": Y.copy(),
            "treated": Y[::-1].copy(),
            "groups": np.where(np.arange(len(Y)) % 2 == 0, "a", "b"),
        },
        shorten("treated"),
        unknown_label("y"),
        unknown_label("treated"),
        inject("y", NAN),
        empty("y", "treated", "groups"),
        inject("confidence", NAN),
    )
    register(
        profit.break_even_probability,
        lambda: {"value": 500.0, "offer_cost": 50.0, "save_rate": 0.4},
        inject("value", NAN),
        negative("offer_cost"),
        inject("save_rate", INF),
        negative("value", kind="negative value"),
    )
    register(
        profit.best_targeting,
        lambda: {
            "curve": profit.profit_curve(Y, SCORE, value=100.0, offer_cost=10.0, save_rate=0.5)
        },
        drop_column("curve", "profit"),
        empty("curve"),
        replace("curve", [1, 2], "wrong dtype"),
    )
    sl = pd.DataFrame({"brand": np.where(np.arange(40) < 20, "A", "B"), "x": RNG.normal(size=40)})
    err = np.r_[np.ones(10, bool), np.zeros(10, bool), np.ones(3, bool), np.zeros(17, bool)]
    register(
        slices.slice_error_rates,
        lambda: {"frame": sl.copy(), "errors": err.copy(), "by": "brand", "min_support": 5},
        shorten("errors"),
        inject("errors", NAN),
        unknown_label("errors"),
        drop_column("frame", "brand"),
        empty("frame", "errors"),
        negative("min_support", kind="negative value"),
    )
    register(
        slices.find_error_slices,
        lambda: {"frame": sl.copy(), "errors": err.copy(), "min_support": 5},
        shorten("errors"),
        inject("errors", NAN),
        unknown_label("errors"),
        empty("frame", "errors"),
        replace("features", ["nope"], "missing column").naming("nope"),
    )
    register(
        slices.bin_feature,
        lambda: {"values": pd.Series(RNG.normal(size=10)), "bins": 2},
        negative("bins", kind="negative value"),
        replace("values", [1.0, 2.0], "wrong dtype"),
        inject("values", INF),
    )
    texts = pd.DataFrame({"text": ["call me", "call 0800 now", "ok", "call now"]})

    def rules() -> list[Any]:
        return [
            taxonomy.regex_rule("phone number", r"\d{4}", column="text"),
            taxonomy.regex_rule("call", r"call", column="text"),
        ]

    for f in (taxonomy.rule_matches, taxonomy.assign_categories, taxonomy.error_taxonomy):
        register(
            f,
            lambda: {"frame": texts.copy(), "rules": rules()},
            drop_column("frame", "text"),
            empty("rules"),
            replace("rules", ["not a rule"], "wrong dtype"),
            replace("frame", ["call me"], "wrong dtype"),
        )
    register(
        taxonomy.regex_rule,
        lambda: {"name": "money", "pattern": r"cash", "column": "text"},
        replace("pattern", "(", "wrong dtype"),
        replace("name", "", "empty"),
        replace("column", 3, "wrong dtype"),
    )
    register(
        taxonomy.Rule,
        lambda: {"name": "r", "predicate": lambda df: df["text"].str.len() > 3},
        replace("name", "", "empty"),
        replace("predicate", "not callable", "wrong dtype"),
    )
    register(
        taxonomy.sms_false_positive_rules,
        lambda: {"column": "text"},
        replace("column", "", "empty"),
        replace("column", 3, "wrong dtype"),
    )

    Xf = pd.DataFrame({"x": X2[:, 0], "c": np.where(Y == 1, "a", "b")})

    @functools.cache
    def pipe() -> Any:
        from sklearn.linear_model import LogisticRegression

        return pipelines.make_model_pipeline(LogisticRegression()).fit(Xf, Y)

    register(
        explain.linear_contributions,
        lambda: {"pipeline": pipe(), "X": Xf.iloc[:3].copy(), "baseline": Xf.copy()},
        drop_column("X", "x"),
        drop_column("baseline", "c"),
        empty("X"),
        empty("baseline"),
        inject("X", INF, col="x"),
        replace("pipeline", tiny_model(), "wrong dtype"),
    )
    register(
        explain.baseline_shapley,
        lambda: {
            "predict": lambda df: (2 * df["a"] + df["a"] * df["b"]).to_numpy(dtype=float),
            "X": pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 0.0]}),
            "baseline": pd.DataFrame({"a": [0.0], "b": [0.0]}),
        },
        drop_column("baseline", "b"),
        empty("baseline"),
        replace("predict", 3, "wrong dtype"),
    )
    contrib = pd.Series({"position": -0.8, "relevance": 1.2, "hour": 0.05})
    row = pd.Series({"position": 7, "relevance": 0.93, "hour": 14})
    register(
        explain.explanation_text,
        lambda: {"contributions": contrib.copy(), "row": row.copy(), "top": 2},
        inject("contributions", NAN),
        inject("contributions", INF),
        empty("contributions"),
        Bad(
            "missing column",
            "row",
            lambda p: p | {"row": p["row"].drop("relevance")},
            ("row", "relevance"),
        ),
        as_strings("contributions"),
        negative("top", kind="negative value"),
    )
    Xp = pd.DataFrame(X2, columns=["signal", "noise"])
    register(
        importlib.import_module("casebook.modeling.importance").permutation_importance_table,
        lambda: {"model": tiny_model_frame(), "X": Xp.copy(), "y": Y.copy(), "n_repeats": 2},
        shorten("y"),
        inject("X", NAN, col="signal"),
        unknown_label("y"),
        single_class("y"),
        empty("X", "y"),
        negative("n_repeats", kind="negative value"),
    )
    register(
        explain.source_features,
        lambda: {"preprocessor": pipelines.make_preprocessor().fit(Xf)},
        replace("preprocessor", pipelines.make_preprocessor(), "unfitted"),
        replace("preprocessor", tiny_model(), "wrong dtype"),
    )

    def cmp() -> dict[str, Any]:
        from sklearn.linear_model import LogisticRegression

        return {
            "models": {"lr": LogisticRegression()},
            "X": Xp.copy(),
            "y": Y.copy(),
            "n_splits": 2,
            "metrics": ("roc_auc",),
        }

    register(
        pipelines.compare_models,
        cmp,
        shorten("y"),
        inject("X", NAN, col="signal"),
        single_class("y"),
        empty("X", "y"),
        replace("models", {}, "empty"),
        inject("confidence", NAN),
    )


@functools.cache
def _k_selection() -> Any:
    from casebook.modeling.segmentation import choose_k

    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 0.3, (15, 2)), rng.normal(3, 0.3, (15, 2))])
    return choose_k(X, k_values=[2, 3], n_bootstrap=2, silhouette_sample=None)


@functools.cache
def tiny_model_frame() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression().fit(pd.DataFrame(X2, columns=["signal", "noise"]), Y)


def _register_misc() -> None:
    from casebook.modeling import pointintime
    from casebook.monitoring import policy
    from casebook.synthetic import clicks, weekly_batches
    from casebook.tracking import queries

    register(
        policy.validation_gate,
        lambda: {"champion_loss": 0.30, "challenger_loss": 0.22, "margin": 0.02},
        inject("champion_loss", NAN),
        inject("challenger_loss", INF),
        negative("margin", kind="negative value"),
        as_strings("challenger_loss"),
    )
    register(
        policy.RetrainingPolicy,
        lambda: {"name": "perf", "trigger": "performance", "threshold": 0.3, "disarm": 0.2},
        inject("threshold", NAN),
        inject("threshold", INF),
        inject("disarm", NAN),
        negative("cooldown", kind="negative value"),
        replace("trigger", "bogus", "unknown label"),
        as_strings("threshold"),
    )
    register(
        policy.Observation,
        lambda: {"step": 5, "signal": 0.25, "fresh_labels": 500},
        inject("signal", NAN),
        inject("signal", INF),
        negative("fresh_labels", kind="negative value"),
        negative("step", kind="negative value"),
        as_strings("signal"),
    )
    register(
        policy.decide,
        lambda: {
            "policy": policy.RetrainingPolicy("d", trigger="drift", threshold=0.2),
            "state": policy.PolicyState.initial(trained_at=0),
            "obs": policy.Observation(step=5, signal=0.25, fresh_labels=500),
        },
        replace("obs", {"step": 5}, "wrong dtype"),
        replace("state", None, "wrong dtype"),
        replace("policy", {"trigger": "drift"}, "wrong dtype"),
    )
    register(
        policy.after_retrain,
        lambda: {"state": policy.PolicyState(pending=True), "step": 7, "promoted": True},
        negative("step", kind="negative value"),
        replace("promoted", "yes", "wrong dtype"),
        replace("state", {}, "wrong dtype"),
    )
    register(
        policy.policy_from_dict,
        lambda: {"spec": {"trigger": "drift", "threshold": 0.2, "disarm": 0.1}, "name": "x"},
        Bad(
            "missing column", "spec[trigger]", lambda p: p | {"spec": {"threshold": 0.2}}, "trigger"
        ),
        Bad(
            "NaN",
            "spec[threshold]",
            lambda p: p | {"spec": {"trigger": "drift", "threshold": NAN}},
            "threshold",
        ),
        Bad(
            "unknown label",
            "spec[bogus]",
            lambda p: p | {"spec": {"trigger": "drift", "bogus": 1}},
            "bogus",
        ),
        replace("spec", ["drift"], "wrong dtype"),
    )
    dates = pd.Series(pd.date_range("2024-01-01", periods=8, freq="7D"))
    register(
        pointintime.out_of_time_split,
        lambda: {"dates": dates.copy(), "test_fraction": 0.25},
        empty("dates"),
        replace("dates", pd.Series([pd.Timestamp("2024-01-01"), pd.NaT]), "NaN"),
        as_strings("dates"),
        inject("test_fraction", NAN),
        negative("gap_days", kind="negative value"),
    )

    def wf() -> dict[str, Any]:
        apps = pd.DataFrame(
            {
                "customer_id": [1, 2],
                "application_date": pd.to_datetime(["2024-03-01", "2024-03-01"]),
            }
        )
        tx = pd.DataFrame(
            {
                "customer_id": [1, 1, 1],
                "timestamp": pd.to_datetime(["2024-01-15", "2024-02-20", "2024-03-05"]),
                "amount": [10.0, 30.0, 999.0],
                "category": ["food", "cash", "cash"],
            }
        )
        return {"applications": apps, "transactions": tx, "windows": [30]}

    register(
        pointintime.window_features,
        wf,
        drop_column("applications", "application_date"),
        drop_column("transactions", "amount"),
        drop_column("transactions", "timestamp"),
        inject("transactions", NAN, col="amount"),
        inject("transactions", INF, col="amount"),
        as_strings("transactions", col="amount"),
        replace("windows", [], "empty"),
        replace("windows", [-30], "negative value"),
        replace("windows", (30.5,), "wrong dtype"),
        Bad(
            "wrong dtype",
            "applications[customer_id]",
            lambda p: p | {"applications": p["applications"].assign(customer_id=["1", "2"])},
            ("applications", "customer_id"),
        ),
    )
    runs = pd.DataFrame({"run_name": ["a", "b"], "metrics.cost": [10.0, 7.5]})
    register(
        queries.compare_runs,
        lambda: {"runs": runs.copy(), "metrics": ["cost"], "baseline": "a"},
        drop_column("runs", "metrics.cost").naming("runs", "metrics.cost", "cost"),
        drop_column("runs", "run_name"),
        replace("baseline", "zz", "unknown label"),
        empty("runs"),
        replace("metrics", [], "empty"),
    )
    row = pd.DataFrame(
        {
            "position": [1, 2],
            "relevance": [1.0, 0.5],
            "user_ctr_30d": [0.0, 0.1],
            "hour": [20, 3],
            "is_mobile": [1, 0],
            "price": [30.0, 10.0],
            "item_age_days": [10.0, 3.0],
            "user_tenure_days": [5, 100],
        }
    )
    register(
        clicks.click_logit,
        lambda: {"frame": row.copy()},
        drop_column("frame", "relevance"),
        inject("frame", NAN, col="price"),
        as_strings("frame", col="price"),
    )
    toy = pd.DataFrame(
        {
            "tenure": RNG.integers(0, 72, 200),
            "monthly_charges": RNG.uniform(18, 119, 200),
            "total_charges": RNG.uniform(18, 8000, 200),
            "senior_citizen": RNG.integers(0, 2, 200),
            "internet_service": RNG.choice(["DSL", "Fiber optic", "No"], 200),
            "churn": RNG.choice(["No", "Yes"], 200),
        }
    )
    from casebook.synthetic import fraud

    tx = fraud.make_fraud_transactions(1000, fraud_rate=0.01, seed=0).head(20)
    register(
        fraud.fraud_feature_matrix,
        lambda: {"df": tx.copy()},
        drop_column("df", fraud.FRAUD_FEATURES[0]),
        inject("df", NAN, col=fraud.FRAUD_FEATURES[1]),
        inject("df", INF, col=fraud.FRAUD_FEATURES[0]),
        as_strings("df", col=fraud.FRAUD_FEATURES[1]),
    )
    register(
        weekly_batches.make_weekly_batches,
        lambda: {"data": toy.copy(), "batch_size": 20, "seed": 0},
        drop_column("data", "tenure"),
        drop_column("data", "churn"),
        empty("data"),
        negative("batch_size", kind="negative value"),
        as_strings("data", col="tenure"),
    )


def _register_plots() -> None:
    from casebook.decisions import confusion, profit
    from casebook.error_analysis import slices, taxonomy
    from casebook.fairness import alerts, intervals, mitigation
    from casebook.fairness import group_calibration as fcal
    from casebook.modeling import segment_description
    from casebook.plots import alerts as pmon
    from casebook.plots import confusion as pconf
    from casebook.plots import fairness as pfair
    from casebook.plots import imbalance as pimb
    from casebook.plots import modeling as pmod

    register(
        pconf.plot_confusion,
        lambda: {"table": confusion.confusion_table(Y, Y_PRED, labels=[0, 1])},
        replace("table", np.array([[1, 2], [3, 4]]), "wrong dtype"),
        replace("table", pd.DataFrame(), "empty"),
        replace("normalize", "bogus", "unknown label"),
    )
    texts = pd.DataFrame({"text": ["call me", "call 0800 now", "ok", "call now"]})
    register(
        pconf.plot_taxonomy,
        lambda: {
            "taxonomy": taxonomy.error_taxonomy(
                texts, [taxonomy.regex_rule("call", "call", column="text")]
            )
        },
        drop_column("taxonomy", "count"),
        drop_column("taxonomy", "share"),
        empty("taxonomy"),
    )
    sl = pd.DataFrame({"brand": np.where(np.arange(40) < 20, "A", "B")})
    err = np.r_[np.ones(10, bool), np.zeros(10, bool), np.ones(3, bool), np.zeros(17, bool)]
    register(
        pconf.plot_error_slices,
        lambda: {"slices": slices.slice_error_rates(sl, err, by="brand", min_support=5)},
        drop_column("slices", "error_rate"),
        empty("slices"),
    )
    register(
        pfair.plot_group_metrics,
        lambda: {
            "table": intervals.bootstrap_group_metrics(
                Y, Y_PRED, sensitive_features=GROUPS, n_resamples=40
            )
        },
        drop_column("table", "estimate"),
        drop_column("table", "low"),
        empty("table"),
    )
    register(
        pfair.plot_audit_sheet,
        lambda: {
            "sheet": __import__("casebook.fairness.audit", fromlist=["x"]).audit_sheet(
                Y, Y_PRED, sensitive_features=GROUPS, min_group_size=2, n_resamples=40
            )
        },
        drop_column("sheet", "status"),
        drop_column("sheet", "tolerance"),
        empty("sheet"),
        inject("sheet", NAN, col="tolerance"),
        replace("sheet", [1, 2], "wrong dtype"),
    )
    register(
        pfair.plot_calibration_by_group,
        lambda: {
            "calibration": fcal.calibration_by_group(Y, PROB, sensitive_features=GROUPS, n_bins=2)
        },
        drop_column("calibration", "observed_rate"),
        empty("calibration"),
    )
    register(
        pfair.plot_pareto_front,
        lambda: {"disparity": [0.10, 0.05, 0.02, 0.06], "performance": [0.80, 0.79, 0.75, 0.70]},
        shorten("performance"),
        inject("disparity", NAN),
        inject("performance", INF),
        empty("disparity", "performance"),
        as_strings("performance"),
        replace("labels", ["a"], "wrong length"),
    )

    def comparison() -> dict[str, Any]:
        from casebook.fairness.paired import compare_decisions

        t = compare_decisions(Y, Y_PRED, Y, sensitive_features=GROUPS, n_resamples=50)
        return {"table": t, "metrics": ["accuracy"]}

    register(
        importlib.import_module("casebook.plots.paired").plot_decision_comparison,
        comparison,
        drop_column("table", "low"),
        replace("metrics", ["nope"], "unknown label"),
        replace("table", [0.1, 0.2], "wrong type"),
        inject("table", NAN, col="difference"),
    )

    def timeline() -> dict[str, Any]:
        k = pd.DataFrame(
            {
                "batch": [1, 2, 3, 4, 5],
                "min_group_n": [50, 5, 50, 50, 50],
                "estimate": [0.9, 0.3, 0.6, 0.6, 0.6],
                "low": [0.8, 0.0, 0.5, 0.5, 0.5],
                "high": [1.0, 0.9, 0.7, 0.7, 0.7],
            }
        )
        return {"timeline": alerts.alert_timeline(k, tolerance=0.8), "tolerance": 0.8}

    register(
        pmon.plot_alert_timeline,
        timeline,
        drop_column("timeline", "status"),
        drop_column("timeline", "estimate"),
        empty("timeline"),
        inject("tolerance", NAN),
    )
    register(
        pimb.plot_comparison_bars,
        lambda: {
            "table": pd.DataFrame({"pr_auc": [0.5, 0.6], "roc_auc": [0.8, 0.9]}, index=["a", "b"]),
            "columns": ["pr_auc", "roc_auc"],
            "title": "t",
            "xlabel": "score",
        },
        drop_column("table", "pr_auc"),
        replace("columns", [], "empty"),
        as_strings("table", col="pr_auc"),
    )
    register(
        pimb.plot_pr_curves,
        lambda: {"curves": {"m": (Y.copy(), SCORE.copy())}},
        replace("curves", {"m": (Y[:-1], SCORE)}, "wrong length"),
        replace("curves", {"m": (Y, np.r_[NAN, SCORE[1:]])}, "NaN"),
        replace("curves", {"m": (Y, np.r_[INF, SCORE[1:]])}, "inf"),
        replace("curves", {}, "empty"),
        replace("curves", {"m": (Y, SCORE.astype(str))}, "wrong dtype"),
        replace("curves", {"m": (np.zeros(N, int), SCORE)}, "single class"),
    )
    for f in (pmod.plot_roc_comparison, pmod.plot_pr_comparison):
        register(
            f,
            lambda: {"y_true": Y.copy(), "scores": {"m": SCORE.copy()}},
            shorten("scores"),
            inject("scores", NAN),
            inject("scores", INF),
            as_strings("scores"),
            replace("scores", {}, "empty"),
            single_class("y_true"),
        )
    frame = pd.DataFrame({"tenure": RNG.integers(1, 60, N), "charges": RNG.uniform(20, 100, N)})
    seg = np.array([0, 1] * 10)
    register(
        pmod.plot_segment_profiles,
        lambda: {"frame": frame.copy(), "labels": seg.copy()},
        shorten("labels"),
        inject("labels", NAN),
        empty("frame", "labels"),
        as_strings("frame", col="tenure"),
    )
    register(
        pmod.plot_segment_rates,
        lambda: {"rates": segment_description.segment_rates(Y, seg)},
        drop_column("rates", "rate"),
        drop_column("rates", "low"),
        empty("rates"),
    )
    register(
        pmod.plot_profit_curves,
        lambda: {
            "curve": profit.profit_curve(Y, SCORE, value=100.0, offer_cost=10.0, save_rate=0.5)
        },
        drop_column("curve", "profit"),
        drop_column("curve", "depth"),
        empty("curve"),
    )
    register(
        pmod.plot_contributions,
        lambda: {"contributions": pd.Series({"a": 0.5, "b": -0.2})},
        empty("contributions"),
        inject("contributions", NAN),
        inject("contributions", INF),
        as_strings("contributions"),
        replace("contributions", [0.5, -0.2], "wrong dtype"),
    )
    register(
        pmod.plot_k_selection,
        lambda: {"selections": _k_selection()},
        replace("selections", {}, "empty"),
        replace("selections", pd.DataFrame({"k": [2]}), "wrong dtype"),
    )
    register(
        pmod.plot_latency,
        lambda: {
            "results": {
                "f": __import__("casebook.modeling.latency", fromlist=["x"]).measure_latency(
                    lambda r: r, [1, 2], n_calls=10, n_warmup=1
                )
            }
        },
        replace("results", {}, "empty"),
        replace("results", {"f": [1.0, 2.0]}, "wrong dtype"),
        inject("budget_ms", NAN),
        negative("budget_ms", kind="negative value"),
    )
    del mitigation


def _register_more() -> None:
    from casebook.course import exercises
    from casebook.decisions import bootstrap
    from casebook.plots import drift as pdrift
    from casebook.plots import policy as ppol

    x = np.arange(N, dtype=float)

    def boot() -> dict[str, Any]:
        return {
            "statistic": lambda a, b: float(np.mean(a) - np.mean(b)),
            "arrays": (x.copy(), x[::-1].copy()),
            "n_resamples": 40,
        }

    short = Bad("wrong length", "arrays", lambda p: p | {"arrays": (x, x[:-1])})
    none = Bad("empty", "arrays", lambda p: p | {"arrays": (x[:0], x[:0])})
    for f in (bootstrap.bootstrap_ci, bootstrap.bootstrap_distribution):
        register(
            f,
            boot,
            short,
            none,
            replace("arrays", (), "empty"),
            negative("n_resamples", kind="negative value"),
            replace("stratify", np.zeros(N - 1), "wrong length"),
            replace("statistic", "mean", "wrong dtype"),
            *(
                [inject("confidence", NAN), replace("n_resamples", 1, "too few resamples")]
                if f is bootstrap.bootstrap_ci
                else []
            ),
        )
    register(
        exercises.close_to,
        lambda: {"expected": 0.3, "abs_tol": 0.01},
        inject("expected", NAN),
        inject("expected", INF),
        negative("abs_tol", kind="negative value"),
        as_strings("expected"),
    )
    register(
        exercises.in_range,
        lambda: {"low": 0.1, "high": 0.2},
        inject("low", NAN),
        inject("high", NAN),
        replace("high", 0.05, "unsorted"),
        as_strings("low"),
    )
    heat = pd.DataFrame(
        {
            "week": [1, 1, 2, 2],
            "feature": ["a", "b", "a", "b"],
            "effect_value": [0.02, 0.01, 0.4, 0.05],
            "effect_threshold": [0.1] * 4,
            "drifted": [False, False, True, False],
            "status": ["tested"] * 4,
        }
    )
    register(
        pdrift.plot_drift_heatmap,
        lambda: {"drift": heat.copy()},
        drop_column("drift", "effect_value"),
        drop_column("drift", "week"),
        empty("drift"),
        as_strings("drift", col="effect_value"),
    )
    register(
        pdrift.plot_statistic_timeline,
        lambda: {
            "table": pd.DataFrame({"week": [1, 2, 3], "psi": [0.02, 0.03, 0.4]}),
            "column": "psi",
        },
        drop_column("table", "week"),
        replace("column", "nope", "missing column"),
        empty("table"),
        as_strings("table", col="psi"),
        inject("threshold", NAN),
    )
    register(
        pdrift.plot_performance_timeline,
        lambda: {
            "perf": pd.DataFrame(
                {"week": [1, 2], "expected_accuracy": [0.8, 0.8], "accuracy": [0.79, 0.7]}
            )
        },
        drop_column("perf", "expected_accuracy"),
        drop_column("perf", "week"),
        empty("perf"),
        as_strings("perf", col="accuracy"),
    )
    status = next(iter(ppol.STATUS_COLORS))
    register(
        ppol.plot_policy_costs,
        lambda: {
            "summary": pd.DataFrame(
                {
                    "policy": ["a", "b"],
                    "cumulative_loss": [10.0, 8.0],
                    "retraining_cost": [0.0, 3.0],
                    "retrains": [0, 2],
                }
            )
        },
        drop_column("summary", "retraining_cost"),
        empty("summary"),
        negative("summary", col="retraining_cost"),
        inject("summary", NAN, col="cumulative_loss"),
    )
    register(
        ppol.plot_fleet_status,
        lambda: {
            "summary": pd.DataFrame(
                {"model": ["m"], "unit": ["u"], "status": [status], "alerts": [0]}
            )
        },
        drop_column("summary", "status"),
        empty("summary"),
        replace(
            "summary",
            pd.DataFrame({"model": ["m"], "unit": ["u"], "status": ["bogus"], "alerts": [0]}),
            "unknown label",
        ).naming("summary", "status"),
    )
    register(
        ppol.plot_fleet_timeline,
        lambda: {
            "weekly": pd.DataFrame(
                {"week": [1, 2], "model": ["m", "m"], "unit": ["u", "u"], "status": [status] * 2}
            )
        },
        drop_column("weekly", "week"),
        empty("weekly"),
        replace(
            "weekly",
            pd.DataFrame({"week": [1], "model": ["m"], "unit": ["u"], "status": ["bogus"]}),
            "unknown label",
        ).naming("weekly", "status"),
    )


def _register_tree_shap() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from casebook.modeling import tree_shap as ts
    from casebook.modeling import tree_shap_ties as tt
    from casebook.plots import tree_shap as pts

    Xt = pd.DataFrame(X2, columns=["a", "b"])

    @functools.cache
    def hgb() -> Any:
        return HistGradientBoostingClassifier(max_iter=3, min_samples_leaf=2).fit(X2, Y)

    @functools.cache
    def lgbm() -> Any:
        import lightgbm

        return lightgbm.LGBMClassifier(n_estimators=3, min_child_samples=2, verbose=-1).fit(X2, Y)

    @functools.cache
    def explainer() -> Any:
        return ts.tree_shap_explainer(hgb(), background=Xt.iloc[:3])

    register(
        ts.tree_shap_explainer,
        lambda: {"model": hgb(), "background": Xt.iloc[:3].copy()},
        empty("background"),
        drop_column("background", "b"),
        inject("background", NAN, col="a"),
        inject("background", INF, col="a"),
        replace("model", tiny_model(), "wrong dtype"),
    )
    for func, first in [(ts.tree_shap, "explainer"), (tt.threshold_ties, "explainer")]:
        register(
            func,
            lambda first=first: {first: explainer(), "X": Xt.iloc[:4].copy()},
            empty("X"),
            drop_column("X", "b"),
            as_strings("X", col="a"),
            replace(first, hgb(), "wrong dtype"),
        )
    register(
        ts.lightgbm_contributions,
        lambda: {"model": lgbm(), "X": Xt.iloc[:4].copy()},
        empty("X"),
        drop_column("X", "b"),
        as_strings("X", col="a"),
        replace("model", hgb(), "wrong dtype"),
    )
    register(
        tt.float32_threshold_copy,
        lambda: {"model": hgb()},
        replace("model", tiny_model(), "wrong dtype"),
    )
    values = pd.DataFrame({"a": [0.5, -0.2, 0.1], "b": [0.0, 0.3, -0.1]})
    register(
        pts.plot_shap_summary,
        lambda: {"values": values.copy(), "X": Xt.iloc[:3].copy()},
        empty("values"),
        inject("values", NAN, col="a"),
        inject("values", INF, col="a"),
        as_strings("values", col="a"),
        drop_column("X", "b").naming("X", "b"),
        replace("X", Xt.iloc[:3].to_numpy(), "wrong dtype"),
        negative("max_features", kind="negative value"),
    )


def _register_segments() -> None:
    """Notebook 16: customer features from events, segment choice, campaign plans."""
    from casebook.decisions import campaigns
    from casebook.modeling import customer_features, segment_choice
    from casebook.plots import campaigns as plot_campaigns
    from casebook.plots import segment_choice as plot_segment_choice

    events = pd.DataFrame(
        {
            "user_id": [1, 1, 1, 2, 2, 3],
            "session_id": [10, 10, 10, 20, 21, 30],
            "timestamp": pd.to_datetime(
                ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-02", "2025-01-04", "2025-01-05"]
            ),
            "event": ["view", "cart", "order", "view", "view", "view"],
            "value": [0.0, 0.0, 40.0, 0.0, 0.0, 0.0],
        }
    )
    register(
        customer_features.customer_features,
        lambda: {"events": events.copy(), "cutoff": "2025-01-11"},
        drop_column("events", "value"),
        empty("events"),
        inject("events", NAN, col="value"),
        inject("events", INF, col="value"),
        as_strings("events", col="value"),
        negative("events", col="value", kind="negative value"),
        replace("cutoff", "not a date", "wrong dtype"),
    )
    feats = pd.DataFrame({"a": RNG.uniform(0, 5, N), "b": RNG.poisson(2.0, N).astype(float)})
    register(
        customer_features.scale_features,
        lambda: {"frame": feats.copy()},
        inject("frame", NAN, col="a"),
        inject("frame", INF, col="a"),
        empty("frame"),
        as_strings("frame", col="a"),
        negative("frame", col="a", kind="negative value"),
        replace("method", "boxcox", "unknown option"),
    )
    Xs = np.vstack([RNG.normal(0, 0.3, (15, 2)), RNG.normal(3, 0.3, (15, 2))])
    register(
        segment_choice.fit_segmenter,
        lambda: {"X": Xs.copy(), "k": 2},
        inject("X", NAN),
        inject("X", INF),
        empty("X"),
        as_strings("X"),
        negative("k", kind="negative value"),
        replace("method", "dbscan", "unknown option"),
    )
    register(
        segment_choice.compare_segmenters,
        lambda: {"X": Xs.copy(), "k": 2, "methods": ["kmeans"], "n_resamples": 2},
        inject("X", NAN),
        inject("X", INF),
        empty("X"),
        as_strings("X"),
        replace("n_resamples", 1, "out of range"),
        inject("fraction", NAN),
        replace("methods", ["spectral"], "unknown option"),
    )
    prof = pd.DataFrame({"monetary": [130.0, 25.0, 60.0], "visits": [9.0, 10.0, 1.0]})
    rules = {"loyal": {"monetary": 1.0}, "lapsed": {"visits": -1.0}}
    register(
        segment_choice.name_segments,
        lambda: {"profile": prof.copy(), "rules": rules},
        inject("profile", NAN, col="monetary"),
        inject("profile", INF, col="monetary"),
        empty("profile"),
        as_strings("profile", col="monetary"),
        drop_column("profile", "monetary"),
        replace("rules", {}, "empty"),
    )
    econ = pd.DataFrame({"users": [100, 300], "aov": [120.0, 25.0]}, index=["loyal", "bargain"])
    assume = {
        "response_rate": {"loyal": 0.3, "bargain": 0.1},
        "extra_orders": {"loyal": 1.0, "bargain": 2.0},
        "cost_per_user": {"loyal": 2.0, "bargain": 3.0},
        "margin": 0.3,
    }
    register(
        campaigns.campaign_plan,
        lambda: {"profile": econ.copy(), **assume},
        drop_column("profile", "aov"),
        empty("profile"),
        inject("profile", NAN, col="aov"),
        inject("profile", INF, col="aov"),
        as_strings("profile", col="aov"),
        negative("profile", col="users", kind="negative value"),
        inject("margin", NAN),
        replace("response_rate", {"loyal": 0.3}, "missing key"),
    )
    register(
        plot_campaigns.plot_campaign_plan,
        lambda: {"plan": campaigns.campaign_plan(econ, **assume)},
        drop_column("plan", "contact"),
        empty("plan"),
    )
    truth = np.repeat([0, 1], 15)
    register(
        plot_segment_choice.plot_segmenter_comparison,
        lambda: {
            "comparison": segment_choice.compare_segmenters(
                Xs, k=2, methods=["kmeans"], n_resamples=2
            ),
            "truth": truth.copy(),
        },
        shorten("truth"),
        replace("comparison", "kmeans", "wrong dtype"),
    )


def _register_canary() -> None:
    """Notebook 14: the canary release's sequential test."""
    from casebook.monitoring import canary

    register(
        canary.canary_test,
        lambda: {"errors": np.array([0, 1, 0, 0, 1, 0, 0, 0]), "baseline": 0.1, "worse": 0.13},
        inject("errors", NAN),
        as_strings("errors"),
        empty("errors"),
        unknown_label("errors"),
        inject("baseline", NAN),
        replace("worse", 0.05, "alternative below the baseline"),
        replace("alpha", 0.7, "error probability out of range"),
        replace("rule", "bayes", "unknown option"),
        replace("max_requests", 0, "non-positive count"),
    )


def _register_feature_paths() -> None:
    from casebook.modeling import feature_paths as fp
    from casebook.plots.feature_paths import plot_skew_psi

    at = pd.Timestamp("2024-06-01 12:00")

    def tables() -> dict[str, Any]:
        requests = pd.DataFrame({"customer_id": [1, 2], "application_date": [at, at]})
        events = pd.DataFrame(
            {
                "customer_id": [1, 1, 1],
                "timestamp": [at - pd.Timedelta(days=d) for d in (1, 3, 40)],
                "amount": [10.0, 20.0, 5.0],
                "category": ["food", "bet", "food"],
            }
        )
        features = [
            fp.WindowFeature("n_30d", days=30),
            fp.WindowFeature("since_bet", days=90, agg="days_since_last", category="bet"),
        ]
        return {"requests": requests, "events": events, "features": features}

    common = (
        drop_column("requests", "application_date"),
        drop_column("events", "amount"),
        inject("events", NAN, col="amount"),
        inject("events", INF, col="amount"),
        as_strings("events", col="amount"),
        replace("features", [], "empty"),
        replace("features", ["n_30d"], "wrong dtype"),
    )
    register(
        fp.WindowFeature,
        lambda: {"name": "n", "days": 30, "agg": "count"},
        replace("days", 0, "non-positive count"),
        replace("days", 2.5, "wrong dtype"),
        replace("agg", "mean", "unknown option"),
        replace("name", "", "empty"),
    )
    register(fp.batch_features, tables, *common)
    register(
        fp.online_features,
        tables,
        *common,
        replace("skew", "bogus", "unknown option"),
        inject("utc_offset_hours", NAN),
    )
    register(
        fp.window_value,
        lambda: {
            "times": np.array([0, 5 * 86_400 * 10**9]),
            "amounts": np.array([1.0, 2.0]),
            "as_of": 6 * 86_400 * 10**9,
            "feature": fp.WindowFeature("n", days=3),
        },
        replace("feature", "n", "wrong dtype"),
    )
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0], "y": [0.0, 1.0, 2.0]})
    register(
        fp.compare_feature_tables,
        lambda: {"offline": frame.copy(), "online": frame.copy()},
        replace("online", frame[["y", "x"]], "missing column"),
        replace("online", frame.set_axis([7, 8, 9]), "wrong index"),
        as_strings("online", col="y"),
        inject("atol", NAN),
        negative("atol", kind="negative value"),
    )
    register(
        plot_skew_psi,
        lambda: {"psi": pd.DataFrame({"none": [0.01, 0.02], "skew": [0.01, 0.4]})},
        inject("psi", NAN, col="skew"),
        negative("psi", col="skew", kind="negative value"),
        inject("threshold", NAN),
        replace("psi", pd.DataFrame(), "empty"),
    )


def _register_governance() -> None:
    from casebook.course.audit_documents import audit_sheet_rows
    from casebook.governance.documents import interval_reading

    register(
        interval_reading,
        lambda: {"low": 0.08, "high": 0.22, "reference": 0.0},
        inject("low", NAN),
        inject("high", INF),
        inject("reference", NAN),
        replace("low", "0.1", "wrong dtype"),
        replace("low", 0.5, "low above high"),
    )

    def sheet() -> dict[str, Any]:
        frame = pd.DataFrame(
            {"criterion": ["demographic_parity"] * 2, "method": ["difference", "ratio"],
             "value": [0.05, 0.9], "low": [0.01, 0.8], "high": [0.09, 0.97],
             "tolerance": [0.1, 0.8], "status": ["pass", "pass"], "reason": ["", ""]}
        )  # fmt: skip
        return {"sheet": frame}

    register(
        audit_sheet_rows,
        sheet,
        drop_column("sheet", "status"),
        empty("sheet"),
        replace("sheet", [{"criterion": "x"}], "wrong dtype"),
    )


def _build_registry() -> None:
    _register_feature_paths()
    _register_governance()
    _register_costs()
    _register_calibration()
    _register_explore()
    _register_confusion()
    _register_plots_costs()
    _register_drift()
    _register_fairness()
    _register_modeling()
    _register_misc()
    _register_plots()
    _register_more()
    _register_segments()
    _register_tree_shap()
    _register_canary()


_build_registry()

# --------------------------------------------------------------------------------------
# odd inputs: nullable, Arrow-backed, categorical and numpy-scalar versions of valid input
# --------------------------------------------------------------------------------------
# Derived from every registry entry's valid call, not written one by one:
#
# * ``as_nullable`` / ``as_arrow`` / ``as_categorical``: a 1-D array parameter (or every
#   column of a frame parameter) in pandas' nullable dtypes (Int64, Float64, boolean,
#   string), Arrow dtypes (int64[pyarrow], string[pyarrow], ...) or as a Categorical, with
#   the same values. Nullable input must give the same result; Arrow and categorical input
#   the same result or a clear error naming the parameter.
# * ``with_na`` / ``with_arrow_na``: ``pd.NA`` in the first row of a 1-D array (or of one
#   frame column) in a nullable or Arrow dtype. It must behave like NaN in the same place:
#   the same result where NaN is documented as missing and dropped, otherwise an error
#   naming the parameter, never pandas' "boolean value of NA is ambiguous".
# * ``as_numpy_scalar``: a Python int or float parameter as ``np.int64`` / ``np.float64``;
#   it must be accepted and give the same result as the Python number.


# results that are wall-clock measurements: only acceptance is compared
WALL_CLOCK_RESULTS = {"casebook.modeling.latency.measure_latency"}


@dataclass(frozen=True)
class Odd:
    kind: str
    param: str
    convert: Callable[[Any], Any]
    reference: Callable[[Any], Any] | None = None  # None: the valid value itself
    must_accept: bool = True  # else a clear error naming the parameter is also fine
    col: str | None = None

    @property
    def expected(self) -> tuple[str, ...]:
        return (self.param, self.col) if self.col else (self.param,)


def _kind(values: np.ndarray) -> str | None:
    """'int', 'float', 'bool', 'str' or None (not a plain 1-D array of one of those)."""
    if values.ndim != 1 or values.size == 0:
        return None
    if values.dtype.kind in "iu":
        return "int"
    if values.dtype.kind == "f":
        return "float" if np.isfinite(values).all() else None
    if values.dtype.kind == "b":
        return "bool"
    if values.dtype.kind in "UO" and all(isinstance(v, str) for v in values):
        return "str"
    return None


NULLABLE = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": "string"}
ARROW = {
    "int": "int64[pyarrow]",
    "float": "double[pyarrow]",
    "bool": "bool[pyarrow]",
    "str": "string[pyarrow]",
}


def _rewrap(original: Any, values: Any) -> Any:
    """A Series keeps its index and name; anything else becomes the extension array."""
    if isinstance(original, pd.Series):
        return pd.Series(values, index=original.index, name=original.name)
    return values


def _retype(v: Any, dtypes: Mapping[str, str]) -> Any:
    arr = _values(v)
    return _rewrap(v, pd.array(arr.tolist(), dtype=dtypes[_kind(arr)]))


def _categorical(v: Any) -> Any:
    return _rewrap(v, pd.Categorical(_values(v)))


def _na_first(v: Any, dtypes: Mapping[str, str]) -> Any:
    """The values in a nullable or Arrow dtype with ``pd.NA`` first."""
    arr = _values(v)
    values = [None, *arr.tolist()[1:]]
    return _rewrap(v, pd.array(values, dtype=dtypes[_kind(arr)]))


def _object_na_first(v: Any) -> Any:
    """An object array (or Series) whose first entry is ``pd.NA``."""
    arr = _values(v).astype(object)
    arr[0] = pd.NA
    return _rewrap(v, arr)


def _boolean_na_first(v: Any) -> Any:
    """0/1 labels as a nullable boolean array with ``pd.NA`` first."""
    values = [None, *(bool(x) for x in _values(v).tolist()[1:])]
    return _rewrap(v, pd.array(values, dtype="boolean"))


def _nan_first(v: Any) -> Any:
    """The reference for ``pd.NA``: NaN first (floats for numbers, object for strings)."""
    arr = _values(v)
    arr = arr.astype(object) if _kind(arr) == "str" else arr.astype(float)
    arr[0] = np.nan
    return _rewrap(v, arr)


def _frame_with(frame: pd.DataFrame, col: str, fn: Callable[[Any], Any]) -> pd.DataFrame:
    out = frame.copy()
    out[col] = fn(out[col])
    return out


def _frame_retype(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    if how == "arrow":
        return frame.convert_dtypes(dtype_backend="pyarrow")
    if how == "nullable":
        return frame.convert_dtypes()
    out = frame.copy()
    for c in out.columns:
        if _kind(_values(out[c])) == "str":
            out[c] = out[c].astype("category")
    return out


def odd_variants(params: Mapping[str, Any]) -> list[Odd]:
    """Every odd-input variant that applies to a valid call's arguments."""
    out: list[Odd] = []
    for name, v in params.items():
        if isinstance(v, (bool, np.bool_)):
            continue
        if isinstance(v, (int, float)) and not isinstance(v, np.generic):
            scalar = np.int64 if isinstance(v, int) else np.float64
            out.append(Odd("numpy-scalar", name, lambda x, s=scalar: s(x)))
        elif isinstance(v, (np.ndarray, pd.Series)) and _kind(_values(v)) is not None:
            kind = _kind(_values(v))
            out.append(Odd("nullable", name, lambda x: _retype(x, NULLABLE)))
            out.append(Odd("arrow", name, lambda x: _retype(x, ARROW), must_accept=False))
            if kind in ("int", "str"):
                out.append(Odd("categorical", name, _categorical, must_accept=False))
            if v.size > 1:
                out.append(Odd("NA", name, lambda x: _na_first(x, NULLABLE), _nan_first))
                out.append(Odd("NA-arrow", name, lambda x: _na_first(x, ARROW), _nan_first))
                if kind in ("int", "str"):
                    out.append(Odd("NA-object", name, _object_na_first, _nan_first))
                if kind == "int" and set(_values(v).tolist()) <= {0, 1}:  # 0/1 labels
                    out.append(Odd("NA-boolean", name, _boolean_na_first, _nan_first))
        elif isinstance(v, pd.DataFrame) and len(v) > 1:
            kinds = {c: _kind(_values(v[c])) for c in v.columns}
            out.append(Odd("nullable", name, lambda x: _frame_retype(x, "nullable")))
            out.append(Odd("arrow", name, lambda x: _frame_retype(x, "arrow"), must_accept=False))
            if "str" in kinds.values():
                out.append(
                    Odd(
                        "categorical",
                        name,
                        lambda x: _frame_retype(x, "categorical"),
                        must_accept=False,
                    )
                )
            for c, kind in kinds.items():
                if kind is None or not isinstance(c, str):
                    continue
                out.append(
                    Odd(
                        "NA-arrow",
                        name,
                        lambda x, c=c: _frame_with(x, c, lambda s: _na_first(s, ARROW)),
                        lambda x, c=c: _frame_with(x, c, _nan_first),
                        col=c,
                    )
                )
    return out


ODD_CASES = [
    pytest.param(
        key,
        odd,
        id=f"{key.removeprefix('casebook.')}-{odd.kind}-{odd.param}"
        + (f"[{odd.col}]" if odd.col else ""),
    )  # fmt: skip
    for key, entry in REGISTRY.items()
    for odd in odd_variants(entry.valid())
]


def _volatile(name: Any) -> bool:
    """Wall-clock fields (seconds, fit times, latencies) differ between two identical calls."""
    return isinstance(name, str) and any(w in name for w in ("second", "time", "latency", "_ms"))


def _plain(x: Any) -> Any:
    """A comparable, dtype-blind rendering of a result (frames, arrays, dataclasses, numbers)."""
    if isinstance(x, (matplotlib.axes.Axes, matplotlib.figure.Figure)):
        return type(x).__name__
    if isinstance(x, pd.DataFrame):
        return ("frame", _plain(list(x.index)), _plain(list(x.columns)), _plain(x.to_dict("list")))
    if isinstance(x, pd.Series):
        return ("series", _plain(list(x.index)), _plain(list(x)))
    if isinstance(x, (pd.Index, pd.Categorical, pd.api.extensions.ExtensionArray)):
        return _plain(list(x))
    if isinstance(x, np.ndarray):
        return _plain(x.tolist())
    if hasattr(x, "__dataclass_fields__") and not isinstance(x, type):
        fields = [f for f in x.__dataclass_fields__ if not _volatile(f)]
        return (type(x).__name__, {f: _plain(getattr(x, f)) for f in fields})
    if isinstance(x, Mapping):
        return {str(k): _plain(v) for k, v in x.items() if not _volatile(k)}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and np.isnan(x)):
        return "<missing>"
    if isinstance(x, float):
        return round(x, 9)
    if isinstance(x, (int, str, bytes, pd.Timestamp, pd.Timedelta)):
        return x
    return type(x).__name__  # estimators, callables: compared by type only


def _outcome(func: Callable[..., Any], params: Mapping[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", _plain(call(func, params))
    except (ValueError, TypeError) as exc:
        return "error", exc
    except Exception as exc:  # any other exception is reported by the caller
        return "crash", exc
    finally:
        plt.close("all")


@pytest.mark.parametrize(("key", "odd"), ODD_CASES)
def test_odd_input_is_handled(key: str, odd: Odd) -> None:
    """Nullable, Arrow, categorical and numpy-scalar input: the same result, or a named error."""
    entry = REGISTRY[key]
    base = entry.valid()
    odd_params = _edit(copy.deepcopy(base), (odd.param,), odd.convert)  # same random draws
    reference = _edit(base, (odd.param,), odd.reference) if odd.reference else base
    ref_status, ref = _outcome(entry.func, reference)
    status, got = _outcome(entry.func, odd_params)
    where = f"{key} with {odd.kind} {odd.param}" + (f"[{odd.col}]" if odd.col else "")
    if status == "error" and any(name in str(got) for name in odd.expected):
        assert ref_status != "ok" or not odd.must_accept, (
            f"{where}: must be accepted like the plain input, got {_describe(got)}"
        )
        return
    if status != "ok":
        pytest.fail(f"{where}: expected the plain input's result or an error naming "
                    f"{odd.expected!r}, got {_describe(got)}")  # fmt: skip
    assert ref_status == "ok", f"{where}: no error, but the NaN equivalent raises {_describe(ref)}"
    if key not in WALL_CLOCK_RESULTS:
        assert got == ref, f"{where}: a different result than the plain input"


# Public callables that take no array/frame input to sweep, with the reason.
NOT_APPLICABLE: dict[str, str] = {}


def _na(reason: str, *names: str) -> None:
    for n in names:
        NOT_APPLICABLE[n] = reason


_na(
    "a fixed reference table of what each mitigation needs; takes no input",
    "casebook.fairness.attribute_use.attribute_use_table",
)
_na(
    "CLI / runner / site / timing / report: arguments are notebook names and paths, covered by their own tests",
    "casebook.course.cli.main",
    "casebook.course.cli.parse_parameter",
    "casebook.course.runner.resolve_notebooks",
    "casebook.course.runner.run_notebooks",
    "casebook.course.site.build_site",
    "casebook.course.site.notebook_objective",
    "casebook.course.site.part_of",
    "casebook.course.timing.floor_notebook",
    "casebook.course.timing.imports_of",
    "casebook.course.timing.time_curriculum",
    "casebook.course.notebook_html.notebook_title",
    "casebook.course.notebook_html.render_html",
)
_na(
    "governance documents: dataclasses of scalars and strings (each field checked with a "
    "ValueError/TypeError naming it, tested in tests/casebook/governance/test_documents.py), "
    "renderers of those dataclasses and a fixed table (test_render.py, test_nist_rmf.py); the "
    "course builders read a results.json (tests/casebook/course/test_audit_documents.py)",
    "casebook.governance.documents.Metric",
    "casebook.governance.documents.Finding",
    "casebook.governance.documents.ModelCard",
    "casebook.governance.documents.AuditMemo",
    "casebook.governance.render.to_markdown",
    "casebook.governance.render.to_html",
    "casebook.governance.nist_rmf.nist_rmf_map",
    "casebook.course.audit_documents.audit_documents",
    "casebook.course.audit_documents.write_audit_documents",
    "casebook.course.audit_documents.show_audit_documents",
)
_na(
    "glossary and curriculum map: a packaged YAML file (validated with ValueError naming the "
    "entry, tested in tests/casebook/course/test_glossary.py) and a fixed graph drawn from "
    "declarations (tests/casebook/course/test_curriculum_map.py); no array input",
    "casebook.course.glossary.load_glossary",
    "casebook.course.glossary.validate_glossary",
    "casebook.course.glossary.term_pattern",
    "casebook.course.curriculum.plot_curriculum_map",
    "casebook.course.curriculum.curriculum_hash",
)
_na(
    "answer keys: arguments are notebook names, exercise specs and learner functions; every raise "
    "path is tested in tests/casebook/course/answer_keys/test_key.py",
    "casebook.course.answer_keys._compare.Case",
    "casebook.course.answer_keys._compare.implements",
    "casebook.course.answer_keys._key.AnswerKey",
    "casebook.course.answer_keys.exercise_names",
    "casebook.course.answer_keys.key_for",
)
_na(
    "paths and dataset loaders: no data arguments (names, folders, flags only)",
    "casebook.course.paths.default_output_dir",
    "casebook.course.paths.notebooks_dir",
    "casebook.course.paths.project_root",
    "casebook.data.fetch.user_cache_dir",
    "casebook.data.fetch.user_data_dir",
    "casebook.data.fetch.data_home_dir",
    "casebook.data.fetch.fetch_file",
    "casebook.data.fetch.sha256_of",
    "casebook.data.fetch.clear_partial_files",
    "casebook.data.registry.get_dataset",
    "casebook.data.loaders.load_adult",
    "casebook.data.loaders.load_breast_cancer",
    "casebook.data.loaders.load_creditcard_fraud",
    "casebook.data.loaders.load_german_credit",
    "casebook.data.loaders.load_sms_spam",
    "casebook.data.loaders.load_telco_churn",
)
_na(
    "model/run persistence: arguments are paths, names and fitted objects, covered by their own tests",
    "casebook.tracking.model_files.load_model",
    "casebook.tracking.model_files.save_model",
    "casebook.tracking.model_files.untrusted_types",
    "casebook.tracking.model_registry.list_versions",
    "casebook.tracking.model_registry.load_registered_model",
    "casebook.tracking.model_registry.promote",
    "casebook.tracking.model_registry.register_version",
    "casebook.tracking.model_registry.rollback",
    "casebook.tracking.model_registry.set_alias",
    "casebook.tracking.model_registry.withdraw_challenger",
    "casebook.tracking.queries.find_runs",
    "casebook.tracking.queries.load_run_model",
    "casebook.tracking.queries.load_run_table",
    "casebook.tracking.runs.log_run",
    "casebook.tracking.store.local_tracking_uri",
    "casebook.tracking.store.tracking_client",
    "casebook.tracking.store.tracking_uri",
    "casebook.monitoring.audit_log.append_audit",
    "casebook.monitoring.audit_log.audit_anchor",
    "casebook.monitoring.audit_log.audit_decisions",
    "casebook.monitoring.audit_log.verify_audit_log",
)
_na(
    "context manager without arguments: nothing to validate",
    "casebook.tracking.store.quiet_mlflow",
)
_na(
    "lesson / exercise / interview API: takes names, checkers and answers, not data",
    "casebook.course.lesson.Lesson",
    "casebook.course.lesson.load_results",
    "casebook.course.exercises.Exercise",
    "casebook.course.exercises.equals",
    "casebook.course.exercises.one_of",
    "casebook.course.interview.bank.load_questions",
    "casebook.course.interview.bank.validate_questions",
    "casebook.course.interview.quiz.draw_questions",
    "casebook.course.interview.quiz.load_progress",
    "casebook.course.interview.quiz.progress_path",
    "casebook.course.interview.quiz.run_quiz",
    "casebook.course.interview.quiz.save_progress",
    "casebook.course.interview.mock.draw_mock",
    "casebook.course.interview.mock.run_mock",
)
_na(
    "learner progress: takes notebook/exercise names and file paths, or renders progress_table()'s "
    "own frame (validated in tests/casebook/course/test_progress.py), no analysis data",
    "casebook.course.progress.format_progress",
    "casebook.course.progress.load_exercise_progress",
    "casebook.course.progress.progress_path",
    "casebook.course.progress.progress_table",
    "casebook.course.progress.record_exercise",
)
_na(
    "seeded synthetic generators: take sizes and a seed, no array input",
    "casebook.synthetic.applicants.make_applicants",
    "casebook.synthetic.catalog.make_catalog",
    "casebook.synthetic.catalog.returns_cost_matrix",
    "casebook.synthetic.clicks.make_click_log",
    "casebook.synthetic.credit_stream.make_credit_stream",
    "casebook.synthetic.fraud.make_fraud_transactions",
    "casebook.synthetic.loans.make_loan_data",
    "casebook.synthetic.shoppers.make_shoppers",
    "casebook.synthetic.stream.make_retraining_stream",
    "casebook.monitoring.fleet_config.default_fleet_config_path",
    "casebook.monitoring.fleet_config.load_fleet_config",
)
_na(
    "fleet simulation: takes a validated FleetConfig/ModelSpec and integer indices (config validation is "
    "parse_fleet_config, tested in tests/casebook/synthetic); no array input",
    "casebook.monitoring.fleet_config.parse_fleet_config",
    "casebook.synthetic.fleet.generate_partition",
    "casebook.synthetic.fleet.partition_arrays",
    "casebook.monitoring.fleet_config.replace_policies",
    "casebook.monitoring.fleet_summaries.build_reference",
    "casebook.monitoring.fleet.local_dask_client",
    "casebook.monitoring.fleet.monitor_fleet",
    "casebook.monitoring.fleet_summaries.summarize_partition",
    "casebook.monitoring.fleet_summaries.summarize_shard",
    "casebook.monitoring.orchestration.fleet_definitions",
    "casebook.monitoring.orchestration.run_fleet_flow",
)
_na(
    "retraining backtest: takes a generated RetrainingStream and a RetrainingPolicy (both validated "
    "at construction, the policy in this sweep); fitting a stream is too slow for the sweep",
    "casebook.monitoring.backtest.backtest",
    "casebook.monitoring.backtest.compare_policies",
    "casebook.monitoring.backtest.compare_policies_over_streams",
    "casebook.plots.policy.plot_policy_timeline",
    "casebook.plots.policy.plot_policy_cost_distribution",
)
_na(
    "canary simulation and its plot: simulate_canary takes rates, counts and a seed (every raise "
    "path tested in tests/casebook/monitoring/test_canary.py); plot_canary takes CanaryResult "
    "objects (tests/casebook/plots/test_canary.py)",
    "casebook.monitoring.canary.simulate_canary",
    "casebook.plots.canary.plot_canary",
)
_na(
    "estimator factories: take an estimator and option strings, no data",
    "casebook.modeling.resampling.imbalance_strategies",
    "casebook.modeling.pipelines.make_preprocessor",
    "casebook.modeling.pipelines.make_model_pipeline",
)
_na(
    "drift report writer: takes a DriftReport object and a folder",
    "casebook.monitoring.drift.html_report.write_html_report",
)
_na(
    "plot theme: one float option, no data",
    "casebook.plots.use_theme",
)
_na(
    "helper key for sorting categories: accepts any object by design",
    "casebook.monitoring.drift._core.category_key",
)


# --------------------------------------------------------------------------------------
# discovery
# --------------------------------------------------------------------------------------


def _is_container(obj: type) -> bool:
    """A class that does not validate input: no __post_init__ and no custom __init__ logic."""
    if issubclass(obj, (BaseException, Warning)):
        return True
    if "__post_init__" in vars(obj):
        return False
    return hasattr(obj, "__dataclass_fields__") or obj.__init__ is object.__init__


def public_callables() -> dict[str, Any]:
    """Every callable in a casebook module's ``__all__``, keyed by its defining module."""
    found: dict[str, Any] = {}
    for info in pkgutil.walk_packages(casebook.__path__, "casebook."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if getattr(obj, "__module__", "").startswith("typing") or not callable(obj):
                continue  # Literal aliases, constants
            if inspect.isclass(obj) and _is_container(obj):
                continue  # result dataclasses, exceptions and warnings validate nothing
            found[qualname(obj)] = obj
    return found


# the (function, bad input) pairs
CASES = [
    pytest.param(key, bad, id=f"{key.removeprefix('casebook.')}-{bad.kind}-{bad.param}")
    for key, entry in REGISTRY.items()
    for bad in entry.bad
]
MIN_CASES = 900
MIN_ODD_CASES = 1500


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_valid_arguments_are_accepted(key: str) -> None:
    """The baseline call must work, or the bad variants prove nothing."""
    entry = REGISTRY[key]
    call(entry.func, entry.valid())


@pytest.mark.parametrize(("key", "bad"), CASES)
def test_bad_input_raises_naming_the_parameter(key: str, bad: Bad) -> None:
    entry = REGISTRY[key]
    params = bad.mutate(entry.valid())
    try:
        result = call(entry.func, params)
    except (ValueError, TypeError) as exc:
        assert any(name in str(exc) for name in bad.expected), (
            f"{key} with {bad.kind} in {bad.param}: the message does not name "
            f"{bad.expected!r}: {_describe(exc)}"
        )
    except Exception as exc:
        pytest.fail(
            f"{key} with {bad.kind} in {bad.param}: expected ValueError/TypeError, got {_describe(exc)}"
        )
    else:
        text = repr(result)
        pytest.fail(f"{key} with {bad.kind} in {bad.param}: no error, returned {text[:200]}")


def test_every_public_function_is_swept_or_excused() -> None:
    public = public_callables()
    missing = sorted(set(public) - set(REGISTRY) - set(NOT_APPLICABLE))
    assert not missing, f"public functions neither in REGISTRY nor NOT_APPLICABLE: {missing}"
    stale = sorted((set(REGISTRY) | set(NOT_APPLICABLE)) - set(public))
    assert not stale, f"entries that are no longer public callables: {stale}"
    both = sorted(set(REGISTRY) & set(NOT_APPLICABLE))
    assert not both, f"both swept and excused: {both}"


def test_array_taking_functions_are_not_excused() -> None:
    """A function whose first parameter is y_true/y_pred/X/frame... must be swept, not excused."""
    arrayish = {"y_true", "y_pred", "y_score", "y_prob", "y", "X", "frame", "values", "reference"}
    public = public_callables()
    excused_arrays = [
        k
        for k in NOT_APPLICABLE
        if k in public and arrayish & set(list(inspect.signature(public[k]).parameters)[:1])
    ]
    assert not excused_arrays, f"array-taking functions excused from the sweep: {excused_arrays}"


def test_sweep_size() -> None:
    """The closing note quotes this number; it must not silently shrink."""
    print(
        f"\nbad-input sweep: {len(CASES)} (function, bad input) pairs over {len(REGISTRY)} functions"
        f", plus {len(ODD_CASES)} (function, odd input) pairs"
    )
    assert len(CASES) >= MIN_CASES
    assert len(ODD_CASES) >= MIN_ODD_CASES
    assert all(entry.bad for entry in REGISTRY.values())


if __name__ == "__main__":
    from collections import Counter

    by_kind = Counter(bad.kind for entry in REGISTRY.values() for bad in entry.bad)
    print(f"{len(CASES)} (function, bad input) pairs over {len(REGISTRY)} functions")
    print(f"{len(ODD_CASES)} (function, odd input) pairs (nullable, Arrow, categorical, numpy)")
    for kind, n in by_kind.most_common():
        print(f"  {kind:15s} {n}")
    print(f"{len(NOT_APPLICABLE)} public callables excused (NOT_APPLICABLE)")
