"""Tests for casebook.error_analysis.taxonomy."""

import numpy as np
import pandas as pd
import pytest

from casebook.error_analysis.taxonomy import (
    Rule,
    assign_categories,
    error_taxonomy,
    regex_rule,
    rule_matches,
    sms_false_positive_rules,
)


@pytest.fixture
def errors():
    return pd.DataFrame(
        {
            "text": [
                "Call me at 07700 900123 when free",
                "Your bank statement is ready",
                "lol ok",
                "WIN a prize! txt 80062",
                "Meeting moved to 3pm",
                None,
            ],
            "length": [33, 28, 6, 22, 20, 0],
        }
    )


@pytest.fixture
def rules():
    return [
        regex_rule("contains a number", r"\d{4,}", column="text"),
        regex_rule("money / bank", r"bank|prize|£", column="text"),
        Rule("very short", lambda f: (f["length"] < 10).to_numpy(), "under 10 characters"),
    ]


def test_first_matching_rule_wins(errors, rules):
    cats = assign_categories(errors, rules)
    assert cats.tolist() == [
        "contains a number",
        "money / bank",
        "very short",
        "contains a number",  # also matches money, but numbers come first
        "other",
        "very short",  # missing text: regexes do not match, length 0 does
    ]
    assert list(cats.cat.categories) == [
        "contains a number",
        "money / bank",
        "very short",
        "other",
    ]
    assert cats.index.equals(errors.index)


def test_reordering_rules_moves_overlapping_rows(errors, rules):
    cats = assign_categories(errors, [rules[1], rules[0], rules[2]])
    assert cats.iloc[3] == "money / bank"


def test_rule_matches_shows_overlaps(errors, rules):
    hits = rule_matches(errors, rules)
    assert hits.shape == (6, 3)
    assert hits.iloc[3].tolist() == [True, True, False]
    assert hits.dtypes.eq(bool).all()


def test_taxonomy_counts_shares_examples(errors, rules):
    tax = error_taxonomy(errors, rules, n_examples=2)
    assert tax.index.tolist() == ["contains a number", "money / bank", "very short", "other"]
    assert tax["count"].tolist() == [2, 1, 2, 1]
    assert tax["count"].sum() == len(errors)
    np.testing.assert_allclose(tax["share"].sum(), 1.0)
    assert tax.loc["contains a number", "examples"] == [
        "Call me at 07700 900123 when free",
        "WIN a prize! txt 80062",
    ]
    assert tax.loc["other", "examples"] == ["Meeting moved to 3pm"]
    assert tax.loc["very short", "description"] == "under 10 characters"
    assert tax.loc["other", "description"] == "matched by no rule"


def test_other_bucket_listed_even_when_empty(errors):
    catch_all = Rule("anything", lambda f: np.ones(len(f), dtype=bool))
    tax = error_taxonomy(errors, [catch_all], other="unexplained")
    assert tax.loc["unexplained", "count"] == 0
    assert tax.loc["anything", "share"] == 1.0


def test_example_column(errors, rules):
    tax = error_taxonomy(errors, rules, example_column="length", n_examples=1)
    assert tax.loc["very short", "examples"] == [6]


def test_empty_frame_gives_zero_counts_nan_shares(rules):
    empty = pd.DataFrame({"text": pd.Series([], dtype="string"), "length": []})
    with pytest.warns(UserWarning, match="no rows"):
        tax = error_taxonomy(empty, rules)
    assert tax["count"].sum() == 0
    assert tax["share"].isna().all()


def test_regex_rule_case_sensitivity():
    frame = pd.DataFrame({"text": ["FREE", "free"]})
    assert regex_rule("f", "free", column="text").matches(frame).tolist() == [True, True]
    assert regex_rule("f", "free", column="text", case=True).matches(frame).tolist() == [
        False,
        True,
    ]


def test_bad_rules_and_inputs(errors, rules):
    with pytest.raises(ValueError, match="at least one Rule"):
        error_taxonomy(errors, [])
    with pytest.raises(TypeError, match="rules must be Rule objects"):
        error_taxonomy(errors, ["not a rule"])
    with pytest.raises(ValueError, match=r"unique, got duplicates \['very short'\]"):
        error_taxonomy(errors, [rules[2], rules[2]])
    with pytest.raises(ValueError, match="other must differ"):
        error_taxonomy(errors, rules, other="very short")
    with pytest.raises(ValueError, match="example_column must be a column"):
        error_taxonomy(errors, rules, example_column="nope")
    with pytest.raises(ValueError, match="n_examples must be"):
        error_taxonomy(errors, rules, n_examples=-1)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        error_taxonomy(errors.to_numpy(), rules)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        rule_matches([1, 2], rules)
    with pytest.raises(ValueError, match="at least one column"):
        error_taxonomy(pd.DataFrame(index=[0]), [Rule("x", lambda f: np.ones(1, dtype=bool))])


def test_bad_predicates(errors):
    with pytest.raises(ValueError, match="one value per row"):
        Rule("short", lambda f: np.ones(2, dtype=bool)).matches(errors)
    with pytest.raises(ValueError, match="must return booleans"):
        Rule("ints", lambda f: np.ones(len(f))).matches(errors)
    with pytest.raises(ValueError, match="missing value"):
        Rule("na", lambda f: pd.Series([True] * (len(f) - 1) + [None])).matches(errors)
    with pytest.raises(ValueError, match="column 'nope' is not in the frame"):
        regex_rule("x", "a", column="nope").matches(errors)
    with pytest.raises(ValueError, match="valid regular expression"):
        regex_rule("x", "(", column="text")
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        Rule("", lambda f: f)
    with pytest.raises(TypeError, match="predicate must be callable"):
        Rule("x", "not callable")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I only haf msn. It's yijue@hotmail.com", "numbers, contacts or links"),
        ("see www.example.org for the photos", "numbers, contacts or links"),
        ("my new number is 07700900123 ok", "numbers, contacts or links"),
        ("Now am free call me pa.", "money or prize words"),  # money before call
        ("u either win or lose bt fightng with some1", "money or prize words"),
        ("It was £5 for the bus", "money or prize words"),
        ("Sir, i am waiting for your call.", "asks for a call or text"),
        ("K..u also dont msg or reply to his msg..", "asks for a call or text"),
        ("Hi hope u get this txt journey late", "asks for a call or text"),
        ("K.k.how is your business now?", "business or service wording"),
        ("Customer place i will be there soon ok", "business or service wording"),
        ("Yup see you.", "short chat"),
        ("Wewa is 130. Iriver 255.", "numbers, contacts or links"),
        ("Princess, is your kitty ok or not at all?", "dating or flirting words"),
        ("You need to get up. Now.", "urgency words"),
        ("And stop being an old man, you get to build snowmen", "urgency words"),
        ("Discussed with your mother ah?", "short chat"),
        ("The weather was lovely in the hills, all of us agreed", "other"),
    ],
)
def test_sms_false_positive_rules(text, category):
    frame = pd.DataFrame({"text": [text]})
    assert assign_categories(frame, sms_false_positive_rules()).iloc[0] == category


def test_sms_rules_words_not_substrings():
    frame = pd.DataFrame({"text": ["recall the freezer winter textbook orders borders know news"]})
    hits = rule_matches(frame, sms_false_positive_rules())
    assert not hits.iloc[0, :6].any()


def test_sms_rules_custom_column_and_missing_text():
    frame = pd.DataFrame({"message": ["call me", None]})
    cats = assign_categories(frame, sms_false_positive_rules(column="message"))
    assert cats.tolist() == ["asks for a call or text", "short chat"]


def test_regex_rule_and_sms_rules_check_column_and_pattern():
    with pytest.raises(TypeError, match="column must be a str .* got int"):
        regex_rule("money", "cash", column=3)
    with pytest.raises(ValueError, match="column must be a non-empty column name"):
        regex_rule("money", "cash", column="")
    with pytest.raises(TypeError, match="pattern must be a str .* got int"):
        regex_rule("money", 3, column="text")
    with pytest.raises(TypeError, match="column must be a str .* got int"):
        sms_false_positive_rules(column=3)
    with pytest.raises(ValueError, match="column must be a non-empty column name"):
        sms_false_positive_rules(column="")
    # a valid non-default column still works
    msgs = pd.DataFrame({"body": ["call me now please", "Yup"]})
    cats = assign_categories(msgs, sms_false_positive_rules(column="body"))
    assert cats.tolist() == ["asks for a call or text", "short chat"]
