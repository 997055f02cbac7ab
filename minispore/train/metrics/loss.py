"""`Loss`: the mean of the loss values of the batches (layer 5)."""

from __future__ import annotations

from minispore.train.metrics.metric import Metric, rearrange_inputs


class Loss(Metric):
    """The mean over batches of each batch's (mean) loss.

    Example:
        >>> m = Loss()
        >>> m.update(Tensor(np.array([1.0, 2.0])))
        >>> m.update(Tensor(np.float32(3.0)))
        >>> m.eval()
        2.25
    """

    def __init__(self):
        super().__init__()
        self.clear()

    def clear(self):
        """Reset the sum and the count."""
        self._sum_loss = 0
        self._total_num = 0

    @rearrange_inputs
    def update(self, *inputs):
        """Add one batch's loss: a scalar or a 1-D array (its mean is taken).

        Raises:
            ValueError: not exactly one input, or an input with more than one dimension.
        """
        if len(inputs) != 1:
            raise ValueError(f"For 'Loss.update', it needs 1 input (loss), but got {len(inputs)}")
        loss = self._convert_data(inputs[0])
        if loss.ndim == 0:
            loss = loss.reshape(1)
        if loss.ndim != 1:
            raise ValueError(
                f"For 'Loss.update', the input (loss) must be a scalar or 1-D, but got shape "
                f"{loss.shape}"
            )
        self._sum_loss += float(loss.mean(-1))
        self._total_num += 1

    def eval(self):
        """The mean loss, a float.

        Raises:
            RuntimeError: `update` was not called since the last `clear`.
        """
        if self._total_num == 0:
            raise RuntimeError(
                "The 'Loss' can not be calculated, because the number of samples is 0, please "
                "check whether has called update method before calling eval method."
            )
        return self._sum_loss / self._total_num
