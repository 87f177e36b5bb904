"""Canary release: route a share of traffic to the challenger, test its live error rate, decide.

A new model version should not meet all the traffic at once. In a canary
release the registry's ``challenger`` serves a small share of requests (say
10%) while the ``champion`` serves the rest, and a test on the challenger's
live error rate decides: **roll back** (the challenger is worse) or
**promote** (it is not). The champion's error rate ``baseline`` is taken as
known from its long monitored history; ``worse`` is the error rate the team
must not ship (a planned alternative, e.g. 3 points above the baseline).

Two stopping rules, both with one-sided error rates ``alpha`` (rolling back a
challenger that is as good as the champion) and ``beta`` (promoting one at
``worse``):

``"sprt"``
    Wald's sequential probability ratio test. After each labelled request,
    the log-likelihood ratio ``llr = k log(worse/baseline) + (n - k)
    log((1-worse)/(1-baseline))`` (``k`` errors in ``n`` requests) is compared
    with ``log((1-beta)/alpha)`` (roll back) and ``log(beta/(1-alpha))``
    (promote). Wald's bounds give a type I error at most ``alpha/(1-beta)``,
    and at most ``alpha`` in practice because the statistic overshoots its
    boundary. If neither boundary is crossed by ``max_requests``, the
    challenger is rolled back (an unproven model does not replace the champion).
``"fixed"``
    A fixed-horizon exact binomial test: wait for ``n`` requests, the smallest
    sample with power ``1 - beta`` at ``worse`` (normal approximation), and roll
    back if the error count reaches the binomial critical value of level ``alpha``.

* :func:`canary_test` -- run a rule over one challenger's 0/1 error sequence.
* :func:`simulate_canary` -- repeat a canary release and measure its harm.

Harm is counted in expected **excess errors** against the champion over a
``horizon`` of total traffic: ``(error_rate - baseline)`` per request the
challenger serves, at ``share`` of the traffic during the canary and all of
it after a promotion. A bad challenger caught early costs the few requests
it served; one caught late (or promoted) costs many more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from casebook._validation.arrays import check_01, check_number

__all__ = ["CanaryResult", "canary_test", "simulate_canary"]

Rule = Literal["sprt", "fixed"]
Decision = Literal["promote", "roll back", "continue"]
_RULES = ("sprt", "fixed")


@dataclass(frozen=True)
class CanaryResult:
    """What a canary test saw and decided.

    Attributes
    ----------
    decision : {"promote", "roll back", "continue"}
        ``"continue"`` when the sequence ended before the rule could decide.
    n_requests : int
        Challenger requests the decision used (the stopping time).
    llr : numpy.ndarray
        The log-likelihood ratio after each request of the sequence.
    upper, lower : float
        The SPRT's roll-back and promote boundaries (for ``"fixed"``, both are
        the LLR at the critical count, for reference).
    rule : {"sprt", "fixed"}
    horizon : int
        ``max_requests`` for ``"sprt"``, the fixed sample size for ``"fixed"``.
    """

    decision: Decision
    n_requests: int
    llr: np.ndarray
    upper: float
    lower: float
    rule: Rule
    horizon: int


def _rates(baseline: Any, worse: Any, alpha: Any, beta: Any) -> tuple[float, float, float, float]:
    p0 = check_number(baseline, name="baseline")
    p1 = check_number(worse, name="worse")
    if not 0 < p0 < 1:
        raise ValueError(f"baseline must be an error rate strictly between 0 and 1, got {p0!r}")
    if not p0 < p1 < 1:
        raise ValueError(
            f"worse must be an error rate above baseline ({p0!r}) and below 1, got {p1!r}"
        )
    a, b = check_number(alpha, name="alpha"), check_number(beta, name="beta")
    for name, v in (("alpha", a), ("beta", b)):
        if not 0 < v < 0.5:
            raise ValueError(f"{name} must be an error probability in (0, 0.5), got {v!r}")
    return p0, p1, a, b


def _fixed_design(p0: float, p1: float, alpha: float, beta: float) -> tuple[int, int]:
    """Sample size (normal approximation) and exact binomial critical count."""
    za, zb = stats.norm.isf(alpha), stats.norm.isf(beta)
    n = int(np.ceil(((za * np.sqrt(p0 * (1 - p0)) + zb * np.sqrt(p1 * (1 - p1))) / (p1 - p0)) ** 2))
    crit = int(stats.binom.isf(alpha, n, p0)) + 1  # smallest k with P(K >= k | p0) <= alpha
    return n, crit


def _check_rule(rule: Any) -> Rule:
    if rule not in _RULES:
        raise ValueError(f"rule must be one of {list(_RULES)}, got {rule!r}")
    return rule


def _check_count(value: Any, *, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def canary_test(
    errors: Any,
    *,
    baseline: float,
    worse: float,
    alpha: float = 0.05,
    beta: float = 0.2,
    rule: Rule = "sprt",
    max_requests: int = 5000,
) -> CanaryResult:
    """Decide whether to promote or roll back a challenger from its live errors.

    Parameters
    ----------
    errors : array-like of 0/1
        One entry per challenger request, in arrival order: 1 if its decision
        was wrong (known once the label arrives).
    baseline : float
        The champion's error rate, in (0, 1).
    worse : float
        The error rate that must not ship (the alternative), above ``baseline``.
    alpha : float, default=0.05
        Probability of rolling back a challenger as good as the champion.
    beta : float, default=0.2
        Probability of promoting a challenger at ``worse``.
    rule : {"sprt", "fixed"}, default="sprt"
        Sequential test or fixed-horizon test (see the module docstring).
    max_requests : int, default=5000
        The SPRT's truncation: roll back if undecided after this many requests.

    Returns
    -------
    CanaryResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> bad = rng.random(3000) < 0.16  # the challenger errs on 16% of requests
    >>> r = canary_test(bad, baseline=0.10, worse=0.13)
    >>> r.decision, r.n_requests < 1000
    ('roll back', True)
    >>> canary_test(bad, baseline=0.10, worse=0.13, rule="fixed").n_requests
    670
    """
    p0, p1, alpha, beta = _rates(baseline, worse, alpha, beta)
    rule = _check_rule(rule)
    max_requests = _check_count(max_requests, name="max_requests")
    e = check_01(errors, name="errors")  # refuses an empty sequence too
    k, n = np.cumsum(e), np.arange(1, e.size + 1)
    w1, w0 = np.log(p1 / p0), np.log((1 - p1) / (1 - p0))
    llr = k * w1 + (n - k) * w0
    if rule == "fixed":
        size, crit = _fixed_design(p0, p1, alpha, beta)
        at = crit * w1 + (size - crit) * w0
        if e.size < size:
            return CanaryResult("continue", int(e.size), llr, at, at, rule, size)
        decision: Decision = "roll back" if k[size - 1] >= crit else "promote"
        return CanaryResult(decision, size, llr, at, at, rule, size)
    upper, lower = np.log((1 - beta) / alpha), np.log(beta / (1 - alpha))
    crossed = np.flatnonzero((llr[:max_requests] >= upper) | (llr[:max_requests] <= lower))
    if crossed.size:
        stop = int(crossed[0])
        decision = "roll back" if llr[stop] >= upper else "promote"
        return CanaryResult(decision, stop + 1, llr, upper, lower, rule, max_requests)
    if e.size >= max_requests:
        return CanaryResult("roll back", max_requests, llr, upper, lower, rule, max_requests)
    return CanaryResult("continue", int(e.size), llr, upper, lower, rule, max_requests)


def simulate_canary(
    *,
    error_rate: float,
    baseline: float,
    worse: float,
    share: float = 0.1,
    horizon: int = 100_000,
    alpha: float = 0.05,
    beta: float = 0.2,
    rule: Rule = "sprt",
    max_requests: int = 5000,
    n_sims: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Repeat a canary release of a challenger with a true ``error_rate``.

    Each simulation draws the challenger's errors (Bernoulli ``error_rate``)
    and applies :func:`canary_test`. Requests arrive in order; the challenger
    serves ``share`` of them until the decision, then all of them if promoted
    and none if rolled back, up to ``horizon`` total requests.

    Parameters
    ----------
    error_rate : float
        The challenger's true error rate, in [0, 1].
    baseline, worse, alpha, beta, rule, max_requests
        As in :func:`canary_test`.
    share : float, default=0.1
        Share of traffic routed to the challenger during the canary, in (0, 1].
    horizon : int, default=100_000
        Total requests (both models) over which harm is counted; must cover
        the canary (``max_requests / share`` for ``"sprt"``).
    n_sims : int, default=1000
        Simulated releases.
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per simulation: ``decision``, ``n_challenger`` (challenger
        requests until the decision), ``n_total`` (all requests until then),
        ``served`` (challenger requests over the horizon) and ``harm``
        (expected excess errors against the champion over the horizon).

    Examples
    --------
    >>> sims = simulate_canary(error_rate=0.16, baseline=0.10, worse=0.13, n_sims=200)
    >>> float((sims["decision"] == "roll back").mean()) > 0.95
    True
    """
    rate = check_number(error_rate, name="error_rate")
    if not 0 <= rate <= 1:
        raise ValueError(f"error_rate must be in [0, 1], got {rate!r}")
    p0, p1, alpha, beta = _rates(baseline, worse, alpha, beta)
    share_ = check_number(share, name="share")
    if not 0 < share_ <= 1:
        raise ValueError(f"share must be in (0, 1], got {share_!r}")
    rule = _check_rule(rule)
    max_requests = _check_count(max_requests, name="max_requests")
    horizon = _check_count(horizon, name="horizon")
    n_sims = _check_count(n_sims, name="n_sims")
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__} {seed!r}")
    length = _fixed_design(p0, p1, alpha, beta)[0] if rule == "fixed" else max_requests
    if length / share_ > horizon:
        raise ValueError(
            f"horizon must cover the canary ({length} challenger requests at share {share_} "
            f"need {int(np.ceil(length / share_))} requests), got {horizon}"
        )
    rng = np.random.default_rng(seed)
    w1, w0 = np.log(p1 / p0), np.log((1 - p1) / (1 - p0))
    decisions, stops = [], []
    for start in range(0, n_sims, 200):  # vectorised in chunks: same rule as canary_test
        draws = rng.random((min(200, n_sims - start), length)) < rate
        k = np.cumsum(draws, axis=1)
        llr = k * w1 + (np.arange(1, length + 1) - k) * w0
        if rule == "fixed":
            crit = _fixed_design(p0, p1, alpha, beta)[1]
            decisions += ["roll back" if x >= crit else "promote" for x in k[:, -1]]
            stops += [length] * len(k)
            continue
        upper, lower = np.log((1 - beta) / alpha), np.log(beta / (1 - alpha))
        hit = (llr >= upper) | (llr <= lower)
        first = np.where(hit.any(axis=1), hit.argmax(axis=1), length - 1)
        at = llr[np.arange(len(llr)), first]
        decisions += ["promote" if h and a <= lower else "roll back"
                      for h, a in zip(hit.any(axis=1), at, strict=True)]  # fmt: skip
        stops += (first + 1).tolist()
    n_challenger = np.array(stops)
    n_total = np.ceil(n_challenger / share_).astype(int)
    promoted = np.array(decisions) == "promote"
    served = n_challenger + np.where(promoted, horizon - n_total, 0)
    return pd.DataFrame(
        {
            "decision": decisions,
            "n_challenger": n_challenger,
            "n_total": n_total,
            "served": served,
            "harm": (rate - p0) * served,
        }
    )
