"""Parameter constraints for `minispore.mle`: maps from an unconstrained vector to the natural scale.

`fit` optimises over the unconstrained values `u` and reports the natural values `x = forward(u)`;
`forward` is written with minispore ops, so gradients, Hessians and the delta method's Jacobian
all come from the autodiff engine. `inverse` maps starting values the other way, in NumPy.
"""

from __future__ import annotations

import math

import numpy as np

from minispore import ops
from minispore.tensor import Tensor


class Constraint:
    """The support of a block of parameters and the transform that reaches it.

    Subclasses define `forward` (unconstrained Tensor of `free_size(n)` values -> natural Tensor
    of `n` values, with minispore ops), `inverse` (natural ndarray -> unconstrained ndarray) and
    `contains` (whether natural values lie strictly inside the support).
    """

    name = "constraint"
    elementwise = True

    def free_size(self, size: int) -> int:
        """How many unconstrained values describe `size` natural ones."""
        return size

    def forward(self, u: Tensor) -> Tensor:
        raise NotImplementedError

    def inverse(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def contains(self, x: np.ndarray) -> bool:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Real(Constraint):
    """No constraint: the identity transform."""

    name = "real"

    def forward(self, u):
        return u

    def inverse(self, x):
        return np.asarray(x, dtype=np.float64)

    def contains(self, x):
        return bool(np.all(np.isfinite(x)))


class Positive(Constraint):
    """`x > 0` through `x = exp(u)` (default) or `x = softplus(u) = log(1 + exp(u))`.

    `exp` makes the log-scale the working scale (multiplicative steps); `softplus` is close to
    the identity for large `x`, which keeps the objective closer to quadratic there.
    """

    name = "positive"

    def __init__(self, transform: str = "exp"):
        if transform not in ("exp", "softplus"):
            raise ValueError(
                f"For 'mle.Positive', 'transform' must be 'exp' or 'softplus', but got {transform!r}"
            )
        self.transform = transform

    def forward(self, u):
        return ops.exp(u) if self.transform == "exp" else ops.softplus(u)

    def inverse(self, x):
        x = np.asarray(x, dtype=np.float64)
        if self.transform == "exp":
            return np.log(x)
        return x + np.log(-np.expm1(-x))  # log(expm1(x)) without overflow for large x

    def contains(self, x):
        return bool(np.all(np.isfinite(x) & (x > 0)))

    def __repr__(self):
        return f"Positive({self.transform!r})"


class Interval(Constraint):
    """`low < x < high` through a scaled sigmoid; a one-sided interval uses `exp`.

    `(low, high)` finite: `x = low + (high - low) * sigmoid(u)`; `(low, inf)`: `x = low + exp(u)`;
    `(-inf, high)`: `x = high - exp(-u)`.
    """

    name = "interval"

    def __init__(self, low: float = 0.0, high: float = 1.0):
        low, high = float(low), float(high)
        if not low < high:  # also false when either bound is NaN
            raise ValueError(
                f"For 'mle.Interval', 'low' must be less than 'high', but got low={low}, "
                f"high={high}"
            )
        if low == -math.inf and high == math.inf:
            raise ValueError(
                "For 'mle.Interval', at least one bound must be finite (use 'real' for none)"
            )
        self.low, self.high = low, high

    def forward(self, u):
        if math.isinf(self.high):
            return ops.exp(u) + self.low
        if math.isinf(self.low):
            return self.high - ops.exp(-u)
        return ops.sigmoid(u) * (self.high - self.low) + self.low

    def inverse(self, x):
        x = np.asarray(x, dtype=np.float64)
        if math.isinf(self.high):
            return np.log(x - self.low)
        if math.isinf(self.low):
            return -np.log(self.high - x)
        z = (x - self.low) / (self.high - self.low)
        return np.log(z) - np.log1p(-z)

    def contains(self, x):
        return bool(np.all((x > self.low) & (x < self.high)))

    def __repr__(self):
        return f"Interval({self.low}, {self.high})"


class UnitInterval(Interval):
    """`0 < x < 1` (a probability) through `x = sigmoid(u)`."""

    name = "unit_interval"

    def __init__(self):
        super().__init__(0.0, 1.0)

    def forward(self, u):
        return ops.sigmoid(u)

    def __repr__(self):
        return "UnitInterval()"


class Simplex(Constraint):
    """Probabilities that sum to one: `n` values from `n - 1` free ones, `x = softmax([u, 0])`.

    The last category is the reference (its logit is fixed at 0), so the map is one-to-one and
    the observed information on the free scale is invertible.
    """

    name = "simplex"
    elementwise = False

    def free_size(self, size):
        return size - 1

    def forward(self, u):
        zero = ops.zeros((1,), u.dtype)
        return ops.softmax(ops.concat((u.reshape((-1,)), zero)), axis=0)

    def inverse(self, x):
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        return np.log(x[:-1]) - np.log(x[-1])

    def contains(self, x):
        x = np.asarray(x)
        return bool(np.all(x > 0) and abs(float(x.sum()) - 1.0) < 1e-8)


def real() -> Real:
    """No constraint (the identity transform)."""
    return Real()


def positive(transform: str = "exp") -> Positive:
    """A positive parameter: `x = exp(u)` (default) or `x = softplus(u)`."""
    return Positive(transform)


def unit_interval() -> UnitInterval:
    """A parameter in (0, 1): `x = sigmoid(u)`."""
    return UnitInterval()


probability = unit_interval


def interval(low: float, high: float) -> Interval:
    """A parameter in (low, high): a scaled sigmoid (`exp` when one bound is infinite)."""
    return Interval(low, high)


def simplex() -> Simplex:
    """A probability vector (positive entries summing to one): a softmax with a reference category."""
    return Simplex()


_BY_NAME = {
    "real": Real,
    "positive": Positive,
    "softplus": lambda: Positive("softplus"),
    "probability": UnitInterval,
    "unit_interval": UnitInterval,
    "simplex": Simplex,
}


def as_constraint(spec) -> Constraint:
    """A `Constraint` from a Constraint, None (real) or one of the names in `_BY_NAME`."""
    if spec is None:
        return Real()
    if isinstance(spec, Constraint):
        return spec
    if isinstance(spec, str) and spec in _BY_NAME:
        return _BY_NAME[spec]()
    raise ValueError(
        f"For 'mle.fit', a constraint must be None, a Constraint (mle.positive(), "
        f"mle.interval(a, b), ...) or one of {sorted(_BY_NAME)}, but got {spec!r}"
    )
