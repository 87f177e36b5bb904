"""Offline search and the code toggle of the study site (private to :mod:`casebook.course.site`).

The search index is a list of ``[text, kind, url]`` triples (notebook titles, their
``h2``/``h3`` headings, glossary terms) inlined as JSON in each page; a few lines of
plain JavaScript filter it as the reader types. No external asset is loaded.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence

from casebook.course.glossary import GlossaryTerm

_HEADING = re.compile(r"<h([23]) id=\"([^\"]+)\">(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")

CSS = """
.casebook-search { position: relative; }
.casebook-search input { font: inherit; padding: .2rem .4rem; width: 14rem; max-width: 60vw; }
.casebook-search ul { position: absolute; z-index: 30; left: 0; top: 100%; margin: .2rem 0;
  padding: .3rem 0; list-style: none; background: #fff; border: 1px solid #d0d7de;
  border-radius: 6px; width: 26rem; max-width: 90vw; max-height: 60vh; overflow: auto;
  box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.casebook-search ul:empty { display: none; }
.casebook-search li a { display: block; padding: .25rem .7rem; color: #0b3d91 !important; }
.casebook-search li a:hover, .casebook-search li a:focus { background: #eef4ff; }
.casebook-search li small { color: #57606a; margin-left: .4rem; }
button.casebook-code-toggle { font: inherit; font-size: .85rem; cursor: pointer;
  background: #cfe3ff; color: #16324f; border: 0; border-radius: 4px; padding: .2rem .6rem; }
body.casebook-hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
body.casebook-hide-code .jp-CodeCell.jp-mod-noOutputs { display: none; }
"""

_SEARCH_JS = """
(function () {
  var box = document.getElementById('casebook-search');
  if (!box) return;
  var data = JSON.parse(document.getElementById('casebook-search-index').textContent);
  var prefix = box.getAttribute('data-prefix') || '';
  var list = document.getElementById('casebook-search-results');
  box.addEventListener('input', function () {
    var q = box.value.trim().toLowerCase();
    list.innerHTML = '';
    if (q.length < 2) return;
    data.filter(function (e) { return e[0].toLowerCase().indexOf(q) >= 0; }).slice(0, 15)
      .forEach(function (e) {
        var li = document.createElement('li'), a = document.createElement('a');
        var kind = document.createElement('small');
        a.href = prefix + e[2]; a.textContent = e[0]; kind.textContent = e[1];
        a.appendChild(kind); li.appendChild(a); list.appendChild(li);
      });
  });
})();
"""

_TOGGLE_JS = """
(function () {
  var button = document.getElementById('casebook-code-toggle');
  if (!button) return;
  function apply(hidden) {
    document.body.classList.toggle('casebook-hide-code', hidden);
    button.textContent = hidden ? 'Show code' : 'Hide code';
    button.setAttribute('aria-pressed', hidden ? 'true' : 'false');
  }
  var stored = null;
  try { stored = window.localStorage.getItem('casebook-hide-code'); } catch (e) {}
  apply(stored === '1');
  button.addEventListener('click', function () {
    var hidden = !document.body.classList.contains('casebook-hide-code');
    apply(hidden);
    try { window.localStorage.setItem('casebook-hide-code', hidden ? '1' : '0'); } catch (e) {}
  });
})();
"""


def page_entries(title: str, url: str, page_html: str) -> list[list[str]]:
    """Index entries of one notebook page: its title and its ``h2``/``h3`` headings."""
    entries = [[title, "notebook", url]]
    for level, anchor, label in _HEADING.findall(page_html):
        text = html.unescape(_TAG.sub("", label)).replace("¶", "").strip()
        if text:
            kind = "section" if level == "2" else "subsection"
            entries.append([f"{text} ({title[:2]})", kind, f"{url}#{anchor}"])
    return entries


def glossary_entries(terms: Iterable[GlossaryTerm]) -> list[list[str]]:
    """Index entries of the glossary: one per term, linking to its anchor."""
    return [[t.term, "glossary", f"glossary.html#{t.anchor}"] for t in terms]


def search_box(entries: Sequence[Sequence[str]], *, prefix: str) -> str:
    """The search input, its result list, the inline JSON index and the script.

    ``prefix`` is the path from the page to the site root (``""`` or ``"../"``).
    """
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # never close the script element early
    return (
        '<span class="casebook-search" role="search">'
        f'<input id="casebook-search" type="search" placeholder="Search the casebook"'
        f' aria-label="Search the casebook" autocomplete="off" data-prefix="{html.escape(prefix)}">'
        '<ul id="casebook-search-results"></ul></span>'
        f'<script type="application/json" id="casebook-search-index">{data}</script>'
    )


def code_toggle() -> str:
    """The button that hides and shows code cells."""
    return (
        '<button type="button" class="casebook-code-toggle" id="casebook-code-toggle" '
        'aria-pressed="false">Hide code</button>'
    )


def scripts() -> str:
    """The page's inline script (search and code toggle), run at the end of the body."""
    return f"<script>{_SEARCH_JS}{_TOGGLE_JS}</script>"
