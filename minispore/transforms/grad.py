"""`grad`, `value_and_grad` and `get_grad` with MindSpore's signatures and return structures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from minispore.parameter import Parameter
from minispore.tensor import Tensor
from minispore.transforms._common import _check_fn, _check_not_both_none
from minispore.transforms._record import _grad_call

Weights = Parameter | Sequence[Parameter] | None


def grad(
    fn: Callable[..., Any],
    grad_position: int | tuple[int, ...] | None = 0,
    weights: Weights = None,
    has_aux: bool = False,
    return_ids: bool = False,
    sens_param: bool = False,
) -> Callable[..., Any]:
    """Return a function computing the gradient of `fn`, MindSpore's `mindspore.grad`.

    Args:
        fn: a function or Cell returning Tensors; every Tensor output is differentiated with a
            ones cotangent (the gradient of the sum of the outputs).
        grad_position: an int, a tuple of ints, or None (weights only).
        weights: a Parameter, a list/tuple of Parameters or a ParameterTuple, or None.
        has_aux: differentiate only the first output; return the others as `aux`.
        return_ids: pair each gradient with its position or parameter name.
        sens_param: the last positional argument (or `sens=`) is the output cotangent.

    Returns:
        A function returning gradients in MindSpore's structure (see docs/transforms.md):
        `G` for one position, a tuple for several, `(G, (W1, ...))` with weights, and
        `(grads, aux)` with `has_aux`.

    Raises:
        ValueError, TypeError, RuntimeError: for invalid positions or weights, when called.

    Example:
        >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0]))
    """

    _check_fn(fn, "grad")
    _check_not_both_none(grad_position, weights)

    def grad_fn(*args, **kwargs):
        _, grads, aux = _grad_call(
            fn,
            args,
            kwargs,
            grad_position,
            weights,
            has_aux,
            return_ids,
            sens_param,
            want_value=False,
        )
        return (grads, aux) if has_aux else grads

    grad_fn.__wrapped__ = fn
    return grad_fn


def value_and_grad(
    fn: Callable[..., Any],
    grad_position: int | tuple[int, ...] | None = 0,
    weights: Weights = None,
    has_aux: bool = False,
    return_ids: bool = False,
    sens_param: bool = False,
) -> Callable[..., Any]:
    """Like `grad`, but the function returns `(value, grads)`, with `value` the full output of
    `fn` (with `has_aux`, the whole output tuple, aux included, as MindSpore)."""

    _check_fn(fn, "value_and_grad")
    _check_not_both_none(grad_position, weights)

    def value_and_grad_fn(*args, **kwargs):
        value, grads, _ = _grad_call(
            fn, args, kwargs, grad_position, weights, has_aux, return_ids, sens_param
        )
        return value, grads

    value_and_grad_fn.__wrapped__ = fn
    return value_and_grad_fn


def get_grad(gradients: Any, identifier: int | Parameter) -> Tensor:
    """Pick one gradient out of a `return_ids=True` result by position (int) or Parameter."""
    if isinstance(identifier, Parameter):
        key = identifier.name
    elif isinstance(identifier, int) and not isinstance(identifier, bool):
        key = identifier
    else:
        raise TypeError(
            f"For 'get_grad', the identifier must be an int position or a Parameter, but got "
            f"{type(identifier).__name__}"
        )
    found = []

    def search(node):
        if isinstance(node, tuple):
            if len(node) == 2 and isinstance(node[0], (int, str)) and isinstance(node[1], Tensor):
                if node[0] == key and type(node[0]) is type(key):
                    found.append(node[1])
                return
            for c in node:
                search(c)

    has_ids = []

    def any_ids(node):
        if isinstance(node, tuple):
            if len(node) == 2 and isinstance(node[0], (int, str)) and isinstance(node[1], Tensor):
                has_ids.append(True)
                return
            for c in node:
                any_ids(c)

    any_ids(gradients)
    if not has_ids:
        raise RuntimeError(
            f"Can not find the gradient for position or Parameter {key}: the gradients carry "
            "no ids; compute them with return_ids=True"
        )
    search(gradients)
    if not found:
        raise RuntimeError(
            f"Can not find the gradient for position or Parameter {key}; was the result made "
            "with return_ids=True?"
        )
    return found[0]
