import numpy as np
import pandas as pd
import pytest

from casebook.monitoring.drift.quality import (
    DataSchema,
    QualityIssue,
    check_batch,
    drift_ready_columns,
    infer_schema,
    issues_table,
)

RNG = np.random.default_rng(0)
REF = pd.DataFrame({
    "amount": RNG.uniform(10, 100, 500),
    "age": RNG.integers(18, 80, 500),
    "flag": RNG.integers(0, 2, 500),
    "plan": pd.Categorical(RNG.choice(["basic", "plus", "pro"], 500)),
    "note": pd.Series(RNG.choice(["x", "y"], 500), dtype="str"),
})  # fmt: skip
REF.loc[:9, "amount"] = np.nan  # 2% missing in the reference
SCHEMA = infer_schema(REF, categorical=("flag",))


def _checks(batch):
    return [(i.check, i.column, i.severity) for i in check_batch(batch, SCHEMA)]


def test_schema_inferred():
    assert SCHEMA.kinds == {"amount": "numeric", "age": "numeric", "flag": "categorical",
                            "plan": "categorical", "note": "categorical"}  # fmt: skip
    assert SCHEMA.storage["flag"] == "numeric"
    lo, hi = SCHEMA.ranges["amount"]
    width = REF["amount"].max() - REF["amount"].min()
    assert lo == pytest.approx(REF["amount"].min() - 0.1 * width)
    assert hi == pytest.approx(REF["amount"].max() + 0.1 * width)
    assert SCHEMA.categories["plan"] == frozenset({"basic", "plus", "pro"})
    assert SCHEMA.categories["flag"] == frozenset({"0", "1"})
    assert SCHEMA.missing_rates["amount"] == pytest.approx(0.02)


def test_clean_batch_has_no_issue():
    assert check_batch(REF.sample(200, random_state=1), SCHEMA) == []


def test_empty_batch():
    issues = check_batch(REF.iloc[:0], SCHEMA)
    assert [(i.check, i.severity) for i in issues] == [("empty_batch", "error")]
    assert "0 rows" in issues[0].message


def test_not_a_dataframe_reported_not_raised():
    issues = check_batch([1, 2, 3], SCHEMA)
    assert issues[0].check == "not_a_table"
    assert "got list" in issues[0].message


def test_missing_and_new_column():
    batch = REF.rename(columns={"amount": "Amount"})
    checks = _checks(batch)
    assert ("missing_column", "amount", "error") in checks
    assert ("new_column", "Amount", "warning") in checks


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("amount", "text", "expected a numeric column"),
        ("flag", "1", "expected a numeric column"),  # a numeric code sent as text
        ("plan", 3, "expected a categorical column"),
    ],
)
def test_type_change(column, values, expected):
    issues = check_batch(REF.assign(**{column: values}), SCHEMA)
    assert [(i.check, i.column) for i in issues] == [("type_change", column)]
    assert expected in issues[0].message


def test_all_nan_column():
    issues = check_batch(REF.assign(age=np.nan), SCHEMA)
    assert [(i.check, i.column, i.severity) for i in issues] == [("all_missing", "age", "error")]
    assert "all 500 values are missing" in issues[0].message


def test_missing_rate_increase():
    batch = REF.copy()
    batch.loc[:99, "age"] = np.nan  # 20% vs 0%
    assert _checks(batch) == [("missing_rate", "age", "warning")]
    assert "20.0% missing, reference 0.0%" in check_batch(batch, SCHEMA)[0].message


def test_out_of_range_unit_change():
    issues = check_batch(REF.assign(amount=REF["amount"] * 100), SCHEMA)
    assert [(i.check, i.column) for i in issues] == [("out_of_range", "amount")]
    assert "490 of 490 values (100.0%) outside the expected range" in issues[0].message


def test_unseen_category_named():
    batch = REF.assign(plan=REF["plan"].astype(str).where(REF.index % 5 != 0, "enterprise"))
    issues = check_batch(batch, SCHEMA)
    assert [(i.check, i.column) for i in issues] == [("unseen_category", "plan")]
    assert "['enterprise'] (20.0% of values)" in issues[0].message


def test_numeric_category_codes_with_nan_are_not_unseen():
    batch = REF.assign(flag=REF["flag"].astype(float))
    batch.loc[0, "flag"] = np.nan
    assert _checks(batch) == []
    assert _checks(REF.assign(flag=2)) == [("unseen_category", "flag", "warning"),
                                           ("constant_column", "flag", "warning")]  # fmt: skip


def test_constant_column():
    issues = check_batch(REF.assign(note="x"), SCHEMA)
    assert [(i.check, i.column) for i in issues] == [("constant_column", "note")]
    assert "every value is 'x'; the reference had 2 distinct values" in issues[0].message


def test_several_issues_reported_together_and_table():
    batch = REF.drop(columns=["note"]).assign(amount=REF["amount"] * 100, age=np.nan)
    issues = check_batch(batch, SCHEMA)
    assert {i.check for i in issues} == {"missing_column", "out_of_range", "all_missing"}
    table = issues_table(issues)
    assert table.columns.tolist() == ["check", "column", "severity", "message"]
    assert len(table) == 3


def test_drift_ready_columns():
    issues = check_batch(REF.drop(columns=["note"]).assign(age=np.nan), SCHEMA)
    assert drift_ready_columns(SCHEMA, issues) == ["amount", "flag", "plan"]
    assert drift_ready_columns(SCHEMA, check_batch(REF.iloc[:0], SCHEMA)) == []
    warn = [QualityIssue("out_of_range", "amount", "warning", "m")]
    assert "amount" in drift_ready_columns(SCHEMA, warn)


def test_errors():
    with pytest.raises(TypeError, match="reference must be a pandas DataFrame, got list"):
        infer_schema([1, 2])
    with pytest.raises(ValueError, match="reference must have at least one row"):
        infer_schema(REF.iloc[:0])
    with pytest.raises(ValueError, match="range_margin must be a number >= 0"):
        infer_schema(REF, range_margin=-1)
    with pytest.raises(ValueError, match=r"categorical must name reference columns.*'nope'"):
        infer_schema(REF, categorical=("nope",))
    with pytest.raises(TypeError, match="schema must be a DataSchema, got dict"):
        check_batch(REF, {})
    assert isinstance(SCHEMA, DataSchema)


def test_non_finite_numbers_and_wrong_types_raise():
    with pytest.raises(ValueError, match="range_margin must be a number >= 0, got nan"):
        infer_schema(REF, range_margin=np.nan)
    with pytest.raises(ValueError, match="max_missing_increase must be a number >= 0, got nan"):
        check_batch(REF, SCHEMA, max_missing_increase=np.nan)
    with pytest.raises(ValueError, match="max_missing_increase must be a number >= 0, got -0.1"):
        check_batch(REF, SCHEMA, max_missing_increase=-0.1)
    with pytest.raises(TypeError, match="issues must be a list of QualityIssue, got str"):
        issues_table("not issues")
    with pytest.raises(
        TypeError, match=r"issues must be a list of QualityIssue, got items .*'str'"
    ):
        issues_table(["x"])
    with pytest.raises(TypeError, match="schema must be a DataSchema, got dict"):
        drift_ready_columns({"kinds": {}}, [])
    with pytest.raises(TypeError, match="issues must be a list of QualityIssue, got str"):
        drift_ready_columns(SCHEMA, "x")


def test_infinite_values_are_an_error_issue():
    batch = REF.sample(50, random_state=2).assign(amount=lambda d: d["amount"].replace(
        d["amount"].iloc[0], np.inf))  # fmt: skip
    assert ("infinite_values", "amount", "error") in _checks(batch)
    assert "amount" not in drift_ready_columns(SCHEMA, check_batch(batch, SCHEMA))
