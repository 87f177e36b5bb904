"""MLflow models in the MLflow model registry: log, register, aliases, promotion, rollback, load.

Where the registry lives is decided by :func:`casebook.tracking.store.tracking_uri`:
a local SQLite database ``<directory>/mlflow.db`` by default (artifacts under
``<directory>/mlruns``), or ``$MLFLOW_TRACKING_URI`` when set.
:func:`register_version` logs a fitted model as an **MLflow model** (the
``sklearn`` flavor serialised with skops, never pickle; explicit pip
requirements; a signature and an input example) and registers it as a new
version, so ``mlflow ui`` shows it and ``models:/<name>@champion`` names it.
Run logging is :mod:`casebook.tracking.runs`'s job; this module manages
*which* model serves.

Aliases: ``champion`` serves traffic, ``challenger`` is under validation.
:func:`promote` moves ``champion`` to a version and remembers the previous
champion (registered-model tag ``champion_history``); :func:`rollback` moves
it back and tags the withdrawn version ``rolled_back=true`` with a reason,
so the registry itself keeps the audit trail. :func:`withdraw_challenger`
ends a failed canary release (see :mod:`casebook.monitoring.canary`).

Loading is safe: :func:`load_registered_model` resolves ``models:/...`` with
MLflow and downloads the artifact, but it does **not** call
``mlflow.sklearn.load_model``: that loader passes skops the trusted-type list
stored in the model's own ``MLmodel`` file (``skops_trusted_types``), so a
crafted model can trust its own dangerous types. The ``model.skops`` file is
loaded with :func:`casebook.tracking.model_files.load_model` instead: only
:data:`~casebook.tracking.model_files.TRUSTED_TYPES` and the types the caller
passes explicitly, whatever the files say.

MLflow 3's registry resolves logged models through the *global* tracking URI,
so each call sets MLflow's tracking and registry URIs for its duration and
restores them (and their environment variables) afterwards. Importing this
module has no side effects.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from importlib.metadata import version as _installed
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from casebook.tracking.store import check_dir, quiet_mlflow, tracking_uri

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = [
    "list_versions",
    "load_registered_model",
    "promote",
    "register_version",
    "rollback",
    "set_alias",
    "withdraw_challenger",
]

Alias = Literal["champion", "challenger"]
_ALIASES = ("champion", "challenger")
_HISTORY = "champion_history"
_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:@(?P<alias>[^/@]+)|/(?P<version>\d+))$")
#: What a registered model needs to be served: pinned to this environment.
_REQUIREMENTS = ("scikit-learn", "skops", "numpy", "pandas")


@contextlib.contextmanager
def _store(directory: Any) -> Iterator[MlflowClient]:
    """A client on ``directory``'s store, MLflow's global URIs pointed at it meanwhile."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    uri = tracking_uri(check_dir(directory, name="directory"), create=True)
    keys = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR")
    saved_env = {k: os.environ.get(k) for k in keys}
    saved = (tracking_utils._tracking_uri, registry_utils._registry_uri)
    mlflow_log = logging.getLogger("mlflow")
    level = mlflow_log.level
    try:
        with quiet_mlflow(), contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
            mlflow_log.setLevel(logging.ERROR)  # "pip version unresolved" and the like
            # log_model inspects sklearn's type hints; the notice is about MLflow's serving
            warnings.filterwarnings("ignore", message=".*AnyType.*", category=UserWarning)
            # MLflow's input-example writer compares a frame with a range (pandas 3 deprecation)
            warnings.filterwarnings("ignore", message="Operation with range is deprecated")
            os.environ["MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"] = "false"  # no bar in notebooks
            mlflow.set_tracking_uri(uri)
            mlflow.set_registry_uri(uri)
            yield MlflowClient(tracking_uri=uri, registry_uri=uri)
    finally:
        mlflow_log.setLevel(level)
        mlflow.set_tracking_uri(saved[0])
        registry_utils._registry_uri = saved[1]
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or "/" in name or "@" in name:
        raise ValueError(f"name must be a non-empty string without '/' or '@', got {name!r}")
    return name


def _check_version(version: Any) -> int:
    if isinstance(version, (bool, np.bool_)) or not isinstance(version, (int, np.integer)):
        raise ValueError(f"version must be a positive integer, got {version!r}")
    if version < 1:
        raise ValueError(f"version must be a positive integer, got {version!r}")
    return int(version)


def _example(X_example: Any) -> Any:
    if isinstance(X_example, pd.DataFrame):
        n = len(X_example)
        head = X_example.head(5)
    elif isinstance(X_example, pd.Series):  # e.g. texts; MLflow takes them as a list
        n = len(X_example)
        head = X_example.head(5).tolist()
    elif isinstance(X_example, np.ndarray) and X_example.ndim in (1, 2):
        n = len(X_example)
        head = X_example[:5]
    else:
        raise TypeError(
            "X_example must be a DataFrame, Series or 1-D/2-D array of model inputs, "
            f"got {type(X_example).__name__}"
        )
    if n == 0:
        raise ValueError("X_example must hold at least one row, got 0")
    return head


def register_version(
    model: Any,
    X_example: Any,
    *,
    name: str,
    directory: str | os.PathLike,
    tags: Mapping[str, Any] | None = None,
    description: str = "",
) -> int:
    """Log ``model`` as an MLflow model (skops) and register it as a new version of ``name``.

    Parameters
    ----------
    model : estimator
        A fitted scikit-learn model whose types are all in
        :data:`~casebook.tracking.model_files.TRUSTED_TYPES` (or it could not be
        loaded back by :func:`load_registered_model` without ``trusted``).
    X_example : DataFrame, Series or array
        Inputs the model accepts; its first five rows become the input
        example and, with ``model.predict`` on them, the signature.
    name : str
        The registered model's name; created on first use.
    directory : str or path
        The store folder (see the module docstring).
    tags : mapping, optional
        Version tags, e.g. training weeks or holdout loss (stored as strings).
    description : str, default=""
        Shown in the MLflow UI.

    Returns
    -------
    int
        The new version number (1, 2, ...).

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> d = tempfile.mkdtemp()
    >>> register_version(model, X, name="demo", directory=d)
    1
    >>> promote("demo", 1, directory=d) is None
    True
    >>> load_registered_model("models:/demo@champion", directory=d).predict(X).tolist()
    [0, 0, 1, 1]
    """
    import mlflow.sklearn
    from mlflow.models import infer_signature

    _check_name(name)
    check_dir(directory, name="directory")
    if tags is not None and not isinstance(tags, Mapping):
        raise TypeError(f"tags must be a mapping, got {type(tags).__name__}")
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    if not hasattr(model, "predict"):
        raise TypeError(
            f"model must be a fitted estimator with predict, got {type(model).__name__}"
        )
    head = _example(X_example)
    signature = infer_signature(head, model.predict(head))
    requirements = [f"{pkg}=={_installed(pkg)}" for pkg in _REQUIREMENTS]
    with _store(directory) as client:
        info = mlflow.sklearn.log_model(
            model,
            name=name,
            serialization_format="skops",
            pip_requirements=requirements,  # inferring them costs seconds
            signature=signature,
            input_example=head,
            registered_model_name=name,
        )
        version = str(info.registered_model_version)
        for key, value in (tags or {}).items():
            client.set_model_version_tag(name, version, str(key), str(value))
        if description:
            client.update_model_version(name, version, description=description)
    return int(version)


def set_alias(name: str, alias: Alias, version: int, *, directory: str | os.PathLike) -> None:
    """Point ``alias`` (``"champion"`` or ``"challenger"``) at ``version``."""
    _check_name(name)
    if alias not in _ALIASES:
        raise ValueError(f"alias must be one of {list(_ALIASES)}, got {alias!r}")
    version = _check_version(version)
    with _store(directory) as client:
        client.get_model_version(name, str(version))  # raises if it does not exist
        client.set_registered_model_alias(name, alias, str(version))


def _champion(client: MlflowClient, name: str) -> int | None:
    aliases = client.get_registered_model(name).aliases
    return int(aliases["champion"]) if "champion" in aliases else None


def _history(client: MlflowClient, name: str) -> list[int]:
    raw = client.get_registered_model(name).tags.get(_HISTORY, "")
    return [int(v) for v in raw.split(",") if v]


def promote(name: str, version: int, *, directory: str | os.PathLike) -> int | None:
    """Make ``version`` the champion; return the previous champion (or None).

    The previous champion is appended to the ``champion_history`` tag so that
    :func:`rollback` can restore it. A challenger alias on ``version`` is
    removed.
    """
    _check_name(name)
    version = _check_version(version)
    with _store(directory) as client:
        client.get_model_version(name, str(version))
        previous = _champion(client, name)
        if previous == version:
            return previous
        if previous is not None:
            history = [*_history(client, name), previous]
            client.set_registered_model_tag(name, _HISTORY, ",".join(map(str, history)))
        client.set_registered_model_alias(name, "champion", str(version))
        aliases = client.get_registered_model(name).aliases
        if str(aliases.get("challenger")) == str(version):
            client.delete_registered_model_alias(name, "challenger")
    return previous


def rollback(name: str, *, directory: str | os.PathLike, reason: str) -> int:
    """Withdraw the champion and restore the previous one; return the restored version.

    Parameters
    ----------
    name : str
        The registered model.
    directory : str or path
        The store folder.
    reason : str
        Why, stored on the withdrawn version (tag ``rollback_reason``).

    Raises
    ------
    ValueError
        If there is no champion or no earlier champion to return to.
    """
    _check_name(name)
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"reason must be a non-empty string, got {reason!r}")
    with _store(directory) as client:
        current = _champion(client, name)
        history = _history(client, name)
        if current is None:
            raise ValueError(f"name {name!r} has no champion to roll back")
        if not history:
            raise ValueError(f"name {name!r} has no earlier champion to roll back to")
        restored = history.pop()
        client.set_model_version_tag(name, str(current), "rolled_back", "true")
        client.set_model_version_tag(name, str(current), "rollback_reason", reason)
        client.set_registered_model_tag(name, _HISTORY, ",".join(map(str, history)))
        client.set_registered_model_alias(name, "champion", str(restored))
    return restored


def withdraw_challenger(name: str, *, directory: str | os.PathLike, reason: str) -> int:
    """Remove the ``challenger`` alias after a failed canary; return the withdrawn version.

    The version is tagged ``canary_failed=true`` with ``withdraw_reason``; the
    champion is untouched (it never stopped serving most of the traffic).

    Raises
    ------
    ValueError
        If ``name`` has no challenger.
    """
    _check_name(name)
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"reason must be a non-empty string, got {reason!r}")
    with _store(directory) as client:
        aliases = client.get_registered_model(name).aliases
        if "challenger" not in aliases:
            raise ValueError(f"name {name!r} has no challenger to withdraw")
        version = str(aliases["challenger"])
        client.set_model_version_tag(name, version, "canary_failed", "true")
        client.set_model_version_tag(name, version, "withdraw_reason", reason)
        client.delete_registered_model_alias(name, "challenger")
    return int(version)


def list_versions(name: str, *, directory: str | os.PathLike) -> pd.DataFrame:
    """All versions of ``name`` with their aliases and tags, oldest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``version``, ``aliases`` (comma-separated) and one column per
        tag key (missing tags are empty strings).
    """
    _check_name(name)
    with _store(directory) as client:
        versions = client.search_model_versions(f"name = '{name}'")
        aliases = client.get_registered_model(name).aliases if versions else {}
    by_version: dict[str, list[str]] = {}
    for alias, v in aliases.items():
        by_version.setdefault(str(v), []).append(alias)
    rows = [
        {
            "version": int(mv.version),
            "aliases": ",".join(sorted(by_version.get(str(mv.version), []))),
            **dict(mv.tags),
        }
        for mv in versions
    ]
    if not rows:
        return pd.DataFrame(columns=["version", "aliases"])
    return pd.DataFrame(rows).fillna("").sort_values("version", ignore_index=True)


def _skops_file(folder: Path, model_uri: str) -> Path:
    """The model file the downloaded MLmodel names, if it is a skops file inside ``folder``."""
    import yaml

    mlmodel = folder / "MLmodel"
    if not mlmodel.is_file():
        raise ValueError(f"model_uri {model_uri!r} is not an MLflow model (no MLmodel file)")
    conf = (yaml.safe_load(mlmodel.read_text()) or {}).get("flavors", {}).get("sklearn", {})
    fmt, file = conf.get("serialization_format"), conf.get("pickled_model")
    if fmt != "skops":
        raise ValueError(
            f"model_uri {model_uri!r} was serialised as {fmt!r}, not 'skops'; "
            "pickle and cloudpickle models are never loaded"
        )
    path = (folder / str(file)).resolve()
    if not isinstance(file, str) or path.parent != folder.resolve():
        raise ValueError(f"model_uri {model_uri!r} names a model file outside its folder: {file!r}")
    return path


def load_registered_model(
    model_uri: str, *, directory: str | os.PathLike, trusted: Sequence[str] = ()
) -> Any:
    """Load ``models:/<name>@<alias>`` or ``models:/<name>/<version>``, refusing untrusted types.

    MLflow resolves the URI and downloads the artifact; the model file is then
    loaded with :func:`casebook.tracking.model_files.load_model`, never with
    MLflow's loader (see the module docstring): the ``skops_trusted_types``
    and ``code`` entries of the model's ``MLmodel`` file are ignored.

    Parameters
    ----------
    model_uri : str
        E.g. ``"models:/purchase@champion"`` or ``"models:/purchase/3"``.
    directory : str or path
        The store folder.
    trusted : sequence of str, default=()
        Extra fully qualified type names you reviewed and trust.

    Returns
    -------
    estimator

    Raises
    ------
    ValueError
        If ``model_uri`` is not of either form, or the model is not a skops
        MLflow model.
    casebook.tracking.model_files.UntrustedTypesError
        A ``ValueError`` naming the types of the file that are not trusted;
        nothing was loaded.
    """
    from mlflow.artifacts import download_artifacts

    from casebook.tracking.model_files import load_model

    if not isinstance(model_uri, str) or not (match := _URI.match(model_uri)):
        raise ValueError(
            "model_uri must look like 'models:/<name>@<alias>' or 'models:/<name>/<version>', "
            f"got {model_uri!r}"
        )
    if match["alias"] is not None and match["alias"] not in _ALIASES:
        raise ValueError(f"alias must be one of {list(_ALIASES)}, got {match['alias']!r}")
    with _store(directory), tempfile.TemporaryDirectory() as tmp:
        folder = Path(download_artifacts(artifact_uri=model_uri, dst_path=tmp))
        return load_model(_skops_file(folder, model_uri), trusted=trusted)
