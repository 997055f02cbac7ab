"""Samples for the convolution and pooling primitives (`minispore/prims/conv.py`).

Each geometry is `(x_shape, w_shape, params)`: strides, asymmetric padding, dilation and groups,
odd sizes where the last rows of the padded input are never read.
"""

from __future__ import annotations

import numpy as np

from minispore.prims.conv import conv2d

NO_PAD = ((0, 0), (0, 0))
CONV_GEOMETRIES = [
    ((2, 3, 5, 5), (4, 3, 3, 3), dict(stride=(1, 1), padding=NO_PAD, dilation=(1, 1), groups=1)),
    (
        (1, 2, 6, 7),
        (2, 2, 2, 3),
        dict(stride=(2, 1), padding=((1, 0), (2, 1)), dilation=(1, 1), groups=1),
    ),
    (
        (2, 4, 7, 6),
        (6, 2, 3, 2),
        dict(stride=(2, 2), padding=((1, 1), (0, 1)), dilation=(2, 1), groups=2),
    ),
    (
        (1, 1, 1, 6),
        (2, 1, 1, 3),
        dict(stride=(1, 1), padding=((0, 0), (1, 1)), dilation=(1, 2), groups=1),
    ),
]
POOL_GEOMETRIES = [
    ((2, 3, 4, 6), dict(kernel_size=(2, 2), stride=(2, 2), padding=NO_PAD, dilation=(1, 1))),
    (
        (1, 2, 5, 5),
        dict(kernel_size=(3, 3), stride=(2, 2), padding=((1, 1), (1, 1)), dilation=(1, 1)),
    ),
    (
        (2, 1, 6, 7),
        dict(kernel_size=(2, 3), stride=(1, 2), padding=((0, 1), (1, 0)), dilation=(2, 1)),
    ),
]


def _conv_out_shape(x_shape, w_shape, p):
    y = conv2d(np.zeros(x_shape), np.zeros(w_shape), **p)
    return y.shape


def _distinct(rng, shape):
    # Well-separated values: no two entries of a pooling window tie, even after a finite-difference step.
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.1 + rng.uniform(0, 0.01, n)).reshape(shape) - n * 0.05


def _pool_out(x_shape, p):
    from minispore.prims.conv import max_pool2d

    return max_pool2d(np.zeros(x_shape), **p).shape


SAMPLES = {
    "conv2d": lambda rng: [
        ((rng.normal(size=xs), rng.normal(size=ws)), p) for xs, ws, p in CONV_GEOMETRIES
    ],
    "conv2d_input_grad": lambda rng: [
        (
            (rng.normal(size=_conv_out_shape(xs, ws, p)), rng.normal(size=ws)),
            {"in_size": xs[2:], **p},
        )
        for xs, ws, p in CONV_GEOMETRIES
    ],
    "conv2d_weight_grad": lambda rng: [
        (
            (rng.normal(size=xs), rng.normal(size=_conv_out_shape(xs, ws, p))),
            {"kernel_size": ws[2:], **p},
        )
        for xs, ws, p in CONV_GEOMETRIES
    ],
    "max_pool2d": lambda rng: [((_distinct(rng, xs),), p) for xs, p in POOL_GEOMETRIES],
    "max_pool2d_scatter": lambda rng: [
        ((rng.normal(size=_pool_out(xs, p)), _distinct(rng, xs)), p) for xs, p in POOL_GEOMETRIES
    ],
    "max_pool2d_gather": lambda rng: [
        ((rng.normal(size=xs), _distinct(rng, xs)), p) for xs, p in POOL_GEOMETRIES
    ],
}
