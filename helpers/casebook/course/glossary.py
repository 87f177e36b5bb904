"""The casebook's glossary: one plain-words definition per term the notebooks rely on.

``glossary.yaml`` (shipped beside this module) lists each term with a one-line
``definition``, the ``notebook`` that teaches it (its stem, e.g.
``03_medical_screening_costs``) and optional ``aliases``: other spellings used to find
the term in text. The study site turns it into ``glossary.html`` and links the first
use of each term on every notebook page.

Matching rule (:func:`term_pattern`): an alias with a capital letter (``PSI``,
``Brier score``) matches exactly as written; an all-lowercase alias (``recall``)
matches in any case. Either must stand as a whole word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from casebook.course._yaml_files import load_validated

__all__ = ["GLOSSARY_PATH", "GlossaryTerm", "load_glossary", "term_pattern", "validate_glossary"]

GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")
_REQUIRED = {"term", "definition", "notebook"}
_OPTIONAL = {"aliases"}
_STEM = re.compile(r"\d{2}_[a-z0-9_]+")


@dataclass(frozen=True)
class GlossaryTerm:
    """One glossary entry.

    Attributes
    ----------
    term : str
        The term as the glossary lists it.
    definition : str
        One line in plain words.
    notebook : str
        Stem of the notebook that teaches it.
    aliases : tuple of str
        Other spellings used to find the term in text (the term itself comes first).
    """

    term: str
    definition: str
    notebook: str
    aliases: tuple[str, ...]

    @property
    def anchor(self) -> str:
        """The id of the term's entry on ``glossary.html``, e.g. ``term-roc-auc``."""
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def validate_glossary(entries: object, *, notebooks: set[str] | None = None) -> list[GlossaryTerm]:
    """Check raw entries (parsed YAML) and build :class:`GlossaryTerm` objects.

    Parameters
    ----------
    entries : list of dict
        The parsed glossary: ``term``, ``definition``, ``notebook`` and optional ``aliases``.
    notebooks : set of str, optional
        Known notebook stems; each entry's ``notebook`` must be one.

    Returns
    -------
    list of GlossaryTerm
        Sorted alphabetically (case-insensitive).

    Raises
    ------
    ValueError
        Naming the entry and the field at fault.

    Examples
    --------
    >>> e = {"term": "PSI", "definition": "Population stability index.",
    ...      "notebook": "13_weekly_drift_monitoring", "aliases": ["population stability index"]}
    >>> validate_glossary([e])[0].aliases
    ('PSI', 'population stability index')
    >>> validate_glossary([{**e, "notebook": "thirteen"}])
    Traceback (most recent call last):
    ...
    ValueError: glossary entry 'PSI': notebook must be a notebook stem like '03_medical_screening_costs', got 'thirteen'
    """
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"entries must be a non-empty list, got {type(entries).__name__}")
    out: list[GlossaryTerm] = []
    seen: dict[str, str] = {}
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise ValueError(f"glossary entry {i} must be a mapping, got {type(e).__name__}")
        name = e.get("term", f"#{i}")
        missing, extra = _REQUIRED - set(e), set(e) - _REQUIRED - _OPTIONAL
        if missing or extra:
            raise ValueError(
                f"glossary entry {name!r}: fields must be {sorted(_REQUIRED)} plus optional "
                f"'aliases'; missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        for key in ("term", "definition", "notebook"):
            if not isinstance(e[key], str) or not e[key].strip():
                raise ValueError(
                    f"glossary entry {name!r}: {key} must be a non-empty string, got {e[key]!r}"
                )
        if "\n" in e["definition"].strip():
            raise ValueError(f"glossary entry {name!r}: definition must be one line")
        if not _STEM.fullmatch(e["notebook"]):
            raise ValueError(
                f"glossary entry {name!r}: notebook must be a notebook stem like "
                f"'03_medical_screening_costs', got {e['notebook']!r}"
            )
        if notebooks is not None and e["notebook"] not in notebooks:
            raise ValueError(
                f"glossary entry {name!r}: notebook must be one of the notebooks, "
                f"got {e['notebook']!r}"
            )
        aliases = e.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and a.strip() for a in aliases
        ):
            raise ValueError(
                f"glossary entry {name!r}: aliases must be a list of non-empty strings, "
                f"got {aliases!r}"
            )
        names = tuple(dict.fromkeys([e["term"].strip(), *(a.strip() for a in aliases)]))
        for alias in names:
            key = alias.lower()
            if key in seen:
                raise ValueError(
                    f"glossary entry {name!r}: {alias!r} is already used by {seen[key]!r}"
                )
            seen[key] = e["term"]
        out.append(GlossaryTerm(e["term"].strip(), e["definition"].strip(), e["notebook"], names))
    return sorted(out, key=lambda t: t.term.lower())


def term_pattern(alias: str) -> str:
    """A regular expression for one alias under the glossary's matching rule.

    Examples
    --------
    >>> import re
    >>> bool(re.search(term_pattern("recall"), "Recall is high"))
    True
    >>> bool(re.search(term_pattern("PSI"), "psi and PSIs"))
    False
    """
    body = r"\s+".join(re.escape(word) for word in alias.split())
    if alias == alias.lower():
        body = f"(?i:{body})"
    return rf"(?<![\w-]){body}(?![\w-])"


def load_glossary(path: str | os.PathLike | None = None) -> list[GlossaryTerm]:
    """Load and validate the glossary (the packaged one by default), sorted by term.

    Examples
    --------
    >>> terms = load_glossary()
    >>> len(terms) >= 40 and all(t.definition and t.notebook for t in terms)
    True
    """
    path = Path(path) if path is not None else GLOSSARY_PATH
    return list(load_validated(path, validate_glossary))  # an edited file is read again
