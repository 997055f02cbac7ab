"""MindSpore's operator classes (`ops.Sin()`, `ops.MatMul(...)`, ...) agree with the functions."""

import numpy as np
import pytest

from minispore import Tensor, ops
from minispore.ops.operations import _SIMPLE

X = Tensor(np.array([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]], np.float32))
Y = Tensor(np.array([[2.0, 0.5, 1.0], [0.5, 4.0, 2.0]], np.float32))
ARGS = {
    "Select": (X > 1, X, Y), "Reshape": (X, (3, 2)), "Cast": (X, np.float64),
    "Transpose": (X, (1, 0)), "ExpandDims": (X, 0), "Tile": (X, (2, 1)),
}  # fmt: skip
BINARY = {"Add", "Sub", "Mul", "Div", "RealDiv", "Pow", "Maximum", "Minimum", "Equal", "Greater",
          "Less"}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_SIMPLE))
def test_simple_operator_class_calls_its_function(name):
    args = ARGS.get(name, (X, Y) if name in BINARY else (X,))
    got = getattr(ops, name)()(*args)
    want = _SIMPLE[name](*args)
    if isinstance(want, tuple) and not isinstance(want, Tensor):
        assert got == want
    else:
        np.testing.assert_array_equal(got.asnumpy(), want.asnumpy())


def test_operator_classes_with_attributes():
    a = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = Tensor(np.arange(12, dtype=np.float32).reshape(4, 3))
    np.testing.assert_allclose(
        ops.MatMul(transpose_b=True)(a, b).asnumpy(), a.asnumpy() @ b.asnumpy().T
    )
    np.testing.assert_allclose(ops.ReduceSum(keep_dims=True)(a, 1).asnumpy(), [[3.0], [12.0]])
    np.testing.assert_allclose(ops.ReduceMean()(a).asnumpy(), 2.5)
    np.testing.assert_allclose(ops.Softmax(axis=0)(a).asnumpy().sum(0), [1, 1, 1], rtol=1e-6)
    assert ops.Concat(axis=1)((a, a)).shape == (2, 6)
    assert ops.Stack()((a, a)).shape == (2, 2, 3)
    assert ops.Squeeze(0)(Tensor(np.ones((1, 3)))).shape == (3,)
    assert repr(ops.Sin()) == "Prim[Sin]"
