"""Loss cells (layer 5). Each delegates to its functional counterpart in `minispore.ops`, with
MindSpore's class names, argument orders and defaults (note `SmoothL1Loss` and
`SoftmaxCrossEntropyWithLogits` default to reduction='none', as in MindSpore)."""

from __future__ import annotations

from minispore import ops
from minispore.nn.cell import Cell
from minispore.ops._utils import value
from minispore.ops.nn_func import _check_reduction, _reduce
from minispore.prims import elementwise as E
from minispore.prims import nn as N
from minispore.prims import reduction as R
from minispore.tensor import _wrap


class LossBase(Cell):
    """Base of loss cells; `reduction` is 'mean', 'sum' or 'none'."""

    _reductions = ("mean", "sum", "none")

    def __init__(self, reduction="mean"):
        super().__init__()
        _check_reduction(reduction, type(self).__name__, self._reductions)
        self.reduction = reduction

    def get_loss(self, x, weights=1.0):
        """Apply `weights` and the reduction to an elementwise loss `x`."""
        if not (isinstance(weights, float) and weights == 1.0):
            x = ops.mul(x, weights)
        return _wrap(_reduce(x._value, self.reduction))

    def extend_repr(self):
        return ""


class MSELoss(LossBase):
    """Mean squared error: (logits - labels)^2, reduced."""

    def construct(self, logits, labels):
        return ops.mse_loss(logits, labels, self.reduction)


class L1Loss(LossBase):
    """Mean absolute error: |logits - labels|, reduced."""

    def construct(self, logits, labels):
        return ops.l1_loss(logits, labels, self.reduction)


class SmoothL1Loss(LossBase):
    """Smooth L1 loss; MindSpore's default reduction is 'none'."""

    def __init__(self, beta=1.0, reduction="none"):
        super().__init__(reduction)
        self.beta = beta

    def construct(self, logits, labels):
        return ops.smooth_l1_loss(logits, labels, self.beta, self.reduction)


class HuberLoss(LossBase):
    """Huber loss with threshold `delta`."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def construct(self, logits, labels):
        return ops.huber_loss(logits, labels, self.reduction, self.delta)


class BCELoss(LossBase):
    """Binary cross entropy on probabilities. A `weight` that broadcasts is applied correctly
    (MindSpore 2.10 zeroes rows after the first with reduction='none'; see docs/differences.md)."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.weight = weight

    def construct(self, logits, labels):
        return ops.binary_cross_entropy(logits, labels, self.weight, self.reduction)


class BCEWithLogitsLoss(LossBase):
    """Sigmoid + binary cross entropy on logits; `weight` and `pos_weight` as in
    `ops.binary_cross_entropy_with_logits`."""

    def __init__(self, reduction="mean", weight=None, pos_weight=None):
        super().__init__(reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def construct(self, logits, labels):
        return ops.binary_cross_entropy_with_logits(
            logits, labels, self.weight, self.pos_weight, self.reduction
        )


class CrossEntropyLoss(LossBase):
    """Cross entropy of logits against class indices (int32 or int64) or probabilities."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction)
        self.weight = weight
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def construct(self, logits, labels):
        return ops.cross_entropy(
            logits, labels, self.weight, self.ignore_index, self.reduction, self.label_smoothing
        )


class NLLLoss(LossBase):
    """Negative log-likelihood of class indices given log-probabilities."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction)
        self.weight = weight
        self.ignore_index = ignore_index

    def construct(self, logits, labels):
        return ops.nll_loss(logits, labels, self.weight, self.ignore_index, self.reduction)


class KLDivLoss(LossBase):
    """KL divergence; `logits` are log-probabilities, `labels` probabilities. 'mean' averages
    over elements, 'batchmean' divides the sum by the batch size."""

    _reductions = ("mean", "sum", "none", "batchmean")

    def construct(self, logits, labels):
        return ops.kl_div(logits, labels, self.reduction)


class SoftmaxCrossEntropyWithLogits(LossBase):
    """Softmax cross entropy per sample: labels are one-hot/probabilities, or class indices
    with `sparse=True`. MindSpore's default reduction is 'none'."""

    def __init__(self, sparse=False, reduction="none"):
        super().__init__(reduction)
        self.sparse = sparse

    def construct(self, logits, labels):
        x = value(logits, "SoftmaxCrossEntropyWithLogits", "logits")
        if self.sparse:
            loss = ops.cross_entropy(logits, labels, reduction="none")._value
        else:
            y = value(labels, "SoftmaxCrossEntropyWithLogits", "labels")
            if tuple(y.shape) != tuple(x.shape):
                raise ValueError(
                    f"For 'SoftmaxCrossEntropyWithLogits', 'labels' must have the logits' shape "
                    f"{tuple(x.shape)} (or pass sparse=True for class indices), but got {tuple(y.shape)}"
                )
            if y.dtype != x.dtype:
                y = E.cast(y, dtype=x.dtype)
            loss = E.neg(
                R.reduce_sum(
                    E.mul(N.log_softmax(x, axis=x.ndim - 1), y), axis=(x.ndim - 1,), keepdims=False
                )
            )
        return _wrap(_reduce(loss, self.reduction))
