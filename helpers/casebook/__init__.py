"""The ML Model Analyst Casebook helper package.

Importing :mod:`casebook` has no side effects: it creates no directories,
sets no tracking URIs, seeds no random generators and changes no plotting
defaults. Sub-modules are imported explicitly by the notebooks, e.g.
``from casebook.lesson import Lesson``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("casebook")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
