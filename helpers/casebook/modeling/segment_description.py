"""Reading segments: profiles, plain-words descriptions and outcome rates.

Segments (e.g. from :func:`casebook.modeling.segmentation.fit_segments`) are only
useful if the people who act on them can read them.
:func:`segment_profiles` and :func:`describe_segments` turn labels into a
table and sentences a marketer can read; :func:`segment_rates` gives an
outcome rate (e.g. churn) per segment with a Wilson interval.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from casebook._validation.arrays import plain_frame
from casebook._validation.binary import check_no_missing

__all__ = ["describe_segments", "segment_profiles", "segment_rates"]


def _check_labels(labels: Any, n: int) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.shape != (n,):
        raise ValueError(
            f"labels must have one entry per row of frame ({n}), got shape {lab.shape}"
        )
    if n == 0:
        raise ValueError("frame and labels must have at least one row, got none")
    if pd.isna(lab).any():
        raise ValueError(
            "labels must not contain NaN or missing values (every row needs a segment)"
        )
    return lab


def segment_profiles(frame: pd.DataFrame, labels: Any) -> pd.DataFrame:
    """Per-segment profile: size, numeric means and categorical modes vs overall.

    Parameters
    ----------
    frame : pandas.DataFrame
        The customers in *original* units (not scaled), one row per label.
    labels : array-like of int
        Segment of each row.

    Returns
    -------
    pandas.DataFrame
        One row per segment plus a final ``"all"`` row. Columns ``n`` and
        ``share``; for each numeric column its mean; for each other column
        ``<col>`` (the most common value) and ``<col>_share`` (how common it
        is within the segment).

    Examples
    --------
    >>> df = pd.DataFrame({"tenure": [1, 2, 30, 40, 50], "plan": ["m", "m", "y", "y", "m"]})
    >>> segment_profiles(df, [0, 0, 1, 1, 1])[["n", "tenure", "plan", "plan_share"]].round(2)
         n  tenure plan  plan_share
    0    2     1.5    m        1.00
    1    3    40.0    y        0.67
    all  5    24.6    m        0.60
    """
    frame = plain_frame(frame)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    lab = _check_labels(labels, len(frame))
    groups: list[tuple[Any, pd.DataFrame]] = [
        (seg, frame[lab == seg]) for seg in np.unique(lab)
    ] + [("all", frame)]
    numeric = frame.select_dtypes("number").columns
    rows = {}
    for seg, part in groups:
        row: dict[str, Any] = {"n": len(part), "share": len(part) / len(frame)}
        for col in frame.columns:
            if col in numeric:
                row[col] = float(part[col].mean())
            else:
                counts = part[col].astype(object).value_counts(dropna=False)  # categorical too
                row[col] = counts.index[0]
                row[f"{col}_share"] = float(counts.iloc[0] / len(part))
        rows[seg] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index = [str(i) if i == "all" else int(i) for i in out.index]
    return out


def describe_segments(
    frame: pd.DataFrame,
    labels: Any,
    *,
    top: int = 3,
    min_share: float = 0.5,
    units: dict[str, str] | None = None,
) -> dict[int, str]:
    """One plain-words sentence per segment: its size and most distinctive traits.

    Traits are ranked on one scale, the standardized difference from the
    overall population: for a numeric column ``(segment mean - overall
    mean) / overall std``; for a categorical value that at least ``min_share``
    of the segment has, ``(segment share - overall share) / sqrt(p (1 - p))``
    with ``p`` the overall share (the same statistic for a 0/1 indicator).

    Parameters
    ----------
    frame : pandas.DataFrame
        Customers in original units, one row per label.
    labels : array-like of int
        Segment of each row.
    top : int, default=3
        Traits per sentence.
    min_share : float, default=0.5
        A categorical value is described only if at least this share of the
        segment has it ("mostly ...").
    units : dict, optional
        Unit suffix per numeric column, e.g. ``{"tenure": " months"}``.

    Returns
    -------
    dict
        Segment label to sentence.

    Examples
    --------
    >>> df = pd.DataFrame({"tenure": [1, 2, 30, 40], "plan": ["m", "m", "y", "y"]})
    >>> describe_segments(df, [0, 0, 1, 1], top=2)[0]
    'Segment 0 (50% of customers): plan mostly m (100% vs 50% overall); tenure low (1.5 vs 18.2 overall).'
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    lab = _check_labels(labels, len(frame))
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share!r}")
    units = units or {}
    numeric = set(frame.select_dtypes("number").columns)
    out = {}
    for seg in np.unique(lab):
        part = frame[lab == seg]
        traits: list[tuple[float, str]] = []
        for col in frame.columns:
            if col in numeric:
                sd = float(frame[col].std(ddof=0))
                m_seg, m_all = float(part[col].mean()), float(frame[col].mean())
                if sd == 0 or np.isnan(m_seg):
                    continue
                d = (m_seg - m_all) / sd
                u = units.get(col, "")
                word = "high" if d > 0 else "low"
                traits.append((abs(d), f"{col} {word} ({m_seg:.3g}{u} vs {m_all:.3g}{u} overall)"))
            else:
                seg_share = part[col].value_counts(normalize=True, dropna=False)
                all_share = frame[col].value_counts(normalize=True, dropna=False)
                for value, s in seg_share.items():
                    p = float(all_share[value])
                    if s < min_share or p >= 1:
                        continue
                    d = (float(s) - p) / np.sqrt(p * (1 - p))
                    traits.append((d, f"{col} mostly {value} ({s:.0%} vs {p:.0%} overall)"))
        traits.sort(key=lambda t: -t[0])
        text = "; ".join(t for _, t in traits[:top])
        out[int(seg)] = f"Segment {seg} ({len(part) / len(frame):.0%} of customers): {text}."
    return out


def segment_rates(
    y: Any, labels: Any, *, positive: Any = 1, confidence: float = 0.95
) -> pd.DataFrame:
    """Outcome rate per segment with a Wilson score interval.

    Parameters
    ----------
    y : array-like
        Outcomes; ``positive`` marks the event (e.g. churn = "Yes").
    labels : array-like
        Segment of each row.
    positive : object, default=1
    confidence : float, default=0.95

    Returns
    -------
    pandas.DataFrame
        Indexed by segment (plus ``"all"``): ``n``, ``events``, ``rate``,
        ``low``, ``high``, ``lift`` (rate / overall rate).

    Examples
    --------
    >>> segment_rates([1, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1])[["n", "rate", "lift"]].round(2)
         n  rate  lift
    0    3  0.33  0.67
    1    3  0.67  1.33
    all  6  0.50  1.00
    """
    yy = check_no_missing(np.asarray(y), name="y")
    lab = np.asarray(labels)
    if yy.shape != lab.shape or yy.ndim != 1 or len(yy) == 0:
        raise ValueError(
            f"y and labels must be 1-D with the same non-zero length, got {yy.shape} and {lab.shape}"
        )
    _check_labels(lab, len(lab))
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    event = (yy == positive).astype(int)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    rows = {}
    for seg in [*np.unique(lab), "all"]:
        e = event if seg == "all" else event[lab == seg]
        n, k = len(e), int(e.sum())
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        rows[seg if isinstance(seg, str) and seg == "all" else seg.item()] = {
            "n": n,
            "events": k,
            "rate": p,
            "low": min(p, max(0.0, centre - half)),
            "high": max(p, min(1.0, centre + half)),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["lift"] = out["rate"] / out.loc["all", "rate"]
    return out
