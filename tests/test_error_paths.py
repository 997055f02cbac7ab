"""Every error path of the library, triggered once: the exception class and the part of the
message that tells the user what to do. (Found by listing the `raise` lines no other test reached.)"""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, ParameterTuple, Tensor, nn, ops
from minispore.common.initializer import Initializer, initializer
from minispore.core.primitive import Primitive

X = Tensor(np.ones((2, 3), np.float32))
V = Tensor(np.ones(3, np.float32))


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor([1.0]))
        self.sub = nn.ReLU()


def _assign_tensor_to_parameter_attribute():
    _Net().w = Tensor([2.0])


def _assign_non_cell_to_cell_attribute():
    _Net().sub = 3


class _NoConstruct(nn.Cell):
    pass


class _NoInit(nn.Cell):
    def __init__(self):
        pass


CASES = {
    # initializers
    "initializer_base_has_no_fill": (lambda: Initializer().init_data((2,), ms.float32), NotImplementedError, None),
    "initializer_needs_shape": (lambda: initializer("zeros"), ValueError, "'shape' is required"),
    "initializer_unknown_name": (lambda: initializer("nope", (2,)), ValueError, "unknown initializer"),
    # context, dtypes, engine
    "context_bad_device_name": (lambda: ms.set_context(device_target="TPU"), ValueError, "device_target"),
    "duplicate_primitive_name": (lambda: Primitive("add", np.add), ValueError, "already registered"),
    "dtype_without_mindspore_counterpart": (lambda: Tensor.from_numpy(np.array(["a"])), TypeError, "no MindSpore counterpart"),
    "bfloat16_cannot_store": (lambda: Tensor([1.0], ms.bfloat16), TypeError, "no NumPy storage"),
    "traced_failure_is_explained": (
        lambda: ms.grad(lambda x: ops.matmul(x, Tensor(np.ones((4, 5))) * 1).sum())(X),
        ValueError, "matmul",
    ),
    # custom gradients
    "custom_function_must_return_a_tensor": (
        lambda: ms.custom_vjp(lambda x: 3.0)(V), TypeError, "must return a single Tensor",
    ),
    # cells
    "cell_name_not_str": (lambda: nn.Cell().insert_param_to_cell(3, Parameter(Tensor([1.0]))), TypeError, "must be a str"),
    "cell_name_empty": (lambda: nn.Cell().insert_param_to_cell("", Parameter(Tensor([1.0]))), KeyError, "must not be empty"),
    "cell_parameter_attribute_needs_parameter": (_assign_tensor_to_parameter_attribute, TypeError, "is a Parameter"),
    "cell_attribute_needs_cell": (_assign_non_cell_to_cell_attribute, TypeError, "is a Cell"),
    "cell_missing_attribute": (lambda: _Net().nope, AttributeError, "no attribute 'nope'"),
    "insert_child_needs_cell": (lambda: nn.Cell().insert_child_to_cell("c", 3), TypeError, "must be a Cell"),
    "cell_without_construct": (lambda: _NoConstruct()(X), NotImplementedError, "must define construct"),
    "cell_without_super_init_called": (lambda: _NoInit()(X), AttributeError, "must call super"),
    "softmax_xent_cell_label_shape": (
        lambda: nn.SoftmaxCrossEntropyWithLogits()(X, V), ValueError, "must have the logits' shape",
    ),
    # Parameter
    "parameter_empty_name": (lambda: Parameter(V, name=""), ValueError, "must not be empty"),
    "parameter_requires_grad_not_bool": (lambda: Parameter(V, requires_grad=1), TypeError, "must be a bool"),
    "parameter_tuple_holds_parameters": (lambda: ParameterTuple([V]), TypeError, "Parameters only"),
    # Tensor
    "tensor_shape_without_init": (lambda: Tensor([1.0], shape=(1,)), ValueError, "only used together with 'init'"),
    "tensor_bad_input_type": (lambda: Tensor({"a": 1}), TypeError, "input data must be"),
    "iterate_0d_tensor": (lambda: list(Tensor(1.0)), TypeError, "0-d Tensor"),
    "float_tensor_as_index": (lambda: [1, 2][Tensor(1.0)], TypeError, "only integer tensors"),
    "index_list_of_floats": (lambda: X[[0.5]], IndexError, "index lists must hold integers"),
    # ops
    "duplicate_axes": (lambda: ops.sum(X, (0, 0)), ValueError, "duplicate axes"),
    "flatten_bad_order": (lambda: ops.flatten(X, "K"), ValueError, "'C' or 'F'"),
    "flatten_start_after_end": (lambda: ops.flatten(X, start_dim=1, end_dim=0), ValueError, "comes after"),
    "reshape_two_unknown_dims": (lambda: ops.reshape(X, (-1, -1)), ValueError, "cannot reshape"),
    "gather_batch_dims": (lambda: ops.gather(X, Tensor([0]), 0, batch_dims=1), ValueError, "batch_dims=0"),
    "pad_value_with_reflect": (lambda: ops.pad(X, (1, 1), mode="reflect", value=1.0), ValueError, "only used with mode='constant'"),
    "pad_crops_everything": (lambda: ops.pad(X, (-3, 0)), ValueError, "crops away"),
    "pad_reflect_too_wide": (lambda: ops.pad(X, (3, 0), mode="reflect"), ValueError, "smaller than the axis length"),
    "dot_with_a_scalar": (lambda: ops.dot(Tensor(np.ones((2, 2, 2))), Tensor(1.0)), ValueError, "must not be scalars"),
    "dot_mismatched_nd": (lambda: ops.dot(Tensor(np.ones((2, 2, 3))), Tensor(np.ones((4, 2)))), ValueError, "contracted dimension"),
    "norm_bad_ord_type": (lambda: ops.norm(X, ord=[1]), TypeError, "'ord' must be"),
    "norm_ord2_of_matrix": (lambda: ops.norm(X, ord=2), ValueError, "ord=2 needs"),
    "norm_unsupported_ord": (lambda: ops.norm(X, ord="nuc"), ValueError, "not supported"),
    "nll_loss_0d_input": (lambda: ops.nll_loss(Tensor(1.0), Tensor(0)), ValueError, "at least 1-D"),
    "broadcast_weight_mismatch": (
        lambda: ops.binary_cross_entropy_with_logits(X, X, Tensor(np.ones(4, np.float32))), ValueError, "does not broadcast",
    ),
    # transforms
    "weights_of_wrong_type": (lambda: ms.grad(lambda x: x.sum(), None, 3)(V), TypeError, "'weights' must be"),
    "grad_position_not_a_tensor_in_jacobian": (lambda: ms.jacrev(lambda x: x)(3.0), TypeError, "must be a Tensor"),
    "sens_param_without_sens": (lambda: ms.grad(lambda: V.sum(), None, [], sens_param=True)(), TypeError, "must be the sens"),
    "sens_not_a_tensor": (lambda: ms.grad(lambda x: x.sum(), 0, sens_param=True)(V, 1.0), TypeError, "must be a Tensor"),
    "jvp_v_not_a_tensor": (lambda: ms.jvp(lambda x: x, V, 1.0), TypeError, "'v' must be a Tensor"),
    "jvp_v_items_not_tensors": (lambda: ms.jvp(lambda x, y: x, (V, V), (V, 1.0)), TypeError, "every item of 'v'"),
    "vjp_cotangent_not_a_tensor": (lambda: ms.vjp(lambda x: x, V)[1](1.0), TypeError, "must be a Tensor"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_path(name):
    call, exc, match = CASES[name]
    with pytest.raises(exc, match=match):
        call()


def test_python_numbers_as_tensor_inputs_take_mindspore_dtypes():
    # A Python float where a Tensor is expected is a Float32 tensor, an int an Int64 one.
    assert ops.exp(1.5).dtype == ms.float32
    assert ops.neg(2).dtype == ms.int64
