"""Tests for casebook.plots.canary."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from casebook.monitoring.canary import canary_test
from casebook.plots.canary import plot_canary


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _runs(rule="sprt"):
    rng = np.random.default_rng(0)
    good = canary_test(rng.random(3000) < 0.09, baseline=0.1, worse=0.13, rule=rule)
    bad = canary_test(rng.random(3000) < 0.16, baseline=0.1, worse=0.13, rule=rule)
    return good, bad


def test_paths_boundaries_and_labels():
    good, bad = _runs()
    fig, ax = plt.subplots()
    assert plot_canary([good, bad], labels=["good", "bad"], ax=ax) is ax
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    paths = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert [len(p.get_xdata()) for p in paths] == [good.n_requests, bad.n_requests]
    np.testing.assert_allclose(paths[1].get_ydata(), bad.llr[: bad.n_requests])
    levels = {line.get_ydata()[0] for line in ax.get_lines() if len(line.get_xdata()) == 2}
    assert good.upper in levels and good.lower in levels
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[0].startswith("good: promote") and texts[1].startswith("bad: roll back")
    assert paths[0].get_color() != paths[1].get_color()


def test_fixed_rule_marks_the_horizon():
    good, _ = _runs("fixed")
    ax = plot_canary(good)
    assert any(t.get_text() == "fixed horizon" for t in ax.get_legend().get_texts())


@pytest.mark.parametrize(
    ("results", "labels", "exc", "match"),
    [
        ([], None, TypeError, "results must be a CanaryResult or a non-empty sequence"),
        ("abc", None, TypeError, "results must be a CanaryResult or a non-empty sequence"),
        ([1], None, TypeError, "results must hold CanaryResult objects"),
        (None, ["a"], ValueError, "labels must hold one label per result"),
        ("mixed", None, ValueError, "results must share one rule"),
    ],
)
def test_errors(results, labels, exc, match):
    good, bad = _runs()
    if results is None:
        results = [good, bad]
    elif results == "mixed":
        results = [good, _runs("fixed")[0]]
    with pytest.raises(exc, match=match):
        plot_canary(results, labels=labels)
