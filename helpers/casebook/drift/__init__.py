"""Drift monitoring: statistics, mergeable summaries, data-quality checks and reports.

Import from the submodules explicitly, e.g.
``from casebook.drift.stats import psi, ks, chi_square`` or
``from casebook.drift.summaries import summarize_numeric, merge``.
"""
