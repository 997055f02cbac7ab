"""Sample inputs for every registered primitive: the table that `test_rules.py` runs on.

`SAMPLES[name](rng)` returns a list of samples. A sample is a tuple `(args, params)`,
`(args, params, fn)` or `(args, params, fn, check)`:

- `args`: the positional arguments. Differentiable ones are float64 arrays; integer and bool
  arrays (index arrays, labels, masks) and Python scalars are not differentiated by
  `check_grads`.
- `params`: the keyword-only, hashable parameters (axis tuples, shapes, dtypes, index specs).
- `fn`: optional, a function of `args` built around the primitive that replaces
  `partial(prim, **params)` in the gradient check (`None`: the plain primitive). It must agree in
  value with `prim(*args, **params)` on these `args`; it only changes what the derivative means
  (cholesky reads the lower triangle of its input, so it is checked on `(a + a^T) / 2`, where its
  symmetrised VJP is the true gradient).
- `check`: optional keyword overrides for `check_grads` (`eps`, `rtol`, `atol`, `modes`).

Domains stay away from kinks, ties and singularities so that central differences are valid:
`log` on [0.5, 2], `relu` and `abs` away from 0, `maximum` without ties, well-conditioned
matrices. Everything is drawn from the `rng` given, so a sample list is reproducible.
"""

from __future__ import annotations

import numpy as np

from minispore.prims.elementwise import add, mul
from minispore.prims.indexing import build_index, split_index
from minispore.prims.linalg import cholesky, mT

F64 = np.dtype(np.float64)
F32 = np.dtype(np.float32)
I64 = np.dtype(np.int64)
I32 = np.dtype(np.int32)

SHAPES = [(), (3,), (3, 1), (1, 4), (2, 3, 4)]
# Broadcasting pairs for binary primitives (the engine sums cotangents back to each shape).
PAIRS = [((), (3,)), ((3,), (3,)), ((3, 1), (1, 4)), ((2, 3, 4), (3, 1)), ((2, 3, 4), (4,))]
# (shape, axis, keepdims) for reductions.
REDUCTIONS = [
    ((), None, False),
    ((3,), (0,), False),
    ((3, 1), (1,), True),
    ((2, 3, 4), None, False),
    ((2, 3, 4), (1,), False),
    ((2, 3, 4), (0, 2), True),
]


def unpack(sample):
    """`(args, params, fn, check)` of a sample, with the defaults filled in."""
    args, params, fn, check = (*sample, None, None)[:4]
    return tuple(args), dict(params), fn, dict(check or {})


# ---- draws: each takes (rng, shape) and returns a float64 array -------------------------------


def normal(scale=1.0):
    return lambda rng, shape: np.asarray(scale * rng.normal(size=shape), dtype=F64)


def uniform(lo, hi):
    return lambda rng, shape: np.asarray(rng.uniform(lo, hi, size=shape), dtype=F64)


def away_from_zero(lo=0.3, hi=2.0):
    """|x| in [lo, hi] with a random sign: away from the kink of relu and abs, and from poles."""

    def draw(rng, shape):
        sign = np.where(rng.random(size=shape) < 0.5, -1.0, 1.0)
        return np.asarray(sign * rng.uniform(lo, hi, size=shape), dtype=F64)

    return draw


def distinct(rng, shape):
    """Values at least 0.2 apart, so no two entries tie (for max, min, argmax)."""
    n = int(np.prod(shape, dtype=np.int64))
    grid = rng.permutation(n).reshape(shape) * 0.3 - 0.15 * n
    return np.asarray(grid + rng.uniform(0.0, 0.1, size=shape), dtype=F64)


def integer_valued(rng, shape):
    """Small integers as floats: comparisons see plenty of ties."""
    return np.asarray(rng.integers(-2, 3, size=shape), dtype=F64)


def ints(lo, hi, dtype=I64):
    return lambda rng, shape: np.asarray(rng.integers(lo, hi, size=shape), dtype=dtype)


def bools(rng, shape):
    return np.asarray(rng.random(size=shape) < 0.5)


def special_values(rng, shape):
    """Finite values mixed with nan, inf and -inf."""
    x = rng.normal(size=shape)
    pick = rng.integers(0, 4, size=shape)
    return np.asarray(
        np.select([pick == 1, pick == 2, pick == 3], [np.nan, np.inf, -np.inf], x), dtype=F64
    )


# ---- sample builders ---------------------------------------------------------------------------


def unary(draw, shapes=SHAPES, **params):
    return lambda rng: [((draw(rng, s),), dict(params)) for s in shapes]


def binary(draw_x, draw_y=None, pairs=PAIRS):
    draw_y = draw_y or draw_x
    return lambda rng: [((draw_x(rng, sx), draw_y(rng, sy)), {}) for sx, sy in pairs]


def reduction(draw, cases=REDUCTIONS):
    return lambda rng: [
        ((draw(rng, s),), {"axis": axis, "keepdims": keep}) for s, axis, keep in cases
    ]


def _redraw(rng, draw, ok, tries=1000):
    """Draw until `ok(value)` holds (for domains that are easier to test than to construct)."""
    for _ in range(tries):
        v = draw(rng)
        if ok(*v):
            return v
    raise RuntimeError("could not draw a valid sample")


def _no_tie_pairs(rng):
    # x on the grid 0.5 k and y on 0.5 k + 0.25: every broadcast pair differs by >= 0.25.
    return [
        (
            (
                np.asarray(0.5 * rng.integers(-4, 5, size=sx), dtype=F64),
                np.asarray(0.5 * rng.integers(-4, 5, size=sy) + 0.25, dtype=F64),
            ),
            {},
        )
        for sx, sy in PAIRS
    ]


def _mod_samples(rng):
    # Away from the jumps of x mod y: x / y stays at least 0.05 from an integer.
    def ok(x, y):
        frac = np.mod(x / y, 1.0)
        return bool(np.all((frac > 0.05) & (frac < 0.95)))

    return [
        (
            _redraw(
                rng,
                lambda r, sx=sx, sy=sy: (normal(3.0)(r, sx), away_from_zero(0.5, 1.5)(r, sy)),
                ok,
            ),
            {},
        )
        for sx, sy in PAIRS
    ]


def _pow_samples(rng):
    base = uniform(0.5, 2.0)
    out = [((base(rng, sx), uniform(-2.0, 2.0)(rng, sy)), {}) for sx, sy in PAIRS]
    # Python-scalar exponents stay weak and are not differentiated.
    out.append(((base(rng, (3, 1)), 3), {}))
    out.append(((base(rng, (2, 3)), 0.5), {}))
    return out


def _where_samples(rng):
    out = [
        ((bools(rng, sc), normal()(rng, sx), normal()(rng, sy)), {})
        for sc, sx, sy in [((3,), (3,), (3,)), ((3, 1), (1, 4), ()), ((2, 3, 4), (4,), (3, 1))]
    ]
    out.append(((bools(rng, (2, 3)), normal()(rng, (2, 3)), 0.0), {}))
    return out


def _prod_samples(rng):
    out = reduction(away_from_zero(0.5, 1.5))(rng)
    # Exact zeros take the special path of the rule: one zero in a row, then two.
    one = away_from_zero(0.5, 1.5)(rng, (2, 3))
    one[0, 1] = 0.0
    two = away_from_zero(0.5, 1.5)(rng, (2, 3))
    two[1, 0] = two[1, 2] = 0.0
    out.append(((one,), {"axis": (1,), "keepdims": False}))
    out.append(((two,), {"axis": (1,), "keepdims": False}))
    return out


def _arg_samples(rng):
    cases = [((3,), None, False), ((3, 1), 0, True), ((2, 3, 4), 1, False), ((2, 3, 4), 2, True)]
    return [((distinct(rng, s),), {"axis": axis, "keepdims": keep}) for s, axis, keep in cases]


def _cumsum_samples(rng):
    cases = [((3,), 0), ((3, 1), 0), ((2, 3, 4), 1), ((2, 3, 4), 2)]
    return [((normal()(rng, s),), {"axis": axis}) for s, axis in cases]


def _flip_samples(rng):
    cases = [((3,), (0,)), ((3, 1), (0, 1)), ((2, 3, 4), (1,)), ((2, 3, 4), (0, 2))]
    return [((normal()(rng, s),), {"axis": axis}) for s, axis in cases]


def _cast_samples(rng):
    x = normal(3.0)
    return [
        ((x(rng, (3,)),), {"dtype": F64}),
        ((x(rng, (2, 3)),), {"dtype": F64}),
        # float64 -> float32 rounds: wider steps, looser tolerances, and each mode on its own,
        # since <u, J v> in float32 and in float64 differ by the rounding.
        ((x(rng, (2, 3)),), {"dtype": F32}, None, {"eps": 1e-2, "rtol": 1e-4, "modes": ("rev",)}),
        ((x(rng, (2, 3)),), {"dtype": F32}, None, {"eps": 1e-2, "rtol": 1e-4, "modes": ("fwd",)}),
        # A cast to integers is piecewise constant: its derivative is zero.
        ((x(rng, (2, 3)) + 0.5,), {"dtype": I64}),
        # An integer input is not differentiated; the cast only has to run.
        ((ints(-5, 5)(rng, (3,)),), {"dtype": F64}),
    ]


def _softmax_samples(rng):
    cases = [((3,), 0), ((3, 1), 1), ((1, 4), 1), ((2, 3, 4), 1), ((2, 3, 4), 2)]
    return [((normal(2.0)(rng, s),), {"axis": axis}) for s, axis in cases]


def _bce_samples(rng):
    pairs = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3, 4), (2, 3, 4))]
    return [((normal(2.0)(rng, sx), uniform(0.0, 1.0)(rng, sy)), {}) for sx, sy in pairs]


def _xent_samples(rng):
    cases = [((5,), ()), ((4, 5), (4,)), ((2, 3, 5), (2, 3))]
    return [((normal(2.0)(rng, s), ints(0, s[-1])(rng, ls)), {}) for s, ls in cases]


def _well_conditioned(rng, shape):
    n = shape[-1]
    return np.asarray(np.eye(n) + 0.3 * rng.normal(size=shape), dtype=F64)


def _spd(rng, shape):
    n = shape[-1]
    m = rng.normal(size=shape)
    return np.asarray(m @ np.swapaxes(m, -1, -2) / n + np.eye(n), dtype=F64)


def _cholesky_of_sym(a):
    # cholesky reads only the lower triangle; on (a + a^T) / 2 its symmetrised VJP is the gradient.
    return cholesky(mul(0.5, add(a, mT(a))))


def _cholesky_samples(rng):
    return [((_spd(rng, s),), {}, _cholesky_of_sym) for s in [(1, 1), (3, 3), (2, 3, 3)]]


def _matmul_samples(rng):
    # 1-D operands follow np.matmul: vector-vector, vector-matrix (batched too), matrix-vector.
    pairs = [
        ((2, 3), (3, 4)),
        ((3, 1), (1, 4)),
        ((2, 2, 3), (3, 4)),
        ((2, 1, 3, 2), (4, 2, 3)),
        ((3,), (3,)),
        ((3,), (3, 4)),
        ((3,), (2, 3, 4)),
        ((2, 3), (3,)),
        ((5, 2, 3), (3,)),
    ]
    return [((normal()(rng, sa), normal()(rng, sb)), {}) for sa, sb in pairs]


def _dense_samples(rng):
    # Operands have ndim >= 2 (`ops.dense` reshapes a 1-D input before binding); the bias may
    # be a scalar.
    cases = [((4, 3), 2, (2,)), ((4, 3), 2, ()), ((2, 4, 3), 5, (5,))]
    return [
        ((normal()(rng, sx), normal()(rng, (n, sx[-1])), normal()(rng, sb)), {})
        for sx, n, sb in cases
    ]


def _solve_samples(rng):
    pairs = [((3, 3), (3, 2)), ((3, 3), (3, 1)), ((2, 3, 3), (2, 3, 1)), ((2, 3, 3), (3, 2))]
    return [((_well_conditioned(rng, sa), normal()(rng, sb)), {}) for sa, sb in pairs]


def _reshape_samples(rng):
    cases = [
        ((), (1, 1)),
        ((3, 1), (3,)),
        ((1, 4), (2, 2)),
        ((2, 3, 4), (6, 4)),
        ((2, 3, 4), (4, -1)),
    ]
    return [((normal()(rng, s),), {"shape": new}) for s, new in cases]


def _transpose_samples(rng):
    cases = [((), ()), ((3, 1), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (0, 2, 1))]
    return [((normal()(rng, s),), {"perm": perm}) for s, perm in cases]


def _broadcast_to_samples(rng):
    cases = [((), (3,)), ((3,), (2, 3)), ((3, 1), (3, 4)), ((3, 1), (2, 3, 4)), ((1, 4), (1, 4))]
    return [((normal()(rng, s),), {"shape": new}) for s, new in cases]


def _concatenate_samples(rng):
    cases = [([(3,)], 0), ([(2, 3), (1, 3)], 0), ([(2, 3, 4), (2, 1, 4), (2, 2, 4)], 1)]
    return [(tuple(normal()(rng, s) for s in shapes), {"axis": axis}) for shapes, axis in cases]


def _pad_samples(rng):
    cases = [
        ((3,), ((1, 2),), 0.0),
        ((2, 3), ((0, 1), (2, 0)), 1.5),
        ((2, 3, 4), ((1, 0), (0, 0), (1, 1)), 0.0),
    ]
    return [((normal()(rng, s),), {"pad_width": pw, "value": v}) for s, pw, v in cases]


def _tril_samples(rng):
    return [((normal()(rng, s),), {}) for s in [(3, 3), (4, 3), (2, 3, 4)]]


# Indexing: `(shape of x, index)`; an index is split into a spec and its index arrays.
INDICES = [
    ((4, 3), (slice(1, 3), 0)),
    ((3,), 1),
    ((2, 3, 4), (Ellipsis, None, slice(None, None, -1))),
    ((4, 3), np.array([0, 2, 2, 1])),  # repeated rows: the adjoint accumulates
    ((2, 3, 4), (np.array([0, 1, 1]), slice(None), np.array([3, 0, 3]))),
    ((3, 4), "mask"),
]


def _index(rng, shape, index):
    if isinstance(index, str):  # a bool mask with a fixed number of True entries
        index = np.zeros(shape, dtype=bool)
        index.flat[rng.choice(index.size, size=5, replace=False)] = True
    return split_index(index)


def _getitem_samples(rng):
    out = []
    for shape, index in INDICES:
        spec, arrays = _index(rng, shape, index)
        out.append(((normal()(rng, shape), *arrays), {"spec": spec}))
    return out


def _target_shape(shape, spec, arrays):
    return np.zeros(shape)[build_index(spec, arrays)].shape


def _scatter_add_samples(rng):
    out = []
    for shape, index in INDICES:
        spec, arrays = _index(rng, shape, index)
        ct = normal()(rng, _target_shape(shape, spec, arrays))
        out.append(((ct, *arrays), {"spec": spec, "shape": shape}))
    return out


def _index_update_samples(rng):
    # Unique positions only: with repeats, which write wins is unspecified.
    cases = [
        ((4, 3), (slice(1, 3), 0), "full"),
        ((4, 3), (slice(None), np.array([0, 2])), "last"),
        ((2, 3, 4), (0, Ellipsis), "scalar"),
        ((2, 3, 4), (np.array([1, 0]), slice(None), np.array([3, 0])), "full"),
        ((3, 4), "mask", "full"),
    ]
    out = []
    for shape, index, kind in cases:
        spec, arrays = _index(rng, shape, index)
        target = _target_shape(shape, spec, arrays)
        vshape = {"full": target, "last": target[-1:], "scalar": ()}[kind]
        out.append(((normal()(rng, shape), normal()(rng, vshape), *arrays), {"spec": spec}))
    return out


def _random_samples(dtype_params):
    return lambda rng: [((), dict(p)) for p in dtype_params]


def _draw_samples(*cases):
    """Draws of the distributions, whose parameters are arrays: each case is `(args, params)`,
    `args` the `(draw, shape)` pairs of the parameter arrays, shapes broadcasting to
    `params['shape']`."""
    return lambda rng: [
        (tuple(draw(rng, shape) for draw, shape in args), dict(params)) for args, params in cases
    ]


def _as(dtype, draw):
    return lambda rng, shape: draw(rng, shape).astype(dtype)


SAMPLES = {
    # arithmetic
    "add": binary(normal()),
    "sub": binary(normal()),
    "mul": binary(normal()),
    "div": binary(normal(), away_from_zero(0.5, 2.0)),
    "neg": unary(normal()),
    "square": unary(normal()),
    "pow": _pow_samples,
    "mod": _mod_samples,
    "maximum": _no_tie_pairs,
    "minimum": _no_tie_pairs,
    "where": _where_samples,
    # comparisons, logic and other piecewise-constant functions (no gradient)
    "equal": binary(integer_valued),
    "not_equal": binary(integer_valued),
    "less": binary(integer_valued),
    "less_equal": binary(integer_valued),
    "greater": binary(integer_valued),
    "greater_equal": binary(integer_valued),
    "logical_and": binary(bools),
    "logical_or": binary(bools),
    "logical_xor": binary(bools),
    "logical_not": unary(bools),
    "bitwise_and": binary(ints(-8, 8)),
    "bitwise_or": binary(ints(-8, 8)),
    "bitwise_xor": binary(ints(-8, 8, I32)),
    "invert": lambda rng: unary(ints(-8, 8))(rng) + unary(bools, shapes=[(3,)])(rng),
    "sign": unary(normal(3.0)),
    "floor": unary(normal(3.0)),
    "ceil": unary(normal(3.0)),
    "round": unary(normal(3.0)),
    "floor_divide": lambda rng: (
        binary(normal(3.0), away_from_zero(0.5, 2.0))(rng) + binary(ints(-8, 8), ints(1, 4))(rng)
    ),
    "isnan": unary(special_values),
    "isinf": unary(special_values),
    "isfinite": unary(special_values),
    "stop_gradient": unary(normal()),
    # unary functions, each on a domain away from kinks and singularities
    "exp": unary(normal()),
    "log": unary(uniform(0.5, 2.0)),
    "log1p": unary(uniform(-0.5, 2.0)),
    "expm1": unary(normal()),
    "sqrt": unary(uniform(0.5, 2.0)),
    "rsqrt": unary(uniform(0.5, 2.0)),
    "reciprocal": unary(away_from_zero(0.5, 2.0)),
    "abs": unary(away_from_zero()),
    "sin": unary(normal(2.0)),
    "cos": unary(normal(2.0)),
    "tan": unary(uniform(-1.0, 1.0)),
    "tanh": unary(normal()),
    "asin": unary(uniform(-0.9, 0.9)),
    "acos": unary(uniform(-0.9, 0.9)),
    "atan": unary(normal(2.0)),
    "sinh": unary(normal()),
    "cosh": unary(normal()),
    "sigmoid": unary(normal(2.0)),
    "relu": unary(away_from_zero()),
    "softplus": unary(normal(2.0)),
    "erf": unary(normal()),
    "gelu": unary(normal(2.0)),
    "gelu_tanh": unary(normal(2.0)),
    "cast": _cast_samples,
    # reductions
    "reduce_sum": reduction(normal()),
    "reduce_mean": reduction(normal()),
    "reduce_max": reduction(distinct),
    "reduce_min": reduction(distinct),
    "reduce_prod": _prod_samples,
    "logsumexp": reduction(normal(2.0)),
    "argmax": _arg_samples,
    "argmin": _arg_samples,
    "cumsum": _cumsum_samples,
    "flip": _flip_samples,
    # shapes
    "reshape": _reshape_samples,
    "transpose": _transpose_samples,
    "broadcast_to": _broadcast_to_samples,
    "concatenate": _concatenate_samples,
    "pad": _pad_samples,
    # indexing
    "getitem": _getitem_samples,
    "scatter_add": _scatter_add_samples,
    "index_update": _index_update_samples,
    # linear algebra
    "matmul": _matmul_samples,
    "dense": _dense_samples,
    "inv": lambda rng: [((_well_conditioned(rng, s),), {}) for s in [(1, 1), (3, 3), (2, 3, 3)]],
    "det": lambda rng: [((_well_conditioned(rng, s),), {}) for s in [(1, 1), (3, 3), (2, 3, 3)]],
    "solve": _solve_samples,
    "tril": _tril_samples,
    "cholesky": _cholesky_samples,
    # neural-network primitives
    "softmax": _softmax_samples,
    "log_softmax": _softmax_samples,
    "sigmoid_bce": _bce_samples,
    "softmax_cross_entropy": _xent_samples,
    "softmax_xent_vjp": lambda rng: [
        ((rng.normal(size=args[0].shape[:-1]),) + args, params)
        for args, params in _xent_samples(rng)
    ],
    "relu_grad": lambda rng: [
        # `out` away from 0, where the mask jumps: its derivative is 0 on either side.
        ((rng.normal(size=s), rng.choice([-1.0, 1.0], size=s) * rng.uniform(0.5, 2, s)), {})
        for s in [(3,), (2, 3, 4)]
    ],
    # random draws (no array arguments)
    "random_normal": _random_samples(
        [
            {"shape": (3, 4), "dtype": F64},
            {"shape": (2, 3, 4), "dtype": F32, "mean": 1.0, "stddev": 2.0},
        ]
    ),
    "random_uniform": _random_samples(
        [
            {"shape": (3, 4), "dtype": F64},
            {"shape": (5,), "dtype": F32, "low": -2.0, "high": 3.0},
        ]
    ),
    "random_randint": _random_samples(
        [
            {"shape": (3, 4), "dtype": I64, "low": 0, "high": 10},
            {"shape": (7,), "dtype": I32, "low": -3, "high": 3},
        ]
    ),
    "random_permutation": _random_samples([{"n": 6, "dtype": I64}, {"n": 10, "dtype": I32}]),
    # the distributions' draws (array parameters, broadcast to `shape`)
    "random_gamma": _draw_samples(
        ([(uniform(0.3, 3.0), (3, 1))], {"shape": (2, 3, 4), "dtype": F64}),
        ([(_as(F32, uniform(0.5, 5.0)), ())], {"shape": (5,), "dtype": F32}),
    ),
    "random_beta": _draw_samples(
        (
            [(uniform(0.3, 3.0), (4,)), (uniform(0.3, 3.0), (3, 1))],
            {"shape": (2, 3, 4), "dtype": F64},
        ),
        (
            [(uniform(0.5, 2.0), ()), (_as(F32, uniform(0.5, 2.0)), (6,))],
            {"shape": (6,), "dtype": F32},
        ),
    ),
    "random_poisson": _draw_samples(
        ([(uniform(0.5, 20.0), (3, 1))], {"shape": (2, 3, 4), "dtype": F64}),
        ([(uniform(1.0, 5.0), ())], {"shape": (6,), "dtype": I64}),
    ),
    "random_binomial": _draw_samples(
        ([(ints(5, 20), (3, 1)), (uniform(0.2, 0.8), (4,))], {"shape": (2, 3, 4), "dtype": F64}),
        ([(_as(F64, ints(5, 20)), (6,)), (uniform(0.2, 0.8), ())], {"shape": (6,), "dtype": I32}),
    ),
}
