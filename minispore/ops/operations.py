"""MindSpore's operator classes (`ops.Sin()`, `ops.MatMul()`, `ops.GradOperation()`, ...):
instantiate with the attributes, then call with the inputs. Each delegates to the functional API."""

from __future__ import annotations

from minispore import transforms as T
from minispore.ops import array as A
from minispore.ops import linalg as L
from minispore.ops import math as M
from minispore.ops import nn_func as F


class PrimitiveOp:
    """Base of the operator classes; subclasses set `fn` and, if they take attributes, `__init__`."""

    fn = None

    def __call__(self, *args):
        return type(self).fn(*args)

    def __repr__(self):
        return f"Prim[{type(self).__name__}]"


def _op(name, fn):
    return type(
        name,
        (PrimitiveOp,),
        {"fn": staticmethod(fn), "__doc__": f"Operator form of `ops.{fn.__name__}`."},
    )


# Operator classes without attributes: name -> the functional op they call.
_SIMPLE = {
    "Add": M.add, "Sub": M.sub, "Mul": M.mul, "Div": M.div, "RealDiv": M.div, "Pow": M.pow,
    "Exp": M.exp, "Log": M.log, "Sqrt": M.sqrt, "Rsqrt": M.rsqrt, "Square": M.square,
    "Sin": M.sin, "Cos": M.cos, "Tan": M.tan, "Tanh": M.tanh, "Sigmoid": M.sigmoid,
    "ReLU": M.relu, "Abs": M.abs, "Neg": M.neg, "Maximum": M.maximum, "Minimum": M.minimum,
    "Erf": M.erf, "Log1p": M.log1p, "Equal": M.equal, "Greater": M.greater, "Less": M.less,
    "Select": M.where, "OnesLike": A.ones_like, "ZerosLike": A.zeros_like,
    "Reshape": A.reshape, "Cast": A.cast, "Transpose": A.transpose,
    "ExpandDims": A.expand_dims, "Tile": A.tile, "Shape": A.shape,
}  # fmt: skip
globals().update({name: _op(name, fn) for name, fn in _SIMPLE.items()})


class MatMul(PrimitiveOp):
    """`ops.MatMul(transpose_a=False, transpose_b=False)`."""

    def __init__(self, transpose_a=False, transpose_b=False):
        self.transpose_a, self.transpose_b = transpose_a, transpose_b

    def __call__(self, x, y):
        if self.transpose_a:
            x = A.swapaxes(x, -1, -2)
        if self.transpose_b:
            y = A.swapaxes(y, -1, -2)
        return L.matmul(x, y)


class BatchMatMul(MatMul):
    pass


class _Reduce(PrimitiveOp):
    reducer = None

    def __init__(self, keep_dims=False):
        self.keep_dims = keep_dims

    def __call__(self, x, axis=()):
        axis = None if axis == () else axis
        return type(self).reducer(x, axis, self.keep_dims)


class ReduceSum(_Reduce):
    reducer = staticmethod(M.reduce_sum)


class ReduceMean(_Reduce):
    reducer = staticmethod(M.mean)


class ReduceMax(_Reduce):
    reducer = staticmethod(M.amax)


class ReduceMin(_Reduce):
    reducer = staticmethod(M.amin)


class ReduceProd(_Reduce):
    reducer = staticmethod(M.prod)


class _Axis(PrimitiveOp):
    def __init__(self, axis=-1):
        self.axis = axis


class Softmax(_Axis):
    def __call__(self, x):
        return F.softmax(x, self.axis)


class LogSoftmax(_Axis):
    def __call__(self, x):
        return F.log_softmax(x, self.axis)


class Concat(_Axis):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, tensors):
        return A.concat(tensors, self.axis)


class Stack(Concat):
    def __call__(self, tensors):
        return A.stack(tensors, self.axis)


class Squeeze(PrimitiveOp):
    def __init__(self, axis=()):
        self.axis = axis

    def __call__(self, x):
        return A.squeeze(x, None if self.axis == () else self.axis)


class BroadcastTo(PrimitiveOp):
    def __init__(self, shape):
        self.shape = shape

    def __call__(self, x):
        return A.broadcast_to(x, self.shape)


class GradOperation:
    """MindSpore's older `GradOperation(get_all=False, get_by_list=False, sens_param=False)`:
    `GradOperation()(net)(*inputs)` is the gradient of the first input, `get_all` gives all
    inputs' gradients, `get_by_list` those of the `weights` passed as `grad_op(net, weights)`."""

    def __init__(self, get_all=False, get_by_list=False, sens_param=False):
        self.get_all, self.get_by_list, self.sens_param = get_all, get_by_list, sens_param

    def __call__(self, fn, weights=None):
        if self.get_by_list and weights is None:
            raise ValueError(
                "GradOperation(get_by_list=True) must be called as grad_op(fn, weights)"
            )

        def grad_fn(*args):
            nargs = len(args) - (1 if self.sens_param else 0)
            pos = tuple(range(nargs)) if self.get_all else 0
            if self.get_by_list and not self.get_all:
                pos = None
            w = list(weights) if self.get_by_list else None
            g = T.grad(fn, pos, w, sens_param=self.sens_param)(*args)
            if self.get_all and not self.get_by_list and nargs == 1:
                return (g,)
            if self.get_all and self.get_by_list and nargs == 1:
                return ((g[0],), g[1])
            return g

        return grad_fn
