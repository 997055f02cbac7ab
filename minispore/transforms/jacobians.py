"""Jacobians by reverse mode (`jacrev`), by forward mode (`jacfwd`), and `hessian`.

One reverse pass mapped over the basis cotangents of each output, or one forward pass mapped over
the basis tangents of each input (`vmap`); `jac.shape = out.shape + in.shape`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from minispore.core.primitive import REGISTRY
from minispore.core.tree import tree_flatten, tree_unflatten
from minispore.tensor import Tensor, _wrap
from minispore.transforms._common import _check_fn, _grad_dtype, _is_tensor, _positions
from minispore.transforms._record import _primal_tree, _pull, _record, _seed
from minispore.transforms.forward import _aux_of, _jvp_run
from minispore.transforms.vmap import vmap

# ---- Jacobians ----------------------------------------------------------------------------


def _jac_positions(grad_position, args, op):
    """Validate `grad_position` against the call's `args`; return (positions, several?).

    The checks are `grad`'s; unlike `grad`, None is refused (there are no weights) and a
    tuple position always gives a tuple of Jacobians.
    """
    if grad_position is None:
        raise TypeError(f"For '{op}', the 'grad_position' must be int or tuple, but got None.")
    positions, _ = _positions(grad_position, len(args), None, op)
    for p in positions:
        if not isinstance(args[p], Tensor):
            raise TypeError(f"For '{op}', the input at position {p} must be a Tensor")
    return positions, isinstance(grad_position, tuple)


def _move_front_to_back(v, n_front):
    """(in..., out...) -> (out..., in...) where the first n_front axes are the input axes."""
    nd = v.ndim
    perm = tuple(range(n_front, nd)) + tuple(range(n_front))
    return REGISTRY["transpose"](v, perm=perm) if perm != tuple(range(nd)) else v


def jacrev(
    fn: Callable[..., Any], grad_position: int | tuple[int, ...] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """Jacobian by reverse mode: the pullback mapped (`vmap`) over the basis cotangents of each
    output, one reverse pass for all of them. `jac.shape = out.shape + in.shape`."""
    _check_fn(fn, "jacrev")

    def jac_fn(*args):
        positions, many = _jac_positions(grad_position, args, "jacrev")
        rec = _record(fn, args, {}, positions, [])
        out = rec.out
        diff_out, _ = _aux_of(out, has_aux, "jacrev")
        leaves, treedef = tree_flatten(diff_out, _is_tensor)
        values = rec.leaf_values[: len(leaves)]
        per_out = []
        for leaf, lv in zip(leaves, values):
            if not isinstance(leaf, Tensor):
                per_out.append(leaf)
                continue
            oshape = tuple(leaf.shape)
            n_out = int(np.prod(oshape, dtype=np.int64))
            if n_out:

                def pull(ct, lv=lv):
                    seeds = {}
                    _seed(seeds, rec.trace, lv, ct._value)
                    gin, _ = _pull(rec, seeds, keep_tape=True)
                    return tuple(gin)

                basis = np.eye(n_out, dtype=_grad_dtype(lv)).reshape((n_out,) + oshape)
                rows = vmap(pull)(_wrap(basis))
            jacs = []
            for j, p in enumerate(positions):
                ishape = tuple(args[p].shape)
                if n_out == 0:
                    jacs.append(_wrap(np.zeros(oshape + ishape, _grad_dtype(args[p]._value))))
                else:
                    jacs.append(_wrap(REGISTRY["reshape"](rows[j]._value, shape=oshape + ishape)))
            per_out.append(tuple(jacs) if many else jacs[0])
        jac = tree_unflatten(treedef, per_out)
        if has_aux:
            value = _primal_tree(rec)
            _, aux = _aux_of(value, True, "jacrev")
            return jac, aux
        return jac

    return jac_fn


def jacfwd(
    fn: Callable[..., Any], grad_position: int | tuple[int, ...] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """Jacobian by forward mode: the JVP mapped (`vmap`) over the basis tangents of each input,
    one forward pass for all of them. `jac.shape = out.shape + in.shape`."""
    _check_fn(fn, "jacfwd")

    def jac_fn(*args):
        positions, many = _jac_positions(grad_position, args, "jacfwd")
        columns = []  # per position: (input shape, size, stacked tangent leaves, dtype)
        primal = []  # the primal output, kept from the first forward pass
        for p in positions:
            x = args[p]._value
            ishape = tuple(x.shape)
            n_in = int(np.prod(ishape, dtype=np.int64))
            tangents = None
            if n_in:

                def push(t, p=p):
                    def f_at(xk):
                        call = list(args)
                        call[p] = xk
                        return fn(*call)

                    out, tan = _jvp_run(f_at, (args[p],), (t,))
                    if not primal:
                        primal.append(out)
                    diff_tan, _ = _aux_of(tan, has_aux, "jacfwd")
                    leaves, _ = tree_flatten(diff_tan, _is_tensor)
                    return tuple(v for v in leaves if isinstance(v, Tensor))

                basis = np.eye(n_in, dtype=_grad_dtype(x)).reshape((n_in,) + ishape)
                tangents = vmap(push)(_wrap(basis))
            columns.append((ishape, n_in, tangents, _grad_dtype(x)))
        primal_out = primal[0] if primal else fn(*args)  # fn(*args): every input is empty
        out_leaves, treedef = tree_flatten(_aux_of(primal_out, has_aux, "jacfwd")[0], _is_tensor)
        per_out = []
        k = 0  # index among the Tensor leaves
        for o in out_leaves:
            if not isinstance(o, Tensor):
                per_out.append(o)
                continue
            oshape = tuple(o.shape)
            jacs = []
            for ishape, n_in, tangents, gdt in columns:
                if n_in == 0:
                    jacs.append(_wrap(np.zeros(oshape + ishape, gdt)))
                    continue
                stacked = REGISTRY["reshape"](tangents[k]._value, shape=ishape + oshape)
                jacs.append(_wrap(_move_front_to_back(stacked, len(ishape))))
            per_out.append(tuple(jacs) if many else jacs[0])
            k += 1
        jac = tree_unflatten(treedef, per_out)
        if has_aux:
            _, aux = _aux_of(primal_out, True, "jacfwd")
            return jac, aux
        return jac

    return jac_fn


def hessian(fn: Callable[..., Any], grad_position: int | tuple[int, ...] = 0) -> Callable[..., Any]:
    """The Hessian of a scalar function: `jacfwd(jacrev(fn))` (not in MindSpore).

    For one input of shape S the result has shape S + S; for a tuple of positions it is the
    nested tuple of blocks `H[i][j] = d^2 f / dx_i dx_j`.
    """
    _check_fn(fn, "hessian")
    return jacfwd(jacrev(fn, grad_position), grad_position)
