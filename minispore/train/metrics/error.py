"""`MAE` and `MSE`: mean absolute and mean squared error per sample (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.train.metrics.metric import Metric, _no_samples, rearrange_inputs


class _ErrorSum(Metric):
    def __init__(self):
        super().__init__()
        self.clear()

    def clear(self):
        """Reset the sum and the count."""
        self._error_sum = 0.0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y` is reshaped to `y_pred`'s shape.

        Raises:
            ValueError: not 2 inputs, or `y` cannot take `y_pred`'s shape.
        """
        name = type(self).__name__
        y_pred, y = self._two_inputs(inputs)
        if y.size != y_pred.size:
            raise ValueError(
                f"For '{name}.update', the true value (inputs[1]) must have as many elements as "
                f"the predicted value (inputs[0]), but got shapes {y.shape} and {y_pred.shape}"
            )
        self._error_sum += float(self._error(y.reshape(y_pred.shape) - y_pred).sum())
        self._samples_num += y.shape[0]

    def eval(self):
        """The summed error divided by the number of samples (rows), a float.

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
        """
        if self._samples_num == 0:
            raise _no_samples(type(self).__name__)
        return self._error_sum / self._samples_num


class MAE(_ErrorSum):
    """Mean absolute error: `sum |y - y_pred| / N`, N the number of samples (rows)."""

    @staticmethod
    def _error(diff):
        return np.abs(diff)


class MSE(_ErrorSum):
    """Mean squared error: `sum (y - y_pred)^2 / N`, N the number of samples (rows)."""

    @staticmethod
    def _error(diff):
        return np.power(diff, 2)
