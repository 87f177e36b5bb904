"""A thin helper over the MLflow model registry: versions, aliases, promotion, rollback.

Where the registry lives is decided by :func:`casebook.tracking.store.tracking_uri`:
a local SQLite database ``<directory>/mlflow.db`` by default, or
``$MLFLOW_TRACKING_URI`` when set. Model files are saved with skops under
``<directory>/registry/<name>/v<k>/model.skops`` and each registered version
points at its folder. Run logging is :mod:`casebook.tracking.runs`'s job; this
module only manages *which* model serves.

Aliases
-------
``champion``
    The version that serves traffic.
``challenger``
    A candidate under validation.

:func:`promote` moves ``champion`` to a version and remembers the previous
champion (registered-model tag ``champion_history``); :func:`rollback` moves
it back and tags the withdrawn version ``rolled_back=true`` with a reason,
so the registry itself keeps the audit trail. Importing this module has no
side effects; every call builds its own client for ``directory``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from casebook.tracking.store import tracking_uri

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = [
    "list_versions",
    "load_version",
    "promote",
    "register_version",
    "rollback",
    "set_alias",
]

Alias = Literal["champion", "challenger"]
_ALIASES = ("champion", "challenger")
_HISTORY = "champion_history"


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        # mlflow's SQL store uses a loader strategy SQLAlchemy 2.1 deprecates;
        # it is not ours to fix and would be an error under pytest.
        warnings.filterwarnings("ignore", message=".*noload.*", category=DeprecationWarning)
        yield


def _dir(directory: Any) -> Path:
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a str or path, got {type(directory).__name__}")
    return Path(directory).resolve()


def _client(directory: str | os.PathLike) -> MlflowClient:
    from mlflow import MlflowClient

    uri = tracking_uri(_dir(directory), create=True)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _quiet():
        return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    return name


def _check_version(version: Any) -> int:
    if isinstance(version, (bool, np.bool_)) or not isinstance(version, (int, np.integer)):
        raise ValueError(f"version must be a positive integer, got {version!r}")
    if version < 1:
        raise ValueError(f"version must be a positive integer, got {version!r}")
    return int(version)


def register_version(
    model: Any,
    *,
    name: str,
    directory: str | os.PathLike,
    tags: Mapping[str, Any] | None = None,
    description: str = "",
) -> int:
    """Save ``model`` with skops and register it as a new version of ``name``.

    Parameters
    ----------
    model : estimator
        A fitted scikit-learn model (anything skops can persist).
    name : str
        The registered model's name; created on first use.
    directory : str or path
        The registry folder (see the module docstring).
    tags : mapping, optional
        Version tags, e.g. training weeks or holdout loss (stored as strings).
    description : str, default=""
        Shown in the MLflow UI.

    Returns
    -------
    int
        The new version number (1, 2, ...).
    """
    from casebook.tracking.model_files import save_model

    _check_name(name)
    if tags is not None and not isinstance(tags, Mapping):
        raise TypeError(f"tags must be a mapping, got {type(tags).__name__}")
    client = _client(directory)
    with _quiet():
        if not client.search_registered_models(filter_string=f"name = '{name}'"):
            client.create_registered_model(name)
        n = len(client.search_model_versions(f"name = '{name}'"))
        folder = _dir(directory) / "registry" / name / f"v{n + 1}"
        folder.mkdir(parents=True, exist_ok=False)
        save_model(model, folder / "model.skops")
        mv = client.create_model_version(
            name,
            source=str(folder),
            tags={str(k): str(v) for k, v in (tags or {}).items()},
            description=description,
        )
    return int(mv.version)


def set_alias(name: str, alias: Alias, version: int, *, directory: str | os.PathLike) -> None:
    """Point ``alias`` (``"champion"`` or ``"challenger"``) at ``version``."""
    _check_name(name)
    if alias not in _ALIASES:
        raise ValueError(f"alias must be one of {list(_ALIASES)}, got {alias!r}")
    version = _check_version(version)
    client = _client(directory)
    with _quiet():
        client.get_model_version(name, str(version))  # raises if it does not exist
        client.set_registered_model_alias(name, alias, str(version))


def _champion(client: MlflowClient, name: str) -> int | None:
    with _quiet():
        aliases = client.get_registered_model(name).aliases
    return int(aliases["champion"]) if "champion" in aliases else None


def _history(client: MlflowClient, name: str) -> list[int]:
    with _quiet():
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
    client = _client(directory)
    with _quiet():
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
        The registry folder.
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
    client = _client(directory)
    with _quiet():
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


def list_versions(name: str, *, directory: str | os.PathLike) -> pd.DataFrame:
    """All versions of ``name`` with their aliases and tags, oldest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``version``, ``aliases`` (comma-separated) and one column per
        tag key (missing tags are empty strings).
    """
    _check_name(name)
    client = _client(directory)
    with _quiet():
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


def load_version(
    name: str,
    *,
    directory: str | os.PathLike,
    alias: Alias | None = "champion",
    version: int | None = None,
    trusted: Sequence[str] = (),
) -> Any:
    """Load a registered model by alias (default the champion) or by version.

    The file is loaded with :func:`casebook.tracking.model_files.load_model`:
    only the reviewed :data:`~casebook.tracking.model_files.TRUSTED_TYPES` and
    the types you pass as ``trusted`` may appear in it, whatever the file says.

    Parameters
    ----------
    name : str
        The registered model.
    directory : str or path
        The registry folder.
    alias : {"champion", "challenger"} or None, default="champion"
        Which version to load, unless ``version`` is given.
    version : int, optional
        Load this version instead of an alias.
    trusted : sequence of str, default=()
        Extra fully qualified type names you reviewed and trust, e.g. a
        custom transformer of your own.

    Raises
    ------
    casebook.tracking.model_files.UntrustedTypesError
        A ``ValueError`` naming the types of the version's file that are not trusted.
    """
    from casebook.tracking.model_files import load_model

    _check_name(name)
    client = _client(directory)
    with _quiet():
        if version is not None:
            mv = client.get_model_version(name, str(_check_version(version)))
        else:
            if alias not in _ALIASES:
                raise ValueError(f"alias must be one of {list(_ALIASES)}, got {alias!r}")
            mv = client.get_model_version_by_alias(name, alias)
    return load_model(Path(mv.source) / "model.skops", trusted=trusted)
