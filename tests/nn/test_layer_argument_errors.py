"""Argument errors of the conv, pooling and normalisation layers and functions that the
MindSpore-recorded error cases (`test_layers_errors.py`) do not reach: each names the operation
and the bad value or shape."""

import numpy as np
import pytest

from minispore import Tensor, nn, ops


def t(*shape):
    return Tensor(np.ones(shape, np.float32))


CASES = {
    "Conv2d NHWC": (lambda: nn.Conv2d(1, 2, 3, data_format="NHWC"), ValueError, "Conv2d.*NCHW"),
    "BatchNorm2d NHWC": (
        lambda: nn.BatchNorm2d(3, data_format="NHWC"),
        ValueError,
        "BatchNorm2d.*NCHW",
    ),
    "LayerNorm int shape": (lambda: nn.LayerNorm(4), TypeError, "LayerNorm.*normalized_shape"),
    "AvgPool2d same + ceil": (
        lambda: nn.AvgPool2d(2, 2, pad_mode="same", ceil_mode=True),
        ValueError,
        "AvgPool2d.*ceil_mode",
    ),
    "conv2d 3-D weight": (
        lambda: ops.conv2d(t(1, 2, 5, 5), t(2, 2, 3)),
        ValueError,
        r"conv2d.*'weight'.*4-D.*\(2, 2, 3\)",
    ),
    "conv2d groups 0": (
        lambda: ops.conv2d(t(1, 2, 5, 5), t(2, 2, 3, 3), groups=0),
        ValueError,
        "conv2d.*groups",
    ),
    "conv2d groups not dividing": (
        lambda: ops.conv2d(t(1, 3, 5, 5), t(2, 1, 3, 3), groups=3),
        ValueError,
        "conv2d.*'groups' 3 must divide.*output channels 2",
    ),
    "conv2d bias shape": (
        lambda: ops.conv2d(t(1, 2, 5, 5), t(4, 2, 3, 3), t(3)),
        ValueError,
        r"conv2d.*'bias'.*\(4,\).*\(3,\)",
    ),
    "conv1d 4-D weight": (
        lambda: ops.conv1d(t(1, 2, 5), t(2, 2, 1, 3)),
        ValueError,
        "conv1d.*'weight'.*3-D",
    ),
    "adaptive pool 3 sizes": (
        lambda: ops.adaptive_avg_pool2d(t(1, 2, 4, 4), (1, 2, 3)),
        ValueError,
        "adaptive_avg_pool2d.*pair",
    ),
    "adaptive pool zero size": (
        lambda: ops.adaptive_avg_pool2d(t(1, 2, 4, 4), (0, 2)),
        ValueError,
        "adaptive_avg_pool2d.*positive",
    ),
    "batch_norm 1-D input": (
        lambda: ops.batch_norm(t(4), t(4), t(4), t(4), t(4)),
        ValueError,
        r"batch_norm.*2-D.*\(4,\)",
    ),
    "batch_norm running stat shape": (
        lambda: ops.batch_norm(t(2, 3), t(4), t(3), t(3), t(3)),
        ValueError,
        r"batch_norm.*'running_mean'.*\(3,\).*\(4,\)",
    ),
    "batch_norm inference without stats": (
        lambda: ops.batch_norm(t(2, 3), None, None, t(3), t(3)),
        ValueError,
        "batch_norm.*running_mean",
    ),
    "layer_norm shape mismatch": (
        lambda: ops.layer_norm(t(2, 3), (4,)),
        ValueError,
        r"layer_norm.*\(4,\).*\(2, 3\)",
    ),
    "layer_norm weight shape": (
        lambda: ops.layer_norm(t(2, 3), (3,), t(2)),
        ValueError,
        r"layer_norm.*'weight'.*\(3,\).*\(2,\)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_argument_error_is_clear(case):
    call, error, pattern = CASES[case]
    with pytest.raises(error, match=pattern):
        call()


def test_deleting_a_slice_renames_the_rest_by_position():
    s = nn.SequentialCell(nn.Dense(2, 2), nn.ReLU(), nn.Dense(2, 3), nn.Dense(3, 1))
    del s[0:2]
    assert len(s) == 2 and [p.name for p in s.get_parameters()] == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
    ]
