"""Decisions and costs: confusion tables, cost matrices, thresholds, calibration, intervals, profit.

Lives here: turning scores into decisions and pricing them (binary and multi-class).
May import: ``casebook._validation`` and ``casebook.data``; never ``casebook.course`` or ``casebook.plots``.
"""
