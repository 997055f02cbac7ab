"""`ConfusionMatrix`: counts of (true class, predicted class) pairs, optionally normalised."""

from __future__ import annotations

import numpy as np

from minispore.train.metrics.metric import Metric, rearrange_inputs

_NORMALIZE = ("no_norm", "target", "prediction", "all")


class ConfusionMatrix(Metric):
    """A `(num_classes, num_classes)` matrix: row = true class, column = predicted class.

    Args:
        num_classes (int): number of classes.
        normalize (str): 'no_norm' (counts), 'target' (rows sum to 1), 'prediction' (columns
            sum to 1) or 'all' (the whole matrix sums to 1).
        threshold (float): for predictions shaped like the labels and of a floating dtype,
            a prediction `>= threshold` counts as class 1.

    Example:
        >>> m = ConfusionMatrix(2)
        >>> m.update(Tensor(np.array([1, 0, 1, 1])), Tensor(np.array([1, 0, 0, 1])))
        >>> m.eval()
        array([[1., 1.],
               [0., 2.]])
    """

    def __init__(self, num_classes, normalize="no_norm", threshold=0.5):
        super().__init__()
        if not isinstance(num_classes, int) or isinstance(num_classes, bool):
            raise TypeError(
                "For 'ConfusionMatrix', the argument 'num_classes' must be an int, but got "
                f"{type(num_classes).__name__}"
            )
        if normalize not in _NORMALIZE:
            raise ValueError(
                "For 'ConfusionMatrix', the argument 'normalize' must be in ['no_norm', 'target', "
                f"'prediction', 'all'], but got {normalize!r}"
            )
        if not isinstance(threshold, float):
            raise TypeError(
                "For 'ConfusionMatrix', the argument 'threshold' must be a float, but got "
                f"{type(threshold).__name__}"
            )
        self.num_classes = num_classes
        self.normalize = normalize
        self.threshold = threshold
        self.clear()

    def clear(self):
        """Reset the matrix to zeros."""
        self.confusion_matrix = np.zeros((self.num_classes, self.num_classes))
        self._is_update = False

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y_pred` holds scores (one more axis than `y`),
        class indices, or floating scores thresholded at `threshold`.

        Raises:
            ValueError: not 2 inputs, dimensions that do not fit, or class indices outside
                `[0, num_classes)`.
        """
        y_pred, y = self._two_inputs(inputs)
        if not (y_pred.ndim == y.ndim or y_pred.ndim == y.ndim + 1):
            raise ValueError(
                "For 'ConfusionMatrix.update', the predicted value (inputs[0]) must have the true "
                "value's (inputs[1]) dimensions or one more, but got shapes "
                f"{y_pred.shape} and {y.shape}"
            )
        if y_pred.ndim == y.ndim + 1:
            y_pred = np.argmax(y_pred, axis=1)
        if y_pred.ndim == y.ndim and y_pred.dtype in (np.float16, np.float32, np.float64):
            y_pred = (y_pred >= self.threshold).astype(int)
        y, y_pred = y.reshape(-1).astype(int), y_pred.reshape(-1).astype(int)
        n = self.num_classes
        for what, v in (("true", y), ("predicted", y_pred)):
            if v.size and (v.min() < 0 or v.max() >= n):
                # NOTE: MindSpore lets such a value spill into a neighbouring cell; we refuse it.
                raise ValueError(
                    f"For 'ConfusionMatrix.update', the {what} classes must be in [0, {n}), but "
                    f"got values from {v.min()} to {v.max()}"
                )
        counts = np.bincount(y * n + y_pred, minlength=n * n)
        self.confusion_matrix += counts.reshape(n, n)
        self._is_update = True

    def eval(self):
        """The matrix, a float64 ndarray (rows or columns with no samples normalise to 0).

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
        """
        if not self._is_update:
            raise RuntimeError("Please call the 'update' method before calling 'eval' method.")
        matrix = self.confusion_matrix.astype(float)
        if self.normalize == "no_norm":
            return matrix
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.normalize == "target":
                matrix = matrix / matrix.sum(axis=1, keepdims=True)
            elif self.normalize == "prediction":
                matrix = matrix / matrix.sum(axis=0, keepdims=True)
            else:
                matrix = matrix / matrix.sum()
        matrix[np.isnan(matrix)] = 0
        return matrix
