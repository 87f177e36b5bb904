import numpy as np
import pandas as pd
import pytest

from casebook.monitoring.drift.quality import infer_schema
from casebook.monitoring.drift.report import DriftReport, detection_summary, monitor_weeks

RNG = np.random.default_rng(0)
N = 3000
REF = pd.DataFrame({
    "x": RNG.normal(size=N),
    "y": RNG.gamma(2, 1, N),
    "c": pd.Series(RNG.choice(["a", "b", "c"], N, p=[0.5, 0.3, 0.2])).astype("category"),
    "d": RNG.choice(["u", "v"], N),
})  # fmt: skip
NUM, CAT = ["x", "y"], ["c", "d"]
SCHEMA = infer_schema(REF)


def _clean(seed, n=400):
    return REF.sample(n, replace=True, random_state=seed).reset_index(drop=True)


def _batches():
    shifted = _clean(3)
    shifted["x"] = shifted["x"] + 1.0
    return {
        1: _clean(1),
        2: _clean(2),
        3: shifted,
        4: _clean(4).assign(y=lambda f: f["y"] * 100),
        5: _clean(5).drop(columns=["d"]),
        6: _clean(6).iloc[:0],
        7: _clean(7),
    }


SCHEDULE = pd.DataFrame({
    "week": range(1, 8),
    "kind": ["control", "control", "sudden_shift", "unit_change", "schema_change",
             "schema_change", "control"],
    "injection": ["", "", "shift", "cents", "schema", "schema", ""],
})  # fmt: skip


@pytest.fixture(scope="module")
def report():
    return monitor_weeks(REF, _batches(), schema=SCHEMA, numeric=NUM, categorical=CAT,
                         score=lambda f: 1 / (1 + np.exp(-f["x"].to_numpy())),
                         mmd_permutations=49)  # fmt: skip


def test_monitor_weeks_alerts(report):
    assert isinstance(report, DriftReport)
    w = report.weeks.set_index("week")
    assert w["alert"].to_dict() == {1: False, 2: False, 3: True, 4: True, 5: True, 6: True,
                                    7: False}  # fmt: skip
    assert w.loc[3, "drifted_features"] == "x"
    assert "drift: x" in w.loc[3, "reasons"]
    assert "quality: out_of_range" in w.loc[4, "reasons"]
    assert w.loc[5, "reasons"] == "quality: missing_column"
    assert w.loc[6, "reasons"] == "quality: empty_batch"
    assert not w.loc[5, "scored"] and not w.loc[6, "scored"]
    assert sorted(report.scores) == [1, 2, 3, 4, 7]
    assert w.loc[3, "prediction_drifted"]
    assert not np.isnan(w.loc[5, "mmd_p_value"])  # only a categorical column is missing
    assert np.isnan(w.loc[6, "mmd_p_value"])  # empty batch: no joint test
    assert w.loc[3, "mmd_p_value"] == pytest.approx(1 / 50)


def test_untested_features_are_listed(report):
    d = report.drift
    row = d[(d["week"] == 5) & (d["feature"] == "d")]
    assert row["status"].iloc[0] == "not tested: missing_column"
    assert (d[d["week"] == 6]["status"] == "not tested: batch error").all()
    assert set(d[d["week"] == 1]["status"]) == {"tested"}
    assert report.quality.loc[report.quality["week"] == 4, "check"].tolist() == ["out_of_range"]


def test_detection_summary(report):
    s = detection_summary(report.weeks, SCHEDULE)
    inj = s[s["kind"] != "control"].set_index("injection")
    assert inj["delay_weeks"].to_dict() == {"shift": 0, "cents": 0, "schema": 0}
    assert inj.loc["schema", "end_week"] == 6
    assert bool(inj["detected_at_start"].all())
    ctrl = s[s["kind"] == "control"]
    assert ctrl["start_week"].tolist() == [1, 2, 7]
    assert not ctrl["false_alert"].any()


def test_detection_summary_late_and_missed():
    weeks = pd.DataFrame({"week": [1, 2, 3, 4], "alert": [True, False, True, False],
                          "reasons": ["x", "", "y", ""]})  # fmt: skip
    sched = pd.DataFrame({"week": [1, 2, 3, 4], "kind": ["control", "gradual_shift",
                                                         "gradual_shift", "unit_change"],
                          "injection": ["", "g", "g", "u"]})  # fmt: skip
    s = detection_summary(weeks, sched)
    assert s.set_index("injection").loc["g", "delay_weeks"] == 1
    assert np.isnan(s.set_index("injection").loc["u", "delay_weeks"])
    assert bool(s[s["kind"] == "control"]["false_alert"].iloc[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"reference": REF.drop(columns=["x"])},
            ValueError,
            r"reference is missing column\(s\) \['x'\]",
        ),
        ({"numeric": ["nope"]}, ValueError, r"must name schema columns .* got unknown \['nope'\]"),
        ({"batches": [_clean(1)]}, TypeError, "batches must be a Mapping, got list"),
        ({"schema": {}}, TypeError, "schema must be a DataSchema, got dict"),
        ({"alpha": np.nan}, ValueError, r"alpha must be a significance level in \(0, 1\), got nan"),
    ],
)
def test_monitor_weeks_errors(kwargs, error, match):
    args = {"reference": REF, "batches": {1: _clean(1)}, "schema": SCHEMA, "numeric": NUM,
            "categorical": CAT, "mmd_permutations": 9, **kwargs}  # fmt: skip
    with pytest.raises(error, match=match):
        monitor_weeks(**args)


def test_monitor_weeks_reports_infinite_batch_values_instead_of_raising():
    rep = monitor_weeks(REF, {1: _clean(1).assign(x=np.inf)}, schema=SCHEMA, numeric=NUM,
                        categorical=CAT, mmd_permutations=9)  # fmt: skip
    assert "infinite_values" in rep.weeks.loc[0, "reasons"]
    status = rep.drift.set_index("feature").loc["x", "status"]
    assert status == "not tested: infinite_values"


def test_detection_summary_errors():
    w = pd.DataFrame({"week": [1, 2], "alert": [False, True], "reasons": ["", "x"]})
    s = pd.DataFrame({"week": [1, 2], "kind": ["control", "gradual_shift"], "injection": ["", "g"]})
    with pytest.raises(ValueError, match=r"weeks is missing column\(s\) \['alert'\]"):
        detection_summary(w.drop(columns=["alert"]), s)
    with pytest.raises(ValueError, match=r"schedule is missing column\(s\) \['kind'\]"):
        detection_summary(w, s.drop(columns=["kind"]))
    with pytest.raises(ValueError, match="weeks must hold at least one monitored week"):
        detection_summary(w.iloc[:0], s)
    with pytest.raises(TypeError, match="schedule must be a DataFrame, got dict"):
        detection_summary(w, {})


def test_clean_batches_are_scored_in_one_call_with_per_batch_results():
    calls = []

    def score(frame):
        calls.append(len(frame))
        return 1 / (1 + np.exp(-frame["x"].to_numpy()))

    batches = _batches()
    rep = monitor_weeks(REF, batches, schema=SCHEMA, numeric=NUM, categorical=CAT, score=score,
                        mmd_permutations=9)  # fmt: skip
    assert calls == [len(REF), sum(len(batches[w]) for w in (1, 2, 3, 4, 7))]
    for week, s in rep.scores.items():
        np.testing.assert_array_equal(s, 1 / (1 + np.exp(-batches[week]["x"].to_numpy())))


def test_score_must_return_one_value_per_row():
    with pytest.raises(ValueError, match="score must return one probability per row"):
        monitor_weeks(REF, {1: _clean(1), 2: _clean(2)}, schema=SCHEMA, numeric=NUM,
                      categorical=CAT, score=lambda f: np.full(3, 0.5), mmd_permutations=9)  # fmt: skip
