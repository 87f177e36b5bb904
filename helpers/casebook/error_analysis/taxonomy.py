"""Error taxonomies from transparent, ordered rules.

An error taxonomy sorts a model's mistakes into named categories so that a
team can count them and go after the largest cause first. Here every category
is a :class:`Rule`: a name, a one-line description and a *vectorised*
predicate over a frame of errors (one row per error, any columns: text,
numeric features, scores). Rules are tried **in order**; each row goes to the
first rule that matches, and rows that no rule matches go to an explicit
``"other"`` bucket, so the shares always add up to 1 and nothing is hidden.

* :class:`Rule`, :func:`regex_rule` -- define categories.
* :func:`rule_matches` -- every rule evaluated on every row (for overlaps).
* :func:`assign_categories` -- first-match category of each row.
* :func:`error_taxonomy` -- counts, shares and examples per category.
* :func:`sms_false_positive_rules` -- a ready, tested taxonomy for legitimate
  text messages that a spam filter flags.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Rule",
    "assign_categories",
    "error_taxonomy",
    "regex_rule",
    "rule_matches",
    "sms_false_positive_rules",
]


@dataclass(frozen=True)
class Rule:
    """One category of an error taxonomy.

    Parameters
    ----------
    name : str
        Category name shown in tables (unique within a taxonomy).
    predicate : callable
        ``predicate(frame) -> array-like of bool``, one value per row of
        ``frame``; True means the row belongs to this category.
    description : str, default=""
        What the category means, in plain words.
    """

    name: str
    predicate: Callable[[pd.DataFrame], Any]
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if not callable(self.predicate):
            raise TypeError(f"predicate must be callable, got {type(self.predicate).__name__}")

    def matches(self, frame: pd.DataFrame) -> np.ndarray:
        """Evaluate the predicate on ``frame`` and check its output.

        Raises
        ------
        ValueError
            If the predicate returns the wrong number of values, missing
            values or non-boolean values.
        """
        out = self.predicate(frame)
        if isinstance(out, pd.Series) and out.isna().any():
            raise ValueError(
                f"rule {self.name!r} returned {int(out.isna().sum())} missing value(s); "
                "predicates must return True or False for every row"
            )
        arr = np.asarray(out)
        if arr.shape != (len(frame),):
            raise ValueError(
                f"rule {self.name!r} must return one value per row ({len(frame)}), "
                f"got shape {arr.shape}"
            )
        if arr.dtype != bool:
            raise ValueError(f"rule {self.name!r} must return booleans, got dtype {arr.dtype}")
        return arr


def _check_column(column: Any) -> str:
    if not isinstance(column, str):
        raise TypeError(f"column must be a str (a text column name), got {type(column).__name__}")
    if not column:
        raise ValueError("column must be a non-empty column name, got ''")
    return column


def regex_rule(
    name: str,
    pattern: str,
    *,
    column: str,
    description: str = "",
    case: bool = False,
) -> Rule:
    """A rule matching rows whose text ``column`` contains ``pattern`` (a regex).

    Parameters
    ----------
    name : str
        Category name.
    pattern : str
        Regular expression searched in the text (``re.search`` semantics).
    column : str
        Text column of the frame. Missing text never matches.
    description : str, default=""
        Defaults to ``"<column> matches /<pattern>/"``.
    case : bool, default=False
        Case-sensitive matching.

    Raises
    ------
    TypeError
        If ``pattern`` or ``column`` is not a string.
    ValueError
        If ``pattern`` is not a valid regular expression, or ``name`` or
        ``column`` is empty.

    Examples
    --------
    >>> rule = regex_rule("money", r"£|\\$|cash", column="text")
    >>> rule.matches(pd.DataFrame({"text": ["Win £100", "see you", None]})).tolist()
    [True, False, False]
    """
    if not isinstance(pattern, str):
        raise TypeError(
            f"pattern must be a str (a regular expression), got {type(pattern).__name__}"
        )
    _check_column(column)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(
            f"pattern must be a valid regular expression, got {pattern!r}: {exc}"
        ) from exc

    def predicate(frame: pd.DataFrame) -> np.ndarray:
        if column not in frame.columns:
            raise ValueError(
                f"column {column!r} is not in the frame; columns are {list(frame.columns)}"
            )
        text = frame[column].astype("string")
        hits = text.str.contains(pattern, case=case, regex=True, na=False)
        return hits.to_numpy(dtype=bool)

    return Rule(name, predicate, description or f"{column} matches /{pattern}/")


def _check_rules(rules: Sequence[Rule], other: str) -> list[Rule]:
    rules = list(rules)
    if not rules:
        raise ValueError("rules must contain at least one Rule, got none")
    bad = [type(r).__name__ for r in rules if not isinstance(r, Rule)]
    if bad:
        raise TypeError(f"rules must be Rule objects, got {bad}")
    names = [r.name for r in rules]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"rule names must be unique, got duplicates {dupes}")
    if other in names:
        raise ValueError(f"other must differ from every rule name, got {other!r}")
    return rules


def rule_matches(frame: pd.DataFrame, rules: Sequence[Rule]) -> pd.DataFrame:
    """Evaluate every rule on every row (no first-match resolution).

    Useful to see overlaps: a row can satisfy several rules, and the order
    of the rules decides where :func:`assign_categories` puts it.

    Returns
    -------
    pandas.DataFrame
        Boolean frame with ``frame``'s index and one column per rule.

    Examples
    --------
    >>> errors = pd.DataFrame({"text": ["call me", "call 0800 now"]})
    >>> rules = [regex_rule("phone number", r"\\d{4}", column="text"),
    ...          regex_rule("call", r"call", column="text")]
    >>> rule_matches(errors, rules)
       phone number  call
    0         False  True
    1          True  True
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    rules = _check_rules(rules, other="\0")
    return pd.DataFrame({r.name: r.matches(frame) for r in rules}, index=frame.index)


def assign_categories(
    frame: pd.DataFrame, rules: Sequence[Rule], *, other: str = "other"
) -> pd.Series:
    """Put each row in the category of the first rule it matches.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per error.
    rules : sequence of Rule
        Tried in order; earlier rules win.
    other : str, default="other"
        Category of rows no rule matches.

    Returns
    -------
    pandas.Series
        Ordered categorical (rule order, then ``other``), ``frame``'s index.

    Examples
    --------
    >>> errors = pd.DataFrame({"text": ["call me", "call 0800 now", "ok"]})
    >>> rules = [regex_rule("phone number", r"\\d{4}", column="text"),
    ...          regex_rule("call", r"call", column="text")]
    >>> assign_categories(errors, rules).tolist()
    ['call', 'phone number', 'other']
    """
    rules = _check_rules(rules, other)
    hits = rule_matches(frame, rules).to_numpy()
    names = [r.name for r in rules] + [other]
    any_hit = hits.any(axis=1) if hits.size else np.zeros(len(frame), dtype=bool)
    first = np.where(any_hit, hits.argmax(axis=1) if hits.size else 0, len(rules))
    values = pd.Categorical.from_codes(first, categories=names, ordered=True)
    return pd.Series(values, index=frame.index, name="category")


def error_taxonomy(
    frame: pd.DataFrame,
    rules: Sequence[Rule],
    *,
    other: str = "other",
    example_column: str | None = None,
    n_examples: int = 3,
) -> pd.DataFrame:
    """Count, share and examples of each error category.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per error (e.g. the false positives of a spam filter).
    rules : sequence of Rule
        Ordered categories; see :func:`assign_categories`.
    other : str, default="other"
        Name of the bucket for rows no rule matches (always listed, even empty).
    example_column : str, optional
        Column whose values are shown as examples; default the first column.
    n_examples : int, default=3
        Examples per category (the first rows, in ``frame`` order).

    Returns
    -------
    pandas.DataFrame
        Indexed by category in rule order then ``other``; columns ``count``,
        ``share`` (of all rows; NaN with a warning if ``frame`` is empty),
        ``description`` and ``examples`` (a list).

    Examples
    --------
    >>> errors = pd.DataFrame({"text": ["call me", "call 0800 now", "ok", "call now"]})
    >>> rules = [regex_rule("phone number", r"\\d{4}", column="text"),
    ...          regex_rule("call", r"call", column="text", description="mentions calling")]
    >>> error_taxonomy(errors, rules, n_examples=1)[["count", "share", "examples"]]
                  count  share          examples
    category
    phone number      1   0.25   [call 0800 now]
    call              2   0.50         [call me]
    other             1   0.25              [ok]
    """
    if (
        isinstance(n_examples, bool)
        or not isinstance(n_examples, (int, np.integer))
        or n_examples < 0
    ):
        raise ValueError(f"n_examples must be a non-negative integer, got {n_examples!r}")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if example_column is None:
        if frame.shape[1] == 0:
            raise ValueError("frame must have at least one column to draw examples from")
        example_column = frame.columns[0]
    elif example_column not in frame.columns:
        raise ValueError(
            f"example_column must be a column of frame {list(frame.columns)}, "
            f"got {example_column!r}"
        )
    rules = _check_rules(rules, other)
    category = assign_categories(frame, rules, other=other)
    counts = category.value_counts(sort=False).reindex(category.cat.categories)
    n = len(frame)
    if n == 0:
        warnings.warn(
            "frame has no rows: every share is undefined and reported as NaN",
            UserWarning,
            stacklevel=2,
        )
        shares = pd.Series(np.nan, index=counts.index)
    else:
        shares = counts / n
    descriptions = [r.description for r in rules] + ["matched by no rule"]
    examples = [
        frame.loc[(category == name).to_numpy(), example_column].head(n_examples).tolist()
        for name in counts.index
    ]
    out = pd.DataFrame(
        {
            "count": counts.to_numpy(dtype=int),
            "share": shares.to_numpy(dtype=float),
            "description": descriptions,
            "examples": examples,
        },
        index=pd.Index(list(counts.index), name="category"),
    )
    return out


def sms_false_positive_rules(*, column: str = "text") -> list[Rule]:
    """Ordered rules sorting legitimate SMS that a spam filter flagged.

    Each rule names a kind of legitimate message that shares vocabulary with
    spam; the first matching rule wins:

    1. ``numbers, contacts or links``: an e-mail address, a web link or a
       number of three or more digits (prices, phone numbers, codes);
    2. ``money or prize words``: free, win/won, prize, cash, offer, claim,
       £ or $;
    3. ``asks for a call or text``: call, txt/text, msg, reply, sms, chat;
    4. ``business or service wording``: customer, service, account, details,
       contact, business, order;
    5. ``dating or flirting words``: love, baby, sex, kiss, pic, date, princess...
    6. ``urgency words``: now, stop, new, today, tonight, please, quick, urgent;
    7. ``short chat``: five words or fewer (little evidence either way).

    Parameters
    ----------
    column : str, default="text"
        The message column.

    Examples
    --------
    >>> msgs = pd.DataFrame({"text": ["Waiting for your call.", "Are you free now?",
    ...                               "mail me at a@b.com", "Yup see you.",
    ...                               "The weather was lovely in the hills, all of us agreed"]})
    >>> assign_categories(msgs, sms_false_positive_rules()).tolist()
    ['asks for a call or text', 'money or prize words', 'numbers, contacts or links', \
'short chat', 'other']
    """
    _check_column(column)
    return [
        regex_rule(
            "numbers, contacts or links",
            r"@|www\.|https?://|\.com\b|\d{3,}",
            column=column,
            description="an e-mail address, a web link or a number of 3+ digits",
        ),
        regex_rule(
            "money or prize words",
            r"\bfree\b|\bwin\b|\bwon\b|\bprize|\bcash\b|\boffer|\bclaim|£|\$",
            column=column,
            description="free, win, prize, cash, offer, claim, currency signs",
        ),
        regex_rule(
            "asks for a call or text",
            r"\bcall(?:ing|ed|s)?\b|\btxt\b|\btext\b|\bmsg\b|\breply\b|\bsms\b|\bchat\b",
            column=column,
            description="call, text, msg, reply, sms, chat",
        ),
        regex_rule(
            "business or service wording",
            r"\bcustomer|\bservice|\baccount|\bdetails\b|\bcontact|\bbusiness|\border\b",
            column=column,
            description="customer, service, account, details, contact, business, order",
        ),
        regex_rule(
            "dating or flirting words",
            r"\blove\b|\bbaby\b|\bsexy?\b|\bkiss|\bpics?\b|\bdate\b|\bprincess\b|\bcuddl|\bhot\b",
            column=column,
            description="love, baby, sex, kiss, pic, date, princess, hot",
        ),
        regex_rule(
            "urgency words",
            r"\bnow\b|\bstop\b|\bnew\b|\btoday\b|\btonight\b|\bplease\b|\bplz\b|\bquick|\burgent",
            column=column,
            description="now, stop, new, today, tonight, please, quick, urgent",
        ),
        Rule(
            "short chat",
            lambda f: (f[column].astype("string").str.split().str.len().fillna(0) <= 5).to_numpy(
                dtype=bool
            ),
            "five words or fewer",
        ),
    ]
