"""Private input checks shared by the toolkit: arrays, 0/1 labels, scores, costs.

Lives here: :mod:`arrays` (feature matrices, frames, numbers) and :mod:`binary` (scores, labels, costs).
May import: numpy and pandas only; every toolkit subpackage may import it, the course never needs to.
"""
