"""`ops.avg_pool1d` against a direct NumPy computation of each window's mean."""

import numpy as np
import pytest

from minispore import Tensor, ops


def _reference(x, k, s, p, ceil_mode, count_include_pad):
    n, c, length = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (p, p)))
    span = length + 2 * p - k
    count = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (count - 1) * s >= length + p:
        count -= 1
    out = np.empty((n, c, count))
    for i in range(count):
        lo, hi = i * s, min(i * s + k, length + 2 * p)
        window = padded[:, :, lo:hi]
        real = min(hi, length + p) - max(lo, p)
        out[:, :, i] = window.sum(axis=2) / ((hi - lo) if count_include_pad else real)
    return out


@pytest.mark.parametrize(
    "k, s, p, ceil_mode, cip",
    [
        (3, 2, 0, False, True),
        (3, 2, 1, False, True),
        (3, 2, 1, False, False),
        (2, 2, 0, True, True),
        (3, 2, 1, True, False),
    ],
)
def test_avg_pool1d_matches_window_means(k, s, p, ceil_mode, cip):
    x = np.random.default_rng(0).normal(size=(2, 3, 7))
    got = ops.avg_pool1d(Tensor(x), k, s, p, ceil_mode=ceil_mode, count_include_pad=cip)
    np.testing.assert_allclose(got.asnumpy(), _reference(x, k, s, p, ceil_mode, cip), rtol=1e-12)


def test_avg_pool1d_needs_3d_input():
    with pytest.raises(ValueError, match="avg_pool1d.*3-D"):
        ops.avg_pool1d(Tensor(np.ones((2, 3), np.float32)), 2)
