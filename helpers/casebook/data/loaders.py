"""Loaders: tidy pandas DataFrames with documented columns and dtypes.

Every loader takes the same keyword-only arguments, passed through to
:func:`casebook.data.fetch.fetch_file`: ``data_home`` (cache folder),
``mirror`` (offline mirror folder) and ``download`` (allow the upstream
URL). Categorical text columns are ``category``; free text is ``str``;
missing values are ``NaN``. Column names are ``snake_case``.
"""

from __future__ import annotations

import os
from typing import Literal

import numpy as np
import pandas as pd

from casebook.data._frame_cache import cached_frame
from casebook.data.fetch import fetch_file
from casebook.data.registry import get_dataset

__all__ = [
    "load_adult",
    "load_breast_cancer",
    "load_creditcard_fraud",
    "load_german_credit",
    "load_sms_spam",
    "load_telco_churn",
]

PathLike = str | os.PathLike | None

ADULT_COLUMNS = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education_num",
    "marital_status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
    "native_country",
    "income",
]
_ADULT_NUMERIC = [
    "age",
    "fnlwgt",
    "education_num",
    "capital_gain",
    "capital_loss",
    "hours_per_week",
]


def _read_adult_file(path: os.PathLike, *, skiprows: int) -> pd.DataFrame:
    df = pd.read_csv(
        path,
        header=None,
        names=ADULT_COLUMNS,
        skiprows=skiprows,
        sep=",",
        skipinitialspace=True,
        na_values=["?"],
        dtype={c: "str" for c in ADULT_COLUMNS if c not in _ADULT_NUMERIC},
        engine="c",
    )
    df = df.dropna(how="all")
    df["income"] = df["income"].str.rstrip(".")
    return df


def load_adult(
    *,
    split: Literal["train", "test", "all"] = "all",
    data_home: PathLike = None,
    mirror: PathLike = None,
    download: bool = True,
) -> pd.DataFrame:
    """Load UCI Adult (census income), train and test files, tidy.

    The test file's first line (``|1x3 Cross validator``) is skipped and its
    labels lose their trailing period, so both files share the labels
    ``"<=50K"`` and ``">50K"``. ``?`` becomes NaN (workclass, occupation,
    native_country).

    Parameters
    ----------
    split : {"train", "test", "all"}, default="all"
        Which file(s) to return; ``"all"`` concatenates train then test.
    data_home, mirror, download
        See :func:`casebook.data.fetch.fetch_file`.

    Returns
    -------
    pandas.DataFrame
        48,842 rows for ``"all"`` (32,561 train + 16,281 test). Columns:
        ``age``, ``fnlwgt``, ``education_num``, ``capital_gain``,
        ``capital_loss``, ``hours_per_week`` (int64); ``workclass``,
        ``education``, ``marital_status``, ``occupation``, ``relationship``,
        ``race``, ``sex``, ``native_country``, ``income``, ``split``
        (category).

    Examples
    --------
    >>> df = load_adult(split="test")  # doctest: +SKIP
    >>> sorted(df["income"].cat.categories)  # doctest: +SKIP
    ['<=50K', '>50K']
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}")
    kw = {"data_home": data_home, "mirror": mirror, "download": download}
    parts = []
    if split in ("train", "all"):
        df = _read_adult_file(fetch_file("adult", "adult.data", **kw), skiprows=0)
        parts.append(df.assign(split="train"))
    if split in ("test", "all"):
        df = _read_adult_file(fetch_file("adult", "adult.test", **kw), skiprows=1)
        parts.append(df.assign(split="test"))
    out = pd.concat(parts, ignore_index=True)
    for c in ADULT_COLUMNS + ["split"]:
        if c in _ADULT_NUMERIC:
            out[c] = out[c].astype("int64")
        else:
            out[c] = out[c].astype("category")
    return out


_GERMAN_CODES: dict[str, dict[str, str]] = {
    "checking_status": {
        "A11": "< 0 DM",
        "A12": "0 to 200 DM",
        "A13": ">= 200 DM or salary assignment",
        "A14": "no checking account",
    },
    "credit_history": {
        "A30": "no credits taken / all paid back duly",
        "A31": "all credits at this bank paid back duly",
        "A32": "existing credits paid back duly till now",
        "A33": "delay in paying off in the past",
        "A34": "critical account / other credits elsewhere",
    },
    "purpose": {
        "A40": "car (new)",
        "A41": "car (used)",
        "A42": "furniture/equipment",
        "A43": "radio/television",
        "A44": "domestic appliances",
        "A45": "repairs",
        "A46": "education",
        "A47": "vacation",
        "A48": "retraining",
        "A49": "business",
        "A410": "others",
    },
    "savings": {
        "A61": "< 100 DM",
        "A62": "100 to 500 DM",
        "A63": "500 to 1000 DM",
        "A64": ">= 1000 DM",
        "A65": "unknown / no savings account",
    },
    "employment_since": {
        "A71": "unemployed",
        "A72": "< 1 year",
        "A73": "1 to 4 years",
        "A74": "4 to 7 years",
        "A75": ">= 7 years",
    },
    "personal_status": {
        "A91": "male: divorced/separated",
        "A92": "female: divorced/separated/married",
        "A93": "male: single",
        "A94": "male: married/widowed",
        "A95": "female: single",
    },
    "other_debtors": {"A101": "none", "A102": "co-applicant", "A103": "guarantor"},
    "property": {
        "A121": "real estate",
        "A122": "building society savings / life insurance",
        "A123": "car or other",
        "A124": "unknown / no property",
    },
    "other_installment_plans": {"A141": "bank", "A142": "stores", "A143": "none"},
    "housing": {"A151": "rent", "A152": "own", "A153": "for free"},
    "job": {
        "A171": "unemployed / unskilled non-resident",
        "A172": "unskilled resident",
        "A173": "skilled employee / official",
        "A174": "management / self-employed / highly qualified",
    },
    "telephone": {"A191": "none", "A192": "yes, registered"},
    "foreign_worker": {"A201": "yes", "A202": "no"},
}

GERMAN_COLUMNS = [
    "checking_status",
    "duration_months",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings",
    "employment_since",
    "installment_rate",
    "personal_status",
    "other_debtors",
    "residence_since",
    "property",
    "age",
    "other_installment_plans",
    "housing",
    "existing_credits",
    "job",
    "num_dependents",
    "telephone",
    "foreign_worker",
    "credit_risk",
]


def load_german_credit(
    *, data_home: PathLike = None, mirror: PathLike = None, download: bool = True
) -> pd.DataFrame:
    """Load Statlog German Credit with its codes decoded to readable values.

    Attribute 9 (``personal_status``) mixes sex and marital status; the
    derived ``sex`` column takes the part before the colon (``A91``, ``A93``,
    ``A94`` are male; ``A92``, ``A95`` female). ``age`` is in years. The label
    ``credit_risk`` maps 1 to ``"good"`` and 2 to ``"bad"``.

    Returns
    -------
    pandas.DataFrame
        1,000 rows, 22 columns: the 20 attributes (coded ones as category
        with readable values, numeric ones as int64), ``credit_risk``
        (category: ``"good"``, ``"bad"``) and ``sex`` (category:
        ``"female"``, ``"male"``).

    Examples
    --------
    >>> df = load_german_credit()  # doctest: +SKIP
    >>> df["credit_risk"].value_counts().to_dict()  # doctest: +SKIP
    {'good': 700, 'bad': 300}
    """
    path = fetch_file(
        "german_credit", "german.data", data_home=data_home, mirror=mirror, download=download
    )
    raw = pd.read_csv(path, sep=" ", header=None, names=GERMAN_COLUMNS, dtype="str")
    out = pd.DataFrame(index=raw.index)
    for col in GERMAN_COLUMNS[:-1]:
        if col in _GERMAN_CODES:
            codes = _GERMAN_CODES[col]
            unknown = set(raw[col].dropna().unique()) - set(codes)
            if unknown:
                raise ValueError(f"german.data column {col!r} has unknown codes {sorted(unknown)}")
            out[col] = pd.Categorical(raw[col].map(codes), categories=list(codes.values()))
        else:
            out[col] = raw[col].astype("int64")
    out["credit_risk"] = pd.Categorical(
        raw["credit_risk"].map({"1": "good", "2": "bad"}), categories=["good", "bad"]
    )
    sex = out["personal_status"].astype("str").str.split(":").str[0]
    out["sex"] = pd.Categorical(sex, categories=["female", "male"])
    return out


def load_sms_spam(
    *, data_home: PathLike = None, mirror: PathLike = None, download: bool = True
) -> pd.DataFrame:
    """Load the SMS Spam Collection.

    Returns
    -------
    pandas.DataFrame
        5,574 rows: ``label`` (category: ``"ham"``, ``"spam"``) and ``text``
        (str, UTF-8, original spelling and spacing kept).

    Examples
    --------
    >>> df = load_sms_spam()  # doctest: +SKIP
    >>> int((df["label"] == "spam").sum())  # doctest: +SKIP
    747
    """
    path = fetch_file(
        "sms_spam", "SMSSpamCollection", data_home=data_home, mirror=mirror, download=download
    )
    rows = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line:
                continue
            label, sep, text = line.partition("\t")
            if not sep or label not in ("ham", "spam"):
                raise ValueError(
                    f"SMSSpamCollection line {lineno} is not 'label<TAB>text': {line[:40]!r}"
                )
            rows.append((label, text))
    df = pd.DataFrame(rows, columns=["label", "text"])
    df["label"] = pd.Categorical(df["label"], categories=["ham", "spam"])
    df["text"] = df["text"].astype("str")
    return df


_TELCO_RENAME = {
    "customerID": "customer_id",
    "gender": "gender",
    "SeniorCitizen": "senior_citizen",
    "Partner": "partner",
    "Dependents": "dependents",
    "tenure": "tenure",
    "PhoneService": "phone_service",
    "MultipleLines": "multiple_lines",
    "InternetService": "internet_service",
    "OnlineSecurity": "online_security",
    "OnlineBackup": "online_backup",
    "DeviceProtection": "device_protection",
    "TechSupport": "tech_support",
    "StreamingTV": "streaming_tv",
    "StreamingMovies": "streaming_movies",
    "Contract": "contract",
    "PaperlessBilling": "paperless_billing",
    "PaymentMethod": "payment_method",
    "MonthlyCharges": "monthly_charges",
    "TotalCharges": "total_charges",
    "Churn": "churn",
}


def load_telco_churn(
    *, data_home: PathLike = None, mirror: PathLike = None, download: bool = True
) -> pd.DataFrame:
    """Load the IBM Telco customer churn sample.

    ``TotalCharges`` is a blank string for the 11 customers with zero tenure;
    here it is NaN (not zero: the value was never billed, and imputing is the
    modeler's choice).

    Returns
    -------
    pandas.DataFrame
        7,043 rows, 21 snake_case columns: ``customer_id`` (str);
        ``senior_citizen``, ``tenure`` (int64); ``monthly_charges``,
        ``total_charges`` (float64); every other column category, with
        ``churn`` in ``["No", "Yes"]``.

    Examples
    --------
    >>> df = load_telco_churn()  # doctest: +SKIP
    >>> int(df["total_charges"].isna().sum())  # doctest: +SKIP
    11
    """
    path = fetch_file(
        "telco_churn",
        "Telco-Customer-Churn.csv",
        data_home=data_home,
        mirror=mirror,
        download=download,
    )
    df = pd.read_csv(path, dtype="str").rename(columns=_TELCO_RENAME)
    if list(df.columns) != list(_TELCO_RENAME.values()):
        raise ValueError(f"Telco-Customer-Churn.csv has unexpected columns {list(df.columns)}")
    df["customer_id"] = df["customer_id"].astype("str")
    for c in ("senior_citizen", "tenure"):
        df[c] = df[c].astype("int64")
    df["monthly_charges"] = df["monthly_charges"].astype("float64")
    blank = df["total_charges"].str.strip() == ""
    df["total_charges"] = pd.to_numeric(df["total_charges"].mask(blank), errors="raise").astype(
        "float64"
    )
    for c in df.columns.drop("customer_id"):
        if df[c].dtype == "str":
            df[c] = df[c].astype("category")
    df["churn"] = df["churn"].cat.set_categories(["No", "Yes"])
    return df


def load_creditcard_fraud(
    *, data_home: PathLike = None, mirror: PathLike = None, download: bool = True
) -> pd.DataFrame:
    """Load the ULB credit-card fraud set (two days of European card transactions).

    Returns
    -------
    pandas.DataFrame
        284,807 rows: ``time`` (seconds since the first transaction, float64),
        ``v1`` to ``v28`` (PCA components, float64), ``amount`` (euros,
        float64), ``is_fraud`` (int64, 1 for the 492 frauds). Time-ordered.

    Examples
    --------
    >>> df = load_creditcard_fraud()  # doctest: +SKIP
    >>> int(df["is_fraud"].sum())  # doctest: +SKIP
    492
    """
    path = fetch_file(
        "creditcard_fraud", "creditcard.csv", data_home=data_home, mirror=mirror, download=download
    )
    # the 150 MB CSV is parsed once; later loads read a verified parquet copy (~5x faster)
    sha256 = get_dataset("creditcard_fraud").file("creditcard.csv").sha256
    return cached_frame(path, sha256, _parse_creditcard, what="load_creditcard_fraud")


def _parse_creditcard(path: os.PathLike) -> pd.DataFrame:
    df = pd.read_csv(path, engine="c", dtype=np.float64)
    df.columns = [c.lower() for c in df.columns]
    df = df.rename(columns={"class": "is_fraud"})
    df["is_fraud"] = df["is_fraud"].astype("int64")
    return df


def load_breast_cancer() -> pd.DataFrame:
    """Load scikit-learn's Wisconsin diagnostic breast cancer data (offline).

    scikit-learn codes ``target`` as 0 = malignant; this loader adds the
    clinically natural ``malignant`` column (1 = malignant, the positive
    class of a screening test).

    Returns
    -------
    pandas.DataFrame
        569 rows: 30 float64 features with snake_case names (e.g.
        ``mean_radius``, ``worst_concave_points``) and ``malignant``
        (int64, 212 ones).

    Examples
    --------
    >>> df = load_breast_cancer()
    >>> df.shape, int(df["malignant"].sum())
    ((569, 31), 212)
    """
    from sklearn.datasets import load_breast_cancer as _sk_load

    bunch = _sk_load(as_frame=True)
    X = bunch.data.copy()
    X.columns = [c.replace(" ", "_") for c in X.columns]
    X["malignant"] = (bunch.target == 0).astype("int64")
    return X
