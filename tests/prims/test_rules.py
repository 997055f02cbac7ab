"""The registry-wide rule test: every primitive, on every sample of `samples.py`.

Primitives with rules get their VJP and JVP checked against central differences, against each
other, and again one order up (`check_grads`). Primitives without rules must run, and no
gradient may flow through them. Random draws must have their shape and dtype and be
reproducible after reseeding. Every primitive's batching rule is checked against a Python loop
(`check_batch`); draws only for shapes, dtypes and independent examples. Where NumPy or SciPy has an independent reference, the
implementation's values are compared with it.
"""

from __future__ import annotations

import math
import warnings
from functools import partial

import numpy as np
import pytest

import minispore  # noqa: F401  (fills the registry)
import minispore.prims.random as prims_random
from minispore.core.primitive import REGISTRY, Tracer
from minispore.prims.indexing import build_index
from minispore.testing import check_batch, check_grads, jvp, vjp

from .samples import SAMPLES as _CORE_SAMPLES
from .samples import unpack
from .samples_conv import SAMPLES as _CONV_SAMPLES
from .samples_special import SAMPLES as _SPECIAL_SAMPLES

# One table for the whole registry; each family file owns its own samples.
SAMPLES = {**_CORE_SAMPLES, **_CONV_SAMPLES, **_SPECIAL_SAMPLES}

RANDOM = sorted(n for n, p in REGISTRY.items() if p.impl.__module__ == prims_random.__name__)


def _describe(args, params):
    shapes = ", ".join(
        f"{tuple(a.shape)} {a.dtype}" if isinstance(a, np.ndarray) else repr(a) for a in args
    )
    return f"args [{shapes}]" + (f", params {params}" if params else "")


def _samples(name):
    rng = np.random.default_rng(0)
    return [unpack(s) for s in SAMPLES[name](rng)]


def _report(name, failures):
    if failures:
        pytest.fail(f"{len(failures)} sample(s) of '{name}' failed:\n\n" + "\n\n".join(failures))


@pytest.fixture
def fresh_generator():
    """Restore the global random generator after a test that reseeds it."""
    saved = prims_random.get_generator()
    yield
    prims_random.set_generator(saved)


def test_every_primitive_has_samples():
    missing = sorted(set(REGISTRY) - set(SAMPLES))
    extra = sorted(set(SAMPLES) - set(REGISTRY))
    assert not missing and not extra, (
        f"SAMPLES in tests/prims/samples*.py is out of step with REGISTRY: "
        f"missing samples for {missing}; samples for unregistered names {extra}"
    )


def test_every_primitive_declares_a_batch_rule():
    missing = sorted(n for n, p in REGISTRY.items() if p.batch is None)
    assert not missing, (
        f"primitives without a batch rule: {missing}; declare batch=elementwise, reduction, "
        "loop_batch or a dedicated rule (see minispore/core/batching.py)"
    )


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_primitive_batching(name, fresh_generator):
    prim = REGISTRY[name]
    failures = []
    for k, (args, params, _, _) in enumerate(_samples(name)):
        f = partial(prim, **params)
        f.__name__ = f"'{name}' sample {k}"
        try:
            check_batch(f, args, random=name in RANDOM)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its sample
            failures.append(f"{type(e).__name__}: {e}\n  ({_describe(args, params)})")
    _report(name, failures)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_primitive_rules(name, fresh_generator):
    prim = REGISTRY[name]
    samples = _samples(name)
    assert samples, f"'{name}' has an empty sample list"
    if name in RANDOM:
        _check_random(name, prim, samples)
    elif prim.vjp is None:
        _check_no_gradient(name, prim, samples)
    else:
        _check_rules(name, prim, samples)


def _check_rules(name, prim, samples):
    failures = []
    for k, (args, params, fn, check) in enumerate(samples):
        target = fn if fn is not None else partial(prim, **params)

        def f(*xs, target=target):
            return target(*xs)

        f.__name__ = f"'{name}' sample {k}"
        opts = {"order": prim.order, "modes": ("rev", "fwd"), **check}
        try:
            check_grads(f, args, **opts)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its sample
            failures.append(f"{type(e).__name__}: {e}\n  ({_describe(args, params)})")
    _report(name, failures)


def _check_no_gradient(name, prim, samples):
    failures = []
    for k, (args, params, fn, _) in enumerate(samples):
        where = f"'{name}' sample {k} ({_describe(args, params)})"
        f = fn if fn is not None else partial(prim, **params)
        try:
            expected = prim(*args, **params)
            out, pullback = vjp(f, *args)
            if isinstance(out, Tracer):
                failures.append(f"{where}: the output is traced under vjp: {out!r}")
                continue
            np.testing.assert_array_equal(out, expected, err_msg=f"{where}: value under vjp")
            ct = np.ones(np.shape(out), dtype=np.float64)
            grads = pullback(ct)
            flowing = [i for i, g in enumerate(grads) if g is not None]
            if flowing:
                failures.append(f"{where}: a gradient flows to argument(s) {flowing}: {grads}")
            tangents = [
                np.ones_like(a) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else None
                for a in args
            ]
            out_f, t = jvp(f, args, tangents)
            np.testing.assert_array_equal(out_f, expected, err_msg=f"{where}: value under jvp")
            if t is not None:
                failures.append(f"{where}: a tangent flows under jvp: {t!r}")
        except Exception as e:  # noqa: BLE001
            failures.append(f"{where}: {type(e).__name__}: {e}")
    _report(name, failures)


def _check_random(name, prim, samples):
    failures = []
    for k, (args, params, _, _) in enumerate(samples):
        where = f"'{name}' sample {k} ({_describe(args, params)})"
        shape = (params["n"],) if "n" in params else params["shape"]
        prims_random.seed_generator(0)
        first = prim(*args, **params)
        second = prim(*args, **params)
        prims_random.seed_generator(0)
        again = prim(*args, **params)
        if first.shape != shape or first.dtype != params["dtype"]:
            failures.append(
                f"{where}: drew {first.shape} {first.dtype}, expected {shape} {params['dtype']}"
            )
        if not np.array_equal(first, again):
            failures.append(f"{where}: reseeding with 0 does not reproduce the draw")
        if np.array_equal(first, second):
            failures.append(f"{where}: two successive draws are equal")
        if "low" in params and not (
            np.all(first >= params["low"]) and np.all(first < params["high"])
        ):
            failures.append(f"{where}: draws outside [{params['low']}, {params['high']}): {first}")
        if name == "random_permutation" and sorted(first.tolist()) != list(range(params["n"])):
            failures.append(f"{where}: not a permutation of range({params['n']}): {first}")
        # No gradient flows through a draw, even under a transform.
        out, pullback = vjp(partial(prim, *args, **params))
        if isinstance(out, Tracer) or pullback(np.ones(shape)) != []:
            failures.append(f"{where}: the draw is traced under vjp")
    _report(name, failures)


# ---- values against NumPy and SciPy --------------------------------------------------------------


def _special():
    return pytest.importorskip("scipy.special")


def _erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def _log_softmax(x, axis):
    return x - _special().logsumexp(x, axis=axis, keepdims=True)


def _softmax_xent(x, labels):
    logp = _log_softmax(x, -1)
    return -np.take_along_axis(logp, labels[..., None], axis=-1)[..., 0]


def _bce(x, y):
    # The naive formula: fine on moderate inputs.
    s = 1 / (1 + np.exp(-x))
    return -y * np.log(s) - (1 - y) * np.log(1 - s)


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def _scatter_add_adjoint(ct, *arrays, spec, shape):
    # scatter_add is the adjoint of getitem: <scatter_add(ct), x> = <ct, x[index]> for every x;
    # with x the basis vectors this pins down every entry.
    eye = np.eye(int(np.prod(shape))).reshape((-1, *shape))
    index = build_index(spec, arrays)
    return np.array([np.sum(ct * e[index]) for e in eye]).reshape(shape)


def _det(a):
    return np.prod(np.linalg.eigvals(a), axis=-1).real


def _inv(a):
    return np.linalg.solve(a, np.broadcast_to(np.eye(a.shape[-1]), a.shape))


def _solve(a, b):
    return np.linalg.inv(a) @ b


def _pad(x, *, pad_width, value):
    out = np.full(tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, pad_width, strict=True)), value)
    out[tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape, pad_width, strict=True))] = x
    return out


def _tril(x):
    i, j = np.indices(x.shape[-2:])
    return x * (i >= j)


def _cumsum(x, *, axis):
    moved = np.moveaxis(x, axis, 0)
    out = np.stack([moved[: k + 1].sum(axis=0) for k in range(moved.shape[0])])
    return np.moveaxis(out, 0, axis)


REFERENCES = {
    "sigmoid": lambda x: _special().expit(x),
    "softplus": lambda x: np.logaddexp(0, x),
    "relu": lambda x: np.where(x > 0, x, 0.0),
    "rsqrt": lambda x: x**-0.5,
    "erf": _erf,
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))),
    "gelu_tanh": _gelu_tanh,
    "mod": lambda x, y: x - np.floor(x / y) * y,
    "pow": lambda x, y: np.exp(y * np.log(x)),
    "logsumexp": lambda x, *, axis, keepdims: _special().logsumexp(x, axis=axis, keepdims=keepdims),
    "reduce_prod": lambda x, *, axis, keepdims: (
        np.exp(np.sum(np.log(np.abs(x)), axis=axis, keepdims=keepdims))
        * np.prod(np.sign(x), axis=axis, keepdims=keepdims)
    ),
    "cumsum": _cumsum,
    "softmax": lambda x, *, axis: np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True),
    "log_softmax": lambda x, *, axis: _log_softmax(x, axis),
    "sigmoid_bce": _bce,
    "softmax_cross_entropy": _softmax_xent,
    "softmax_xent_vjp": lambda ct, x, labels: (
        ct[..., None]
        * (np.exp(_log_softmax(x, -1)) - (labels[..., None] == np.arange(x.shape[-1])))
    ),
    "relu_grad": lambda ct, out: ct * (out > 0),
    "matmul": lambda a, b: np.matmul(a, b),
    "dense": lambda x, w, b: np.einsum("...i,oi->...o", x, w) + b,
    "inv": _inv,
    "det": _det,
    "solve": _solve,
    "tril": _tril,
    "pad": _pad,
    "scatter_add": _scatter_add_adjoint,
}

# Inputs where a naive implementation overflows or loses everything: (args, params, expected).
EDGE_CASES = {
    "sigmoid": [((np.array([-800.0, -40.0, 0.0, 40.0, 800.0]),), {}, None)],
    "softplus": [((np.array([-800.0, -40.0, 0.0, 40.0, 800.0]),), {}, None)],
    "logsumexp": [
        ((np.array([1000.0, 1000.0]),), {"axis": None, "keepdims": False}, 1000.0 + math.log(2)),
        (
            (np.array([[-np.inf, 0.0], [-1000.0, -1000.0]]),),
            {"axis": (1,), "keepdims": True},
            np.array([[0.0], [-1000.0 + math.log(2)]]),
        ),
    ],
    "softmax": [((np.array([1000.0, 0.0, -1000.0]),), {"axis": 0}, np.array([1.0, 0.0, 0.0]))],
    "log_softmax": [
        ((np.array([1000.0, 0.0, -1000.0]),), {"axis": 0}, np.array([0.0, -1000.0, -2000.0]))
    ],
    "sigmoid_bce": [
        (
            (np.array([100.0, 100.0, -100.0, -100.0, 800.0]), np.array([1.0, 0.0, 1.0, 0.0, 0.5])),
            {},
            np.array([math.exp(-100), 100.0, 100.0, math.exp(-100), 400.0]),
        )
    ],
    "softmax_cross_entropy": [
        ((np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([1, 1])), {}, np.array([1000.0, 0.0]))
    ],
    "gelu": [((np.array([-40.0, 40.0]),), {}, np.array([0.0, 40.0]))],
    "gelu_tanh": [((np.array([-40.0, 40.0]),), {}, np.array([0.0, 40.0]))],
    "erf": [((np.array([-30.0, 0.0, 30.0]),), {}, np.array([-1.0, 0.0, 1.0]))],
}


@pytest.mark.parametrize("name", sorted(set(REFERENCES) | set(EDGE_CASES)))
def test_primitive_values(name):
    prim = REGISTRY[name]
    ref = REFERENCES.get(name)
    failures = []
    cases = (
        []
        if ref is None
        else [(f"sample {k}", a, p, None) for k, (a, p, _, _) in enumerate(_samples(name))]
    )
    cases += [(f"edge case {k}", a, p, e) for k, (a, p, e) in enumerate(EDGE_CASES.get(name, []))]
    for label, args, params, expected in cases:
        where = f"'{name}' {label} ({_describe(args, params)})"
        try:
            with (
                warnings.catch_warnings(),
                np.errstate(over="raise", invalid="raise", divide="raise"),
            ):
                warnings.simplefilter("error")
                got = prim(*args, **params)
            if expected is None:
                with np.errstate(all="ignore"):
                    expected = ref(*args, **params)
            np.testing.assert_allclose(
                got,
                expected,
                rtol=1e-10,
                atol=1e-12,
                err_msg=f"{where}: implementation vs reference",
            )
        except Exception as e:  # noqa: BLE001
            failures.append(f"{where}: {type(e).__name__}: {e}")
    _report(name, failures)


def test_cholesky_factor_properties():
    # Independent of NumPy's factorisation: L is lower triangular, has a positive diagonal and
    # reproduces A.
    for k, (args, params, _, _) in enumerate(_samples("cholesky")):
        (a,) = args
        low = REGISTRY["cholesky"](a, **params)
        assert np.array_equal(low, np.tril(low)), f"'cholesky' sample {k}: factor is not lower"
        assert np.all(np.diagonal(low, axis1=-2, axis2=-1) > 0), f"'cholesky' sample {k}: diagonal"
        np.testing.assert_allclose(
            low @ np.swapaxes(low, -1, -2),
            a,
            rtol=1e-12,
            atol=1e-12,
            err_msg=f"'cholesky' sample {k}: L L^T differs from A",
        )


def test_cholesky_cotangent_is_symmetric():
    # The rule check runs cholesky on (a + a^T) / 2, which symmetrises any cotangent; the rule
    # itself promises the symmetrised gradient, so check that on the raw primitive.
    rng = np.random.default_rng(1)
    for k, (args, params, _, _) in enumerate(_samples("cholesky")):
        (a,) = args
        _, pullback = vjp(partial(REGISTRY["cholesky"], **params), a)
        (g,) = pullback(rng.normal(size=a.shape))
        np.testing.assert_allclose(
            g,
            np.swapaxes(g, -1, -2),
            rtol=1e-12,
            atol=1e-12,
            err_msg=f"'cholesky' sample {k}: the cotangent is not symmetric",
        )
