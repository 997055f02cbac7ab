"""`mindspore.dataset.transforms`: general operations on NumPy arrays (layer 5).

`TypeCast`, `OneHot` and `Compose` are callable objects, for `dataset.map(...)` or eager use.
"""

from __future__ import annotations

import numpy as np

from minispore.dataset._checks import is_int
from minispore.dataset.vision import _image


class TypeCast:
    """Cast to `data_type`: a minispore dtype (`mindspore.int32`), a NumPy dtype or a name.

    Floats cast to integers are truncated toward zero, as in MindSpore.
    """

    def __init__(self, data_type):
        from minispore.dtype import to_numpy_dtype

        try:
            self.data_type = to_numpy_dtype(data_type)
        except TypeError as e:
            raise TypeError(f"For 'TypeCast', 'data_type' is invalid: {e}") from None

    def __call__(self, *inputs):
        if len(inputs) != 1:
            raise TypeError(f"TypeCast takes one input, but got {len(inputs)}")
        x = inputs[0]
        return self._apply_batch(x.asnumpy() if hasattr(x, "asnumpy") else np.asarray(x))

    def _apply_batch(self, x):
        return x.astype(self.data_type)

    def __repr__(self):
        return f"TypeCast({self.data_type})"


class OneHot:
    """One-hot encode integer class indices: shape ``s`` becomes ``s + (num_classes,)``.

    Args:
        num_classes (int): the number of classes.
        smoothing_rate (float): label smoothing in [0, 1]: the entries become
            ``smoothing_rate / num_classes`` and the hot one ``1 - smoothing_rate`` more; the
            output is then float64, as in MindSpore (else the input's dtype).

    Raises:
        RuntimeError: an index outside [0, num_classes) (MindSpore reads a negative index as
            all zeros, and corrupts its memory doing so).
        TypeError: a non-integer input.
    """

    def __init__(self, num_classes, smoothing_rate=0.0):
        if not is_int(num_classes) or num_classes <= 0:
            raise ValueError(
                f"For 'OneHot', 'num_classes' must be a positive int, got {num_classes!r}"
            )
        if isinstance(smoothing_rate, bool) or not isinstance(smoothing_rate, (int, float)):
            raise TypeError(
                f"For 'OneHot', 'smoothing_rate' must be a float, got {smoothing_rate!r}"
            )
        if not 0.0 <= smoothing_rate <= 1.0:
            raise ValueError(
                f"For 'OneHot', 'smoothing_rate' must be in [0, 1], got {smoothing_rate}"
            )
        self.num_classes = num_classes
        self.smoothing_rate = float(smoothing_rate)

    def __call__(self, *inputs):
        if len(inputs) != 1:
            raise TypeError(f"OneHot takes one input, but got {len(inputs)}")
        return self._apply_batch(np.asarray(_image(inputs[0], "OneHot")))

    def _apply_batch(self, x):
        if x.dtype.kind not in "iu":
            raise TypeError(f"OneHot: the input must hold integer class indices, but got {x.dtype}")
        if x.size and (x.min() < 0 or x.max() >= self.num_classes):
            bad = x.max() if x.max() >= self.num_classes else x.min()
            raise RuntimeError(
                "OneHot: index values should not bigger than num classes: "
                f"{self.num_classes}, but got: {bad} (the indices must be in "
                f"[0, {self.num_classes}))"
            )
        hot = x[..., None] == np.arange(self.num_classes)
        if self.smoothing_rate:
            off = self.smoothing_rate / self.num_classes
            return np.where(hot, 1.0 - self.smoothing_rate + off, off)
        return hot.astype(x.dtype)

    def __repr__(self):
        return f"OneHot(num_classes={self.num_classes}, smoothing_rate={self.smoothing_rate})"


class Compose:
    """Apply `transforms` (a non-empty list of callables) in order; a tuple returned by one is
    passed on as several arguments."""

    def __init__(self, transforms):
        if not isinstance(transforms, (list, tuple)) or not transforms:
            raise TypeError("For 'Compose', 'transforms' must be a non-empty list of callables")
        for t in transforms:
            if not callable(t):
                raise ValueError(f"For 'Compose', every transform must be callable, got {t!r}")
        self.transforms = list(transforms)

    def __call__(self, *inputs):
        args = inputs
        for t in self.transforms:
            out = t(*args)
            args = out if isinstance(out, tuple) else (out,)
        return args[0] if len(args) == 1 else args

    @property
    def _apply_batch(self):
        """The batch form, when every transform has one (the built-in operations)."""
        steps = [getattr(t, "_apply_batch", None) for t in self.transforms]
        if any(step is None for step in steps):
            raise AttributeError("_apply_batch")

        def apply(x):
            for step in steps:
                x = step(x)
            return x

        return apply

    def __repr__(self):
        return f"Compose({self.transforms})"


__all__ = ["Compose", "OneHot", "TypeCast"]
