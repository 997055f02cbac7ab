"""The vmap cases recorded on MindSpore 2.10 (`record.py`) and replayed on minispore (`test_vmap.py`).

`cases(ms)` takes the framework module (`mindspore`, or `minispore` under that name) and returns
`{name: thunk}`; each thunk returns a result (a Tensor, a tuple of them, a number) or raises.
Inputs are fixed NumPy arrays; nothing depends on a framework's random generator except the
cases listed in `SHAPE_ONLY`, where only the output shapes are recorded. Functions are defined
with `def` on their own lines: MindSpore 2.10 cannot parse a lambda written inside the call.
"""

from __future__ import annotations

import numpy as np

F32 = np.float32

# Random weights (Dense, CellList): only shapes are compared.
SHAPE_ONLY = {"dense_cell", "cell_list", "cell_list_in_axes_none"}
# MindSpore's message embeds a description of a dict we do not imitate: compare up to "but got".
PREFIX_ONLY = {"error_output_dict", "error_in_axes_dict"}


def encode(result):
    """A JSON-able description of a result: Tensors as shape, dtype and values."""
    if isinstance(result, (tuple, list)):
        return {"tuple": [encode(r) for r in result]}
    if hasattr(result, "asnumpy"):
        a = result.asnumpy()
        return {"shape": list(a.shape), "dtype": str(result.dtype), "values": a.tolist()}
    if isinstance(result, (bool, int, float)) or result is None:
        return {"scalar": result}
    raise TypeError(f"cannot encode {type(result).__name__}")


def shapes(result):
    if isinstance(result, (tuple, list)):
        return [shapes(r) for r in result]
    return list(result.shape)


def run(thunk, shape_only=False):
    """Run a case: `{"result": ...}` or `{"error": type name, "message": first line}`."""
    try:
        r = thunk()
    except Exception as e:  # noqa: BLE001 - the error is the recorded outcome
        return {"error": type(e).__name__, "message": str(e).strip().split("\n")[0].strip()}
    return {"shapes": shapes(r)} if shape_only else {"result": encode(r)}


def cases(ms):
    from_np = ms.Tensor
    nn, ops, vmap = ms.nn, ms.ops, ms.vmap

    x = from_np(np.arange(6, dtype=F32).reshape(3, 2))
    y = from_np(np.arange(4, dtype=F32).reshape(2, 2))
    c = from_np(np.array([10.0, 20.0], F32))
    doc_x = from_np(np.array([[1, 2], [3, 4], [5, 6]], F32))
    doc_y = from_np(np.array([[-3, -2, -1], [3, 2, 1]], F32))
    doc_z = from_np(np.array([0, 3], F32))
    cube = from_np(np.arange(24, dtype=F32).reshape(2, 3, 4))

    def add3(a, b, d):
        return a + b + d

    def add2(a, b):
        return a + b

    def twice(a):
        return a * 2

    def rowsum(a):
        return a.sum()

    def pair_sum(p, q):
        a, b = p
        return a + b + q

    def list_prod(p):
        return p[0] * p[1]

    def with_kw(a, b=None):
        return a if b is None else a + b

    def constant(a):
        return c

    def constant_sum(a):
        return c.sum()

    def both(a):
        return a, c

    def same_twice(a):
        return a, a * 2

    def nested_out(a):
        return (a, (a * 2, a * 3))

    def as_list(a):
        return [a, a]

    def as_dict(a):
        return {"u": a}

    def as_none(a):
        return None

    def three(a):
        return 3

    def sum_and_float(a):
        return a.sum(), 2.5

    def truth(a):
        return True

    def shape_of(a):
        return a.shape

    def no_args():
        return c

    def scaled(a, s):
        return a * s

    def inner(a):
        return a.sum()

    def outer(a):
        return vmap(inner)(a)

    def second(a):
        return a[1]

    def pick(a, i):
        return a[i]

    def sq(v):
        return (v * v).sum()

    def per_example_xent(logits, label):
        return ops.cross_entropy(logits, label)

    def one_hot(i):
        return ops.one_hot(i, 4, from_np(1.0), from_np(0.0))

    def all_above(a):
        return ops.all(a > 1)

    class Assigns(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p = ms.Parameter(from_np(np.zeros(2, F32)), name="p")

        def construct(self, a):
            ops.assign(self.p, a)
            return a * 2

    class AddsOne(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p = ms.Parameter(from_np(np.zeros(2, F32)), name="p")

        def construct(self, a):
            ops.assign_add(self.p, from_np(np.ones(2, F32)))
            return a * self.p

    logits = from_np(np.linspace(-2, 2, 60, dtype=F32).reshape(4, 3, 5))
    labels = from_np(np.array([[0, 1, 2], [1, 1, 1], [2, 2, 2], [4, 3, 0]], np.int32))

    def dense_cell():
        ms.set_seed(0)
        return vmap(nn.Dense(2, 3))(x)

    def cell_list(in_axes):
        ms.set_seed(0)
        cells = nn.CellList([nn.Dense(2, 3), nn.Dense(2, 3), nn.Dense(2, 3)])
        return vmap(cells, in_axes=in_axes)(x)

    def cell_list_mismatch():
        ms.set_seed(0)
        cells = nn.CellList([nn.Dense(2, 3), nn.Dense(2, 3), nn.Dense(2, 3)])
        return vmap(cells)(y)

    return {
        # values
        "doc_example": lambda: vmap(add3, in_axes=(0, 1, None), out_axes=1)(doc_x, doc_y, doc_z),
        "rowsum_axis0": lambda: vmap(rowsum)(doc_x),
        "rowsum_axis1": lambda: vmap(rowsum, 1)(doc_x),
        "relu_cell_axes_1_1": lambda: vmap(nn.ReLU(), 1, 1)(doc_y),
        "negative_in_axis": lambda: vmap(twice, in_axes=-1)(x),
        "negative_out_axis": lambda: vmap(twice, out_axes=-1)(x),
        "numpy_int_axis": lambda: vmap(twice, in_axes=np.int64(1))(x),
        "list_in_axes": lambda: vmap(add2, in_axes=[0, None])(x, y[0]),
        "nested_in_axes": lambda: vmap(pair_sum, in_axes=((0, 1), None))((x[:2], y), c),
        "nested_int_axis": lambda: vmap(pair_sum, in_axes=(0, None))((x[:2], y), c),
        "nested_in_axes_too_long": lambda: vmap(pair_sum, in_axes=((0, 1, 0), None))((x[:2], y), c),
        "nested_list_in_axes": lambda: vmap(pair_sum, in_axes=[[0, 1], None])((x[:2], y), c),
        "list_argument": lambda: vmap(list_prod, in_axes=([0, 1],))([x[:2], y]),
        "tuple_argument": lambda: vmap(list_prod)((x, x)),
        "single_entry_tuple_in_axes": lambda: vmap(inner, in_axes=(1,))(x),
        "constant_output": lambda: vmap(constant)(x),
        "constant_output_axis1": lambda: vmap(constant, out_axes=1)(x),
        "constant_output_axis_minus1": lambda: vmap(constant, out_axes=-1)(x),
        "constant_0d_output": lambda: vmap(constant_sum)(x),
        "out_axes_none_for_constant": lambda: vmap(both, out_axes=(0, None))(x),
        "out_axes_tuple": lambda: vmap(same_twice, out_axes=(0, 1))(x),
        "out_axes_list": lambda: vmap(both, out_axes=[0, 0])(x),
        "out_axes_single_entry_tuple": lambda: vmap(twice, out_axes=(0,))(x),
        "nested_output_int_axis": lambda: vmap(nested_out, out_axes=1)(x),
        "nested_output_nested_axes": lambda: vmap(nested_out, out_axes=(0, (1, 0)))(x),
        "nested_output_flat_axes": lambda: vmap(nested_out, out_axes=(0, 1))(x),
        "list_output": lambda: vmap(as_list)(x),
        "python_int_output": lambda: vmap(three)(x),
        "python_int_output_axis_minus1": lambda: vmap(three, out_axes=-1)(x),
        "python_float_output": lambda: vmap(sum_and_float)(x),
        "python_bool_output": lambda: vmap(truth)(x),
        "shape_output": lambda: vmap(shape_of)(x),
        "scalar_input_not_mapped": lambda: vmap(scaled, in_axes=(0, None))(x, 3),
        "parameter_input": lambda: vmap(twice)(ms.Parameter(x, name="w")),
        "int_tensor_input": lambda: vmap(twice)(from_np(np.array([1, 2, 3]))),
        "nested_vmap": lambda: vmap(outer)(cube),
        "nested_vmap_axis2": lambda: vmap(vmap(inner), in_axes=2)(cube),
        "getitem_int": lambda: vmap(second)(x),
        "getitem_batched_index": lambda: vmap(pick)(x, from_np(np.array([0, 1, 0], np.int32))),
        "grad_per_example": lambda: vmap(ms.grad(sq))(doc_x),
        "cross_entropy_per_example": lambda: vmap(per_example_xent)(logits, labels),
        "one_hot": lambda: vmap(one_hot)(from_np(np.array([[0, 1], [2, 3]], np.int32))),
        "all": lambda: vmap(all_above)(x),
        "assign_add_unbatched": lambda: vmap(AddsOne())(x),
        "dense_cell": dense_cell,
        "cell_list": lambda: cell_list(0),
        "cell_list_in_axes_none": lambda: cell_list(None),
        # errors
        "error_axis_sizes_differ": lambda: vmap(add2)(x, y),
        "error_nested_axis_sizes_differ": lambda: vmap(pair_sum, in_axes=((0, 1), 0))((x, y), y),
        "error_int_axis_tuple_argument_sizes_differ": lambda: vmap(pair_sum)((x, y), y),
        "error_in_axis_out_of_range": lambda: vmap(twice, in_axes=2)(x),
        "error_negative_in_axis_out_of_range": lambda: vmap(twice, in_axes=-3)(x),
        "error_0d_input": lambda: vmap(twice)(from_np(3.0)),
        "error_in_axes_none": lambda: vmap(twice, in_axes=None)(x),
        "error_in_axes_all_none": lambda: vmap(add2, in_axes=(None, None))(x, y),
        "error_in_axes_list_all_none": lambda: vmap(add2, in_axes=[None, None])(x, y),
        "error_in_axes_nested_all_none": lambda: vmap(pair_sum, in_axes=((None, None), None))(
            (x, y), y
        ),
        "error_in_axes_length": lambda: vmap(add2, in_axes=(0,))(x, y),
        "error_in_axes_float": lambda: vmap(twice, in_axes=1.5)(x),
        "error_in_axes_str": lambda: vmap(twice, in_axes="a")(x),
        "error_in_axes_bool": lambda: vmap(twice, in_axes=True)(x),
        "error_in_axes_tuple_for_tensor": lambda: vmap(pair_sum, in_axes=((0, 1), (0, 0)))(
            (x[:2], y), c
        ),
        "error_in_axes_list_for_tensor": lambda: vmap(add2, in_axes=([0, 0], 0))(x, x),
        "error_nested_in_axes_too_short": lambda: vmap(pair_sum, in_axes=((0,), None))(
            (x[:2], y), c
        ),
        "error_scalar_input_mapped": lambda: vmap(scaled, in_axes=0)(x, 3),
        "error_scalar_in_tuple_mapped": lambda: vmap(pair_sum, in_axes=(0, None))((x, 2.0), c),
        "error_keyword_argument": lambda: vmap(with_kw)(x, b=c),
        "error_fn_not_callable": lambda: vmap(3)(x),
        "error_no_arguments": lambda: vmap(no_args)(),
        "error_out_axis_out_of_range": lambda: vmap(twice, out_axes=3)(x),
        "error_scalar_output_axis_out_of_range": lambda: vmap(three, out_axes=1)(x),
        "error_0d_constant_output_axis_out_of_range": lambda: vmap(constant_sum, out_axes=1)(x),
        "error_constant_output_axis_out_of_range": lambda: vmap(constant, out_axes=2)(x),
        "error_out_axes_length": lambda: vmap(same_twice, out_axes=(0, 1, 0))(x),
        "error_out_axes_length_single_output": lambda: vmap(twice, out_axes=(0, 1))(x),
        "error_out_axes_none": lambda: vmap(twice, out_axes=None)(x),
        "error_out_axes_all_none": lambda: vmap(same_twice, out_axes=(None, None))(x),
        "error_out_axes_none_for_batched": lambda: vmap(both, out_axes=(None, 0))(x),
        "error_out_axes_tuple_for_tensor": lambda: vmap(same_twice, out_axes=((0, 1), 0))(x),
        "error_out_axes_float": lambda: vmap(inner, out_axes=1.5)(x),
        "error_out_axes_str": lambda: vmap(inner, out_axes="a")(x),
        "error_out_axes_bool": lambda: vmap(twice, out_axes=True)(x),
        "error_in_axes_dict": lambda: vmap(inner, in_axes={"a": 0})(x),
        "error_output_none": lambda: vmap(as_none)(x),
        "error_output_dict": lambda: vmap(as_dict)(x),
        "error_assign_batched_value": lambda: vmap(Assigns())(x),
        "error_cell_list_size": cell_list_mismatch,
    }
