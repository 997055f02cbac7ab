"""Reference tests against PyTorch (STYLE section 9): forward values and gradients of the public
ops, same inputs, float64. Skipped when PyTorch is not installed (it is not a dependency).

Every case is a pair of functions of the same float64 arrays, one written with `minispore.ops`
and one with `torch`; constants (masks, indices, weights) are closed over. The test compares
the outputs, then the gradients of `sum_k <out_k, w_k>` with respect to every array, with a
random `w_k`. Activations and losses are covered by `tests/ops/test_losses.py`.
Second order: Hessians (`minispore.hessian`) and Hessian-vector products (grad of grad) of a
few smooth ops against `torch.autograd.functional.hessian` and double backward.
"""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL, ATOL = 1e-10, 1e-12
INF = float("inf")


def _rng(seed):
    return np.random.default_rng(seed)


# ---- inputs --------------------------------------------------------------------------------------


def normal(*shape, seed=0, scale=1.0):
    return _rng(seed).normal(size=shape) * scale


def uniform(lo, hi, *shape, seed=0):
    return _rng(seed).uniform(lo, hi, size=shape)


def away(*shape, seed=0, lo=0.2, hi=2.0):
    """Random signs, magnitudes in [lo, hi]: away from the kink at 0."""
    r = _rng(seed)
    return r.choice([-1.0, 1.0], size=shape) * r.uniform(lo, hi, size=shape)


def spd(n, *batch, seed=0):
    """Symmetric positive definite (batch of) n x n matrices."""
    m = _rng(seed).normal(size=batch + (n, n))
    return m @ np.swapaxes(m, -1, -2) + n * np.eye(n)


def well_conditioned(n, *batch, seed=0):
    return _rng(seed).normal(size=batch + (n, n)) + 3 * np.eye(n)


class Case:
    def __init__(self, name, ms_fn, th_fn, args, rtol=RTOL, atol=ATOL, nonzero_grad=True):
        self.name, self.ms_fn, self.th_fn = name, ms_fn, th_fn
        self.args = [np.asarray(a, np.float64) for a in args]
        self.rtol, self.atol, self.nonzero_grad = rtol, atol, nonzero_grad


def _outs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _is_float_np(a):
    return np.asarray(a).dtype.kind == "f"


def _run_case(case):
    args = case.args
    n = len(args)
    # forward
    ms_out = _outs(case.ms_fn(*[Tensor(a) for a in args]))
    th_args = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in args]
    th_out = _outs(case.th_fn(*th_args))
    assert len(ms_out) == len(th_out), f"{case.name}: {len(ms_out)} vs {len(th_out)} outputs"
    ws = []
    for k, (o, r) in enumerate(zip(ms_out, th_out)):
        ov, rv = o.asnumpy(), r.detach().numpy()
        assert ov.shape == rv.shape, f"{case.name}: output {k} shape {ov.shape} vs torch {rv.shape}"
        if _is_float_np(rv):
            assert o.dtype == ms.float64, f"{case.name}: output {k} dtype {o.dtype}"
            np.testing.assert_allclose(
                ov, rv, rtol=case.rtol, atol=case.atol, err_msg=f"{case.name}: output {k}"
            )
            ws.append(_rng(1000 + k).normal(size=rv.shape))
        else:  # indices
            np.testing.assert_array_equal(ov, rv, err_msg=f"{case.name}: output {k}")
            ws.append(None)

    # gradients of sum_k <out_k, w_k>
    def ms_total(*ts):
        total = None
        for o, w in zip(_outs(case.ms_fn(*ts)), ws):
            if w is not None:
                s = ops.sum(o * Tensor(w))
                total = s if total is None else total + s
        return total

    pos = 0 if n == 1 else tuple(range(n))
    g = ms.grad(ms_total, grad_position=pos)(*[Tensor(a) for a in args])
    g = [g] if n == 1 else list(g)
    th_total = sum((r * torch.tensor(w)).sum() for r, w in zip(th_out, ws) if w is not None)
    tg = torch.autograd.grad(th_total, th_args, allow_unused=True)
    tg = [torch.zeros_like(a) if t is None else t for t, a in zip(tg, th_args)]
    for i, (gi, ti) in enumerate(zip(g, tg)):
        assert gi.shape == args[i].shape, f"{case.name}: grad {i} shape {gi.shape}"
        assert gi.dtype == ms.float64, f"{case.name}: grad {i} dtype {gi.dtype}"
        np.testing.assert_allclose(
            gi.asnumpy(),
            ti.numpy(),
            rtol=case.rtol,
            atol=case.atol,
            err_msg=f"{case.name}: gradient w.r.t. argument {i}",
        )
    if case.nonzero_grad:
        assert any(np.abs(t.numpy()).max() > 1e-8 for t in tg), f"{case.name}: vacuous gradient"


def _params(cases):
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return pytest.mark.parametrize("case", cases, ids=names)


# ---- elementwise -----------------------------------------------------------------------------

S = (2, 3, 4)

UNARY = [
    ("exp", ops.exp, torch.exp, normal(*S)),
    ("log", ops.log, torch.log, uniform(0.5, 2.0, *S)),
    ("log1p", ops.log1p, torch.log1p, uniform(-0.5, 2.0, *S)),
    ("expm1", ops.expm1, torch.expm1, normal(*S)),
    ("sqrt", ops.sqrt, torch.sqrt, uniform(0.5, 2.0, *S)),
    ("rsqrt", ops.rsqrt, torch.rsqrt, uniform(0.5, 2.0, *S)),
    ("square", ops.square, torch.square, normal(*S)),
    ("abs", ops.abs, torch.abs, away(*S)),
    ("neg", ops.neg, torch.neg, normal(*S)),
    ("reciprocal", ops.reciprocal, torch.reciprocal, away(*S, lo=0.5)),
    ("sin", ops.sin, torch.sin, normal(*S, scale=2)),
    ("cos", ops.cos, torch.cos, normal(*S, scale=2)),
    ("tan", ops.tan, torch.tan, uniform(-1.2, 1.2, *S)),
    ("sinh", ops.sinh, torch.sinh, normal(*S)),
    ("cosh", ops.cosh, torch.cosh, normal(*S)),
    ("asin", ops.asin, torch.asin, uniform(-0.9, 0.9, *S)),
    ("acos", ops.acos, torch.acos, uniform(-0.9, 0.9, *S)),
    ("atan", ops.atan, torch.atan, normal(*S, scale=2)),
    ("tanh", ops.tanh, torch.tanh, normal(*S, scale=2)),
    ("sigmoid", ops.sigmoid, torch.sigmoid, normal(*S, scale=3)),
    ("relu", ops.relu, torch.relu, away(*S)),
    ("gelu_none", ops.gelu, F.gelu, normal(*S, scale=2)),
    (
        "gelu_tanh",
        lambda x: ops.gelu(x, approximate="tanh"),
        lambda x: F.gelu(x, approximate="tanh"),
        normal(*S, scale=2),
    ),
    ("erf", ops.erf, torch.erf, normal(*S)),
    # large entries exercise the linear branch above the threshold (beta x > 20)
    (
        "softplus",
        ops.softplus,
        F.softplus,
        np.concatenate([normal(20, scale=3), [25.0, -30.0, 21.0]]),
    ),
    (
        "softplus_beta_threshold",
        lambda x: ops.softplus(x, beta=2, threshold=5),
        lambda x: F.softplus(x, beta=2, threshold=5),
        away(5, 6, lo=0.1, hi=4.0),
    ),
    ("tensor_neg_method", lambda x: -x, lambda x: -x, normal(*S)),
]

BINARY_SHAPES = [((2, 3, 4), (2, 3, 4)), ((3, 1), (1, 4)), ((), (2, 3)), ((2, 3, 4), (4,))]


def _binary_cases():
    cases = []
    for k, (sa, sb) in enumerate(BINARY_SHAPES):
        tag = f"{sa}x{sb}".replace(" ", "")
        a, b = normal(*sa, seed=k), normal(*sb, seed=k + 10)
        bnz = away(*sb, seed=k + 10, lo=0.5)
        cases += [
            Case(f"add-{tag}", ops.add, torch.add, [a, b]),
            Case(f"sub-{tag}", ops.sub, torch.sub, [a, b]),
            Case(f"mul-{tag}", ops.mul, torch.mul, [a, b]),
            Case(f"div-{tag}", ops.div, torch.div, [a, bnz]),
            Case(f"maximum-{tag}", ops.maximum, torch.maximum, [a, b]),
            Case(f"minimum-{tag}", ops.minimum, torch.minimum, [a, b]),
            Case(
                f"pow-{tag}",
                ops.pow,
                torch.pow,
                [uniform(0.5, 2.0, *sa, seed=k), normal(*sb, seed=k + 20)],
            ),
            Case(
                f"operators-{tag}",
                lambda x, y: (x + y) * x - y / 3.0 + x**2,
                lambda x, y: (x + y) * x - y / 3.0 + x**2,
                [a, b],
            ),
        ]
    x = normal(*S, seed=3)
    cases += [
        Case("add-python_scalar", lambda t: ops.add(t, 2.5), lambda t: torch.add(t, 2.5), [x]),
        Case("sub-python_scalar_left", lambda t: ops.sub(1.5, t), lambda t: 1.5 - t, [x]),
        Case("mul-python_scalar", lambda t: ops.mul(t, -3.0), lambda t: t * -3.0, [x]),
        Case("div-python_scalar_left", lambda t: ops.div(2.0, t), lambda t: 2.0 / t, [away(*S)]),
        Case("pow-int_exponent_negative_base", lambda t: ops.pow(t, 3), lambda t: t**3, [x]),
        Case(
            "pow-float_exponent", lambda t: ops.pow(t, 2.5), lambda t: t**2.5, [uniform(0.5, 2, *S)]
        ),
        Case("pow-scalar_base", lambda t: ops.pow(2.0, t), lambda t: torch.pow(2.0, t), [x]),
        Case(
            "pow-negative_exponent", lambda t: ops.pow(t, -2), lambda t: t**-2, [away(*S, lo=0.5)]
        ),
        Case(
            "maximum-scalar",
            lambda t: ops.maximum(t, 0.1),
            lambda t: torch.clamp_min(t, 0.1),
            [away(*S)],
        ),
    ]
    return cases


def _clamp_cases():
    x = normal(3, 4, seed=5, scale=2)
    lo, hi = normal(3, 4, seed=6) - 1, normal(1, 4, seed=7) + 1
    return [
        Case(
            "clamp-both",
            lambda t: ops.clamp(t, -0.7, 0.9),
            lambda t: torch.clamp(t, -0.7, 0.9),
            [x],
        ),
        Case(
            "clamp-min", lambda t: ops.clamp(t, min=-0.3), lambda t: torch.clamp(t, min=-0.3), [x]
        ),
        Case("clamp-max", lambda t: ops.clamp(t, max=0.4), lambda t: torch.clamp(t, max=0.4), [x]),
        Case(
            "clip-both", lambda t: ops.clip(t, -0.7, 0.9), lambda t: torch.clip(t, -0.7, 0.9), [x]
        ),
        Case(
            "clamp-tensor_bounds",
            lambda t, a, b: ops.clamp(t, a, b),
            lambda t, a, b: torch.clamp(t, a, b),
            [x, lo, hi],
        ),
        Case(
            "clamp-tensor_min",
            lambda t, a: ops.clamp(t, min=a),
            lambda t, a: torch.clamp(t, min=a),
            [x, lo],
        ),
    ]


def _where_cases():
    cond = _rng(8).random((2, 3, 4)) > 0.5
    cond2 = _rng(9).random((3, 1)) > 0.5
    return [
        Case(
            "where-same_shape",
            lambda a, b: ops.where(Tensor(cond), a, b),
            lambda a, b: torch.where(torch.tensor(cond), a, b),
            [normal(*S, seed=1), normal(*S, seed=2)],
        ),
        Case(
            "where-broadcast",
            lambda a, b: ops.where(Tensor(cond2), a, b),
            lambda a, b: torch.where(torch.tensor(cond2), a, b),
            [normal(1, 4, seed=1), normal(2, 3, 1, seed=2)],
        ),
        Case(
            "where-scalar_other",
            lambda a: ops.where(Tensor(cond), a, 0.5),
            lambda a: torch.where(torch.tensor(cond), a, 0.5),
            [normal(*S, seed=1)],
        ),
    ]


ELEMENTWISE = (
    [Case(f"unary-{n}", m, t, [x]) for n, m, t, x in UNARY]
    + _binary_cases()
    + _clamp_cases()
    + _where_cases()
)


@_params(ELEMENTWISE)
def test_elementwise_matches_torch(case):
    _run_case(case)


# ---- reductions --------------------------------------------------------------------------------

X3 = normal(2, 3, 4, seed=11)
DIMS = [None, 0, -1, (0, 2), (1,)]


def _tdim(d):
    """torch spelling of an axis argument (a list for several axes)."""
    return list(d) if isinstance(d, tuple) else d


def _torch_reduce(fn, t, tkw, kd):
    """torch.sum / torch.mean over the axes in `tkw` (all axes when empty), keepdim `kd`."""
    if tkw:
        return fn(t, **tkw, keepdim=kd)
    return fn(t).reshape((1,) * t.ndim) if kd else fn(t)


def _torch_prod(t, dim, keepdim):
    if dim is None:
        out = t.prod()
        return out.reshape((1,) * t.ndim) if keepdim else out
    dims = sorted(d % t.ndim for d in (dim if isinstance(dim, tuple) else (dim,)))
    for d in reversed(dims):
        t = t.prod(d, keepdim=keepdim)
    return t


def _reduction_cases():
    cases = []
    pos = away(2, 3, 4, seed=12, lo=0.5, hi=1.5)  # prod: no zeros
    for d in DIMS:
        for kd in (False, True):
            tag = f"dim={d}-keep={kd}"
            td = _tdim(d)
            tkw = {} if d is None else {"dim": td}
            cases += [
                Case(
                    f"sum-{tag}",
                    lambda t, d=d, kd=kd: ops.sum(t, d, kd),
                    lambda t, tkw=tkw, kd=kd: _torch_reduce(torch.sum, t, tkw, kd),
                    [X3],
                ),
                Case(
                    f"mean-{tag}",
                    lambda t, d=d, kd=kd: ops.mean(t, d, kd),
                    lambda t, tkw=tkw, kd=kd: _torch_reduce(torch.mean, t, tkw, kd),
                    [X3],
                ),
                Case(
                    f"prod-{tag}",
                    lambda t, d=d, kd=kd: ops.prod(t, d, kd),
                    lambda t, d=d, kd=kd: _torch_prod(t, d, kd),
                    [pos],
                ),
                Case(
                    f"amax-{tag}",
                    lambda t, d=d, kd=kd: ops.amax(t, d, kd),
                    lambda t, td=td, kd=kd: torch.amax(t, () if td is None else td, kd),
                    [X3],
                ),
                Case(
                    f"amin-{tag}",
                    lambda t, d=d, kd=kd: ops.amin(t, d, kd),
                    lambda t, td=td, kd=kd: torch.amin(t, () if td is None else td, kd),
                    [X3],
                ),
                Case(
                    f"reduce_sum-{tag}",
                    lambda t, d=d, kd=kd: ops.reduce_sum(t, d, kd),
                    lambda t, tkw=tkw, kd=kd: _torch_reduce(torch.sum, t, tkw, kd),
                    [X3],
                ),
                Case(
                    f"tensor_sum_method-{tag}",
                    lambda t, d=d, kd=kd: t.sum(d, keepdims=kd),
                    lambda t, tkw=tkw, kd=kd: _torch_reduce(torch.sum, t, tkw, kd),
                    [X3],
                ),
            ]
            if d is not None:
                cases.append(
                    Case(
                        f"logsumexp-{tag}",
                        lambda t, d=d, kd=kd: ops.logsumexp(t, d, kd),
                        lambda t, td=td, kd=kd: torch.logsumexp(t, td, kd),
                        [X3 * 3],
                    )
                )
            for ddof in (0, 1, 2) if d != 0 else (0, 1):  # axis 0 has length 2
                vtag = f"{tag}-ddof={ddof}"
                cases += [
                    Case(
                        f"var-{vtag}",
                        lambda t, d=d, kd=kd, c=ddof: ops.var(t, d, c, kd),
                        lambda t, td=td, kd=kd, c=ddof: torch.var(t, td, correction=c, keepdim=kd),
                        [X3],
                    ),
                    Case(
                        f"std-{vtag}",
                        lambda t, d=d, kd=kd, c=ddof: ops.std(t, d, c, kd),
                        lambda t, td=td, kd=kd, c=ddof: torch.std(t, td, correction=c, keepdim=kd),
                        [X3],
                    ),
                ]
    # ops.max / ops.min: (values, indices) along one axis; indices compared exactly
    for ax in (0, 1, -1):
        for kd in (False, True):
            cases += [
                Case(
                    f"max_with_indices-axis={ax}-keep={kd}",
                    lambda t, ax=ax, kd=kd: ops.max(t, ax, kd),
                    lambda t, ax=ax, kd=kd: tuple(torch.max(t, ax, kd)),
                    [X3],
                ),
                Case(
                    f"min_with_indices-axis={ax}-keep={kd}",
                    lambda t, ax=ax, kd=kd: ops.min(t, ax, kd),
                    lambda t, ax=ax, kd=kd: tuple(torch.min(t, ax, kd)),
                    [X3],
                ),
            ]
    cases += [
        Case(
            "max_with_indices-all",
            lambda t: ops.max(t),
            lambda t: (torch.max(t), torch.argmax(t)),
            [X3],
        ),
        Case(
            "min_with_indices-all",
            lambda t: ops.min(t),
            lambda t: (torch.min(t), torch.argmin(t)),
            [X3],
        ),
        Case(
            "var_mean-axis=1",
            lambda t: ops.var_mean(t, 1, 1),
            lambda t: tuple(torch.var_mean(t, 1, correction=1)),
            [X3],
        ),
        Case(
            "std_mean-axis=(0,2)",
            lambda t: ops.std_mean(t, (0, 2), 0, True),
            lambda t: tuple(torch.std_mean(t, [0, 2], correction=0, keepdim=True)),
            [X3],
        ),
        Case("cumsum-axis=1", lambda t: ops.cumsum(t, 1), lambda t: torch.cumsum(t, 1), [X3]),
        Case("cumsum-axis=-1", lambda t: ops.cumsum(t, -1), lambda t: torch.cumsum(t, -1), [X3]),
        Case(
            "logsumexp-large",
            lambda t: ops.logsumexp(t, 1),
            lambda t: torch.logsumexp(t, 1),
            [X3 * 300],
        ),
        Case("mean-1d", lambda t: ops.mean(t), lambda t: torch.mean(t), [normal(7, seed=1)]),
        Case(
            "prod-with_negative_entries-0d_out",
            lambda t: ops.prod(t),
            lambda t: torch.prod(t),
            [away(6, seed=3, lo=0.5)],
        ),
    ]
    return cases


def _norm_cases():
    cases = []
    m2 = normal(3, 4, seed=21)
    v1 = away(5, seed=22, lo=0.3)
    cases += [
        Case("norm-default-3d", lambda t: ops.norm(t), lambda t: torch.linalg.norm(t), [X3]),
        Case("norm-default-2d", lambda t: ops.norm(t), lambda t: torch.linalg.norm(t), [m2]),
        Case(
            "norm-fro-2d", lambda t: ops.norm(t, "fro"), lambda t: torch.linalg.norm(t, "fro"), [m2]
        ),
        Case(
            "norm-fro-dims(0,2)-keep",
            lambda t: ops.norm(t, "fro", (0, 2), True),
            lambda t: torch.linalg.norm(t, "fro", (0, 2), True),
            [X3],
        ),
        Case(
            "norm-None-dim=1",
            lambda t: ops.norm(t, None, 1),
            lambda t: torch.linalg.norm(t, None, 1),
            [X3],
        ),
        Case(
            "norm-None-dims(1,2)",
            lambda t: ops.norm(t, None, (1, 2)),
            lambda t: torch.linalg.norm(t, None, (1, 2)),
            [X3],
        ),
        Case("norm-2-1d", lambda t: ops.norm(t, 2), lambda t: torch.linalg.norm(t, 2), [v1]),
    ]
    for p in (1, 2, 3, 0.5, -1, INF, -INF, 0):
        for d, kd in ((-1, False), (0, True), (1, False)):
            cases.append(
                Case(
                    f"norm-ord={p}-dim={d}-keep={kd}",
                    lambda t, p=p, d=d, kd=kd: ops.norm(t, p, d, kd),
                    lambda t, p=p, d=d, kd=kd: torch.linalg.vector_norm(t, p, d, kd),
                    [away(2, 3, 4, seed=23, lo=0.3)],
                    nonzero_grad=p != 0,
                )
            )
        cases.append(
            Case(
                f"norm-ord={p}-1d",
                lambda t, p=p: ops.norm(t, p),
                lambda t, p=p: torch.linalg.vector_norm(t, p),
                [v1],
                nonzero_grad=p != 0,
            )
        )
    return cases


REDUCTIONS = _reduction_cases() + _norm_cases()


@_params(REDUCTIONS)
def test_reductions_match_torch(case):
    _run_case(case)


# ---- shape ops ---------------------------------------------------------------------------------


def _shape_cases():
    x = X3
    c = normal(3, 1, 4, 1, seed=30)
    cases = [
        Case(
            "reshape-(4,-1)",
            lambda t: ops.reshape(t, (4, -1)),
            lambda t: torch.reshape(t, (4, -1)),
            [x],
        ),
        Case(
            "reshape-(24,)", lambda t: ops.reshape(t, (24,)), lambda t: torch.reshape(t, (24,)), [x]
        ),
        Case("reshape-method", lambda t: t.reshape(3, 8), lambda t: t.reshape(3, 8), [x]),
        Case(
            "reshape-0d",
            lambda t: ops.reshape(t, (1, 1)),
            lambda t: torch.reshape(t, (1, 1)),
            [np.array(1.5)],
        ),
        Case(
            "transpose-(2,0,1)",
            lambda t: ops.transpose(t, (2, 0, 1)),
            lambda t: torch.permute(t, (2, 0, 1)),
            [x],
        ),
        Case(
            "transpose-(1,0,-1)",
            lambda t: ops.transpose(t, (1, 0, -1)),
            lambda t: torch.permute(t, (1, 0, 2)),
            [x],
        ),
        Case(
            "permute-(0,2,1)",
            lambda t: ops.permute(t, (0, 2, 1)),
            lambda t: torch.permute(t, (0, 2, 1)),
            [x],
        ),
        Case(
            "swapaxes-(0,2)",
            lambda t: ops.swapaxes(t, 0, 2),
            lambda t: torch.swapaxes(t, 0, 2),
            [x],
        ),
        Case(
            "swapaxes-(-1,1)",
            lambda t: ops.swapaxes(t, -1, 1),
            lambda t: torch.swapaxes(t, -1, 1),
            [x],
        ),
        Case("tensor_T-2d", lambda t: t.T, lambda t: t.T, [normal(3, 4)]),
        Case(
            "expand_dims-0", lambda t: ops.expand_dims(t, 0), lambda t: torch.unsqueeze(t, 0), [x]
        ),
        Case(
            "expand_dims--1",
            lambda t: ops.expand_dims(t, -1),
            lambda t: torch.unsqueeze(t, -1),
            [x],
        ),
        Case("unsqueeze-2", lambda t: ops.unsqueeze(t, 2), lambda t: torch.unsqueeze(t, 2), [x]),
        Case("squeeze-all", lambda t: ops.squeeze(t), lambda t: torch.squeeze(t), [c]),
        Case("squeeze-axis=1", lambda t: ops.squeeze(t, 1), lambda t: torch.squeeze(t, 1), [c]),
        Case(
            "squeeze-axis=(1,3)",
            lambda t: ops.squeeze(t, (1, 3)),
            lambda t: torch.squeeze(t, (1, 3)),
            [c],
        ),
        # NOTE: MindSpore's ops.flatten defaults to start_dim=1 (PyTorch: 0); both spelled out here.
        Case(
            "flatten-default_start_dim=1",
            lambda t: ops.flatten(t),
            lambda t: torch.flatten(t, 1),
            [x],
        ),
        Case(
            "flatten-start=0",
            lambda t: ops.flatten(t, start_dim=0),
            lambda t: torch.flatten(t),
            [x],
        ),
        Case(
            "flatten-(0,1)",
            lambda t: ops.flatten(t, start_dim=0, end_dim=1),
            lambda t: torch.flatten(t, 0, 1),
            [x],
        ),
        Case(
            "broadcast_to-(2,3,4)",
            lambda t: ops.broadcast_to(t, (2, 3, 4)),
            lambda t: torch.broadcast_to(t, (2, 3, 4)),
            [normal(3, 1)],
        ),
        Case(
            "broadcast_to-(-1,5)",
            lambda t: ops.broadcast_to(t, (2, -1, 5)),
            lambda t: t.expand(2, -1, 5),
            [normal(3, 1)],
        ),
        Case(
            "broadcast_to-0d",
            lambda t: ops.broadcast_to(t, (2, 3)),
            lambda t: torch.broadcast_to(t, (2, 3)),
            [np.array(0.7)],
        ),
        Case(
            "tile-(2,1,3)",
            lambda t: ops.tile(t, (2, 1, 3)),
            lambda t: torch.tile(t, (2, 1, 3)),
            [x],
        ),
        Case(
            "tile-fewer_dims",
            lambda t: ops.tile(t, (2,)),
            lambda t: torch.tile(t, (2,)),
            [normal(2, 3)],
        ),
        Case(
            "tile-more_dims",
            lambda t: ops.tile(t, (2, 1, 2)),
            lambda t: torch.tile(t, (2, 1, 2)),
            [normal(2, 3)],
        ),
        Case("flip-(0,2)", lambda t: ops.flip(t, (0, 2)), lambda t: torch.flip(t, (0, 2)), [x]),
        Case(
            "narrow-1,1,2",
            lambda t: ops.narrow(t, 1, 1, 2),
            lambda t: torch.narrow(t, 1, 1, 2),
            [x],
        ),
    ]
    a, b, d = normal(2, 3, 4, seed=31), normal(2, 1, 4, seed=32), normal(2, 5, 4, seed=33)
    cases += [
        Case(
            "concat-axis=1",
            lambda p, q, r: ops.concat((p, q, r), 1),
            lambda p, q, r: torch.cat((p, q, r), 1),
            [a, b, d],
        ),
        Case(
            "concat-axis=-1",
            lambda p, q: ops.concat([p, q], -1),
            lambda p, q: torch.cat([p, q], -1),
            [a, normal(2, 3, 2)],
        ),
        Case(
            "cat-axis=0",
            lambda p, q: ops.cat((p, q)),
            lambda p, q: torch.cat((p, q)),
            [a, normal(1, 3, 4)],
        ),
        Case(
            "stack-axis=0",
            lambda p, q: ops.stack((p, q)),
            lambda p, q: torch.stack((p, q)),
            [a, X3],
        ),
        Case(
            "stack-axis=2",
            lambda p, q: ops.stack((p, q), 2),
            lambda p, q: torch.stack((p, q), 2),
            [a, X3],
        ),
        Case(
            "stack-axis=-1",
            lambda p, q, r: ops.stack((p, q, r), -1),
            lambda p, q, r: torch.stack((p, q, r), -1),
            [a, X3, normal(2, 3, 4, seed=3)],
        ),
        Case("split-int", lambda t: ops.split(t, 2, 2), lambda t: torch.split(t, 2, 2), [x]),
        Case("split-int_uneven", lambda t: ops.split(t, 2, 1), lambda t: torch.split(t, 2, 1), [x]),
        Case(
            "split-sections",
            lambda t: ops.split(t, [1, 3], -1),
            lambda t: torch.split(t, [1, 3], -1),
            [x],
        ),
        Case(
            "chunk-3_of_5",
            lambda t: ops.chunk(t, 3, 0),
            lambda t: torch.chunk(t, 3, 0),
            [normal(5, 2)],
        ),
        Case(
            "chunk-4_of_6",
            lambda t: ops.chunk(t, 4, 1),
            lambda t: torch.chunk(t, 4, 1),
            [normal(2, 6)],
        ),
        Case("chunk-2_of_4", lambda t: ops.chunk(t, 2, -1), lambda t: torch.chunk(t, 2, -1), [x]),
    ]
    idx1 = np.array([2, 0, 2, 1, 2])  # repeated indices accumulate in the gradient
    idx2 = np.array([[0, 3], [3, 3], [1, 0]])
    cases += [
        Case(
            "gather-axis=1-repeats",
            lambda t: ops.gather(t, Tensor(idx1), 1),
            lambda t: t[:, torch.tensor(idx1)],
            [x],
        ),
        Case(
            "gather-axis=2-2d_index",
            lambda t: ops.gather(t, Tensor(idx2), 2),
            lambda t: t[:, :, torch.tensor(idx2)],
            [x],
        ),
        Case(
            "gather-axis=0-negative",
            lambda t: ops.gather(t, Tensor(np.array([-1, 0, -1])), 0),
            lambda t: t[torch.tensor([1, 0, 1])],
            [x],
        ),
        Case(
            "index_select-axis=1-repeats",
            lambda t: ops.index_select(t, 1, Tensor(idx1)),
            lambda t: torch.index_select(t, 1, torch.tensor(idx1)),
            [x],
        ),
        Case(
            "index_select-axis=-1",
            lambda t: ops.index_select(t, -1, Tensor(np.array([3, 3, 0]))),
            lambda t: torch.index_select(t, -1, torch.tensor([3, 3, 0])),
            [x],
        ),
    ]
    mask = _rng(34).random((2, 3, 4)) > 0.5
    mask_b = _rng(35).random((3, 1)) > 0.5
    cases += [
        Case(
            "masked_fill-scalar",
            lambda t: ops.masked_fill(t, Tensor(mask), 0.25),
            lambda t: t.masked_fill(torch.tensor(mask), 0.25),
            [x],
        ),
        Case(
            "masked_fill-broadcast_mask",
            lambda t: ops.masked_fill(t, Tensor(mask_b), -1.0),
            lambda t: t.masked_fill(torch.tensor(mask_b), -1.0),
            [x],
        ),
        Case(
            "masked_fill-tensor_value",
            lambda t, v: ops.masked_fill(t, Tensor(mask), v),
            lambda t, v: t.masked_fill(torch.tensor(mask), v),
            [x, np.array(0.3)],
        ),
    ]
    return cases


def _pad_cases():
    x3 = normal(2, 3, 5, seed=40)
    x4 = normal(1, 2, 4, 5, seed=41)
    x5 = normal(1, 2, 3, 4, 5, seed=42)
    specs = [
        ("constant", (1, 2), None, x3),
        ("constant", (1, 2), 0.5, x3),
        ("constant", (1, 0, 2, 1), None, x3),
        ("constant", (0, 1, 1, 0, 2, 2), -1.5, x3),
        ("constant", (-1, 2), None, x3),
        ("constant", (2, -2, -1, 1), 0.5, x3),
        ("reflect", (2, 1), None, x3),
        ("reflect", (4, 3), None, x3),
        ("reflect", (1, 2, 2, 1), None, x4),
        ("reflect", (0, 2, 3, 0), None, x4),
        ("replicate", (2, 3), None, x3),
        ("replicate", (1, 2, 3, 0), None, x4),
        ("replicate", (1, 1, 1, 2, 2, 1), None, x5),
        ("circular", (2, 1), None, x3),
        ("circular", (1, 2, 0, 3), None, x4),
        ("reflect", (1, 1, 1, 2, 2, 1), None, x5),
        ("circular", (1, 0, 2, 1, 0, 2), None, x5),
    ]
    cases = []
    for mode, padding, value, x in specs:
        tkw = {} if value is None else {"value": value}
        cases.append(
            Case(
                f"pad-{mode}-{padding}-value={value}-ndim={x.ndim}".replace(" ", ""),
                lambda t, m=mode, p=padding, v=value: ops.pad(t, p, m, v),
                lambda t, m=mode, p=padding, tkw=tkw: F.pad(t, p, m, **tkw),
                [x],
            )
        )
    # 2-D input with reflect/replicate (MindSpore 2.10 rejects it; row 22 of docs/differences.md)
    cases += [
        Case(
            "pad-reflect-2d",
            lambda t: ops.pad(t, (2, 1), "reflect"),
            lambda t: F.pad(t, (2, 1), "reflect"),
            [normal(3, 5)],
        ),
        Case(
            "pad-replicate-2d",
            lambda t: ops.pad(t, (2, 3), "replicate"),
            lambda t: F.pad(t, (2, 3), "replicate"),
            [normal(3, 5)],
        ),
    ]
    return cases


def _index_cases():
    x = X3
    bmask = _rng(50).random((2, 3, 4)) > 0.4
    rmask = np.array([True, False, True])
    iv = np.array([2, 0, 2, 2])
    cases = []
    for name, idx_ms, idx_th in [
        ("int", 1, 1),
        ("negative_int", -1, -1),
        ("int_tuple", (1, 2), (1, 2)),
        ("slice", slice(None, None, 2), slice(None, None, 2)),
        (
            "slices",
            (slice(None), slice(1, 3), slice(None, None, 3)),
            (slice(None), slice(1, 3), slice(None, None, 3)),
        ),
        ("ellipsis_int", (Ellipsis, 2), (Ellipsis, 2)),
        ("none", (None, 0, None), (None, 0, None)),
        ("int_and_slice", (0, slice(1, None)), (0, slice(1, None))),
        ("negative_slice", (Ellipsis, slice(-3, -1)), (Ellipsis, slice(-3, -1))),
        ("long_step", (slice(None), slice(None, None, 5)), (slice(None), slice(None, None, 5))),
        ("bool_mask_full", Tensor(bmask), torch.tensor(bmask)),
        ("bool_mask_axis1", (slice(None), Tensor(rmask)), (slice(None), torch.tensor(rmask))),
        ("numpy_bool_mask", bmask, bmask),
        ("int_tensor_repeats", Tensor(np.array([1, 1, 0])), torch.tensor([1, 1, 0])),
        ("int_tensor_axis2_repeats", (Ellipsis, Tensor(iv)), (Ellipsis, torch.tensor(iv))),
        ("int_list_repeats", ([1, 0, 1],), ([1, 0, 1],)),
        (
            "two_int_tensors",
            (Tensor(np.array([0, 1, 1])), slice(None), Tensor(np.array([3, 3, 0]))),
            (torch.tensor([0, 1, 1]), slice(None), torch.tensor([3, 3, 0])),
        ),
        (
            "broadcast_int_tensors",
            (Tensor(np.array([[0], [1]])), Tensor(np.array([2, 2, 0]))),
            (torch.tensor([[0], [1]]), torch.tensor([2, 2, 0])),
        ),
        ("int_tensor_and_int", (1, Tensor(np.array([2, 2]))), (1, torch.tensor([2, 2]))),
    ]:
        cases.append(
            Case(
                f"getitem-{name}",
                lambda t, i=idx_ms: t[i],
                lambda t, i=idx_th: t[i],
                [x],
            )
        )
    return cases


def _setitem_cases():
    x = X3
    bmask = _rng(51).random((2, 3, 4)) > 0.5
    specs = [
        # name, index (ms), index (torch), value shape (None: Python number)
        ("int", 1, 1, (3, 4)),
        ("int_broadcast_value", 0, 0, (4,)),
        ("slices", (slice(None), slice(0, 2)), (slice(None), slice(0, 2)), (2, 2, 4)),
        (
            "strided_slice",
            (Ellipsis, slice(None, None, 2)),
            (Ellipsis, slice(None, None, 2)),
            (2, 3, 2),
        ),
        ("scalar_tensor_value", (slice(None), 1), (slice(None), 1), ()),
        ("bool_mask_scalar_value", Tensor(bmask), torch.tensor(bmask), ()),
        ("bool_mask_vector_value", Tensor(bmask), torch.tensor(bmask), (int(bmask.sum()),)),
        (
            "int_tensor",
            (slice(None), Tensor(np.array([2, 0]))),
            (slice(None), torch.tensor([2, 0])),
            (2, 2, 4),
        ),
        ("python_number", (0, slice(1, 3)), (0, slice(1, 3)), None),
    ]
    cases = []
    for name, i_ms, i_th, vshape in specs:
        if vshape is None:

            def ms_fn(t, i=i_ms):
                y = t * 1.0
                y[i] = 0.5
                return y * t

            def th_fn(t, i=i_th):
                y = t.clone()
                y[i] = 0.5
                return y * t

            cases.append(Case(f"setitem-{name}", ms_fn, th_fn, [x]))
            continue

        def ms_fn(t, v, i=i_ms):
            y = t * 1.0
            y[i] = v * 2.0
            return y * t

        def th_fn(t, v, i=i_th):
            y = t.clone()
            y[i] = v * 2.0
            return y * t

        cases.append(Case(f"setitem-{name}", ms_fn, th_fn, [x, normal(*vshape, seed=52)]))
    return cases


SHAPE = _shape_cases() + _pad_cases() + _index_cases() + _setitem_cases()


@_params(SHAPE)
def test_shape_ops_match_torch(case):
    _run_case(case)


# ---- linear algebra ------------------------------------------------------------------------------


def _sym_ms(t):
    return (t + ops.swapaxes(t, -1, -2)) / 2


def _sym_th(t):
    return (t + t.transpose(-1, -2)) / 2


def _linalg_cases():
    cases = []
    for k, (sa, sb) in enumerate(
        [
            ((3,), (3,)),
            ((3,), (3, 4)),
            ((2, 3), (3,)),
            ((2, 3), (3, 4)),
            ((5, 2, 3), (3, 4)),
            ((2, 3), (5, 3, 4)),
            ((2, 1, 2, 3), (3, 3, 4)),
            ((3,), (2, 3, 4)),
            ((2, 2, 3), (3,)),
        ]
    ):
        tag = f"{sa}@{sb}".replace(" ", "")
        cases.append(
            Case(
                f"matmul-{tag}",
                ops.matmul,
                torch.matmul,
                [normal(*sa, seed=k), normal(*sb, seed=k + 50)],
            )
        )
    cases.append(
        Case(
            "matmul-operator", lambda a, b: a @ b, lambda a, b: a @ b, [normal(4, 3), normal(3, 2)]
        )
    )
    cases += [
        Case("bmm", ops.bmm, torch.bmm, [normal(2, 3, 4, seed=1), normal(2, 4, 5, seed=2)]),
        Case("dot-1d", ops.dot, torch.dot, [normal(5, seed=1), normal(5, seed=2)]),
        Case("dot-2d", ops.dot, torch.mm, [normal(2, 5, seed=1), normal(5, 3, seed=2)]),
        Case("outer", ops.outer, torch.outer, [normal(3, seed=1), normal(4, seed=2)]),
        Case("ger", ops.ger, torch.outer, [normal(3, seed=1), normal(4, seed=2)]),
        Case(
            "dense-bias-2d",
            ops.dense,
            F.linear,
            [normal(5, 4, seed=1), normal(3, 4, seed=2), normal(3, seed=3)],
        ),
        Case("dense-nobias-2d", ops.dense, F.linear, [normal(5, 4, seed=1), normal(3, 4, seed=2)]),
        Case(
            "dense-bias-1d",
            ops.dense,
            F.linear,
            [normal(4, seed=1), normal(3, 4, seed=2), normal(3, seed=3)],
        ),
        Case(
            "dense-bias-3d",
            ops.dense,
            F.linear,
            [normal(2, 5, 4, seed=1), normal(3, 4, seed=2), normal(3, seed=3)],
        ),
        Case("dense-nobias-1d", ops.dense, F.linear, [normal(4, seed=1), normal(3, 4, seed=2)]),
        Case("inverse", ops.inverse, torch.linalg.inv, [well_conditioned(4, seed=3)]),
        Case("inverse-batched", ops.inverse, torch.linalg.inv, [well_conditioned(3, 2, seed=4)]),
        Case("matrix_inverse", ops.matrix_inverse, torch.linalg.inv, [well_conditioned(3, seed=5)]),
        Case("det", ops.det, torch.linalg.det, [well_conditioned(4, seed=6)], rtol=1e-9),
        Case(
            "det-batched", ops.det, torch.linalg.det, [well_conditioned(3, 2, 2, seed=7)], rtol=1e-9
        ),
        Case(
            "det-negative",
            ops.det,
            torch.linalg.det,
            [well_conditioned(3, seed=8) * np.array([[-1.0], [1], [1]])],
            rtol=1e-9,
        ),
        Case(
            "solve-matrix_rhs",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(4, seed=9), normal(4, 2, seed=10)],
        ),
        Case(
            "solve-vector_rhs",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(4, seed=9), normal(4, seed=10)],
        ),
        Case(
            "solve-batched",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(3, 2, seed=11), normal(2, 3, 2, seed=12)],
        ),
        Case(
            "solve-batched_broadcast_rhs",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(3, 2, seed=11), normal(3, 2, seed=12)],
        ),
        # a batch of matrices with one right-hand-side vector (NumPy and PyTorch broadcast it)
        Case(
            "solve-batched_vector_rhs",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(3, 2, seed=11), normal(3, seed=12)],
        ),
        # det at a singular matrix is checked against the analytic cofactors in
        # tests/ops/test_linalg_ops.py: PyTorch 2.13 returns a zero gradient there (wrong).
        Case("trace", ops.trace, torch.trace, [normal(4, 4, seed=13)]),
        Case(
            "cholesky",
            lambda a: ops.cholesky(_sym_ms(a)),
            lambda a: torch.linalg.cholesky(_sym_th(a)),
            [spd(4, seed=14)],
        ),
        Case(
            "cholesky-upper",
            lambda a: ops.cholesky(_sym_ms(a), upper=True),
            lambda a: torch.linalg.cholesky(_sym_th(a), upper=True),
            [spd(4, seed=15)],
        ),
        Case(
            "cholesky-batched",
            lambda a: ops.cholesky(_sym_ms(a)),
            lambda a: torch.linalg.cholesky(_sym_th(a)),
            [spd(3, 2, seed=16)],
        ),
    ]
    return cases


LINALG = _linalg_cases()


@_params(LINALG)
def test_linalg_matches_torch(case):
    _run_case(case)


# ---- second order --------------------------------------------------------------------------------


def _second_order_cases():
    x = normal(3, 4, seed=60)
    smooth_unary = [
        (f"unary-{n}", m, t, [a.reshape(-1)[:3]])
        for n, m, t, a in UNARY
        if n not in ("relu", "abs", "neg", "tensor_neg_method")  # linear or piecewise linear
    ]
    return smooth_unary + [
        ("tanh", ops.tanh, torch.tanh, [x]),
        ("sigmoid", ops.sigmoid, torch.sigmoid, [x * 2]),
        ("softplus", ops.softplus, F.softplus, [x * 2]),
        ("log_softmax", lambda t: ops.log_softmax(t, -1), lambda t: F.log_softmax(t, -1), [x]),
        ("log_softmax-axis0", lambda t: ops.log_softmax(t, 0), lambda t: F.log_softmax(t, 0), [x]),
        ("logsumexp", lambda t: ops.logsumexp(t, 1), lambda t: torch.logsumexp(t, 1), [x]),
        (
            "logsumexp-all",
            lambda t: ops.logsumexp(t, (0, 1)),
            lambda t: torch.logsumexp(t, (0, 1)),
            [x],
        ),
        (
            "prod",
            lambda t: ops.prod(t, 1),
            lambda t: torch.prod(t, 1),
            [away(3, 4, seed=61, lo=0.5, hi=1.5)],
        ),
        (
            "prod-all",
            lambda t: ops.prod(t),
            lambda t: torch.prod(t),
            [away(2, 3, seed=62, lo=0.5, hi=1.5)],
        ),
        ("matmul", ops.matmul, torch.matmul, [normal(2, 3, seed=63), normal(3, 2, seed=64)]),
        (
            "matmul-squared",
            lambda a, b: ops.matmul(a, b) ** 2,
            lambda a, b: torch.matmul(a, b) ** 2,
            [normal(2, 3, seed=63), normal(3, 2, seed=64)],
        ),
        (
            "exp_mul",
            lambda a, b: ops.exp(a) * ops.sin(b),
            lambda a, b: torch.exp(a) * torch.sin(b),
            [normal(3, seed=65), normal(3, seed=66)],
        ),
        ("div", ops.div, torch.div, [normal(4, seed=67), away(4, seed=68, lo=0.5)]),
        ("std-ddof1", lambda t: ops.std(t, 1, 1), lambda t: torch.std(t, 1, correction=1), [x]),
        (
            "norm-3",
            lambda t: ops.norm(t, 3, -1),
            lambda t: torch.linalg.vector_norm(t, 3, -1),
            [away(3, 4, seed=69, lo=0.3)],
        ),
        ("inverse", ops.inverse, torch.linalg.inv, [well_conditioned(3, seed=70)]),
        ("det", ops.det, torch.linalg.det, [well_conditioned(3, seed=71)]),
        ("det-batched", ops.det, torch.linalg.det, [well_conditioned(2, 2, seed=72)]),
        (
            "solve",
            ops.solve,
            torch.linalg.solve,
            [well_conditioned(3, seed=73), normal(3, 2, seed=74)],
        ),
        (
            "cholesky",
            lambda a: ops.cholesky(_sym_ms(a)),
            lambda a: torch.linalg.cholesky(_sym_th(a)),
            [spd(3, seed=75)],
        ),
        ("softmax", lambda t: ops.softmax(t, 1), lambda t: F.softmax(t, 1), [x]),
        ("pow-tensor", ops.pow, torch.pow, [uniform(0.5, 2, 4, seed=76), normal(4, seed=77)]),
        (
            "mean-var",
            lambda t: ops.var(t, 0, 1) * ops.mean(t, 0),
            lambda t: torch.var(t, 0, correction=1) * torch.mean(t, 0),
            [x],
        ),
        (
            "broadcast_mul",
            lambda a, b: ops.sin(a * b),
            lambda a, b: torch.sin(a * b),
            [normal(3, 1, seed=78), normal(1, 4, seed=79)],
        ),
        (
            "dense",
            lambda a, w, b: ops.tanh(ops.dense(a, w, b)),
            lambda a, w, b: torch.tanh(F.linear(a, w, b)),
            [normal(2, 3, seed=80), normal(2, 3, seed=81), normal(2, seed=82)],
        ),
        (
            "gather_tanh",
            lambda t: ops.tanh(ops.gather(t, Tensor(np.array([2, 0, 2])), 1)) ** 2,
            lambda t: torch.tanh(t[:, [2, 0, 2]]) ** 2,
            [x],
        ),
        (
            "pad_reflect_sq",
            lambda t: ops.pad(t, (2, 1), "reflect") ** 3,
            lambda t: F.pad(t, (2, 1), "reflect") ** 3,
            [x],
        ),
    ]


SECOND = _second_order_cases()


def _scalar_fns(ms_fn, th_fn, out_shape, seed):
    w = _rng(seed).normal(size=out_shape)
    return (
        lambda *ts: ops.sum(ms_fn(*ts) * Tensor(w)),
        lambda *ts: (th_fn(*ts) * torch.tensor(w)).sum(),
    )


@pytest.mark.parametrize("name, ms_fn, th_fn, args", SECOND, ids=[c[0] for c in SECOND])
def test_hessian_matches_torch(name, ms_fn, th_fn, args):
    out_shape = tuple(ms_fn(*[Tensor(a) for a in args]).shape)
    f_ms, f_th = _scalar_fns(ms_fn, th_fn, out_shape, 200)
    n = len(args)
    th_args = tuple(torch.tensor(a, dtype=torch.float64) for a in args)
    if n == 1:
        h = ms.hessian(f_ms, 0)(Tensor(args[0]))
        ref = torch.autograd.functional.hessian(f_th, th_args[0])
        assert h.shape == args[0].shape * 2, f"{name}: Hessian shape {h.shape}"
        np.testing.assert_allclose(h.asnumpy(), ref.numpy(), rtol=1e-9, atol=1e-11, err_msg=name)
        assert np.abs(ref.numpy()).max() > 1e-6
        return
    h = ms.hessian(f_ms, tuple(range(n)))(*[Tensor(a) for a in args])
    ref = torch.autograd.functional.hessian(f_th, th_args)
    for i in range(n):
        for j in range(n):
            np.testing.assert_allclose(
                h[i][j].asnumpy(),
                ref[i][j].numpy(),
                rtol=1e-9,
                atol=1e-11,
                err_msg=f"{name}: Hessian block ({i}, {j})",
            )
    assert max(np.abs(r.numpy()).max() for row in ref for r in row) > 1e-6


@pytest.mark.parametrize("name, ms_fn, th_fn, args", SECOND, ids=[c[0] for c in SECOND])
def test_grad_of_grad_matches_torch_double_backward(name, ms_fn, th_fn, args):
    """Hessian-vector product: d/dx <grad f(x), v> by grad of grad and by torch double backward."""
    out_shape = tuple(ms_fn(*[Tensor(a) for a in args]).shape)
    f_ms, f_th = _scalar_fns(ms_fn, th_fn, out_shape, 300)
    n = len(args)
    vs = [_rng(400 + i).normal(size=a.shape) for i, a in enumerate(args)]
    pos = 0 if n == 1 else tuple(range(n))

    def inner(*ts):
        g = ms.grad(f_ms, grad_position=pos)(*ts)
        g = [g] if n == 1 else list(g)
        return sum((ops.sum(gi * Tensor(v)) for gi, v in zip(g, vs)), Tensor(0.0, ms.float64))

    hv = ms.grad(inner, grad_position=pos)(*[Tensor(a) for a in args])
    hv = [hv] if n == 1 else list(hv)

    th_args = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in args]
    g = torch.autograd.grad(f_th(*th_args), th_args, create_graph=True)
    s = sum((gi * torch.tensor(v)).sum() for gi, v in zip(g, vs))
    ref = torch.autograd.grad(s, th_args)
    for i, (a, b) in enumerate(zip(hv, ref)):
        np.testing.assert_allclose(
            a.asnumpy(), b.numpy(), rtol=1e-9, atol=1e-11, err_msg=f"{name}: argument {i}"
        )
    assert max(np.abs(r.numpy()).max() for r in ref) > 1e-6
