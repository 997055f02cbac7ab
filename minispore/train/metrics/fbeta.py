"""`Fbeta` and `F1`: the weighted harmonic mean of precision and recall, per class (layer 5)."""

from __future__ import annotations

import sys

from minispore.train.metrics.metric import (
    Metric,
    _as_indices,
    _check_average,
    _no_samples,
    _one_hot_pair,
    rearrange_inputs,
)


class Fbeta(Metric):
    """`(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`, per class.

    Args:
        beta (float): weight of recall; must be > 0.

    Example:
        >>> m = Fbeta(1.0)
        >>> m.update(Tensor(np.array([[0.2, 0.8], [0.6, 0.4]])), Tensor(np.array([1, 0])))
        >>> m.eval()
        array([1., 1.])
    """

    def __init__(self, beta):
        super().__init__()
        self.eps = sys.float_info.min
        if not beta > 0:
            raise ValueError(
                f"For 'Fbeta', the argument 'beta' must be greater than 0, but got {beta}"
            )
        self.beta = beta
        self.clear()

    def clear(self):
        """Reset the counts."""
        self._true_positives = 0
        self._actual_positives = 0
        self._positives = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y` holds class indices or one-hot rows.

        Raises:
            ValueError: not 2 inputs, a label beyond the predicted classes, or a class count
                that changed.
        """
        name = type(self).__name__
        y_pred, y = self._two_inputs(inputs)
        y = _as_indices(y_pred, y)
        if y_pred.ndim < 2:
            raise ValueError(
                f"For '{name}.update', the predicted value (inputs[0]) must have a class axis 1, "
                f"but got shape {y_pred.shape}"
            )
        self._check_class_num(y_pred)
        y, y_pred = _one_hot_pair(y_pred, y, self._class_num, name)
        self._true_positives = self._true_positives + (y * y_pred).sum(axis=0)
        self._positives = self._positives + y_pred.sum(axis=0)
        self._actual_positives = self._actual_positives + y.sum(axis=0)

    def eval(self, average=False):
        """Per-class values (an ndarray), or their mean (a float) when `average` is True.

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
            TypeError: `average` is not a bool.
        """
        _check_average(average, type(self).__name__)
        if self._class_num == 0:
            raise _no_samples("Fbeta")
        b2 = self.beta**2
        fbeta = (
            (1.0 + b2)
            * self._true_positives
            / (b2 * self._actual_positives + self._positives + self.eps)
        )
        return float(fbeta.mean()) if average else fbeta


class F1(Fbeta):
    """`Fbeta` with `beta=1`: the harmonic mean of precision and recall, per class."""

    def __init__(self):
        super().__init__(1.0)
