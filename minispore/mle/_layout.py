"""How `fit`'s parameters (a Tensor or a tuple of Tensors) map to one unconstrained flat vector.

The natural values of all components, flattened and concatenated, form `theta`; each block of
`theta` (a whole component, or one element of it) has a constraint whose transform produces it
from a block of the free vector `phi`. The optimisers work on `phi` in NumPy; the objective maps
`phi` to the user's structure with minispore ops, so the autodiff engine sees every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minispore import ops
from minispore.mle.constraints import Constraint, Real, as_constraint
from minispore.tensor import Tensor, _wrap


@dataclass
class _Block:
    constraint: Constraint
    natural: slice  # into theta
    free: slice  # into phi
    label: str  # for messages


def _as_array(value, what: str) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value.asnumpy()
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"For 'mle.fit', {what} must be a Tensor, an array or a number, but got "
            f"{type(value).__name__}"
        ) from None
    return arr


def _labels(base: str, shape: tuple) -> list[str]:
    if shape == ():
        return [base]
    return [f"{base}[{','.join(map(str, i))}]" for i in np.ndindex(*shape)]


class Layout:
    """The components' shapes, names and constraints, and the maps between theta and phi."""

    def __init__(self, init, constraints=None, names=None):
        self.is_tuple = isinstance(init, tuple)
        parts = init if self.is_tuple else (init,)
        if self.is_tuple and not parts:
            raise ValueError("For 'mle.fit', 'init' is an empty tuple: there is nothing to fit")
        values = [
            _as_array(p, f"init[{i}]" if self.is_tuple else "init") for i, p in enumerate(parts)
        ]
        self.shapes = [v.shape for v in values]
        self.init = np.concatenate([v.reshape(-1) for v in values])
        self.names = self._names(names)
        self.blocks = self._blocks(constraints)
        self.n_free = self.blocks[-1].free.stop if self.blocks else 0
        self.all_real = all(isinstance(b.constraint, Real) for b in self.blocks)
        for b in self.blocks:
            if not b.constraint.contains(self.init[b.natural]):
                raise ValueError(
                    f"For 'mle.fit', the starting value of {b.label} "
                    f"({self.init[b.natural].tolist()}) lies outside its constraint "
                    f"{b.constraint!r}"
                )

    def _names(self, names) -> list[str]:
        """One label per natural value, for the summary table and messages."""
        n_parts = len(self.shapes)
        if names is None:
            if not self.is_tuple:
                shape = self.shapes[0]
                return ["par0"] if shape == () else [f"par{i}" for i in range(int(np.prod(shape)))]
            return [lab for i, s in enumerate(self.shapes) for lab in _labels(f"par{i}", s)]
        if isinstance(names, str):
            names = [names]
        names = [str(n) for n in names]
        size = len(self.init)
        if not self.is_tuple and len(names) == size:
            return names
        if len(names) == n_parts:
            return [lab for n, s in zip(names, self.shapes) for lab in _labels(n, s)]
        raise ValueError(
            f"For 'mle.fit', 'names' must give one name per component ({n_parts})"
            + ("" if self.is_tuple else f" or per element ({size})")
            + f", but got {len(names)} names"
        )

    def _component_specs(self, constraints):
        n_parts = len(self.shapes)
        if not self.is_tuple:
            return [constraints]
        if constraints is None:
            return [None] * n_parts
        if not isinstance(constraints, (tuple, list)) or len(constraints) != n_parts:
            raise ValueError(
                f"For 'mle.fit', with a tuple of {n_parts} parameters, 'constraints' must be None "
                f"or a tuple of {n_parts} entries (one per parameter), but got {constraints!r}"
            )
        return list(constraints)

    def _blocks(self, constraints) -> list[_Block]:
        blocks = []
        nat = free = 0
        for spec, shape in zip(self._component_specs(constraints), self.shapes):
            size = int(np.prod(shape))
            labels = self.names[nat : nat + size]
            if isinstance(spec, (tuple, list)):
                if len(spec) != size:
                    raise ValueError(
                        f"For 'mle.fit', per-element constraints need one entry per element of "
                        f"the parameter of shape {shape} ({size}), but got {len(spec)}"
                    )
                for k, s in enumerate(spec):
                    c = as_constraint(s)
                    if not c.elementwise:
                        raise ValueError(
                            f"For 'mle.fit', {c!r} constrains a whole vector; give it for the "
                            f"whole parameter, not per element"
                        )
                    blocks.append(
                        _Block(c, slice(nat + k, nat + k + 1), slice(free, free + 1), labels[k])
                    )
                    free += 1
            else:
                c = as_constraint(spec)
                m = c.free_size(size)
                if m < 1 or (not c.elementwise and len(shape) != 1):
                    raise ValueError(
                        f"For 'mle.fit', {c!r} needs a 1-D parameter of at least 2 entries, but "
                        f"got shape {shape}"
                    )
                label = ", ".join(labels) if size <= 3 else f"{labels[0]} .. {labels[-1]}"
                blocks.append(_Block(c, slice(nat, nat + size), slice(free, free + m), label))
                free += m
            nat += size
        return blocks

    def to_free(self, theta: np.ndarray) -> np.ndarray:
        """Natural values (flat, NumPy) -> the free vector phi."""
        phi = np.empty(self.n_free)
        for b in self.blocks:
            phi[b.free] = np.asarray(b.constraint.inverse(theta[b.natural])).reshape(-1)
        return phi

    def to_natural(self, phi: Tensor) -> Tensor:
        """The free vector phi (a 1-D Tensor) -> theta, with minispore ops."""
        if self.all_real:
            return phi
        parts = [b.constraint.forward(phi[b.free]).reshape((-1,)) for b in self.blocks]
        return parts[0] if len(parts) == 1 else ops.concat(parts)

    def structure(self, theta: Tensor):
        """theta (a flat Tensor) -> a Tensor or a tuple of Tensors shaped like `init`."""
        out = []
        start = 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            piece = theta if len(self.shapes) == 1 else theta[start : start + size]
            out.append(piece.reshape(shape))
            start += size
        return tuple(out) if self.is_tuple else out[0]

    def structure_numpy(self, theta: np.ndarray):
        """Like `structure`, on NumPy values, returning float64 Tensors."""
        return self.structure(_wrap(np.asarray(theta, dtype=np.float64)))
