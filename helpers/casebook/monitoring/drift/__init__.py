"""Drift monitoring: statistics, mergeable summaries, data-quality checks and reports.

Lives here: drift statistics, mergeable summaries, data-quality checks and the weekly report.
May import: ``casebook._validation``, ``casebook.decisions``; never ``casebook.course``.

Import from the submodules explicitly, e.g.
``from casebook.monitoring.drift.stats import psi, ks, chi_square`` or
``from casebook.monitoring.drift.summaries import summarize_numeric, merge``.
"""
