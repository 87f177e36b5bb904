"""The interview layer: the question bank shipped with the package, and the quiz."""
