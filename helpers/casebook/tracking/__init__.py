"""Tracking: MLflow runs (log, query), the model registry and safe model files (skops).

Lives here: :mod:`runs`, :mod:`store`, :mod:`queries`, :mod:`model_registry`, :mod:`model_files`.
May import: ``casebook._validation``, ``casebook.decisions``, ``casebook.data``; never ``casebook.course``.
"""
