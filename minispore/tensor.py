"""`Tensor`: the user's array, a thin shell around an ndarray or, while a transform runs, a tracer.

Operators unwrap their operands, apply MindSpore's type promotion, bind a primitive and wrap the
result. Results are built with `Tensor.__new__` and a slot assignment (`_wrap`), never through the
validating constructor, to keep the per-operation cost low.
"""

from __future__ import annotations

import numbers

import numpy as np

from minispore import dtype as mstype
from minispore._format import tensor_repr
from minispore._promote import promote
from minispore.core.capture import host_value, is_captured
from minispore.core.primitive import Tracer, concrete
from minispore.prims import elementwise as E
from minispore.prims import linalg as L
from minispore.prims import shape as S
from minispore.prims.indexing import index_update, index_value, split_index

_SCALARS = (int, float, bool)


def _infer_array(data, dtype):
    """Convert constructor input to an ndarray with MindSpore's dtype inference."""
    if isinstance(data, Tensor):
        arr = np.array(data._concrete(), copy=True)
    elif isinstance(data, np.ndarray):
        arr = np.array(data, copy=True)
    elif isinstance(data, np.generic):
        arr = np.array(data)
    elif isinstance(data, bool):
        arr = np.array(data, dtype=np.bool_)
    elif isinstance(data, numbers.Integral):
        arr = np.array(data, dtype=np.int64)
    elif isinstance(data, numbers.Real):
        arr = np.array(data, dtype=np.float32)
    elif isinstance(data, numbers.Complex):
        arr = np.array(data, dtype=np.complex64)
    elif isinstance(data, (list, tuple)):
        if any(isinstance(v, Tensor) for v in _flat(data)):
            data = _untensor(data)
        arr = np.array(data)
        if arr.dtype == object or arr.dtype.kind in "USO":
            raise TypeError(
                f"For 'Tensor', the input data must be numbers, lists of numbers or arrays, "
                f"but got {type(data).__name__} holding {arr.dtype} values"
            )
        if arr.dtype.kind in "iu":
            arr = arr.astype(np.int64)
        elif arr.dtype.kind == "f":
            arr = arr.astype(np.float32)
        elif arr.dtype.kind == "c":
            arr = arr.astype(np.complex64)
    else:
        raise TypeError(
            f"For 'Tensor', the input data must be a Tensor, numpy array, number, bool, list or "
            f"tuple, but got {type(data).__name__}"
        )
    if arr.dtype.kind == "f" and arr.dtype not in (np.float16, np.float32, np.float64):
        arr = arr.astype(np.float64)
    if dtype is not None:
        arr = arr.astype(mstype.to_numpy_dtype(dtype), copy=False)
    else:
        mstype.from_numpy_dtype(arr.dtype)  # reject dtypes MindSpore lacks (str, object...)
    return arr


def _flat(x):
    for v in x:
        if isinstance(v, (list, tuple)):
            yield from _flat(v)
        else:
            yield v


def _untensor(x):
    return [
        _untensor(v)
        if isinstance(v, (list, tuple))
        else (v.asnumpy() if isinstance(v, Tensor) else v)
        for v in x
    ]


def _wrap(value) -> Tensor:
    t = Tensor.__new__(Tensor)
    t._value = value
    return t


def _operand(x, op: str, side: str = "other"):
    """The raw value of an operator's operand: a tensor's value or a Python scalar."""
    if isinstance(x, Tensor):
        return x._value
    if type(x) in _SCALARS:
        return x
    if isinstance(x, np.generic) and x.ndim == 0 and x.dtype.kind in "biuf":
        return x.item()
    if isinstance(x, numbers.Number) and not isinstance(x, complex):
        return x
    raise TypeError(
        f"For '{op}', the '{side}' operand must be a Tensor or a Python number, but got "
        f"{type(x).__name__}"
        + (" (wrap NumPy arrays in Tensor(...) first)" if isinstance(x, np.ndarray) else "")
    )


def _binary(prim, x, y, op):
    a, b = promote(_operand(x, op, "input"), _operand(y, op))
    return _wrap(prim(a, b))


def _true_div(x, y, op="div"):
    a, b = promote(_operand(x, op, "input"), _operand(y, op))
    # NOTE: integer / integer is float32 in MindSpore (NumPy would give float64).
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        a = np.array(a, dtype=np.float32)
    if not isinstance(a, _SCALARS) and a.dtype.kind in "iub":
        a = E.cast(a, dtype=np.dtype(np.float32))
    if not isinstance(b, _SCALARS) and b.dtype.kind in "iub":
        b = E.cast(b, dtype=np.dtype(np.float32))
    return _wrap(E.div(a, b))


class Tensor:
    """A multi-dimensional array, MindSpore's `mindspore.Tensor`.

    Args:
        input_data: a Tensor, NumPy array, Python number, bool, or (nested) list/tuple.
            Python ints infer Int64, Python floats Float32, NumPy arrays keep their dtype.
        dtype: a `mindspore.dtype` to cast to.
        shape, init: with `input_data=None`, a shape and an initializer (a name such as
            ``'zeros'`` or an `Initializer`); the tensor prints as ``<uninitialized>`` until
            `init_data()` or `asnumpy()`, as in MindSpore (the data itself is made at once).
        const_arg, device: accepted for compatibility; they change nothing on the CPU.

    Example:
        >>> Tensor([1, 2]).dtype
        mindspore.int64
    """

    # `_lazy` is set only on tensors made from `init=`: they print as <uninitialized> until
    # init_data() or asnumpy(), as MindSpore's. It is never read on the compute path.
    __slots__ = ("_value", "_lazy", "__weakref__")
    __array_priority__ = 100
    __array_ufunc__ = None  # `ndarray + Tensor` defers to Tensor, which refuses it, as MindSpore

    def __init__(
        self, input_data=None, dtype=None, shape=None, init=None, const_arg=False, device=None
    ):
        if input_data is None:
            if init is None or shape is None:
                raise ValueError(
                    "For 'Tensor', give input_data, or both shape and init "
                    "(e.g. Tensor(shape=(2, 3), dtype=mindspore.float32, init='zeros'))"
                )
            from minispore.common.initializer import initializer

            self._value = initializer(
                init, shape, dtype if dtype is not None else mstype.float32
            )._value
            self._lazy = True
            return
        if shape is not None:
            raise ValueError("For 'Tensor', 'shape' is only used together with 'init'")
        if isinstance(input_data, Tensor) and is_captured(input_data._value):
            # Inside jit the copy is part of the graph; like the eager copy, it carries no
            # gradient.
            v = E.stop_gradient(input_data._value)
            if dtype is not None:
                v = E.cast(v, dtype=np.dtype(mstype.to_numpy_dtype(dtype)))
            self._value = v
            return
        self._value = _infer_array(input_data, dtype)

    @staticmethod
    def from_numpy(array: np.ndarray) -> Tensor:
        """A Tensor sharing memory with `array` (no copy)."""
        if not isinstance(array, np.ndarray):
            raise TypeError(
                f"For 'Tensor.from_numpy', expected a numpy array, got {type(array).__name__}"
            )
        mstype.from_numpy_dtype(array.dtype)
        return _wrap(array)

    def _concrete(self):
        return concrete(self._value)

    def _host(self, what):
        """The concrete value for a conversion `what`; raises CaptureError inside jit."""
        v = self._value
        return host_value(v, what) if isinstance(v, Tracer) else v

    # ---- attributes ------------------------------------------------------------------------
    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def dtype(self):
        return mstype.from_numpy_dtype(self._value.dtype)

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def size(self):
        return int(np.prod(self._value.shape, dtype=np.int64))

    @property
    def itemsize(self):
        return self._value.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.itemsize

    @property
    def strides(self):
        return self._concrete().strides

    @property
    def T(self):
        """The tensor with its axes reversed."""
        v = self._value
        if v.ndim < 2:
            return _wrap(v)
        return _wrap(S.transpose(v, perm=tuple(range(v.ndim))[::-1]))

    @property
    def mT(self):
        return _wrap(L.mT(self._value))

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return self._value.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d Tensor")
        for i in range(self._value.shape[0]):
            yield self[i]

    def __hash__(self):
        return id(self)

    # ---- conversion --------------------------------------------------------------------------
    def asnumpy(self) -> np.ndarray:
        """The data as a NumPy array; it shares memory with the tensor, as in MindSpore."""
        self._lazy = False
        return np.asarray(self._host("asnumpy()"))

    numpy = asnumpy

    def __array__(self, dtype=None, copy=None):
        a = np.asarray(self._host("conversion to a NumPy array"))
        return a if dtype is None else a.astype(dtype)

    def item(self, index=None):
        a = self._host("item()")
        if index is None and a.size != 1:
            raise ValueError(
                f"For 'Tensor.item', the tensor must have exactly one element, but its shape is {a.shape}"
            )
        return a.item() if index is None else a.item(index)

    def tolist(self):
        return self._host("tolist()").tolist()

    def __float__(self):
        self._host("float()")
        return float(self.item())

    def __int__(self):
        self._host("int()")
        return int(self.item())

    def __index__(self):
        if self._value.dtype.kind not in "iub":
            raise TypeError(f"only integer tensors can be used as an index, not {self.dtype}")
        self._host("use as a Python index")
        return int(self.item())

    def __bool__(self):
        v = self._value
        if v.size != 1:
            raise ValueError(
                f"The truth value of a Tensor with {v.size} elements (shape {tuple(v.shape)}) is "
                "ambiguous; use .any() or .all()"
            )
        return bool(host_value(v, "bool()") if isinstance(v, Tracer) else v)

    def init_data(self, slice_index=None, shape=None, opt_shard_group=None):
        """Materialise a tensor made with `init=` (its data is ready; this ends <uninitialized>)."""
        self._lazy = False
        return self

    def astype(self, dtype, copy=True):
        return _wrap(E.cast(self._value, dtype=mstype.to_numpy_dtype(dtype)))

    to = astype

    def copy(self):
        v = self._value
        return _wrap(v.copy() if isinstance(v, np.ndarray) else E.add(v, 0))

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return Tensor(self)

    # ---- printing ----------------------------------------------------------------------------
    def _uninitialized(self):
        if getattr(self, "_lazy", False):
            shape = "[" + ", ".join(str(n) for n in self.shape) + "]"
            glue = "\n" if self.ndim >= 2 else ""
            return f"Tensor(shape={shape}, dtype={self.dtype}, value={glue}<uninitialized>)"
        return None

    def __repr__(self):
        return self._uninitialized() or tensor_repr(np.asarray(self._concrete()), self.dtype.name)

    def __str__(self):
        return self._uninitialized() or str(np.asarray(self._concrete()))

    def __format__(self, spec):
        """`f"{t}"` is `str(t)`; a one-element tensor also takes number formats (`f"{loss:.4f}"`).

        NOTE: MindSpore raises TypeError for any format spec; a multi-element tensor still does.
        """
        if not spec:
            return str(self)
        if self.size != 1:
            raise TypeError(
                f"unsupported format string {spec!r} for a Tensor of shape {self.shape}: only "
                "one-element tensors take number formats; format tensor.asnumpy() instead"
            )
        return format(self.item(), spec)

    # ---- operators ---------------------------------------------------------------------------
    def __add__(self, other):
        return _binary(E.add, self, other, "add")

    def __radd__(self, other):
        return _binary(E.add, other, self, "add")

    def __sub__(self, other):
        return _binary(E.sub, self, other, "sub")

    def __rsub__(self, other):
        return _binary(E.sub, other, self, "sub")

    def __mul__(self, other):
        return _binary(E.mul, self, other, "mul")

    def __rmul__(self, other):
        return _binary(E.mul, other, self, "mul")

    def __truediv__(self, other):
        return _true_div(self, other)

    def __rtruediv__(self, other):
        return _true_div(other, self)

    def __floordiv__(self, other):
        return _binary(E.floor_divide, self, other, "floor_divide")

    def __rfloordiv__(self, other):
        return _binary(E.floor_divide, other, self, "floor_divide")

    def __mod__(self, other):
        return _binary(E.mod, self, other, "mod")

    def __rmod__(self, other):
        return _binary(E.mod, other, self, "mod")

    def __pow__(self, other):
        return _binary(E.power, self, other, "pow")

    def __rpow__(self, other):
        return _binary(E.power, other, self, "pow")

    def __matmul__(self, other):
        from minispore.ops.linalg import matmul

        return matmul(self, other)

    def __rmatmul__(self, other):
        from minispore.ops.linalg import matmul

        return matmul(other, self)

    def __neg__(self):
        return _wrap(E.neg(self._value))

    def __pos__(self):
        return self

    def __abs__(self):
        return _wrap(E.abs_(self._value))

    def __invert__(self):
        v = self._value
        return _wrap(E.logical_not(v) if v.dtype.kind == "b" else E.invert(v))

    def __and__(self, other):
        return _binary(E.bitwise_and, self, other, "bitwise_and")

    def __or__(self, other):
        return _binary(E.bitwise_or, self, other, "bitwise_or")

    def __xor__(self, other):
        return _binary(E.bitwise_xor, self, other, "bitwise_xor")

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __eq__(self, other):
        if other is None:
            return False
        return _binary(E.equal, self, other, "equal")

    def __ne__(self, other):
        if other is None:
            return True
        return _binary(E.not_equal, self, other, "not_equal")

    def __lt__(self, other):
        return _binary(E.less, self, other, "less")

    def __le__(self, other):
        return _binary(E.less_equal, self, other, "less_equal")

    def __gt__(self, other):
        return _binary(E.greater, self, other, "greater")

    def __ge__(self, other):
        return _binary(E.greater_equal, self, other, "greater_equal")

    # In-place operators rebind the tensor's value (a functional update, safe under transforms).
    def __iadd__(self, other):
        self._value = self.__add__(other)._value
        return self

    def __isub__(self, other):
        self._value = self.__sub__(other)._value
        return self

    def __imul__(self, other):
        self._value = self.__mul__(other)._value
        return self

    def __itruediv__(self, other):
        self._value = self.__truediv__(other)._value
        return self

    # ---- indexing ----------------------------------------------------------------------------
    def __getitem__(self, index):
        return _wrap(index_value(self._value, _index_values(index)))

    def __setitem__(self, index, value):
        spec, arrays = split_index(_index_values(index))
        v = (
            _operand(value, "setitem", "value")
            if not isinstance(value, (list, tuple))
            else np.asarray(value, dtype=self._value.dtype)
        )
        if not isinstance(v, (int, float, bool)) and v.dtype != self._value.dtype:
            v = E.cast(v, dtype=self._value.dtype)  # the tensor keeps its dtype
        # NOTE: a functional update (a new array), so that a tape holding the old value stays valid.
        self._value = index_update(self._value, v, *arrays, spec=spec)


def _index_values(index):
    """Replace Tensors inside an index by their values."""
    if isinstance(index, Tensor):
        return index._value
    if isinstance(index, tuple):
        return tuple(i._value if isinstance(i, Tensor) else i for i in index)
    return index


def tensor(input_data=None, dtype=None, shape=None, init=None, const_arg=False, device=None):
    """Function form of `Tensor(...)`, as `mindspore.tensor`."""
    return Tensor(input_data, dtype, shape, init, const_arg, device)


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)
