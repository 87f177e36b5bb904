"""Tests for casebook.governance.render: Markdown and HTML say the same, safely escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from casebook.governance.documents import (
    CARD_SECTIONS,
    MEMO_SECTIONS,
    AuditMemo,
    Finding,
    Metric,
    ModelCard,
)
from casebook.governance.render import to_html, to_markdown

CARD = ModelCard(
    "Card <b>bold</b>", model="a | b model", purpose="pre-screen & rank",
    out_of_scope=["pricing"], data=["rows"],
    metrics=[Metric("ratio | women / men", 0.34, low=0.29, high=0.38, reference=0.8)],
    findings=[Finding("four-fifths <rule>", "fail", "ratio 0.34"),
              Finding("equal opportunity", "pass", "gap 0.03"),
              Finding("predictive parity", "inconclusive", "gap 0.05 to 0.15")],
    limitations=["<script>alert(1)</script>"], decision_owner="owner",
    prepared=date(2026, 1, 1), review_date=date(2026, 7, 1), source="test",
)  # fmt: skip
MEMO = AuditMemo(
    "Memo", question="Launch?", recommendation="Not yet.", findings=list(CARD.findings),
    metrics=list(CARD.metrics), limitations=["small"], next_steps=["retest"],
    decision_owner="owner", prepared=date(2026, 1, 1), review_date=date(2026, 7, 1),
    source="test",
)  # fmt: skip


@pytest.mark.parametrize(("doc", "sections"), [(CARD, CARD_SECTIONS), (MEMO, MEMO_SECTIONS)])
def test_markdown_has_every_section_in_order(doc, sections):
    text = to_markdown(doc)
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == list(sections)
    assert text.splitlines()[0] == f"# {doc.title}"


@pytest.mark.parametrize(("doc", "sections"), [(CARD, CARD_SECTIONS), (MEMO, MEMO_SECTIONS)])
def test_html_has_every_section_in_order_with_anchors(doc, sections):
    page = to_html(doc, standalone=False)
    found = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', page)
    assert [label for _, label in found] == list(sections)
    assert all(" " not in anchor for anchor, _ in found)


def test_markdown_table_cells_escape_the_pipe():
    text = to_markdown(CARD)
    row = next(line for line in text.splitlines() if line.startswith("| ratio"))
    assert row.startswith(
        "| ratio \\| women / men | 0.34 (95% interval 0.29 to 0.38, excludes 0.8)"
    )
    assert row.count(" | ") == 2  # three columns: the escaped pipe does not split a cell


def test_html_escapes_every_text():
    page = to_html(CARD)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Card &lt;b&gt;bold&lt;/b&gt;" in page and "<title>Card &lt;b&gt;" in page
    assert "pre-screen &amp; rank" in page


def test_html_marks_verdicts_for_styling():
    page = to_html(CARD, standalone=False)
    assert '<td class="status-fail">FAIL</td>' in page
    assert '<td class="status-pass">pass</td>' in page
    assert '<td class="status-inconclusive">inconclusive</td>' in page


def test_markdown_and_html_carry_the_same_text():
    def words(text):
        return re.findall(r"[\w.<>&/()%,'-]+", text)

    md = to_markdown(MEMO).replace("\\|", "|")
    md_text = re.sub(r"^#+ |^- |^\|[-|]+\|$", "", md, flags=re.M).replace("|", " ")
    page = html.unescape(re.sub(r"<[^>]+>", " ", to_html(MEMO, standalone=False)))
    assert words(md_text) == words(page)


def test_counts_of_verdicts_are_stated():
    assert "3 criteria judged: 1 pass, 1 fail, 1 inconclusive." in to_markdown(CARD)
    empty = AuditMemo(**{**MEMO.__dict__, "findings": []})
    assert "No criterion was judged." in to_markdown(empty)


def test_standalone_page_and_fragment():
    assert to_html(MEMO).startswith("<!DOCTYPE html>")
    assert to_html(MEMO, standalone=False).startswith('<article class="casebook-document">')


@pytest.mark.parametrize("render", [to_markdown, to_html])
def test_only_documents_render(render):
    with pytest.raises(TypeError, match="document must be a ModelCard or an AuditMemo, got dict"):
        render({"title": "x"})


def test_standalone_must_be_bool():
    with pytest.raises(TypeError, match="standalone must be a bool, got str"):
        to_html(MEMO, standalone="no")
