"""Datasets: the registry, the verified fetch and the loaders.

Lives here: real public datasets: where each comes from, its checksum, license and a tidy loader.
May import: the standard library, numpy and pandas only (and pyarrow, which pandas'
parquet support brings, for the verified parquet copy of a large CSV: ``_frame_cache``).

>>> from casebook.data import load_breast_cancer
>>> load_breast_cancer().shape
(569, 31)
"""

from casebook.data.fetch import DataUnavailableError, fetch_file
from casebook.data.loaders import (
    load_adult,
    load_breast_cancer,
    load_creditcard_fraud,
    load_german_credit,
    load_sms_spam,
    load_telco_churn,
)
from casebook.data.registry import DATASETS, Dataset, RemoteFile, get_dataset

__all__ = [
    "DATASETS",
    "DataUnavailableError",
    "Dataset",
    "RemoteFile",
    "fetch_file",
    "get_dataset",
    "load_adult",
    "load_breast_cancer",
    "load_creditcard_fraud",
    "load_german_credit",
    "load_sms_spam",
    "load_telco_churn",
]
