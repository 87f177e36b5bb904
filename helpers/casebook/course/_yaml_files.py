"""The course's YAML files (glossary, question bank): read once, validated, read again if edited.

Private to :mod:`casebook.course`. A file is cached by path and by its modification time and
size, so a long-lived kernel that edits the glossary or the bank sees the edit on the next load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


@cache
def _read(
    path: str, stamp: tuple[int, int], validate: Callable[[Any], Iterable[T]]
) -> tuple[T, ...]:
    with open(path, encoding="utf-8") as fh:
        return tuple(validate(yaml.safe_load(fh)))


def load_validated(path: Path, validate: Callable[[Any], Iterable[T]]) -> tuple[T, ...]:
    """``validate(yaml.safe_load(path))`` as a tuple, cached until the file changes."""
    stat = path.stat()
    return _read(str(path), (stat.st_mtime_ns, stat.st_size), validate)
