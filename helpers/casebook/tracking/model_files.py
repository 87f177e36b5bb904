"""Save and load fitted models safely with skops (never pickle).

A pickle file runs arbitrary code when it is loaded, so a model "handed to
you" as a pickle is a security risk. The skops format stores the model as
data plus a list of the Python types needed to rebuild it; loading refuses
any type that is not trusted. Here the trusted set is :data:`TRUSTED_TYPES`,
a short, reviewed list of the types the lessons' models are made of, plus the
``trusted`` list a caller passes **explicitly** after reading
:func:`untrusted_types`. The trusted set is never derived from the file being
loaded: a file that names any other type (say a numpy function that evaluates
a string) is refused before anything in it is built, with
:class:`UntrustedTypesError` naming the types. skops itself audits the file a
second time against the same list.

* :func:`save_model` -- write a ``.skops`` file atomically (never half-written,
  never silently overwriting).
* :func:`untrusted_types` -- what a file would need you to trust.
* :func:`load_model` -- load, refusing anything not explicitly trusted.

Every loader of skops files in the casebook (:func:`load_model`,
:func:`casebook.tracking.model_registry.load_registered_model`,
:func:`casebook.tracking.queries.load_run_model`) goes through :func:`load_model`.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import skops.io as sio

__all__ = ["TRUSTED_TYPES", "UntrustedTypesError", "load_model", "save_model", "untrusted_types"]

SUFFIX = ".skops"

#: The only types a casebook model file may contain without an explicit
#: ``trusted=[...]``: what the lessons save (notebook 01's TF-IDF + logistic
#: regression pipeline, notebook 04's scaled logistic regressions, notebook 14's
#: registered logistic regressions, the tests' models) and the containers and
#: numpy types skops stores their parameters and fitted attributes with. Each
#: entry is a class whose construction from data runs no code from the file.
#: Review a type's code before adding it here; one list serves every loader.
TRUSTED_TYPES: tuple[str, ...] = (
    # containers and scalars of parameters and fitted attributes
    "builtins.dict",
    "builtins.float",
    "builtins.int",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    # fitted arrays and the dtype parameter of the text vectorizers
    "numpy.ndarray",
    "numpy.float64",
    # the estimators and transformers the lessons save
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
)


class UntrustedTypesError(ValueError):
    """A model file needs types that are neither in :data:`TRUSTED_TYPES` nor passed as trusted.

    Attributes
    ----------
    types : list of str
        The refused types, sorted.
    """

    def __init__(self, path: Path, types: Sequence[str]) -> None:
        self.types = sorted(types)
        super().__init__(
            f"the model file {str(path)!r} needs types that are not trusted: {self.types}; "
            "read the code of each, then pass the ones you trust explicitly as "
            "trusted=[...] (nothing was loaded)"
        )


def _check_path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path, got {type(path).__name__}")
    path = Path(path)
    if path.suffix != SUFFIX:
        raise ValueError(f"path must end in {SUFFIX!r}, got {str(path)!r}")
    return path


def save_model(model: Any, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a fitted model to a skops file.

    Parameters
    ----------
    model : estimator
        Any object skops can serialise (scikit-learn estimators and pipelines).
    path : str or pathlib.Path
        Destination, ending in ``.skops``; parent folders are created.
    overwrite : bool, default=False
        Replace an existing file. Without it an existing file is an error,
        so a run never destroys a model someone else saved.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    >>> path = save_model(model, Path(tempfile.mkdtemp()) / "model.skops")
    >>> load_model(path).predict([[0.9]]).tolist()
    [1]
    """
    path = _check_path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"path {str(path)!r} exists; pass overwrite=True to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        sio.dump(model, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _named_types(state: Any, found: set[str]) -> set[str]:
    """Every ``module.class`` a skops schema names (each node's state carries both)."""
    if isinstance(state, dict):
        module, cls = state.get("__module__"), state.get("__class__")
        if isinstance(module, str) and isinstance(cls, str):
            found.add(f"{module}.{cls}")
        for value in state.values():
            _named_types(value, found)
    elif isinstance(state, list):
        for value in state:
            _named_types(value, found)
    return found


def _needed_types(path: Path) -> set[str]:
    """Types the file names, plus those skops itself flags; read without building anything."""
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    try:
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read("schema.json"))
        flagged = sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"path {str(path)!r} is not a skops file (a pickle or a corrupted file?): {exc}"
        ) from exc
    return _named_types(schema, set()) | set(flagged)


def _check_trusted(trusted: Any) -> list[str]:
    if isinstance(trusted, str) or not isinstance(trusted, Iterable):
        raise TypeError(f"trusted must be a sequence of type names, got {trusted!r}")
    names = list(trusted)
    bad = [t for t in names if not isinstance(t, str) or not t.strip()]
    if bad:
        raise TypeError(f"trusted must hold fully qualified type names (str), got {bad!r}")
    return names


def untrusted_types(path: str | os.PathLike) -> list[str]:
    """List the types in a skops file that are not in :data:`TRUSTED_TYPES`.

    Read this list (and the code behind each type) before passing any of it
    to :func:`load_model` as ``trusted``. Nothing in the file is built.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is not a skops file (e.g. a pickle renamed ``.skops``).

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    >>> untrusted_types(save_model(model, Path(tempfile.mkdtemp()) / "m.skops"))
    []
    """
    return sorted(_needed_types(_check_path(path)) - set(TRUSTED_TYPES))


def load_model(path: str | os.PathLike, *, trusted: Sequence[str] = ()) -> Any:
    """Load a model from a skops file, refusing types not explicitly trusted.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.skops`` file written by :func:`save_model` (or ``skops.io.dump``).
    trusted : sequence of str, default=()
        Fully qualified type names to trust in addition to
        :data:`TRUSTED_TYPES`, e.g. ``["mypkg.MyTransformer"]``. Never pass
        the output of :func:`untrusted_types` unread.

    Returns
    -------
    object
        The model.

    Raises
    ------
    UntrustedTypesError
        A ``ValueError``: the file needs types that are neither in
        :data:`TRUSTED_TYPES` nor in ``trusted`` (they are listed); nothing
        in the file was built.
    ValueError
        If the file is not a skops file.
    TypeError
        If ``trusted`` is a single string or holds non-strings.
    """
    path = _check_path(path)
    allowed = set(TRUSTED_TYPES) | set(_check_trusted(trusted))
    refused = _needed_types(path) - allowed
    if refused:
        raise UntrustedTypesError(path, sorted(refused))
    # the trusted list comes from this module and the caller, never from the file
    return sio.load(path, trusted=sorted(allowed))
