import numpy as np
import pytest

from casebook.fairness.audit import DEFAULT_TOLERANCES, audit_sheet, verdict


def _data(n, rate_a, rate_b, seed=0, base=0.5):
    rng = np.random.default_rng(seed)
    g = np.repeat(["a", "b"], n // 2)
    y = (rng.random(n) < base).astype(int)
    p = (rng.random(n) < np.where(g == "a", rate_a, rate_b)).astype(int)
    return y, p, g


@pytest.mark.parametrize(
    ("low", "high", "tol", "method", "expected"),
    [
        (0.01, 0.10, 0.1, "difference", "pass"),
        (0.10, 0.20, 0.1, "difference", "inconclusive"),
        (0.11, 0.20, 0.1, "difference", "fail"),
        (0.80, 0.95, 0.8, "ratio", "pass"),
        (0.70, 0.85, 0.8, "ratio", "inconclusive"),
        (0.50, 0.79, 0.8, "ratio", "fail"),
        (np.nan, 0.2, 0.1, "difference", "inconclusive"),
    ],
)
def test_verdict_rules(low, high, tol, method, expected):
    assert verdict(low, high, tolerance=tol, method=method) == expected


def test_verdict_errors():
    with pytest.raises(ValueError, match="method must be 'difference' or 'ratio', got 'gap'"):
        verdict(0.1, 0.2, tolerance=0.1, method="gap")
    with pytest.raises(ValueError, match="low must be <= high, got low=0.3, high=0.2"):
        verdict(0.3, 0.2, tolerance=0.1, method="difference")


def test_clear_fail_and_clear_pass_on_large_samples():
    y, p, g = _data(20000, 0.5, 0.3)
    sheet = audit_sheet(y, p, sensitive_features=g, n_resamples=300)
    dp = sheet.set_index(["criterion", "method"]).loc["demographic_parity"]
    assert (dp["status"] == "fail").all()
    assert "beyond the tolerance" in dp.loc["difference", "reason"]
    y, p, g = _data(20000, 0.4, 0.4)
    sheet = audit_sheet(y, p, sensitive_features=g, n_resamples=300)
    assert (sheet["status"] == "pass").all(), sheet
    assert list(sheet.columns) == [
        "criterion",
        "method",
        "value",
        "low",
        "high",
        "tolerance",
        "rule",
        "min_denominator",
        "status",
        "reason",
    ]
    assert len(sheet) == 8
    assert set(sheet["tolerance"]) == set(DEFAULT_TOLERANCES.values())


def test_small_sample_is_inconclusive_not_pass_or_fail():
    y, p, g = _data(120, 0.5, 0.38, seed=2)
    sheet = audit_sheet(
        y, p, sensitive_features=g, criteria=("demographic_parity",), n_resamples=500
    )
    assert (sheet["status"] == "inconclusive").all(), sheet
    assert sheet["reason"].str.contains("straddles").all()


def test_too_few_people_behind_a_rate_is_inconclusive():
    y, p, g = _data(20000, 0.5, 0.3, base=0.002, seed=1)
    sheet = audit_sheet(
        y, p, sensitive_features=g, criteria=("equal_opportunity",), n_resamples=200
    ).set_index("method")
    assert (sheet["status"] == "inconclusive").all()
    assert "too few people" in sheet.loc["difference", "reason"]
    assert sheet.loc["difference", "min_denominator"] < 30


def test_undefined_metric_is_inconclusive():
    y = np.array([0] * 50 + [1, 0] * 25)
    p = np.array([1, 0] * 50)
    g = np.repeat(["a", "b"], 50)
    with pytest.warns(UserWarning, match="undefined"):
        sheet = audit_sheet(
            y,
            p,
            sensitive_features=g,
            criteria=("equal_opportunity",),
            n_resamples=100,
            min_group_size=1,
        )
    assert (sheet["status"] == "inconclusive").all()
    assert sheet["reason"].str.startswith("undefined").all()


def test_tolerance_overrides():
    y, p, g = _data(20000, 0.5, 0.3)
    sheet = audit_sheet(
        y,
        p,
        sensitive_features=g,
        criteria=("demographic_parity",),
        n_resamples=200,
        tolerances={("demographic_parity", "difference"): 0.3, "ratio": 0.5},
    ).set_index("method")
    assert sheet.loc["difference", "tolerance"] == 0.3
    assert sheet.loc["difference", "rule"] == "difference <= 0.3"
    assert sheet.loc["difference", "status"] == "pass"
    assert sheet.loc["ratio", "rule"] == "ratio >= 0.5"


def test_min_group_size_errors():
    y, p, g = _data(100, 0.5, 0.3)
    with pytest.raises(TypeError, match="min_group_size must be an int, got float"):
        audit_sheet(y, p, sensitive_features=g, min_group_size=30.0)
    with pytest.raises(ValueError, match="min_group_size must be >= 1, got 0"):
        audit_sheet(y, p, sensitive_features=g, min_group_size=0)


@pytest.mark.parametrize(
    ("tolerance", "exc", "match"),
    [
        (float("nan"), ValueError, "tolerance must be a finite number"),
        (-0.1, ValueError, "tolerance must be >= 0"),
        ("0.1", TypeError, "tolerance must be a number"),
    ],
)
def test_verdict_rejects_bad_tolerance(tolerance, exc, match):
    with pytest.raises(exc, match=match):
        verdict(0.02, 0.06, tolerance=tolerance, method="difference")
