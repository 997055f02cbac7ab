"""`Metric`, the base of every evaluation metric, and the helpers metrics share (layer 5).

Metrics accumulate over batches on the host in NumPy: `clear()` resets, `update(*inputs)` adds a
batch (Tensors, NumPy arrays or lists), `eval()` gives the result, as `mindspore.train.Metric`.
"""

from __future__ import annotations

import functools
import numbers
from abc import ABCMeta, abstractmethod

import numpy as np

from minispore.tensor import Tensor

_EVAL_TYPES = {"classification", "multilabel"}


def rearrange_inputs(func):
    """Decorator for `update`: reorders its inputs by the metric's `indexes` (see `set_indexes`).

    Example:
        >>> class Pick(Metric):
        ...     def clear(self): pass
        ...     def eval(self): pass
        ...     @rearrange_inputs
        ...     def update(self, *inputs):
        ...         return inputs
        >>> Pick().set_indexes([1, 0]).update(5, 9)
        (9, 5)
    """

    @functools.wraps(func)
    def wrapper(self, *inputs):
        indexes = self.indexes
        inputs = inputs if not indexes else tuple(inputs[i] for i in indexes)
        return func(self, *inputs)

    return wrapper


class Metric(metaclass=ABCMeta):
    """Base class of metrics: subclasses define `clear`, `update` and `eval`.

    Calling a metric (`metric(y_pred, y)`) clears it, updates it once and returns `eval()`.

    Example:
        >>> class MyMAE(Metric):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.clear()
        ...     def clear(self):
        ...         self._sum, self._n = 0.0, 0
        ...     @rearrange_inputs
        ...     def update(self, *inputs):
        ...         y_pred, y = self._convert_data(inputs[0]), self._convert_data(inputs[1])
        ...         self._sum += np.abs(y - y_pred).sum()
        ...         self._n += y.shape[0]
        ...     def eval(self):
        ...         return self._sum / self._n
    """

    def __init__(self):
        self._indexes = None

    def _convert_data(self, data):
        """`data` as an ndarray: Tensors, ndarrays, lists and numbers are accepted."""
        if isinstance(data, Tensor):
            return data.asnumpy()
        if isinstance(data, np.ndarray):
            return data
        if isinstance(data, (list, np.generic, numbers.Number)) and not isinstance(data, bool):
            return np.array(data)
        raise TypeError(
            f"For '{type(self).__name__}', the input data type must be Tensor, list or "
            f"numpy.ndarray, but got {type(data).__name__}"
        )

    def _two_inputs(self, inputs):
        """`update`'s `(y_pred, y)` as arrays.

        Raises:
            ValueError: there are not exactly 2 inputs.
        """
        if len(inputs) != 2:
            raise ValueError(
                f"For '{type(self).__name__}.update', it needs 2 inputs (predicted value, true "
                f"value), but got {len(inputs)}"
            )
        return self._convert_data(inputs[0]), self._convert_data(inputs[1])

    def _check_class_num(self, y_pred):
        """Fix the class count (axis 1 of `y_pred`) at the first batch and hold later ones to it.

        For metrics that count classes: their `clear` sets `self._class_num = 0`.
        """
        if self._class_num == 0:
            self._class_num = y_pred.shape[1]
        elif y_pred.shape[1] != self._class_num:
            raise ValueError(
                f"For '{type(self).__name__}.update', class number not match: earlier inputs had "
                f"{self._class_num} classes, but the current predicted value (inputs[0]) has "
                f"{y_pred.shape[1]} (shape {y_pred.shape})"
            )

    @property
    def indexes(self):
        """The `update` input order set by `set_indexes` (None: inputs as given)."""
        return getattr(self, "_indexes", None)

    def set_indexes(self, indexes):
        """Choose and reorder `update`'s inputs: `[2, 1]` passes `(inputs[2], inputs[1])`.

        Args:
            indexes (list[int]): positions of the inputs to use, in order.

        Returns:
            Metric: self.

        Raises:
            ValueError: `indexes` is not a list of ints.
        """
        if not isinstance(indexes, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in indexes
        ):
            raise ValueError(
                f"For '{type(self).__name__}.set_indexes', the argument 'indexes' must be a list "
                f"of int, but got {indexes!r}"
            )
        self._indexes = indexes
        return self

    def __call__(self, *inputs):
        self.clear()
        self.update(*inputs)
        return self.eval()

    @abstractmethod
    def clear(self):
        """Reset the accumulated state."""

    @abstractmethod
    def eval(self):
        """The metric over everything passed to `update` since `clear`."""

    @abstractmethod
    def update(self, *inputs):
        """Accumulate one batch (usually predictions and labels)."""


class EvaluationBase(Metric):
    """Base of the metrics with an `eval_type` ('classification' or 'multilabel')."""

    def __init__(self, eval_type):
        super().__init__()
        if eval_type not in _EVAL_TYPES:
            raise TypeError(
                f"For '{type(self).__name__}', the argument 'eval_type' must be in "
                f"['classification', 'multilabel'], but got {eval_type!r}"
            )
        self._type = eval_type

    def _check_inputs(self, inputs):
        """`(y_pred, y)` as arrays, one-hot labels turned into class indices, shapes checked."""
        name = type(self).__name__
        y_pred, y = self._two_inputs(inputs)
        if self._type == "classification":
            y = _as_indices(y_pred, y)
        self._check_shape(y_pred, y)
        if self._type != "classification" and not (
            np.equal(y_pred**2, y_pred).all() and np.equal(y**2, y).all()
        ):
            raise ValueError(
                f"For '{name}.update', in the multilabel case all elements of y_pred (predicted "
                "value) and y (true value) must be 0 or 1"
            )
        return y_pred, y

    def _check_shape(self, y_pred, y):
        name = type(self).__name__
        if self._type == "classification":
            if y_pred.ndim != y.ndim + 1:
                raise ValueError(
                    f"For '{name}.update', in the classification case y_pred (predicted value) "
                    "must have one dimension more than y (true value), but got y_pred shape "
                    f"{y_pred.shape} and y shape {y.shape}"
                )
            if y.shape != (y_pred.shape[0],) + y_pred.shape[2:]:
                raise ValueError(
                    f"For '{name}.update', in the classification case y (true value) must have "
                    "y_pred's shape without its axis 1 (e.g. y_pred (1, 2, 3) and y (1, 3)), but "
                    f"got y_pred shape {y_pred.shape} and y shape {y.shape}"
                )
        elif y_pred.shape != y.shape:
            raise ValueError(
                f"For '{name}.update', in the {self._type} case y_pred (predicted value) and y "
                f"(true value) must have the same shape, but got {y_pred.shape} and {y.shape}"
            )


def _is_onehot(data):
    """Whether `data` is one-hot along axis 1."""
    if data.ndim > 1 and np.equal(data**2, data).all():
        shp = (data.shape[0],) + data.shape[2:]
        if np.equal(np.ones(shp), data.sum(axis=1)).all():
            return True
    return False


def _as_indices(y_pred, y):
    """Labels `y` as class indices: one-hot rows (as many axes as `y_pred`) become argmaxes."""
    if y_pred.ndim == y.ndim and _is_onehot(y):
        return y.argmax(axis=1)
    return y


def _one_hot_pair(y_pred, y, class_num, name):
    """`(y, y_pred)` as one-hot rows of `class_num` classes: `y` from indices, `y_pred` from
    its argmax along axis 1.

    Raises:
        ValueError: a label of `y` is beyond the `class_num` predicted classes.
    """
    if y.max() + 1 > class_num:
        raise ValueError(
            f"For '{name}.update', the true value (inputs[1]) has labels up to {y.max()}, but "
            f"the predicted value (inputs[0]) has only {class_num} classes"
        )
    eye = np.eye(class_num)
    return eye[y.reshape(-1)], eye[y_pred.argmax(axis=1).reshape(-1)]


def _check_average(average, owner):
    if not isinstance(average, bool):
        raise TypeError(
            f"For '{owner}.eval', the argument 'average' must be a bool, but got "
            f"{type(average).__name__}"
        )


def _no_samples(owner):
    return RuntimeError(
        f"The '{owner}' can not be calculated, because the number of samples is 0, please check "
        "whether your inputs (predicted value, true value) are empty, or has called update method "
        "before calling eval method."
    )
