"""Samples for the special-function primitives (`minispore/prims/special.py`).

Domains stay away from the poles of lgamma and digamma. The shape arguments of the incomplete
gamma functions are differentiated once only (their second derivative raises, as in MindSpore),
and those of the incomplete beta function not at all (their rules raise): such samples name the
arguments to check with `diff_args`, or lower `order`.
"""

from __future__ import annotations

from .samples import PAIRS, SHAPES, normal, unary, uniform


def _near_negative_half_integers(rng, shape):
    """Values in (-k - 0.8, -k - 0.2) for k = 0, 1, 2: negative, away from the poles."""
    k = rng.integers(0, 3, size=shape)
    return -k - rng.uniform(0.2, 0.8, size=shape)


def _gamma_pairs(rng):
    """(a, x) pairs covering both of igamma's algorithms (series for x < a + 1, else a fraction)."""
    return [(uniform(0.5, 5.0)(rng, sa), uniform(0.2, 8.0)(rng, sx)) for sa, sx in PAIRS]


def _igamma(rng):
    pairs = _gamma_pairs(rng)
    x_only = [(args, {}, None, {"diff_args": [1]}) for args in pairs]
    both_once = [(args, {}, None, {"order": 1}) for args in pairs]
    return x_only + both_once


def _igamma_grad_a(rng):
    return [(args, {}, None, {"diff_args": [1]}) for args in _gamma_pairs(rng)]


def _betainc(rng):
    shapes = [((), (), (3,)), ((3,), (3,), (3,)), ((3, 1), (1, 4), (3, 4)), ((2, 3, 4), (4,), ())]
    return [
        (
            (uniform(0.5, 5.0)(rng, sa), uniform(0.5, 5.0)(rng, sb), uniform(0.1, 0.9)(rng, sx)),
            {},
            None,
            {"diff_args": [2]},
        )
        for sa, sb, sx in shapes
    ]


SAMPLES: dict = {
    "lgamma": lambda rng: (
        unary(uniform(0.3, 6.0))(rng)
        + unary(_near_negative_half_integers, shapes=[(3,), (2, 3)])(rng)
    ),
    "digamma": lambda rng: (
        unary(uniform(0.3, 6.0))(rng) + unary(_near_negative_half_integers, shapes=[(3,)])(rng)
    ),
    "polygamma": lambda rng: [
        ((uniform(0.5, 4.0)(rng, s),), {"n": n}) for n in (1, 2, 3) for s in SHAPES[1:4]
    ],
    "erfc": unary(normal(2.0)),
    "log_ndtr": lambda rng: unary(normal(3.0))(rng) + unary(uniform(-30.0, -21.0), [(3,)])(rng),
    "igamma": _igamma,
    "igammac": _igamma,
    "igamma_grad_a": _igamma_grad_a,
    "betainc": _betainc,
}
