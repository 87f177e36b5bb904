"""Text rewrites of the study site's notebook pages (private to :mod:`casebook.course.site`).

* :func:`scrub_paths`: replace the build machine's absolute paths (the run's output
  folder, the repository, the home and temporary folders) with placeholders, outside
  inline ``data:`` URIs, so a published page leaks no machine path.
* :func:`link_glossary`: link the first use of each glossary term in the prose of
  markdown cells to its entry on ``glossary.html``, never inside code, headings,
  existing links or math.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from casebook.course.glossary import GlossaryTerm, term_pattern

_DATA_URI = re.compile(r"(data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]*)")
_TOKEN = re.compile(
    r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>)", re.DOTALL | re.IGNORECASE
)
_MATH = re.compile(r"(\$\$.*?\$\$|\$[^$]*\$)", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
_NO_LINKS = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "button", "summary", "kbd"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"}


def scrub_paths(text: str, replacements: Sequence[tuple[str, str]]) -> str:
    """Replace each ``(path, placeholder)`` in ``text``, longest path first, outside data URIs.

    A path matches as written or HTML-escaped, and only whole (``/tmp`` does not match
    ``/tmpfs``); placeholders are inserted HTML-escaped.

    Examples
    --------
    >>> scrub_paths('x = "/home/ann/run/a" in /tmpfs', [("/home/ann", "~"), ("/tmp", "<tmp>")])
    'x = "~/run/a" in /tmpfs'
    """
    pairs = sorted(
        ((p, html.escape(r, quote=False)) for p, r in replacements if p and p != "/"),
        key=lambda pr: -len(pr[0]),
    )
    pieces = _DATA_URI.split(text)
    patterns = [
        (re.compile("|".join(re.escape(f) for f in {p, html.escape(p)}) + r"(?![\w.-])"), r)
        for p, r in pairs
    ]
    for i in range(0, len(pieces), 2):  # even pieces are outside data URIs
        for pattern, placeholder in patterns:
            pieces[i] = pattern.sub(lambda _, r=placeholder: r, pieces[i])
    return "".join(pieces)


def link_glossary(text: str, terms: Sequence[GlossaryTerm], href: str) -> tuple[str, int]:
    """Link the first use of each term in markdown prose; return the page and the link count.

    Parameters
    ----------
    text : str
        A notebook page rendered by nbconvert's lab template.
    terms : sequence of GlossaryTerm
        The glossary.
    href : str
        The URL of ``glossary.html`` from this page (e.g. ``"../glossary.html"``).
    """
    lookup: dict[str, GlossaryTerm] = {}
    alternatives = []
    for term in terms:
        for alias in term.aliases:
            lookup[alias.lower()] = term
            alternatives.append(alias)
    if not alternatives:
        return text, 0
    alternatives.sort(key=len, reverse=True)  # "concept drift" before "drift"
    pattern = re.compile("|".join(term_pattern(a) for a in alternatives))
    linked: set[str] = set()
    out: list[str] = []
    stack: list[str] = []  # open elements inside the current markdown cell
    in_markdown = False
    blocked = 0
    for piece in _TOKEN.split(text):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            name_match = _TAG_NAME.match(piece)
            if name_match is None or piece.startswith(("<!", "<script", "<style")):
                continue
            name = name_match.group(1).lower()
            closing = piece.startswith("</")
            if not in_markdown:
                if not closing and name == "div" and "jp-RenderedMarkdown" in piece:
                    in_markdown, stack, blocked = True, ["div"], 0
                continue
            if closing:
                if name in stack:
                    while stack:
                        top = stack.pop()
                        blocked -= top in _NO_LINKS
                        if top == name:
                            break
                if not stack:
                    in_markdown = False
            elif name not in _VOID and not piece.endswith("/>"):
                stack.append(name)
                blocked += name in _NO_LINKS
            continue
        if not in_markdown or blocked:
            out.append(piece)
            continue
        for i, part in enumerate(_MATH.split(piece)):  # odd parts are $...$ math
            out.append(
                part if i % 2 else pattern.sub(lambda m: _link(m, lookup, linked, href), part)
            )
    return "".join(out), len(linked)


def _link(match: re.Match, lookup: dict[str, GlossaryTerm], linked: set[str], href: str) -> str:
    word = match.group(0)
    term = lookup.get(re.sub(r"\s+", " ", word).lower())
    if term is None or term.term in linked:
        return word
    linked.add(term.term)
    title = html.escape(f"{term.term}: {term.definition}", quote=True)
    return f'<a class="casebook-term" href="{href}#{term.anchor}" title="{title}">{word}</a>'
