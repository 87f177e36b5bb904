"""Point-in-time window features: exact against a brute force, and no future row leaks in."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.modeling.pointintime import out_of_time_split, window_features

DAY = pd.Timedelta(days=1)


def _random_tables(seed: int, n_cust: int = 30, n_tx: int = 600):
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2024-01-01")
    tx = pd.DataFrame(
        {
            "customer_id": rng.integers(0, n_cust, n_tx),
            # whole days so that ties with cut-offs and window starts happen often
            "timestamp": t0 + pd.to_timedelta(rng.integers(0, 400, n_tx), unit="D"),
            "amount": rng.gamma(2.0, 20.0, n_tx).round(2),
            "category": rng.choice(["food", "cash", "bet"], n_tx),
        }
    )
    apps = pd.DataFrame(
        {
            "customer_id": rng.integers(0, n_cust + 5, 80),  # some customers have no rows
            "application_date": t0 + pd.to_timedelta(rng.integers(0, 420, 80), unit="D"),
        }
    )
    return apps, tx.sample(frac=1, random_state=seed)  # any row order


def _brute(apps, tx, windows):
    rows = []
    for _, a in apps.iterrows():
        mine = tx[(tx.customer_id == a.customer_id) & (tx.timestamp < a.application_date)]
        row = {}
        for w in windows:
            win = mine[mine.timestamp >= a.application_date - w * DAY]
            row[f"count_{w}d"] = len(win)
            row[f"sum_{w}d"] = win.amount.sum()
            row[f"mean_{w}d"] = win.amount.mean() if len(win) else np.nan
            row[f"max_{w}d"] = win.amount.max() if len(win) else np.nan
            for c in ["bet", "cash", "food"]:
                row[f"count_{c}_{w}d"] = int((win.category == c).sum())
                row[f"sum_{c}_{w}d"] = win.amount[win.category == c].sum()
            row[f"full_history_{w}d"] = int(
                len(mine) > 0 and mine.timestamp.min() <= a.application_date - w * DAY
            )
        row["days_since_last"] = (
            (a.application_date - mine.timestamp.max()) / DAY if len(mine) else np.nan
        )
        row["history_days"] = (
            (a.application_date - mine.timestamp.min()) / DAY if len(mine) else np.nan
        )
        rows.append(row)
    return pd.DataFrame(rows, index=apps.index)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_brute_force(seed):
    apps, tx = _random_tables(seed)
    got = window_features(apps, tx, windows=[7, 30, 365])
    want = _brute(apps, tx, [7, 30, 365])
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)


@pytest.mark.parametrize(
    "variant",
    ["nanoseconds over a century", "nanoseconds over a year", "string ids", "large ids"],
)
def test_matches_brute_force_on_every_sorting_path(variant):
    # the sort takes a different route for times off a common grid spanning a century
    # (ranked), for a key too wide to carry the row number (argsort rather than the packed
    # sort), for string ids and for ids far larger than the tables (factorized)
    apps, tx = _random_tables(7)
    if variant == "nanoseconds over a year":
        rng = np.random.default_rng(8)
        tx["timestamp"] = tx["timestamp"] + pd.to_timedelta(
            rng.integers(0, 10**9, len(tx)), unit="ns"
        )
        tx = pd.concat([tx, tx.iloc[:50]], ignore_index=True)  # exact ties, kept in order
    elif variant == "nanoseconds over a century":
        rng = np.random.default_rng(7)
        stretch = lambda t: pd.Timestamp("1950-01-01") + (t - pd.Timestamp("2024-01-01")) * 80  # noqa: E731
        tx["timestamp"] = stretch(tx["timestamp"]) + pd.to_timedelta(
            rng.integers(0, 10**9, len(tx)), unit="ns"
        )
        apps["application_date"] = stretch(apps["application_date"])
    elif variant == "string ids":
        tx["customer_id"] = "c" + tx["customer_id"].astype(str)
        apps["customer_id"] = "c" + apps["customer_id"].astype(str)
    else:
        tx["customer_id"] = tx["customer_id"] * 10**12
        apps["customer_id"] = apps["customer_id"] * 10**12
    windows = [7, 30, 365] if variant != "nanoseconds over a century" else [300, 3000, 30000]
    got = window_features(apps, tx, windows=windows)
    want = _brute(apps, tx, windows)
    pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)


def test_future_rows_cannot_leak():
    apps, tx = _random_tables(3)
    base = window_features(apps, tx)
    # Perturb every transaction at or after its customer's earliest cut-off:
    # no feature of any application may change.
    first_cut = apps.groupby("customer_id")["application_date"].min()
    cut = tx["customer_id"].map(first_cut)
    future = cut.notna() & (tx["timestamp"] >= cut)
    assert future.sum() > 50
    tx2 = tx.copy()
    tx2.loc[future, "amount"] = tx2.loc[future, "amount"] * 1000 + 7
    tx2.loc[future, "category"] = "bet"
    extra = tx[future].assign(amount=1e6)  # and duplicate them
    one_app = apps.drop_duplicates("customer_id", keep=False)
    # exact equality, not approximate: no bit of a feature may depend on the future
    assert window_features(
        one_app, pd.concat([tx2, extra]), categories=["bet", "cash", "food"]
    ).equals(window_features(one_app, tx, categories=["bet", "cash", "food"]))
    pd.testing.assert_frame_equal(
        window_features(one_app, pd.concat([tx2, extra]), categories=["bet", "cash", "food"]),
        window_features(one_app, tx, categories=["bet", "cash", "food"]),
    )
    assert not base.empty


def test_transaction_at_the_cutoff_is_excluded_and_window_start_included():
    apps = pd.DataFrame({"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 1],
            "timestamp": pd.to_datetime(
                ["2024-04-01 00:00:00", "2024-04-30 23:59:59", "2024-05-01 00:00:00"]
            ),
            "amount": [1.0, 2.0, 100.0],
            "category": ["a", "a", "a"],
        }
    )
    f = window_features(apps, tx, windows=[30])
    assert f.loc[0, "count_30d"] == 2 and f.loc[0, "sum_30d"] == 3.0  # 04-01 is exactly 30 days
    assert f.loc[0, "max_30d"] == 2.0
    assert f.loc[0, "days_since_last"] == pytest.approx(1 / 86_400)


def test_no_transactions_gives_zeros_and_nan():
    apps = pd.DataFrame({"customer_id": ["new"], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": ["old"],
            "timestamp": [pd.Timestamp("2024-04-01")],
            "amount": [5.0],
            "category": ["a"],
        }
    )
    f = window_features(apps, tx, windows=[30])
    assert f.loc[0, "count_30d"] == 0 and f.loc[0, "sum_30d"] == 0 and f.loc[0, "count_a_30d"] == 0
    assert np.isnan(f.loc[0, "mean_30d"]) and np.isnan(f.loc[0, "max_30d"])
    assert np.isnan(f.loc[0, "days_since_last"]) and np.isnan(f.loc[0, "history_days"])
    assert f.loc[0, "full_history_30d"] == 0
    empty = window_features(apps, tx.iloc[:0], windows=[30], categories=["a"])
    assert empty.loc[0, "count_30d"] == 0 and np.isnan(empty.loc[0, "max_30d"])


def test_window_longer_than_history_covers_what_exists():
    apps = pd.DataFrame({"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "amount": [1.0, 2.0],
            "category": ["a", "a"],
            "timestamp": pd.to_datetime(["2024-03-01", "2024-04-01"]),
        }
    )
    f = window_features(apps, tx, windows=[30, 365])
    assert f.loc[0, "count_365d"] == 2  # not rescaled to a year
    assert f.loc[0, "full_history_365d"] == 0 and f.loc[0, "full_history_30d"] == 1
    assert f.loc[0, "history_days"] == 61


def test_unknown_categories_at_prediction_time():
    apps = pd.DataFrame({"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "amount": [1.0, 2.0],
            "category": ["a", "crypto"],
            "timestamp": pd.to_datetime(["2024-04-01", "2024-04-02"]),
        }
    )
    other = window_features(apps, tx, windows=[30], categories=["a", "b"])
    assert other.loc[0, "count_other_30d"] == 1 and other.loc[0, "count_b_30d"] == 0
    assert other.loc[0, "count_30d"] == 2  # totals keep every row
    ignored = window_features(apps, tx, windows=[30], categories=["a", "b"], unknown="ignore")
    assert "count_other_30d" not in ignored and "count_crypto_30d" not in ignored
    assert ignored.loc[0, "count_a_30d"] == 1
    with pytest.raises(ValueError, match="categories not in categories: \\['crypto'\\]"):
        window_features(apps, tx, windows=[30], categories=["a"], unknown="error")
    train_cols = window_features(apps, tx.iloc[:1], windows=[30], categories=["a", "b"]).columns
    assert list(other.columns[: len(train_cols)]) == list(train_cols)


def test_timezone_aware_times_are_compared_in_utc():
    apps = pd.DataFrame(
        {"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01 12:00", tz="UTC")]}
    )
    tx = pd.DataFrame(
        {
            "customer_id": [1],
            "amount": [1.0],
            "category": ["a"],
            # 13:00 in Paris is 11:00 UTC: before the cut-off
            "timestamp": [pd.Timestamp("2024-05-01 13:00", tz="Europe/Paris")],
        }
    )
    assert window_features(apps, tx, windows=[1]).loc[0, "count_1d"] == 1


def test_bad_input():
    apps = pd.DataFrame({"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": [1],
            "timestamp": [pd.Timestamp("2024-04-01")],
            "amount": [1.0],
            "category": ["a"],
        }
    )
    with pytest.raises(ValueError, match="transactions must have columns"):
        window_features(apps, tx.drop(columns="amount"))
    with pytest.raises(TypeError, match="applications must be a pandas DataFrame"):
        window_features(apps.to_numpy(), tx)
    with pytest.raises(ValueError, match="windows must be distinct positive"):
        window_features(apps, tx, windows=[0])
    with pytest.raises(ValueError, match="windows must be distinct positive"):
        window_features(apps, tx, windows=[30, 30])
    with pytest.raises(ValueError, match="unknown must be"):
        window_features(apps, tx, unknown="drop")
    with pytest.raises(TypeError, match="must be a datetime64 column"):
        window_features(apps.assign(application_date="2024-05-01"), tx)
    with pytest.raises(ValueError, match="must not contain missing times"):
        window_features(apps, tx.assign(timestamp=pd.NaT))
    with pytest.raises(ValueError, match="must be finite"):
        window_features(apps, tx.assign(amount=np.nan))
    with pytest.raises(ValueError, match="customer_id must not contain missing"):
        window_features(apps.assign(customer_id=np.nan), tx)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_counts_never_exceed_past_rows(seed):
    apps, tx = _random_tables(seed, n_cust=5, n_tx=60)
    f = window_features(apps, tx, windows=[10, 100])
    assert (f["count_10d"] <= f["count_100d"]).all()
    past = [
        ((tx.customer_id == a.customer_id) & (tx.timestamp < a.application_date)).sum()
        for a in apps.itertuples()
    ]
    assert (f["count_100d"].to_numpy() <= np.array(past)).all()


def test_out_of_time_split():
    d = pd.Series(pd.date_range("2024-01-01", periods=100, freq="D")).sample(frac=1, random_state=0)
    train, test = out_of_time_split(d, test_fraction=0.2)
    assert len(test) == 20 and len(train) == 80
    assert d.iloc[train].max() < d.iloc[test].min()
    train_gap, _ = out_of_time_split(d, test_fraction=0.2, gap_days=10)
    assert len(train_gap) == 70
    with pytest.raises(ValueError, match="test_fraction must be in"):
        out_of_time_split(d, test_fraction=1.0)
    with pytest.raises(ValueError, match="gap_days must be non-negative"):
        out_of_time_split(d, gap_days=-1)
    with pytest.raises(ValueError, match="must not contain missing"):
        out_of_time_split(pd.Series([pd.NaT, pd.Timestamp("2024-01-01")]))
    with pytest.raises(ValueError, match="the split left 0 training"):
        out_of_time_split(d, test_fraction=0.2, gap_days=1000)


@pytest.mark.parametrize(
    ("dates", "error", "match"),
    [
        (pd.Series([], dtype="datetime64[ns]"), ValueError, "dates must not be empty"),
        (["s0", "s1"], TypeError, r"dates must be datetimes or date strings, got values .*'s0'"),
        ([1, 2, 3], TypeError, "dates must be datetimes or date strings, got dtype int64"),
    ],
)
def test_out_of_time_split_bad_dates(dates, error, match):
    with pytest.raises(error, match=match):
        out_of_time_split(dates)


def test_out_of_time_split_accepts_date_strings():
    strings = [f"2024-01-{d:02d}" for d in range(1, 9)]
    train, test = out_of_time_split(strings, test_fraction=0.25)
    assert train.tolist() == [0, 1, 2, 3, 4, 5] and test.tolist() == [6, 7]


@pytest.mark.parametrize(
    ("amount", "error", "match"),
    [
        (["a", "b", "c"], TypeError, r"transactions\['amount'\] must be numeric"),
        ([1.0, np.inf, 2.0], ValueError, r"transactions\['amount'\] must be finite"),
        (
            [True, False, True],
            TypeError,
            r"transactions\['amount'\] must be numeric, got dtype bool",
        ),
    ],
)
def test_window_features_bad_amount_names_the_column(amount, error, match):
    apps = pd.DataFrame({"customer_id": [1], "application_date": pd.to_datetime(["2024-03-01"])})
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 1],
            "timestamp": pd.to_datetime(["2024-01-15", "2024-02-20", "2024-02-25"]),
            "amount": amount,
            "category": ["food", "cash", "cash"],
        }
    )
    with pytest.raises(error, match=match):
        window_features(apps, tx, windows=[30])


def _one_customer():
    apps = pd.DataFrame({"customer_id": [1], "application_date": [pd.Timestamp("2024-05-01")]})
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "timestamp": [pd.Timestamp("2024-04-01"), pd.Timestamp("2024-04-20")],
            "amount": [1.0, 2.0],
            "category": ["a", "a"],
        }
    )
    return apps, tx


@pytest.mark.parametrize(
    ("app_ids", "tx_ids"),
    [
        (["1"], [1, 1]),  # str applications, int transactions: every applicant would look new
        ([1], ["1", "1"]),
        (pd.array(["1"], dtype="string"), [1, 1]),
        (pd.Categorical(["1"]), [1, 1]),
        ([1], pd.array(["1", "1"], dtype="string[pyarrow]")),
    ],
)
def test_customer_ids_of_different_types_are_refused(app_ids, tx_ids):
    apps, tx = _one_customer()
    apps["customer_id"], tx["customer_id"] = app_ids, tx_ids
    with pytest.raises(
        ValueError,
        match=r"applications\['customer_id'\] \(dtype .*\) and transactions\['customer_id'\] "
        r"\(dtype .*\) must hold customer ids of the same type",
    ):
        window_features(apps, tx, windows=[60])


@pytest.mark.parametrize(
    ("app_ids", "tx_ids"),
    [
        ([1], [1.0, 1.0]),  # numbers match numbers whatever their width
        (pd.array([1], dtype="Int64"), [1, 1]),
        (["c1"], pd.array(["c1", "c1"], dtype="string[pyarrow]")),
        (pd.Categorical(["c1"]), ["c1", "c1"]),
    ],
)
def test_customer_ids_of_the_same_kind_match(app_ids, tx_ids):
    apps, tx = _one_customer()
    apps["customer_id"], tx["customer_id"] = app_ids, tx_ids
    assert window_features(apps, tx, windows=[60])["count_60d"].tolist() == [2]


def test_windows_must_be_whole_days():
    apps, tx = _one_customer()
    with pytest.raises(
        TypeError, match=r"windows must be whole day counts \(integers\), got \[30.5\]"
    ):
        window_features(apps, tx, windows=(30.5,))
    with pytest.raises(TypeError, match="windows must be whole day counts"):
        window_features(apps, tx, windows=[True])
    with pytest.raises(TypeError, match="windows must be a sequence of day counts"):
        window_features(apps, tx, windows=30)
    numpy_days = window_features(apps, tx, windows=[np.int64(15), np.int32(60)])
    assert numpy_days.equals(window_features(apps, tx, windows=[15, 60]))
