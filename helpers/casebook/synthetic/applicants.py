"""Synthetic job applicants: a fair truth, biased hiring history, gender proxies.

The resume-screening lesson needs what real hiring data never has: the
*unbiased* answer. :func:`make_applicants` plants it. Every applicant has a
true qualification computed from job-relevant features only, drawn from the
same distribution for women and men, so the truly qualified share is the same
in both groups. The historical hiring decision, the label a company would
train on, is that truth passed through a biased process that rejected a
fixed share of qualified women. Two kinds of proxy features let a model that
never sees ``gender`` learn the bias anyway: career gap years and club
keywords on the CV, whose rates differ by gender and which carry no
information about qualification.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd

__all__ = ["APPLICANT_FEATURES", "PROXY_FEATURES", "make_applicants"]

#: Job-relevant features; the true qualification depends on these only.
APPLICANT_FEATURES: tuple[str, ...] = (
    "years_experience",
    "education",
    "skills_score",
    "assessment_score",
)
#: Features whose rates differ by gender and carry no information on merit.
PROXY_FEATURES: tuple[str, ...] = ("gap_years", "kw_womens_network", "kw_rugby_club")

# Latent merit: weights on standardised job-relevant features, plus noise.
_MERIT_WEIGHTS = {"years_experience": 0.9, "skills_score": 0.7, "assessment_score": 0.8}
_EDUCATION_WEIGHT = 0.5
_MERIT_NOISE = 0.8
# Threshold on merit giving a qualified share of about 0.40 (derived from the
# merit distribution, which is the same for every seed and both genders).
_MERIT_CUTOFF = 0.35
_HIRE_IF_QUALIFIED = 0.92
_HIRE_IF_UNQUALIFIED = 0.06
_GAP_RATE = {"female": 1.5, "male": 0.2}
_KW_WOMENS_NETWORK = {"female": 0.40, "male": 0.02}
_KW_RUGBY = {"female": 0.02, "male": 0.25}
_KW_CHESS = 0.10


def _check_fraction(name: str, value: object, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}")
    return value


def make_applicants(
    n_applicants: int = 5000,
    *,
    seed: int,
    gender_bias: float = 0.40,
    female_share: float = 0.5,
) -> pd.DataFrame:
    """Generate applicants with a planted unbiased truth and biased history.

    What is planted (rates are population values; a sample of ``n`` rows
    recovers them up to sampling noise of order ``1/sqrt(n)``):

    * **Job-relevant features**, same distribution for both genders:
      ``years_experience`` ~ Gamma(shape 2.5, scale 2.4) years (mean 6),
      ``education`` in {0, 1, 2, 3} with probabilities 0.15 / 0.50 / 0.30 / 0.05,
      ``skills_score`` ~ N(60, 15) and ``assessment_score`` ~ N(65, 12),
      both clipped to [0, 100].
    * **True qualification** ``qualified`` (the unbiased truth):
      ``merit = 0.9 z(experience) + 0.7 z(skills) + 0.8 z(assessment)
      + 0.5 (education - 1.25) + N(0, 0.8)`` with ``z`` the standardisation
      by the population mean and standard deviation; ``qualified = merit > 0.35``.
      About 40% are qualified, **the same share for women and men**; gender
      and the proxies play no part.
    * **Historical label** ``hired`` (biased): qualified men were hired with
      probability 0.92, qualified women with ``0.92 * (1 - gender_bias)``
      (0.552 at the default 0.40); unqualified applicants of either gender
      with 0.06. With 40% qualified the historical selection rates are about
      0.40 for men and 0.26 for women: a demographic-parity difference of
      about 0.15 and a ratio of about 0.64, below the four-fifths rule.
    * **Proxies**, independent of qualification given gender:
      ``gap_years`` (career gaps) ~ Poisson(1.5) for women and
      Poisson(0.2) for men, clipped at 6; ``kw_womens_network`` (the CV
      mentions a women's professional network) with probability 0.40 for
      women and 0.02 for men; ``kw_rugby_club`` with 0.02 for women and 0.25
      for men. ``kw_chess_club`` (probability 0.10 for everyone) is a
      placebo keyword carrying neither gender nor merit.

    Parameters
    ----------
    n_applicants : int, default=5000
        Number of rows, at least 10.
    seed : int
        Seed of the random generator; the same seed gives the same frame.
    gender_bias : float, default=0.40
        Share of qualified women the historical process rejected, in [0, 1).
        0 gives unbiased historical labels (up to the shared label noise).
    female_share : float, default=0.5
        Probability that an applicant is a woman, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per applicant: ``applicant_id``, ``gender`` (category
        "female"/"male"), ``female`` (int 0/1), the features in
        :data:`APPLICANT_FEATURES`, :data:`PROXY_FEATURES` and
        ``kw_chess_club``, the unbiased truth ``qualified`` and the biased
        historical label ``hired`` (int 0/1). All features are numeric, so
        the frame (without ``gender``) can go straight into aif360.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or is out of range.

    Examples
    --------
    >>> df = make_applicants(2000, seed=0)
    >>> df.shape
    (2000, 13)
    >>> rates = df.groupby("gender", observed=True)[["qualified", "hired"]].mean()
    >>> bool(abs(rates.loc["female", "qualified"] - rates.loc["male", "qualified"]) < 0.06)
    True
    >>> bool(rates.loc["female", "hired"] < rates.loc["male", "hired"] - 0.08)
    True
    """
    if isinstance(n_applicants, bool) or not isinstance(n_applicants, Integral):
        raise TypeError(f"n_applicants must be an int, got {type(n_applicants).__name__}")
    if n_applicants < 10:
        raise ValueError(f"n_applicants must be at least 10, got {n_applicants}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    gender_bias = _check_fraction("gender_bias", gender_bias, low=0.0, high=0.999)
    female_share = _check_fraction("female_share", female_share, low=0.001, high=0.999)

    n = int(n_applicants)
    rng = np.random.default_rng(seed)
    female = rng.random(n) < female_share
    # Job-relevant features: identical distributions for both genders.
    experience = rng.gamma(2.5, 2.4, size=n)
    education = rng.choice(4, size=n, p=[0.15, 0.50, 0.30, 0.05])
    skills = np.clip(rng.normal(60, 15, size=n), 0, 100)
    assessment = np.clip(rng.normal(65, 12, size=n), 0, 100)
    # Standardise with the population moments (not the sample's), so the
    # cutoff means the same thing for every sample size and seed.
    z_exp = (experience - 6.0) / np.sqrt(2.5 * 2.4**2)
    merit = (
        _MERIT_WEIGHTS["years_experience"] * z_exp
        + _MERIT_WEIGHTS["skills_score"] * (skills - 60) / 15
        + _MERIT_WEIGHTS["assessment_score"] * (assessment - 65) / 12
        + _EDUCATION_WEIGHT * (education - 1.25)
        + rng.normal(0, _MERIT_NOISE, size=n)
    )
    qualified = merit > _MERIT_CUTOFF
    # Biased historical process.
    p_hire = np.where(qualified, _HIRE_IF_QUALIFIED, _HIRE_IF_UNQUALIFIED)
    p_hire = np.where(qualified & female, p_hire * (1 - gender_bias), p_hire)
    hired = rng.random(n) < p_hire
    # Proxies: depend on gender only.
    gap = rng.poisson(np.where(female, _GAP_RATE["female"], _GAP_RATE["male"]))
    kw_women = rng.random(n) < np.where(
        female, _KW_WOMENS_NETWORK["female"], _KW_WOMENS_NETWORK["male"]
    )
    kw_rugby = rng.random(n) < np.where(female, _KW_RUGBY["female"], _KW_RUGBY["male"])
    kw_chess = rng.random(n) < _KW_CHESS

    return pd.DataFrame(
        {
            "applicant_id": np.arange(n),
            "gender": pd.Categorical(
                np.where(female, "female", "male"), categories=["female", "male"]
            ),
            "female": female.astype(int),
            "years_experience": experience.round(1),
            "education": education.astype(int),
            "skills_score": skills.round(1),
            "assessment_score": assessment.round(1),
            "gap_years": np.minimum(gap, 6).astype(int),
            "kw_womens_network": kw_women.astype(int),
            "kw_rugby_club": kw_rugby.astype(int),
            "kw_chess_club": kw_chess.astype(int),
            "qualified": qualified.astype(int),
            "hired": hired.astype(int),
        }
    )
