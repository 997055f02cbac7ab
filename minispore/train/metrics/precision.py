"""`Precision` and `Recall`, per class or averaged (layer 5)."""

from __future__ import annotations

import sys

import numpy as np

from minispore.train.metrics.metric import (
    EvaluationBase,
    _check_average,
    _no_samples,
    _one_hot_pair,
    rearrange_inputs,
)


class _PerClass(EvaluationBase):
    """Shared counting: true positives over a denominator (`_COUNT`: 'predicted' or 'actual')."""

    _COUNT = "predicted"

    def __init__(self, eval_type="classification"):
        super().__init__(eval_type)
        self.eps = sys.float_info.min
        self.clear()

    def clear(self):
        """Reset the counts."""
        self._class_num = 0
        if self._type == "multilabel":
            self._true_positives = np.empty(0)
            self._denominator = np.empty(0)
            self._true_positives_average = 0
            self._denominator_average = 0
        else:
            self._true_positives = 0
            self._denominator = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y` holds class indices or one-hot rows.

        Raises:
            ValueError: not 2 inputs, mismatched shapes, a label beyond the predicted classes,
                or a class count that changed.
        """
        name = type(self).__name__
        y_pred, y = self._check_inputs(inputs)
        self._check_class_num(y_pred)
        class_num = self._class_num
        if self._type == "classification":
            y, y_pred = _one_hot_pair(y_pred, y, class_num, name)
        else:
            # NOTE: as MindSpore, multilabel counts per sample (axis 0 after this transpose).
            y_pred = y_pred.swapaxes(1, 0).reshape(class_num, -1)
            y = y.swapaxes(1, 0).reshape(class_num, -1)
        denominator = (y_pred if self._COUNT == "predicted" else y).sum(axis=0)
        true_positives = (y * y_pred).sum(axis=0)
        if self._type == "multilabel":
            self._true_positives_average += np.sum(true_positives / (denominator + self.eps))
            self._denominator_average += len(denominator)
            self._true_positives = np.concatenate((self._true_positives, true_positives))
            self._denominator = np.concatenate((self._denominator, denominator))
        else:
            self._true_positives = self._true_positives + true_positives
            self._denominator = self._denominator + denominator

    def eval(self, average=False):
        """Per-class values (an ndarray), or their mean (a float) when `average` is True.

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
            TypeError: `average` is not a bool.
        """
        if self._class_num == 0:
            raise _no_samples(type(self).__name__)
        _check_average(average, type(self).__name__)
        result = self._true_positives / (self._denominator + self.eps)
        if average:
            if self._type == "multilabel":
                result = self._true_positives_average / (self._denominator_average + self.eps)
            return float(np.mean(result))
        return result


class Precision(_PerClass):
    """Precision, `TP / (TP + FP)`, per class: of the samples predicted as a class, how many are.

    Args:
        eval_type (str): 'classification' (default) or 'multilabel'.

    Example:
        >>> m = Precision()
        >>> m.update(Tensor(np.array([[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]])), Tensor(np.array([1, 1, 0])))
        >>> m.eval()
        array([0. , 0.5])
    """

    _COUNT = "predicted"


class Recall(_PerClass):
    """Recall, `TP / (TP + FN)`, per class: of the samples of a class, how many were found.

    Args:
        eval_type (str): 'classification' (default) or 'multilabel'.

    Example:
        >>> m = Recall()
        >>> m.update(Tensor(np.array([[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]])), Tensor(np.array([1, 1, 0])))
        >>> m.eval()
        array([0. , 0.5])
    """

    _COUNT = "actual"
