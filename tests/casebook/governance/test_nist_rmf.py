"""Tests for casebook.governance.nist_rmf: every section mapped once, to a real function."""

from __future__ import annotations

import re

import pytest

from casebook.governance.documents import CARD_SECTIONS, MEMO_SECTIONS
from casebook.governance.nist_rmf import RMF_FUNCTIONS, nist_rmf_map


@pytest.mark.parametrize(
    ("document", "sections"), [("model card", CARD_SECTIONS), ("audit memo", MEMO_SECTIONS)]
)
def test_every_section_is_mapped_once_in_order(document, sections):
    table = nist_rmf_map(document=document)
    assert table["section"].tolist() == list(sections)
    assert set(table["document"]) == {document}


def test_the_whole_table_uses_all_four_functions():
    table = nist_rmf_map()
    assert len(table) == len(CARD_SECTIONS) + len(MEMO_SECTIONS)
    assert set(table["function"]) == set(RMF_FUNCTIONS)
    assert list(table.columns) == ["document", "section", "function", "subcategories", "records"]


def test_subcategories_name_real_categories_led_by_the_function():
    numbers = {"GOVERN": 6, "MAP": 5, "MEASURE": 4, "MANAGE": 4}  # categories in AI RMF 1.0
    for row in nist_rmf_map().itertuples():
        refs = re.findall(r"(GOVERN|MAP|MEASURE|MANAGE) (\d+)\.(\d+)", row.subcategories)
        assert refs, row
        assert refs[0][0].lower() == row.function, row  # the first reference is the function's
        for name, category, _ in refs:
            assert 1 <= int(category) <= numbers[name], row


def test_unknown_document_is_refused():
    with pytest.raises(ValueError, match="document must be 'both', 'model card' or 'audit memo'"):
        nist_rmf_map(document="memo")
