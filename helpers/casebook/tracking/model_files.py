"""Save and load fitted models safely with skops (never pickle).

A pickle file runs arbitrary code when it is loaded, so a model "handed to
you" as a pickle is a security risk. The skops format stores the model as
data plus a list of the Python types needed to rebuild it; loading refuses
any type that is not trusted. Here the trusted set is scikit-learn's and
numpy's defaults (which skops trusts already) plus the ``trusted`` list you
pass **explicitly** after reading :func:`untrusted_types`.

* :func:`save_model` -- write a ``.skops`` file atomically (never half-written,
  never silently overwriting).
* :func:`untrusted_types` -- what a file would need you to trust.
* :func:`load_model` -- load, refusing anything not explicitly trusted.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import skops.io as sio

__all__ = ["load_model", "save_model", "untrusted_types"]

SUFFIX = ".skops"


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


def untrusted_types(path: str | os.PathLike) -> list[str]:
    """List the types in a skops file that skops does not trust by default.

    Read this list (and the code behind each type) before passing any of it
    to :func:`load_model` as ``trusted``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``path`` is not a skops file (e.g. a pickle renamed ``.skops``).
    """
    path = _check_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    try:
        return list(sio.get_untrusted_types(file=path))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(
            f"path {str(path)!r} is not a skops file (a pickle or a corrupted file?): {exc}"
        ) from exc


def load_model(path: str | os.PathLike, *, trusted: Sequence[str] = ()) -> Any:
    """Load a model from a skops file, refusing types not explicitly trusted.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.skops`` file written by :func:`save_model` (or ``skops.io.dump``).
    trusted : sequence of str, default=()
        Fully qualified type names to trust in addition to skops' defaults
        (scikit-learn, numpy, scipy types), e.g. ``["mypkg.MyTransformer"]``.
        Never pass the output of :func:`untrusted_types` unread.

    Returns
    -------
    object
        The model.

    Raises
    ------
    ValueError
        If the file needs types that are not in ``trusted`` (they are listed),
        or is not a skops file.
    TypeError
        If ``trusted`` is a single string instead of a sequence of names.
    """
    if isinstance(trusted, str):
        raise TypeError(f"trusted must be a sequence of type names, got the string {trusted!r}")
    needed = untrusted_types(path)
    refused = sorted(set(needed) - set(trusted))
    if refused:
        raise ValueError(
            f"the model file {str(path)!r} needs types that are not trusted: {refused}; "
            "inspect them, then pass them as trusted=[...] if you trust their code"
        )
    return sio.load(path, trusted=list(needed))
