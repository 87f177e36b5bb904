"""Bodies of the study site's own pages (private to :mod:`casebook.course.site`).

``interview.html``: the question bank by topic, each question with its answer outline
and its follow-up probes in collapsed ``<details>``. ``glossary.html``: every term,
alphabetical, with an anchor, its definition and the notebook that teaches it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from casebook.course.glossary import GlossaryTerm

CSS = """
.question { margin: .2rem 0 .9rem; }
.question details { margin: .25rem 0 0 1rem; }
.question summary { cursor: pointer; color: #0b3d91; }
.question ul, .question ol { margin: .2rem 0; }
dl.glossary dt { font-weight: 600; margin-top: .8rem; }
dl.glossary dt.letter { font-size: 1.3rem; color: #16324f; border-bottom: 1px solid #d0d7de; }
dl.glossary dd { margin-left: 1.2rem; }
.letters a { margin-right: .5rem; }
p.casebook-mode { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px;
  padding: .45rem .8rem; font: .9rem system-ui, sans-serif; }
"""


def _url(relative: str) -> str:
    return html.escape(quote(relative, safe="/#"), quote=True)


def _points(points: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in points) + "</ul>"


def interview_body(questions: Sequence[object], hrefs: Mapping[str, str]) -> str:
    """Questions by topic; each with a link to its notebook, its outline and its follow-ups.

    Follow-ups are read with ``getattr(question, "follow_ups", ())`` so a bank without
    them still renders.
    """
    by_topic: dict[str, list] = {}
    for q in questions:
        by_topic.setdefault(q.topic, []).append(q)
    parts = [
        "<h2>Interview questions by topic</h2>",
        "<p>Answer aloud first, then open the outline. Each question has two follow-ups an "
        "interviewer is likely to ask next.</p>",
    ]
    for topic in sorted(by_topic):
        parts.append(f"<h3>{html.escape(topic)}</h3><ol>")
        for q in by_topic[topic]:
            href = hrefs.get(q.notebook)
            where = (
                f' — <a href="{_url(href)}">{html.escape(q.notebook)}</a>'
                if href
                else f" — {html.escape(q.notebook)}"
            )
            outline = getattr(q, "outline", ())
            parts.append(
                f'<li class="question"><strong>{html.escape(q.question)}</strong> '
                f'<span class="meta">({html.escape(str(q.difficulty))})</span>{where}'
            )
            if outline:
                parts.append(
                    f"<details><summary>Answer outline</summary>{_points(outline)}</details>"
                )
            follow_ups = getattr(q, "follow_ups", ()) or ()
            if follow_ups:
                items = "".join(
                    f"<li>{html.escape(getattr(f, 'probe', str(f)))}"
                    + (
                        f"<details><summary>Outline</summary>{_points(f.outline)}</details>"
                        if getattr(f, "outline", ())
                        else ""
                    )
                    + "</li>"
                    for f in follow_ups
                )
                parts.append(
                    f"<details><summary>Follow-ups ({len(follow_ups)})</summary>"
                    f"<ol>{items}</ol></details>"
                )
            parts.append("</li>")
        parts.append("</ol>")
    return "".join(parts)


def glossary_body(terms: Sequence[GlossaryTerm], hrefs: Mapping[str, str]) -> str:
    """The glossary, alphabetical, with a letter index and one anchor per term."""
    ordered = sorted(terms, key=lambda t: t.term.lower())
    letters = sorted({t.term[0].upper() for t in ordered})
    jump = " ".join(f'<a href="#letter-{c}">{c}</a>' for c in letters)
    parts = [
        "<h2>Glossary</h2>",
        f"<p>{len(ordered)} terms the notebooks rely on, each with the notebook that teaches "
        "it. On a notebook page, the first use of a term links here.</p>",
        f'<p class="letters">{jump}</p><dl class="glossary">',
    ]
    current = ""
    for t in ordered:
        letter = t.term[0].upper()
        if letter != current:
            current = letter
            parts.append(f'<dt id="letter-{letter}" class="letter">{letter}</dt>')
        href = hrefs.get(t.notebook)
        taught = (
            f'<a href="{_url(href)}">{html.escape(t.notebook)}</a>'
            if href
            else html.escape(t.notebook)
        )
        also = t.aliases[1:]
        alias_text = (
            f' <span class="meta">(also: {html.escape(", ".join(also))})</span>' if also else ""
        )
        parts.append(
            f'<dt id="{t.anchor}">{html.escape(t.term)}{alias_text}</dt>'
            f"<dd>{html.escape(t.definition)} "
            f'<span class="meta">Taught in {taught}.</span></dd>'
        )
    parts.append("</dl>")
    return "".join(parts)


def mode_note(modes: set[bool]) -> str:
    """A visible note saying whether the run was blank or filled in the reference solutions."""
    if modes == {True}:
        text = (
            "Solutions run (<code>solutions=true</code>): the exercise cells hold the reference "
            "solutions and show their outcomes. Try each exercise yourself in JupyterLab before "
            "reading them."
        )
    elif modes == {False} or not modes:
        text = (
            "Blank run (<code>solutions=false</code>): every exercise shows &ldquo;not "
            "attempted&rdquo;, as a learner first meets it. Run with "
            "<code>-p solutions true</code> to see the reference solutions' outcomes."
        )
    else:
        text = (
            "Mixed run: some notebooks ran with the reference solutions, others blank; each "
            "notebook page says which."
        )
    return f'<p class="casebook-mode">{text}</p>'
