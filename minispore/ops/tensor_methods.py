"""Tensor methods (`t.sum()`, `t.reshape(2, 3)`, ...) with the signatures of MindSpore's Tensor.

They delegate to `minispore.ops`; installed on `Tensor` when `minispore.ops` is imported (the
Tensor class itself sits below the functional API and cannot import it).
"""

from __future__ import annotations

import types

from minispore.ops import array as A
from minispore.ops import linalg as L
from minispore.ops import math as M
from minispore.ops import nn_func as F
from minispore.tensor import Tensor


def _shape_args(shape, op):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    if len(shape) == 1 and isinstance(shape[0], Tensor):
        return tuple(shape[0].tolist())
    return shape


def reshape(self, *shape):
    """`t.reshape(2, 3)` or `t.reshape((2, 3))`."""
    return A.reshape(self, _shape_args(shape, "reshape"))


def transpose(self, *axes):
    """`t.transpose()` reverses the axes; `t.transpose(1, 0)` permutes them."""
    axes = _shape_args(axes, "transpose")
    if not axes:
        axes = tuple(range(self.ndim))[::-1]
    return A.transpose(self, axes)


def permute(self, *axis):
    return A.permute(self, _shape_args(axis, "permute"))


def sum(self, axis=None, dtype=None, keepdims=False, initial=None):
    out = M.sum(self, axis, keepdims, dtype=dtype)
    return out if initial is None else out + initial


def max(self, axis=None, keepdims=False, *, initial=None, where=True, return_indices=False):
    """The maximum values (Tensor.max returns values only, unlike ops.max)."""
    out = M.amax(self, axis, keepdims)
    if return_indices:
        return out, M.argmax(self, axis, keepdims)
    return out


def min(self, axis=None, keepdims=False, *, initial=None, where=True, return_indices=False):
    out = M.amin(self, axis, keepdims)
    if return_indices:
        return out, M.argmin(self, axis, keepdims)
    return out


def flatten(self, order="C", *, start_dim=0, end_dim=-1):
    """Tensor.flatten flattens everything by default (start_dim=0), unlike ops.flatten."""
    return A.flatten(self, order, start_dim=start_dim, end_dim=end_dim)


def clip(self, min=None, max=None):
    return M.clamp(self, min, max)


def _shape_of(other, op):
    if not isinstance(other, Tensor):
        raise TypeError(f"For '{op}', 'other' must be a Tensor, but got {type(other).__name__}")
    return other.shape


def _cast_to(name):
    from minispore import dtype as mstype

    target = getattr(mstype, name)
    return lambda self: A.cast(self, target)


_METHODS = {
    "reshape": reshape,
    "view": reshape,
    "transpose": transpose,
    "permute": permute,
    "sum": sum,
    "max": max,
    "min": min,
    "flatten": flatten,
    "clip": clip,
    "clamp": clip,
    "mean": lambda self, axis=None, keep_dims=False: M.mean(self, axis, keep_dims),
    "prod": lambda self, axis=None, keep_dims=False, dtype=None: M.prod(
        self, axis, keep_dims, dtype
    ),
    "argmax": lambda self, axis=None, keepdims=False: M.argmax(self, axis, keepdims),
    "argmin": lambda self, axis=None, keepdims=False: M.argmin(self, axis, keepdims),
    "std": lambda self, axis=None, ddof=0, keepdims=False: M.std(self, axis, ddof, keepdims),
    "var": lambda self, axis=None, ddof=0, keepdims=False: M.var(self, axis, ddof, keepdims),
    "norm": lambda self, ord=None, dim=None, keepdim=False, *, dtype=None: M.norm(
        self, ord, dim, keepdim, dtype=dtype
    ),
    "all": lambda self, axis=None, keep_dims=False: M.all(self, axis, keep_dims),
    "any": lambda self, axis=None, keep_dims=False: M.any(self, axis, keep_dims),
    "logsumexp": lambda self, axis, keepdims=False: M.logsumexp(self, axis, keepdims),
    "cumsum": lambda self, axis=None, dtype=None: M.cumsum(
        self, 0 if axis is None else axis, dtype
    ),
    "squeeze": lambda self, axis=None: A.squeeze(self, axis),
    "expand_dims": lambda self, axis: A.expand_dims(self, axis),
    "unsqueeze": lambda self, dim: A.unsqueeze(self, dim),
    "swapaxes": lambda self, axis0, axis1: A.swapaxes(self, axis0, axis1),
    "ravel": lambda self: A.reshape(self, (-1,)),
    "broadcast_to": lambda self, shape: A.broadcast_to(self, shape),
    "expand_as": lambda self, other: A.broadcast_to(self, _shape_of(other, "expand_as")),
    "tile": lambda self, reps: A.tile(self, reps),
    "gather": lambda self, input_indices, axis, batch_dims=0: A.gather(
        self, input_indices, axis, batch_dims
    ),
    "index_select": lambda self, axis, index: A.index_select(self, axis, index),
    "masked_fill": lambda self, mask, value: A.masked_fill(self, mask, value),
    "split": lambda self, split_size_or_sections, axis=0: A.split(
        self, split_size_or_sections, axis
    ),
    "chunk": lambda self, chunks, axis=0: A.chunk(self, chunks, axis),
    "matmul": lambda self, tensor2: L.matmul(self, tensor2),
    "dot": lambda self, other: L.dot(self, other),
    "softmax": lambda self, axis=-1: F.softmax(self, axis),
    "log_softmax": lambda self, axis=-1: F.log_softmax(self, axis),
    "pow": lambda self, exponent: M.pow(self, exponent),
    "add": lambda self, other: M.add(self, other),
    "sub": lambda self, other: M.sub(self, other),
    "mul": lambda self, other: M.mul(self, other),
    "div": lambda self, other, *, rounding_mode=None: M.div(
        self, other, rounding_mode=rounding_mode
    ),
    "maximum": lambda self, other: M.maximum(self, other),
    "minimum": lambda self, other: M.minimum(self, other),
    "where": lambda self, condition, y: M.where(condition, self, y),
    "float": _cast_to("float32"),
    "half": _cast_to("float16"),
    "double": _cast_to("float64"),
    "int": _cast_to("int32"),
    "long": _cast_to("int64"),
    "bool": _cast_to("bool_"),
}

for _name in (
    "abs",
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "rsqrt",
    "square",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "relu",
    "neg",
    "sign",
    "floor",
    "ceil",
    "round",
    "erf",
    "reciprocal",
    "isnan",
    "isinf",
    "isfinite",
    "logical_not",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
):
    _fn = getattr(M, _name)
    _METHODS.setdefault(_name, (lambda f: lambda self: f(self))(_fn))


def _named(fn, name):
    """A copy of `fn` named `Tensor.<name>`, so tracebacks and arity errors read well."""
    out = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__, fn.__closure__)
    out.__kwdefaults__ = fn.__kwdefaults__
    out.__doc__ = fn.__doc__ or f"Method form of the `{name}` operation."
    out.__qualname__ = f"Tensor.{name}"
    return out


for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _named(_fn, _name))
