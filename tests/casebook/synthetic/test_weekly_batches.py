import pandas as pd
import pytest

from casebook.data import load_telco_churn
from casebook.synthetic.weekly_batches import (
    DEFAULT_INJECTIONS,
    Injection,
    WeeklyBatches,
    make_weekly_batches,
)


@pytest.fixture(scope="module")
def telco():
    return load_telco_churn()


@pytest.fixture(scope="module")
def wb(telco):
    return make_weekly_batches(telco, batch_size=600, seed=0)


def _fiber(frame):
    return float((frame["internet_service"].astype(str) == "Fiber optic").mean())


def test_split_sizes_and_stratification(wb, telco):
    assert isinstance(wb, WeeklyBatches)
    n = len(telco)
    assert len(wb.train) == pytest.approx(n / 2, abs=1)
    assert len(wb.reference) == pytest.approx(n / 4, abs=2)
    rate = telco["churn"].eq("Yes").mean()
    for part in (wb.train, wb.reference):
        assert part["churn"].eq("Yes").mean() == pytest.approx(rate, abs=0.005)
    assert not set(wb.train["customer_id"]) & set(wb.reference["customer_id"])
    assert not set(wb.reference["customer_id"]) & set(wb.batches[1]["customer_id"])


def test_schedule_is_the_documented_one(wb):
    s = wb.schedule
    assert s["week"].tolist() == list(range(1, 17))
    assert s.loc[s["kind"] == "control", "week"].tolist() == [1, 2, 3, 7, 10, 12, 14, 16]
    starts = s.loc[s["starts"], ["week", "kind"]].to_numpy().tolist()
    assert starts == [[4, "gradual_shift"], [8, "sudden_shift"], [11, "unit_change"],
                      [13, "schema_change"], [15, "default_fill"]]  # fmt: skip
    assert s.loc[s["week"] == 5, "injection"].item() == "gradual_tenure_shift"
    assert len(wb.batches) == 16
    assert all(len(b) == 600 for b in wb.batches.values())


def test_control_weeks_look_like_the_reference(wb):
    ref_tenure, ref_fiber = wb.reference["tenure"].mean(), _fiber(wb.reference)
    for week in (1, 2, 3, 7, 10, 12, 14, 16):
        b = wb.batches[week]
        assert list(b.columns) == list(wb.reference.columns)
        assert b["tenure"].mean() == pytest.approx(ref_tenure, abs=4)
        assert _fiber(b) == pytest.approx(ref_fiber, abs=0.08)
        assert b["monthly_charges"].max() <= 120


def test_gradual_shift_grows(wb):
    ref = wb.reference["tenure"].mean()
    means = [wb.batches[w]["tenure"].mean() for w in (4, 5, 6)]
    assert means[0] < ref - 8
    assert means[0] > means[1] > means[2]
    assert means[2] < ref - 15


def test_sudden_shift_brings_fiber(wb):
    for week in (8, 9):
        assert _fiber(wb.batches[week]) >= 0.8
    assert _fiber(wb.reference) < 0.5


def test_pipeline_bugs_and_schema_change(wb):
    assert (
        wb.batches[11]["monthly_charges"].min() >= 100 * wb.reference["monthly_charges"].min() - 1
    )
    b13 = wb.batches[13]
    assert "TotalCharges" in b13.columns and "total_charges" not in b13.columns
    assert b13["senior_citizen"].map(type).eq(str).all()
    assert set(b13["senior_citizen"]) <= {"0", "1"}
    assert (wb.batches[15]["tenure"] == 0).all()
    assert wb.batches[15]["monthly_charges"].max() <= 120


def test_deterministic_per_seed(telco):
    a = make_weekly_batches(telco, batch_size=50, seed=3)
    b = make_weekly_batches(telco, batch_size=50, seed=3)
    c = make_weekly_batches(telco, batch_size=50, seed=4)
    pd.testing.assert_frame_equal(a.batches[8], b.batches[8])
    pd.testing.assert_frame_equal(a.reference, b.reference)
    assert not a.batches[1]["customer_id"].equals(c.batches[1]["customer_id"])


def test_custom_schedule(telco):
    only = (Injection("bug", "unit_change", 2, 2, ("monthly_charges",), "cents"),)
    wb = make_weekly_batches(telco, n_weeks=3, batch_size=30, injections=only, seed=0)
    assert wb.schedule["kind"].tolist() == ["control", "unit_change", "control"]
    none = make_weekly_batches(telco, n_weeks=2, batch_size=30, injections=(), seed=0)
    assert set(none.schedule["kind"]) == {"control"}
    assert DEFAULT_INJECTIONS[0].kind == "gradual_shift"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"data": [1, 2]}, TypeError, "data must be a pandas DataFrame, got list"),
        ({"data": pd.DataFrame({"churn": ["No"]})}, ValueError, "data must have the Telco columns"),
        ({"n_weeks": 0}, ValueError, "n_weeks must be a positive integer"),
        ({"batch_size": 5}, ValueError, "batch_size must be an integer >= 10"),
        ({"injections": (Injection("x", "unit_change", 3, 20, (), ""),)}, ValueError,
         r"weeks must satisfy 1 <= start <= end <= 16"),
        ({"injections": (Injection("x", "unit_change", 3, 4, (), ""),
                         Injection("y", "default_fill", 4, 5, (), ""))}, ValueError,
         "injections must not overlap"),
        ({"injections": (Injection("x", "meteor", 3, 3, (), ""),)}, ValueError,  # type: ignore[arg-type]
         "injection kind must be one of"),
    ],
)  # fmt: skip
def test_errors(telco, kwargs, error, match):
    args = {"data": telco, **kwargs}
    data = args.pop("data")
    with pytest.raises(error, match=match):
        make_weekly_batches(data, **args)


def test_empty_or_non_numeric_data_names_data(telco):
    with pytest.raises(ValueError, match="data must have rows .* got 0 rows"):
        make_weekly_batches(telco.iloc[:0])
    text_tenure = telco.assign(tenure=telco["tenure"].astype(str))
    with pytest.raises(TypeError, match=r"data columns \['tenure'\] must be numeric"):
        make_weekly_batches(text_tenure)
