"""`Accuracy`: the share of correctly predicted samples (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.train.metrics.metric import EvaluationBase, _no_samples, rearrange_inputs


class Accuracy(EvaluationBase):
    """The fraction of samples whose predicted class (argmax of `y_pred`) equals the label.

    With `eval_type='multilabel'`, a sample counts as correct when all of its 0/1 labels match.

    Args:
        eval_type (str): 'classification' (default) or 'multilabel'.

    Example:
        >>> m = Accuracy()
        >>> m.update(Tensor(np.array([[0.2, 0.8], [0.6, 0.4]])), Tensor(np.array([1, 1])))
        >>> m.eval()
        0.5

    Note:
        `eval()` returns a Python float (MindSpore: numpy.float64, the same value).
    """

    def __init__(self, eval_type="classification"):
        super().__init__(eval_type)
        self.clear()

    def clear(self):
        """Reset the counts."""
        self._correct_num = 0
        self._total_num = 0
        self._class_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y` holds class indices or one-hot rows.

        Raises:
            ValueError: not 2 inputs, mismatched shapes, or a class count that changed.
        """
        y_pred, y = self._check_inputs(inputs)
        self._check_class_num(y_pred)
        if self._type == "classification":
            result = np.equal(y_pred.argmax(axis=1), y).reshape(-1)
        else:
            last = y_pred.ndim - 1
            y_pred = y_pred.swapaxes(1, last).reshape(-1, self._class_num)
            y = y.swapaxes(1, last).reshape(-1, self._class_num)
            result = np.equal(y_pred, y).all(axis=1)
        self._correct_num += int(result.sum())
        self._total_num += result.shape[0]

    def eval(self):
        """The accuracy, a float in [0, 1].

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
        """
        if self._total_num == 0:
            raise _no_samples("Accuracy")
        return self._correct_num / self._total_num
