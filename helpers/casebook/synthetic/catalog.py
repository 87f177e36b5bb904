"""A seeded product catalog with planted causes of category confusion.

An online shop assigns each new listing to one of six categories from its
free-text description. :func:`make_catalog` generates such listings;
:func:`returns_cost_matrix` gives what each kind of mistake costs in returns.

Planted structure (all rates are per item, drawn independently with ``seed``)
----------------------------------------------------------------------------
Categories: ``CATEGORIES`` = Electronics, Home, Clothing, Sports, Beauty, Toys,
in proportions ``CATEGORY_SHARES`` (Electronics and Home 22% each, Clothing
18%, Sports 14%, Beauty 12%, Toys 12%).

A normal description is ``"<brand> <adjective> <product noun> <4-7 category
words>"`` in lower case, e.g. ``"acmeline compact kettle stainless steel
kitchen easy to clean ..."``. Each category has its own product nouns, words
and three brands of its own, plus the cross-category brand below.

1. **Smart-home appliances (Home -> Electronics).** A Home item whose noun
   is an appliance (kettle, vacuum, thermostat, ...; 60% of Home items) is,
   with probability ``smart_share`` (default 0.5, i.e. 30% of all Home
   items), a *smart* appliance: its noun is preceded by "smart" and three to
   five of its category words are replaced by electronics vocabulary (wifi,
   app control, bluetooth, sensor, ...). True category: Home. Flag column
   ``smart_home``.
2. **A brand that spans categories.** ``CROSS_BRAND`` ("nova") makes 30% of
   Electronics items and 60% of the smart-home appliances (all other items
   carry one of their category's three own brands). In a catalog without
   smart appliances every "nova" item is Electronics, so a model trained
   on it learns "nova" as an Electronics word; with the default
   ``smart_share`` about 37% of nova's listings are Home.
3. **Short descriptions.** With probability ``short_share`` (default 0.12)
   an item's description is only its brand, a generic word ("premium",
   "new", ...) and, half of the time, one category word: no product noun.
   Flag column ``short_description``.
4. **Activewear (Clothing <-> Sports, cheap).** 25% of Clothing items are
   activewear: two or three sports words (training, breathable, workout...)
   replace most clothing words, and half of them carry a Sports brand. Flag
   column ``activewear``. A mild overlap, and a cheap one: a running shirt
   shown under Sports is rarely returned.

Columns: ``product_id``, ``brand``, ``description``, ``n_words`` and
``category`` (the truth), then the flags ``smart_home``,
``short_description`` and ``activewear`` that record what was planted (for
checking an analysis, not as model features).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

__all__ = [
    "CATEGORIES",
    "CATEGORY_SHARES",
    "CROSS_BRAND",
    "make_catalog",
    "returns_cost_matrix",
]

CATEGORIES: Final = ("Electronics", "Home", "Clothing", "Sports", "Beauty", "Toys")
CATEGORY_SHARES: Final = (0.22, 0.22, 0.18, 0.14, 0.12, 0.12)
CROSS_BRAND: Final = "nova"
_CROSS_SHARE = {"Electronics": 0.30}
_SMART_CROSS_BRAND = 0.6
_APPLIANCE_SHARE = 0.6
_ACTIVEWEAR_SHARE = 0.25

_NOUNS = {
    "Electronics": "headphones speaker laptop tablet smartwatch charger camera monitor "
    "router keyboard earbuds powerbank projector webcam",
    "Home": "cushion curtain rug vase towels bedsheet frying-pan storage-box mirror "
    "cutlery-set candle shelf",
    "Clothing": "t-shirt jeans dress jacket sweater socks scarf shirt hoodie skirt coat trousers",
    "Sports": "yoga-mat dumbbell tennis-racket football bike-helmet water-bottle "
    "resistance-band skipping-rope golf-balls",
    "Beauty": "moisturizer lipstick shampoo serum perfume face-mask conditioner "
    "nail-polish sunscreen",
    "Toys": "puzzle doll building-blocks toy-car board-game plush-bear kite train-set",
}
_APPLIANCES = (
    "kettle vacuum thermostat lamp fan heater air-purifier coffee-maker humidifier "
    "toaster doorbell rice-cooker"
)
_WORDS = {
    "Electronics": "wireless bluetooth wifi app-control battery usb-c hd-display sensor "
    "fast-charging voice-control processor noise-cancelling 64gb firmware",
    "Home": "cozy kitchen living-room durable easy-to-clean stainless-steel ceramic "
    "decor bedroom dishwasher-safe large-capacity energy-saving quiet",
    "Clothing": "cotton slim-fit machine-washable wool casual long-sleeves denim "
    "soft regular-fit linen zip",
    "Sports": "training workout grip breathable lightweight outdoor fitness "
    "performance sweat-wicking gym",
    "Beauty": "skin hydrating vitamin-c fragrance natural gentle hair paraben-free glow spf",
    "Toys": "kids ages-3+ fun colorful educational play safe creative family imagination",
}
_SMART_WORDS = "wifi app-control bluetooth sensor voice-control usb-c smart-home firmware"
_GENERIC = ("premium", "new", "classic", "edition", "pro", "deluxe", "original", "value", "pack")
_ADJECTIVES = ("compact", "modern", "essential", "everyday", "elegant", "basic")
_BRANDS = {
    "Electronics": ("voltix", "pixelon", "auralab"),
    "Home": ("acmeline", "hearthly", "casaro"),
    "Clothing": ("threadco", "urbanfit", "lanavi"),
    "Sports": ("peakpro", "stridex", "goalden"),
    "Beauty": ("glowme", "puravie", "silkara"),
    "Toys": ("funzy", "toybox", "kidoro"),
}


def _split(words: str) -> list[str]:
    return [w.replace("-", " ") for w in words.split()]


_WORD_LISTS = {c: _split(w) for c, w in _WORDS.items()}
_NOUN_LISTS = {c: _split(w) for c, w in _NOUNS.items()}
_APPLIANCE_LIST = _split(_APPLIANCES)
_SMART_LIST = _split(_SMART_WORDS)


def _check_share(value: float, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not 0 <= value <= 1
    ):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


def make_catalog(
    n_products: int = 6000,
    *,
    seed: int,
    smart_share: float = 0.5,
    short_share: float = 0.12,
) -> pd.DataFrame:
    """Generate product listings with planted causes of category confusion.

    Parameters
    ----------
    n_products : int, default=6000
        Number of listings (at least 60).
    seed : int
        Seed of the only random generator used; same seed, same catalog.
    smart_share : float, default=0.5
        Probability that a Home *appliance* is a smart appliance (the module
        docstring explains the planted structure). Set it low to mimic a
        catalog from before the smart-home range launched.
    short_share : float, default=0.12
        Probability that a description is short (no product noun).

    Returns
    -------
    pandas.DataFrame
        ``product_id``, ``brand``, ``description``, ``n_words``, ``category``
        (categorical over :data:`CATEGORIES`), ``smart_home``,
        ``short_description``, ``activewear``.

    Examples
    --------
    >>> cat = make_catalog(600, seed=0)
    >>> cat["category"].cat.categories.tolist()
    ['Electronics', 'Home', 'Clothing', 'Sports', 'Beauty', 'Toys']
    >>> bool(cat.loc[cat["smart_home"], "category"].eq("Home").all())
    True
    >>> make_catalog(600, seed=0).equals(cat)
    True
    """
    if (
        isinstance(n_products, bool)
        or not isinstance(n_products, (int, np.integer))
        or n_products < 60
    ):
        raise ValueError(f"n_products must be an integer >= 60, got {n_products!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    smart_share = _check_share(smart_share, "smart_share")
    short_share = _check_share(short_share, "short_share")
    rng = np.random.default_rng(seed)
    n = n_products
    cats = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_SHARES)
    u = rng.random((n, 10))  # one column per yes/no draw below, fixed order
    pick = rng.integers(0, 1 << 30, size=(n, 6))  # indexes into word lists
    sizes = np.column_stack([rng.integers(4, 8, n), rng.integers(3, 6, n), rng.integers(2, 4, n)])
    keys = rng.random((n, 3, 16)).argsort(axis=2)  # random orders of word lists
    rows = []
    for i, c in enumerate(cats):
        category = CATEGORIES[c]
        words = _WORD_LISTS[category]
        order = [j for j in keys[i, 0] if j < len(words)]
        body = [words[j] for j in order[: sizes[i, 0]]]
        if u[i, 0] < _CROSS_SHARE.get(category, 0.0):
            brand = CROSS_BRAND
        else:
            brand = _BRANDS[category][pick[i, 0] % 3]
        smart = active = False
        if category == "Home" and u[i, 1] < _APPLIANCE_SHARE:
            noun = _APPLIANCE_LIST[pick[i, 1] % len(_APPLIANCE_LIST)]
            smart = bool(u[i, 2] < smart_share)
        else:
            nouns = _NOUN_LISTS[category]
            noun = nouns[pick[i, 1] % len(nouns)]
        if smart:
            smart_words = [_SMART_LIST[j] for j in keys[i, 1] if j < len(_SMART_LIST)]
            body = smart_words[: sizes[i, 1]] + body[:2]
            noun = f"smart {noun}"
            if u[i, 3] < _SMART_CROSS_BRAND:
                brand = CROSS_BRAND
        if category == "Clothing" and u[i, 4] < _ACTIVEWEAR_SHARE:
            active = True
            sports = _WORD_LISTS["Sports"]
            body = [sports[j] for j in keys[i, 2] if j < len(sports)][: sizes[i, 2]] + body[:2]
            if u[i, 5] < 0.5:
                brand = _BRANDS["Sports"][pick[i, 2] % 3]
        short = bool(u[i, 6] < short_share)
        if short:
            parts = [brand] if u[i, 7] < 0.5 else []
            parts.append(_GENERIC[pick[i, 3] % len(_GENERIC)])
            if u[i, 8] < 0.5:
                parts.append(words[pick[i, 4] % len(words)])
        else:
            body = [body[j] for j in np.argsort(rng.random(len(body)))]
            parts = [brand, _ADJECTIVES[pick[i, 5] % len(_ADJECTIVES)], noun, *body]
        description = " ".join(parts)
        rows.append((f"P{i:05d}", brand, description, category, smart, short, active))
    frame = pd.DataFrame(
        rows,
        columns=[
            "product_id",
            "brand",
            "description",
            "category",
            "smart_home",
            "short_description",
            "activewear",
        ],
    )
    frame.insert(3, "n_words", frame["description"].str.split().str.len().astype(int))
    frame["category"] = pd.Categorical(frame["category"], categories=CATEGORIES)
    return frame


def returns_cost_matrix() -> pd.DataFrame:
    """Expected returns cost (USD per listing) of each (true, predicted) pair.

    * correct category: 0;
    * Home shown as Electronics: **25** (shoppers browsing gadgets buy a
      "smart kettle" expecting a gadget; bulky appliances are costly to ship
      back);
    * Electronics shown as Home: 8;
    * Clothing and Sports confused either way: 1 (activewear buyers rarely
      return for that reason);
    * any other mistake: 3 (fewer sales, some returns).

    Returns
    -------
    pandas.DataFrame
        Index ``true``, columns ``predicted``, both in :data:`CATEGORIES` order.

    Examples
    --------
    >>> costs = returns_cost_matrix()
    >>> float(costs.loc["Home", "Electronics"]), float(costs.loc["Electronics", "Home"])
    (25.0, 8.0)
    >>> float(costs.to_numpy().diagonal().sum())
    0.0
    """
    k = len(CATEGORIES)
    costs = np.full((k, k), 3.0)
    np.fill_diagonal(costs, 0.0)
    frame = pd.DataFrame(
        costs,
        index=pd.Index(CATEGORIES, name="true"),
        columns=pd.Index(CATEGORIES, name="predicted"),
    )
    frame.loc["Home", "Electronics"] = 25.0
    frame.loc["Electronics", "Home"] = 8.0
    frame.loc["Clothing", "Sports"] = 1.0
    frame.loc["Sports", "Clothing"] = 1.0
    return frame
