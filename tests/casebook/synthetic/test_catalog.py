"""Tests for casebook.synthetic.catalog: the planted structure is where the docstring says."""

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from casebook.synthetic.catalog import (
    CATEGORIES,
    CATEGORY_SHARES,
    CROSS_BRAND,
    make_catalog,
    returns_cost_matrix,
)

SMART_WORDS = (
    "wifi",
    "app control",
    "bluetooth",
    "sensor",
    "voice control",
    "usb c",
    "smart home",
    "firmware",
)


@pytest.fixture(scope="module")
def catalog():
    return make_catalog(6000, seed=3)


def test_deterministic_and_seed_dependent():
    a = make_catalog(300, seed=1)
    pd.testing.assert_frame_equal(a, make_catalog(300, seed=1))
    assert not a["description"].equals(make_catalog(300, seed=2)["description"])


def test_schema(catalog):
    assert list(catalog.columns) == [
        "product_id",
        "brand",
        "description",
        "n_words",
        "category",
        "smart_home",
        "short_description",
        "activewear",
    ]
    assert catalog["product_id"].is_unique
    assert list(catalog["category"].cat.categories) == list(CATEGORIES)
    assert len(CATEGORIES) >= 6 and {"Electronics", "Home", "Clothing"} <= set(CATEGORIES)
    assert (catalog["n_words"] == catalog["description"].str.split().str.len()).all()


def test_category_shares(catalog):
    shares = catalog["category"].value_counts(normalize=True).reindex(CATEGORIES)
    np.testing.assert_allclose(shares, CATEGORY_SHARES, atol=0.02)


def test_smart_home_items_are_home_with_electronics_vocabulary(catalog):
    smart = catalog[catalog["smart_home"]]
    assert (smart["category"] == "Home").all()
    home = catalog["category"] == "Home"
    # 60% appliances x 50% smart = 30% of Home items
    assert smart.shape[0] / home.sum() == pytest.approx(0.30, abs=0.04)
    full = smart[~smart["short_description"]]
    n_vocab = full["description"].apply(lambda d: sum(w in d for w in SMART_WORDS))
    assert (n_vocab >= 3).all()
    assert full["description"].str.contains("smart ").all()
    assert (smart["brand"] == CROSS_BRAND).mean() == pytest.approx(0.6, abs=0.07)


def test_smart_share_zero_has_no_smart_items():
    old = make_catalog(2000, seed=0, smart_share=0.0)
    assert not old["smart_home"].any()
    # then the cross-category brand only sells Electronics
    assert set(old.loc[old["brand"] == CROSS_BRAND, "category"]) == {"Electronics"}


def test_cross_brand_spans_categories(catalog):
    nova = catalog[catalog["brand"] == CROSS_BRAND]
    share = nova["category"].value_counts(normalize=True)
    assert share["Electronics"] == pytest.approx(0.63, abs=0.07)
    assert share["Home"] == pytest.approx(0.37, abs=0.07)
    other = catalog[catalog["brand"] != CROSS_BRAND]
    # every other brand belongs to one category, except Sports brands on activewear
    per_brand = other[~other["activewear"]].groupby("brand")["category"].nunique()
    assert (per_brand == 1).all()


def test_short_descriptions(catalog):
    short = catalog["short_description"]
    assert short.mean() == pytest.approx(0.12, abs=0.02)
    assert catalog.loc[short, "n_words"].max() <= 5  # brand, generic word, one phrase
    assert catalog.loc[~short, "n_words"].min() >= 6


def test_activewear(catalog):
    active = catalog[catalog["activewear"]]
    assert (active["category"] == "Clothing").all()
    clothing = catalog["category"] == "Clothing"
    assert len(active) / clothing.sum() == pytest.approx(0.25, abs=0.04)


def test_planted_causes_drive_a_models_errors():
    """A model trained before the smart range confuses smart Home items with Electronics."""
    train = make_catalog(2500, seed=10, smart_share=0.0)
    test = make_catalog(2500, seed=11)
    model = make_pipeline(TfidfVectorizer(min_df=2), LogisticRegression(max_iter=1000))
    model.fit(train["description"], train["category"].astype(str))
    pred = model.predict(test["description"])
    wrong = pred != test["category"].astype(str).to_numpy()
    smart = test["smart_home"].to_numpy()
    short = test["short_description"].to_numpy()
    assert wrong[smart].mean() > 0.5
    assert (pred[smart & wrong] == "Electronics").mean() > 0.9
    assert wrong[short].mean() > 3 * wrong[~short & ~smart].mean()
    nova_home = (test["brand"] == CROSS_BRAND).to_numpy() & (test["category"] == "Home").to_numpy()
    assert wrong[nova_home].mean() > 0.6


def test_returns_cost_matrix():
    costs = returns_cost_matrix()
    assert list(costs.index) == list(CATEGORIES) == list(costs.columns)
    assert (np.diag(costs) == 0).all()
    assert (costs.to_numpy() >= 0).all()
    assert costs.loc["Home", "Electronics"] == costs.to_numpy().max() == 25
    assert costs.loc["Home", "Electronics"] > 3 * costs.loc["Electronics", "Home"]
    assert costs.loc["Clothing", "Sports"] == costs.to_numpy()[costs.to_numpy() > 0].min()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_products": 10}, ValueError, "n_products must be an integer >= 60"),
        ({"n_products": 100.0}, ValueError, "n_products must be an integer >= 60"),
        ({"smart_share": 1.5}, ValueError, r"smart_share must be a number in \[0, 1\]"),
        ({"short_share": -0.1}, ValueError, r"short_share must be a number in \[0, 1\]"),
        ({"seed": "0"}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_input(kwargs, error, match):
    args = {"n_products": 100, "seed": 0, **kwargs}
    n = args.pop("n_products")
    with pytest.raises(error, match=match):
        make_catalog(n, **args)
