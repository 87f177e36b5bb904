"""Seeded generators for the synthetic scenarios, one module each."""
