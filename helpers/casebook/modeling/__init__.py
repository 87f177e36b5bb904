"""Modeling: leakage-safe pipelines, imbalance remedies, point-in-time features, segments, explanations.

Lives here: building, comparing, explaining and timing models under real constraints.
May import: ``casebook._validation``, ``casebook.decisions``; never ``casebook.course`` or ``casebook.plots``.
"""
