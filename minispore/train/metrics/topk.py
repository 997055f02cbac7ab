"""`TopKCategoricalAccuracy` and its `Top1`/`Top5` shorthands (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.train.metrics.metric import Metric, _as_indices, _no_samples, rearrange_inputs


class TopKCategoricalAccuracy(Metric):
    """The fraction of samples whose label is among the `k` highest predictions.

    Args:
        k (int): how many of the top predictions count; at least 1.

    Example:
        >>> m = TopKCategoricalAccuracy(2)
        >>> m.update(Tensor(np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])), Tensor(np.array([2, 2])))
        >>> m.eval()
        0.5
    """

    def __init__(self, k):
        super().__init__()
        if not isinstance(k, int) or isinstance(k, bool):
            raise TypeError(
                f"For '{type(self).__name__}', the argument 'k' must be an int, but got "
                f"{type(k).__name__}"
            )
        if k < 1:
            raise ValueError(
                f"For '{type(self).__name__}', the argument 'k' must be at least 1, but got {k}"
            )
        self.k = k
        self.clear()

    def clear(self):
        """Reset the counts."""
        self._correct_num = 0
        self._samples_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add a batch: `update(y_pred, y)`; `y` holds class indices or one-hot rows.

        Raises:
            ValueError: not 2 inputs.
        """
        y_pred, y = self._two_inputs(inputs)
        y = _as_indices(y_pred, y)
        indices = np.argsort(-y_pred, axis=1)[:, : self.k]
        repeated_y = y.reshape(-1, 1).repeat(self.k, axis=1)
        self._correct_num += int(np.equal(indices, repeated_y).sum())
        self._samples_num += repeated_y.shape[0]

    def eval(self):
        """The top-k accuracy, a float in [0, 1].

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
        """
        if self._samples_num == 0:
            raise _no_samples("TopKCategoricalAccuracy")
        return self._correct_num / self._samples_num


class Top1CategoricalAccuracy(TopKCategoricalAccuracy):
    """`TopKCategoricalAccuracy(1)`."""

    def __init__(self):
        super().__init__(1)


class Top5CategoricalAccuracy(TopKCategoricalAccuracy):
    """`TopKCategoricalAccuracy(5)`."""

    def __init__(self):
        super().__init__(5)
