"""The optimizers' learning-rate and weight-decay cells: fixed, per-step, per-parameter (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import Tracer
from minispore.nn.cell import Cell
from minispore.nn.learning_rate_schedule import LearningRateSchedule
from minispore.parameter import Parameter
from minispore.prims import elementwise as E
from minispore.prims import shape as S
from minispore.prims.indexing import index_value
from minispore.tensor import Tensor, _wrap

F32 = np.float32


class _ConvertToCell(LearningRateSchedule):
    """A fixed group learning rate among dynamic ones: returns its Parameter's value."""

    def __init__(self, learning_rate):
        super().__init__()
        self.learning_rate = learning_rate

    def construct(self, global_step):
        # NOTE: MindSpore computes `lr + 1.0 - 1.0` in float32 here, which rounds the rate
        # (0.05 becomes 0.04999995); kept so grouped dynamic learning rates agree.
        shape = global_step.shape if isinstance(global_step, Tensor) else ()
        v = self.learning_rate._value
        if isinstance(v, Tracer):  # inside jit: the rate Parameter is a graph input
            return _wrap(S.broadcast_to(E.sub(E.add(v, F32(1.0)), F32(1.0)), shape=tuple(shape)))
        v = (v + F32(1.0)) - F32(1.0)
        return _wrap(np.full(shape, v, F32))


class _IteratorLearningRate(LearningRateSchedule):
    """A learning rate per step, from a 1-D list or Tensor: step `i` takes value `i`."""

    def __init__(self, learning_rate, name):
        super().__init__()
        self.learning_rate = Parameter(learning_rate, name)

    def construct(self, global_step):
        values = self.learning_rate._value
        raw = global_step._value if isinstance(global_step, Tensor) else global_step
        if isinstance(raw, Tracer) or isinstance(values, Tracer):
            # Inside jit: the step is only known when the graph runs (its range is not checked).
            return _wrap(index_value(values, raw))
        step = np.asarray(
            global_step._concrete() if isinstance(global_step, Tensor) else global_step
        )
        if step.size and (step.min() < 0 or step.max() >= values.shape[0]):
            raise RuntimeError(
                f"For 'Optimizer', the dynamic learning rate '{self.learning_rate.name}' has "
                f"{values.shape[0]} values, but the global step is {step.tolist()}: give a value "
                "for every training step"
            )
        return _wrap(values[step])


class _LearningRateList(Cell):
    """One learning-rate cell per parameter (MindSpore's CellList of grouped dynamic rates)."""

    def __init__(self, cells):
        super().__init__(auto_prefix=False)
        self._items = tuple(cells)
        for i, c in enumerate(self._items):
            self.insert_child_to_cell(str(i), c)

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, i):
        return self._items[i]


class _WrappedWeightDecay(Cell):
    """A dynamic weight decay times the loss scale."""

    def __init__(self, weight_decay, loss_scale=1.0):
        super().__init__()
        self.weight_decay = weight_decay
        self.loss_scale = loss_scale

    def construct(self, global_step):
        return self.weight_decay(global_step) * self.loss_scale


def _scalar(value, what, owner):
    """The single value of a schedule's output, as a float."""
    a = np.asarray(value._concrete() if isinstance(value, Tensor) else value)
    if a.size != 1:
        raise ValueError(
            f"For '{owner}', the {what} schedule must return one value, but returned shape {a.shape}"
        )
    return float(a.reshape(()))
