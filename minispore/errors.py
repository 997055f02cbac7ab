"""Exception types of minispore's own (layer 4)."""

from __future__ import annotations


class ShapeError(ValueError, RuntimeError):
    """An operation cannot run on these shapes or values (channel counts, window sizes, indices).

    It is a ValueError, and also a RuntimeError because MindSpore raises RuntimeError for the
    same checks (its kernels make them at run time), so code catching either keeps working.
    """


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped (at its iteration limit) before meeting its tolerance."""
