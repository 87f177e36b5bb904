"""Error analysis: where a model's mistakes concentrate and why (taxonomies, slices).

Lives here: rule-based error taxonomies, slice discovery over a model's errors, and per-slice
confusion tables of one or two decision rules (the error explorer's numbers).
May import: ``casebook._validation`` and ``casebook.decisions``; never ``casebook.course`` or ``casebook.plots``.
"""
