"""Compare a learner's function with the reference on generated inputs (implement-it exercises).

The checker calls both functions on every :class:`Case` (each on its own deep copy of the
inputs, so neither can change what the other sees) and reports the first case where they
differ: the case's label, its inputs, both outputs. A reference that raises ``ValueError`` or
``TypeError`` on a case (NaN, an empty group, one class) means the case is bad input: the
learner's function must raise the same kind of error there, not return a number.
"""

from __future__ import annotations

import copy
import math
import reprlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Case", "implements"]

_BAD_INPUT = (ValueError, TypeError)
_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 120
_short.maxlist = _short.maxtuple = 8


@dataclass(frozen=True)
class Case:
    """One input on which a learner's function is compared with the reference.

    Parameters
    ----------
    label : str
        What the case exercises, shown when it fails (``"empty bin in actual"``).
    args : tuple
        Positional arguments.
    kwargs : mapping
        Keyword arguments.

    Examples
    --------
    >>> Case("two equal scores", args=([0, 1], [0.5, 0.5])).label
    'two equal scores'
    """

    label: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label:
            raise ValueError(f"label must be a non-empty string, got {self.label!r}")
        if not isinstance(self.args, tuple):
            raise TypeError(f"args must be a tuple, got {type(self.args).__name__}")
        if not isinstance(self.kwargs, Mapping):
            raise TypeError(f"kwargs must be a mapping, got {type(self.kwargs).__name__}")

    def describe(self) -> str:
        """The call, shortened: ``f([0, 1], [0.5, 0.5], fp_cost=1.0)``."""
        parts = [_show(a) for a in self.args]
        parts += [f"{k}={_show(v)}" for k, v in self.kwargs.items()]
        return f"({', '.join(parts)})"


def _show(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return f"DataFrame({len(value)} rows: {', '.join(map(str, value.columns))})"
    if isinstance(value, pd.Series):
        return f"Series({_short.repr(value.tolist())})"
    if isinstance(value, np.ndarray):
        return _short.repr(value.tolist())
    return _short.repr(value)


def _call(fn: Callable[..., Any], case: Case) -> tuple[Any, BaseException | None]:
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(dict(case.kwargs))
    try:
        return fn(*args, **kwargs), None
    except NotImplementedError:
        raise
    except Exception as exc:  # the learner's bug is reported, not raised
        return None, exc


def _difference(got: Any, expected: Any, *, rtol: float, atol: float) -> str | None:
    """Why ``got`` differs from ``expected``, or None when they agree."""
    if isinstance(expected, pd.DataFrame | pd.Series):
        if not isinstance(got, type(expected)):
            return f"expected a {type(expected).__name__}, got {type(got).__name__}"
        test = pd.testing.assert_frame_equal
        if isinstance(expected, pd.Series):
            test = pd.testing.assert_series_equal
        try:
            test(got, expected, check_dtype=False, check_exact=False, rtol=rtol, atol=atol,
                 check_names=False, check_index_type=False)  # fmt: skip
        except AssertionError as exc:
            return " ".join(str(exc).split())[:300]
        return None
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"expected a mapping, got {type(got).__name__}"
        if set(got) != set(expected):
            return f"expected keys {sorted(map(str, expected))}, got {sorted(map(str, got))}"
        for key in expected:
            problem = _difference(got[key], expected[key], rtol=rtol, atol=atol)
            if problem:
                return f"at key {key!r}: {problem}"
        return None
    if isinstance(expected, np.ndarray) or (
        isinstance(expected, list | tuple) and all(_is_number(x) for x in expected)
    ):
        try:
            a = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return f"expected numbers, got {_show(got)}"
        b = np.asarray(expected, dtype=float)
        if a.shape != b.shape:
            return f"expected shape {b.shape}, got shape {a.shape}"
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            where = int(np.flatnonzero(~np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True))[0])
            return f"first difference at position {where}: {a.flat[where]!r} vs {b.flat[where]!r}"
        return None
    if isinstance(expected, list | tuple):
        if not isinstance(got, list | tuple) or len(got) != len(expected):
            return f"expected a sequence of {len(expected)} items, got {_show(got)}"
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            problem = _difference(g, e, rtol=rtol, atol=atol)
            if problem:
                return f"item {i}: {problem}"
        return None
    if _is_number(expected) and not isinstance(expected, bool):
        if not _is_number(got) or isinstance(got, bool):
            return f"expected a number, got {type(got).__name__}"
        g, e = float(got), float(expected)
        if math.isnan(e) and math.isnan(g):
            return None
        return None if math.isclose(g, e, rel_tol=rtol, abs_tol=atol) else "the values differ"
    try:
        return None if bool(got == expected) else "the values differ"
    except (TypeError, ValueError):
        return "the values differ"


def _is_number(x: Any) -> bool:
    return isinstance(x, Real | np.number)


def _verdict(
    fn: Callable[..., Any], reference: Callable[..., Any], case: Case, *, rtol: float, atol: float
) -> str | None:
    """What goes wrong on ``case``, or None when ``fn`` agrees with ``reference``."""
    expected, ref_error = _call(reference, case)
    got, error = _call(fn, case)
    if ref_error is not None and not isinstance(ref_error, _BAD_INPUT):
        raise RuntimeError(f"the reference fails on case {case.label!r}: {ref_error!r}")
    if ref_error is not None:
        kind = type(ref_error).__name__
        if isinstance(error, _BAD_INPUT):
            return None
        if error is not None:
            return f"this is bad input: the reference raises {kind}, your function raised {error!r}"
        return (
            f"this is bad input: the reference raises {kind} ({ref_error}), "
            f"your function returned {_show(got)} (bad input deserves a clear error, not a number)"
        )
    if error is not None:
        return f"your function raised {type(error).__name__}: {error}"
    if got is None and expected is not None:
        return "your function returned None: did you forget `return`?"
    problem = _difference(got, expected, rtol=rtol, atol=atol)
    if problem is None:
        return None
    return f"{problem}; yours returned {_show(got)}, the reference {_show(expected)}"


def implements(
    reference_fn: Callable[..., Any],
    cases: Sequence[Case],
    *,
    slips: Mapping[str, Callable[..., Any]] | None = None,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> Callable[[Any], str | None]:
    """Build a checker that accepts a function agreeing with ``reference_fn`` on every case.

    Parameters
    ----------
    reference_fn : callable
        The reference implementation.
    cases : sequence of Case
        Inputs to compare on, typical ones first, then edge cases.
    slips : mapping of str to callable, optional
        Typical wrong implementations by description. A learner's function that
        behaves exactly like one on every case is told which slip it makes.
    rtol, atol : float
        Tolerances for numbers and arrays.

    Returns
    -------
    callable
        ``check(function) -> str | None``: None when the function agrees on every
        case, else the first case where it differs, with its inputs and both
        outputs. A function that raises ``NotImplementedError`` (the blank
        template) propagates it, which an exercise reads as "not attempted".

    Examples
    --------
    >>> def share_positive(values):
    ...     values = list(values)
    ...     if not values:
    ...         raise ValueError("values must not be empty")
    ...     return sum(v > 0 for v in values) / len(values)
    >>> cases = [Case("mixed", args=([1, -1, 2],)), Case("empty", args=([],))]
    >>> check = implements(share_positive, cases)
    >>> check(lambda v: sum(x > 0 for x in v) / max(len(v), 1))
    "case 'empty' f([]): this is bad input: the reference raises ValueError (values must not be empty), your function returned 0.0 (bad input deserves a clear error, not a number)"
    >>> check(share_positive) is None
    True
    """
    if not callable(reference_fn):
        raise TypeError(f"reference_fn must be callable, got {type(reference_fn).__name__}")
    cases = list(cases)
    if not cases or not all(isinstance(c, Case) for c in cases):
        raise ValueError(f"cases must be a non-empty sequence of Case, got {cases!r}")
    slips = dict(slips or {})
    for label, slip in slips.items():
        if not callable(slip):
            raise TypeError(f"slips[{label!r}] must be callable, got {type(slip).__name__}")

    def check(answer: Any) -> str | None:
        if not callable(answer):
            return f"expected a function (write it with def), got {type(answer).__name__}"
        for case in cases:
            problem = _verdict(answer, reference_fn, case, rtol=rtol, atol=atol)
            if problem is None:
                continue
            message = f"case {case.label!r} f{case.describe()}: {problem}"
            for label, slip in slips.items():
                if all(_same(answer, slip, c, rtol=rtol, atol=atol) for c in cases):
                    message += f". This is a typical slip: {label}"
                    break
            return message
        return None

    return check


def _same(fn: Callable[..., Any], other: Callable[..., Any], case: Case, **tol: float) -> bool:
    a, a_err = _call(fn, case)
    b, b_err = _call(other, case)
    if a_err is not None or b_err is not None:
        return type(a_err) is type(b_err)
    return _difference(a, b, **tol) is None
