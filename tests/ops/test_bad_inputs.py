"""Every public `ops` function meets bad input with a clear error that names it.

For each function, each required positional argument in turn is replaced by a string, None or a
NumPy array (MindSpore functions take Tensors). The call must raise TypeError, ValueError or
IndexError with a message naming the operation, never an AttributeError or a bare NumPy message.
"""

import inspect

import numpy as np
import pytest

from minispore import Tensor, ops

# Transforms take functions, and these take sizes or arbitrary values by design.
_NOT_TENSOR_OPS = {
    "grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian", "get_grad", "vmap",
    "stop_gradient", "depend", "shape", "rank", "size", "randn", "rand", "randint", "randperm",
    "normal", "uniform", "standard_normal", "ones", "zeros", "full", "arange", "linspace", "eye",
    "fill",
}  # fmt: skip
NAMES = sorted(
    n for n in dir(ops)
    if not n.startswith("_") and n[0].islower() and callable(getattr(ops, n))
    and n not in _NOT_TENSOR_OPS and not inspect.ismodule(getattr(ops, n))
)  # fmt: skip
GOOD = Tensor(np.ones((2, 3), np.float32))
BAD = {"str": "abc", "none": None, "ndarray": np.ones(3)}


def _required(fn):
    sig = inspect.signature(fn)
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p for p in sig.parameters.values() if p.default is p.empty and p.kind in kinds]


@pytest.mark.parametrize("name", NAMES)
def test_bad_first_argument_is_a_clear_error(name):
    fn = getattr(ops, name)
    n = len(_required(fn))
    if n == 0:
        pytest.skip(f"{name} has no required positional argument")
    for label, bad in BAD.items():
        args = [bad] + [GOOD] * (n - 1)
        with pytest.raises((TypeError, ValueError, IndexError)) as info:
            fn(*args)
        msg = str(info.value)
        assert name in msg or "For '" in msg, f"{name}({label}, ...): unclear error {msg!r}"


def _errors_are_clear(fn, name, positions):
    """Call `fn` with each bad value at each position; any error must name the operation."""
    n = len(_required(fn))
    for pos in positions(n):
        for label, bad in BAD.items():
            args = [GOOD] * n
            args[pos] = bad
            try:
                fn(*args)
            except (TypeError, ValueError, IndexError) as e:
                msg = str(e)
                assert name in msg or "For '" in msg, (
                    f"{name} with argument {pos} = {label}: unclear error {msg!r}"
                )


@pytest.mark.parametrize("name", NAMES)
def test_bad_later_arguments_never_crash_deep_in_numpy(name):
    _errors_are_clear(getattr(ops, name), name, lambda n: range(1, n))


METHODS = sorted(__import__("minispore.ops.tensor_methods", fromlist=["_METHODS"])._METHODS)


@pytest.mark.parametrize("name", METHODS)
def test_tensor_method_bad_argument_is_a_clear_error(name):
    method = getattr(GOOD, name)
    assert method.__qualname__ == f"Tensor.{name}"  # arity errors read "Tensor.<name>()"
    _errors_are_clear(method, name, range)
