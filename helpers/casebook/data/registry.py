"""The dataset registry: what each real dataset is, where it comes from, and its terms.

The project commits no third-party data. Each entry records the upstream
URL, the sha256 of every file, the license and the citation; the loaders in
:mod:`casebook.data.loaders` fetch the files through
:func:`casebook.data.fetch.fetch_file`, which verifies the sha256 every time.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DATASETS", "Dataset", "RemoteFile", "get_dataset"]


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset.

    Attributes
    ----------
    name : str
        File name in the cache and in the mirror folder ``<mirror>/<dataset>/``.
    sha256 : str
        Expected checksum of the file's bytes.
    url : str
        Upstream URL. For a member of a zip archive, the archive's URL.
    member : str or None
        Name of the file inside the zip archive at ``url``, if any.
    size : int
        Size in bytes, to report progress and sanity-check downloads.
    """

    name: str
    sha256: str
    url: str
    member: str | None = None
    size: int = 0


@dataclass(frozen=True)
class Dataset:
    """A registered dataset.

    Attributes
    ----------
    name : str
        Registry key, also the folder name in the cache and the mirror.
    title : str
        Human-readable title.
    files : tuple of RemoteFile
        Its files.
    homepage : str
        Where to read about it.
    license : str
        License of the data.
    citation : str
        How to cite it.
    shape : tuple of int
        ``(rows, columns)`` of the DataFrame its loader returns.
    """

    name: str
    title: str
    files: tuple[RemoteFile, ...]
    homepage: str
    license: str
    citation: str
    shape: tuple[int, int]

    def file(self, name: str) -> RemoteFile:
        """Return the file called ``name``.

        Raises
        ------
        KeyError
            If the dataset has no such file; the message lists its files.
        """
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(
            f"dataset {self.name!r} has no file {name!r}; its files: {[f.name for f in self.files]}"
        )


_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            name="adult",
            title="Adult (Census Income)",
            files=(
                RemoteFile(
                    "adult.data",
                    "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d",
                    f"{_UCI}/adult/adult.data",
                    size=3974305,
                ),
                RemoteFile(
                    "adult.test",
                    "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05",
                    f"{_UCI}/adult/adult.test",
                    size=2003153,
                ),
                RemoteFile(
                    "adult.names",
                    "c248284c0b5de30c9e1958d6cdd168a34a654758b620e68f46aefa83fc0a576a",
                    f"{_UCI}/adult/adult.names",
                    size=5229,
                ),
            ),
            homepage="https://archive.ics.uci.edu/dataset/2/adult",
            license="CC BY 4.0",
            citation="Becker, B. & Kohavi, R. (1996). Adult. UCI Machine Learning Repository. "
            "https://doi.org/10.24432/C5XW20",
            shape=(48842, 16),
        ),
        Dataset(
            name="german_credit",
            title="Statlog (German Credit Data)",
            files=(
                RemoteFile(
                    "german.data",
                    "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871",
                    f"{_UCI}/statlog/german/german.data",
                    size=79793,
                ),
            ),
            homepage="https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data",
            license="CC BY 4.0",
            citation="Hofmann, H. (1994). Statlog (German Credit Data). UCI Machine Learning "
            "Repository. https://doi.org/10.24432/C5NC77",
            shape=(1000, 22),
        ),
        Dataset(
            name="sms_spam",
            title="SMS Spam Collection",
            files=(
                RemoteFile(
                    "SMSSpamCollection",
                    "7d039a24a6083ed9ef0f806ebad56bbb976e3aeb8de05669173bfdc4996c239d",
                    "https://archive.ics.uci.edu/static/public/228/sms+spam+collection.zip",
                    member="SMSSpamCollection",
                    size=477907,
                ),
                RemoteFile(
                    "readme",
                    "8753cd2d3cab68f80c8257851b8c2037778c267f55accb6fd1b5a2e32d36a84e",
                    "https://archive.ics.uci.edu/static/public/228/sms+spam+collection.zip",
                    member="readme",
                    size=5868,
                ),
            ),
            homepage="https://archive.ics.uci.edu/dataset/228/sms+spam+collection",
            license="CC BY 4.0",
            citation="Almeida, T. & Gómez Hidalgo, J. (2011). SMS Spam Collection. UCI Machine "
            "Learning Repository. https://doi.org/10.24432/C5CC84",
            shape=(5574, 2),
        ),
        Dataset(
            name="telco_churn",
            title="Telco Customer Churn (IBM sample)",
            files=(
                RemoteFile(
                    "Telco-Customer-Churn.csv",
                    "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91",
                    "https://raw.githubusercontent.com/IBM/telco-customer-churn-on-icp4d/"
                    "master/data/Telco-Customer-Churn.csv",
                    size=970457,
                ),
            ),
            homepage="https://github.com/IBM/telco-customer-churn-on-icp4d",
            license="IBM sample data (repository Apache-2.0; no separate data license stated)",
            citation="IBM Cognos Analytics sample data, Telco Customer Churn.",
            shape=(7043, 21),
        ),
        Dataset(
            name="creditcard_fraud",
            title="Credit Card Fraud Detection (ULB)",
            files=(
                RemoteFile(
                    "creditcard.csv",
                    "76274b691b16a6c49d3f159c883398e03ccd6d1ee12d9d8ee38f4b4b98551a89",
                    "https://zenodo.org/records/7395559/files/creditcard.csv",
                    size=150828752,
                ),
            ),
            homepage="https://www.kaggle.com/datasets/mlg-ulb/creditcardfraud",
            license="ODbL 1.0 / DbCL 1.0",
            citation="Dal Pozzolo, A., Caelen, O., Johnson, R. A. & Bontempi, G. (2015). "
            "Calibrating Probability with Undersampling for Unbalanced Classification. "
            "IEEE Symposium Series on Computational Intelligence.",
            shape=(284807, 31),
        ),
    )
}


def get_dataset(name: str) -> Dataset:
    """Return the registry entry called ``name``.

    Examples
    --------
    >>> get_dataset("adult").license
    'CC BY 4.0'
    >>> get_dataset("nope")
    Traceback (most recent call last):
    ...
    ValueError: name must be a registered dataset (adult, creditcard_fraud, german_credit, sms_spam, telco_churn), got 'nope'
    """
    if name not in DATASETS:
        raise ValueError(
            f"name must be a registered dataset ({', '.join(sorted(DATASETS))}), got {name!r}"
        )
    return DATASETS[name]
