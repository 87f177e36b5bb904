import numpy as np
import pytest

from casebook.decisions.bootstrap import ConfidenceInterval, bootstrap_ci, bootstrap_distribution


def test_interval_contains_estimate_and_is_reproducible():
    x = np.random.default_rng(0).normal(10, 2, size=400)
    a = bootstrap_ci(np.mean, x, n_resamples=500, seed=1)
    b = bootstrap_ci(np.mean, x, n_resamples=500, seed=1)
    assert a == b
    assert a.low < a.estimate < a.high
    # the standard error of the mean is 0.1: a 95% interval is about 0.4 wide
    assert 0.25 < a.width < 0.6
    assert "95% CI" in str(a)


def test_paired_resampling_keeps_rows_together():
    x = np.arange(50)
    stat = lambda a, b: float(np.all(a == b))  # noqa: E731
    assert np.all(bootstrap_distribution(stat, x, x.copy(), n_resamples=50) == 1.0)


def test_stratify_keeps_class_counts():
    y = np.array([1] * 3 + [0] * 97)
    dist = bootstrap_distribution(np.sum, y, n_resamples=100, stratify=y)
    assert np.all(dist == 3)


def test_undefined_resamples_are_dropped_or_refused():
    y = np.array([1] + [0] * 99)
    # defined only when exactly one positive is drawn: about 37% of plain resamples
    exactly_one = lambda a: np.nan if a.sum() != 1 else 1.0  # noqa: E731
    with pytest.raises(ValueError, match="undefined on .* resamples; use stratify="):
        bootstrap_ci(exactly_one, y, n_resamples=200)
    ci = bootstrap_ci(exactly_one, y, n_resamples=200, stratify=y)
    assert ci.n_resamples == 200


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"confidence": 1.5}, "confidence must be strictly between 0 and 1"),
        ({"n_resamples": 0}, "n_resamples must be >= 1"),
        ({"stratify": [0, 1]}, "stratify must have the same length"),
    ],
)
def test_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bootstrap_ci(np.mean, np.arange(10), **kwargs)


def test_validation_types_and_shapes():
    with pytest.raises(TypeError, match="n_resamples must be an int"):
        bootstrap_ci(np.mean, np.arange(10), n_resamples=1.5)
    with pytest.raises(ValueError, match="arrays must have the same length"):
        bootstrap_ci(lambda a, b: 0.0, np.arange(10), np.arange(9))
    with pytest.raises(TypeError, match="statistic must be callable"):
        bootstrap_ci("mean", np.arange(10))
    with pytest.raises(ValueError, match="at least one array"):
        bootstrap_ci(np.mean)
    with pytest.raises(ValueError, match="at least 2 rows"):
        bootstrap_ci(np.mean, [1.0])
    with pytest.raises(ValueError, match="got a scalar"):
        bootstrap_ci(np.mean, 3.0)
    with pytest.raises(ValueError, match="undefined \\(NaN\\) on the original"):
        bootstrap_ci(lambda a: np.nan, np.arange(5))


def test_dataclass_is_frozen():
    ci = ConfidenceInterval(1.0, 0.5, 1.5, 0.95, 10)
    with pytest.raises(AttributeError):
        ci.low = 0


@pytest.mark.parametrize(("confidence", "minimum"), [(0.95, 40), (0.9, 20), (0.99, 200), (0.5, 4)])
def test_too_few_resamples_for_the_level_are_refused(confidence, minimum):
    x = np.arange(30.0)
    with pytest.raises(ValueError, match=f"n_resamples must be at least {minimum} .* got 1$"):
        bootstrap_ci(np.mean, x, n_resamples=1, confidence=confidence)
    with pytest.raises(ValueError, match=f"at least {minimum} .* got {minimum - 1}$"):
        bootstrap_ci(np.mean, x, n_resamples=minimum - 1, confidence=confidence)
    ci = bootstrap_ci(np.mean, x, n_resamples=minimum, confidence=confidence)
    assert ci.width > 0  # one resample beyond each bound: never a zero-width "interval"
    # the distribution alone has no level: one resample is a valid request
    assert bootstrap_distribution(np.mean, x, n_resamples=1).shape == (1,)


def test_numpy_scalars_are_accepted_like_python_numbers():
    x = np.arange(30.0)
    a = bootstrap_ci(np.mean, x, n_resamples=np.int64(50), confidence=np.float64(0.9))
    assert a == bootstrap_ci(np.mean, x, n_resamples=50, confidence=0.9)


def test_too_few_defined_resamples_for_the_level_are_refused():
    y = np.array([1] + [0] * 99)
    # defined when exactly one positive is drawn (about 37%): 200 resamples leave ~74 < 200 for 99%
    exactly_one = lambda a: np.nan if a.sum() != 1 else 1.0  # noqa: E731
    with pytest.raises(ValueError, match="a 0.99 interval at least 200 defined ones"):
        bootstrap_ci(exactly_one, y, n_resamples=210, confidence=0.99)
