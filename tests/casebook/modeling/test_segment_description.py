"""Tests for casebook.modeling.segment_description."""

import numpy as np
import pandas as pd
import pytest

from casebook.modeling.segment_description import describe_segments, segment_profiles, segment_rates


def test_profiles_and_descriptions_name_the_distinctive_traits():
    df = pd.DataFrame(
        {
            "tenure": [1.0, 2.0, 3.0, 50.0, 60.0, 70.0],
            "contract": ["monthly"] * 3 + ["two-year"] * 3,
        }
    )
    labels = [0, 0, 0, 1, 1, 1]
    prof = segment_profiles(df, labels)
    assert list(prof.index) == [0, 1, "all"]
    assert prof.loc[0, "tenure"] == pytest.approx(2.0)
    assert prof.loc[1, "contract"] == "two-year"
    assert prof.loc["all", "share"] == 1.0
    text = describe_segments(df, labels, top=2, units={"tenure": " months"})
    assert "tenure low (2 months vs 31 months overall)" in text[0]
    assert "contract mostly two-year (100% vs 50% overall)" in text[1]
    assert text[0].startswith("Segment 0 (50% of customers)")


def test_segment_rates_wilson_interval_and_lift():
    y = np.array([1] * 10 + [0] * 90 + [1] * 50 + [0] * 50)
    labels = np.array([0] * 100 + [1] * 100)
    r = segment_rates(y, labels)
    assert r.loc[0, "rate"] == pytest.approx(0.1)
    assert r.loc[1, "rate"] == pytest.approx(0.5)
    # Wilson 95% interval for 10/100 is about [0.055, 0.174]
    assert r.loc[0, "low"] == pytest.approx(0.0552, abs=1e-3)
    assert r.loc[0, "high"] == pytest.approx(0.1744, abs=1e-3)
    assert r.loc["all", "lift"] == 1.0
    assert r.loc[1, "lift"] == pytest.approx(0.5 / 0.3)


def test_segment_rates_string_positive_and_zero_events():
    r = segment_rates(["No", "No", "Yes", "Yes"], ["a", "a", "b", "b"], positive="Yes")
    assert r.loc["a", "rate"] == 0.0
    assert r.loc["a", "low"] == 0.0
    assert r.loc["b", "rate"] == 1.0
    assert r.loc["b", "high"] == 1.0


def test_profile_and_rates_reject_bad_input():
    df = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        segment_profiles(df.to_numpy(), [0, 1])
    with pytest.raises(ValueError, match="labels must have one entry per row"):
        segment_profiles(df, [0])
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        describe_segments(df.to_numpy(), [0, 1])
    with pytest.raises(ValueError, match="labels must have one entry per row"):
        describe_segments(df, [0, 1, 1])
    with pytest.raises(ValueError, match="top must be a positive integer"):
        describe_segments(df, [0, 1], top=0)
    with pytest.raises(ValueError, match="min_share must be in"):
        describe_segments(df, [0, 1], min_share=0)
    with pytest.raises(ValueError, match="y and labels must be 1-D"):
        segment_rates([1, 0], [0])
    with pytest.raises(ValueError, match="confidence must be in"):
        segment_rates([1, 0], [0, 0], confidence=1)


def test_new_bad_input_paths():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        segment_profiles(df, [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        describe_segments(df, [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        segment_rates([1, 0, 1], [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="frame and labels must have at least one row"):
        segment_profiles(df.iloc[:0], [])
