"""Seeded generators for the synthetic scenarios, one module each.

Lives here: one generator per scenario; each docstring documents the structure it plants.
May import: ``casebook._validation``, ``casebook.data`` and ``casebook.monitoring`` types; never ``casebook.course``.
"""
