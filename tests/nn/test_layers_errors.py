"""Bad input to the nn layers and their ops: the error MindSpore 2.10 raises, with a clear message.

Every bad input recorded in tests/nn/golden_layers/golden.json ("errors") is replayed: minispore
must raise the exception type MindSpore raised, at construction when MindSpore raised there, and
its message must name the layer or op and the offending argument, value, shape or dtype (the
words each message must contain are in MENTIONS; MindSpore's own text is not required).
Inputs MindSpore accepts silently are recorded with `check: false` and not asserted here.
"""

from __future__ import annotations

import builtins

import numpy as np
import pytest

from minispore import Tensor, nn, ops
from tests.nn.golden_layers import golden

DOC, _ = golden.load()


def S(*shape):
    """The ways a message may spell a shape."""
    inner = ", ".join(str(n) for n in shape)
    return [f"({inner},)" if len(shape) == 1 else f"({inner})", f"[{inner}]"]


# The functional spelling of each layer: a layer's error may come from its op.
_OP_NAMES = {
    "MaxPool2d": "max_pool2d", "AvgPool2d": "avg_pool2d", "MaxPool1d": "max_pool1d",
    "AvgPool1d": "avg_pool1d", "AdaptiveAvgPool2d": "adaptive_avg_pool2d",
    "BatchNorm1d": "batch_norm", "BatchNorm2d": "batch_norm", "LayerNorm": "layer_norm",
}  # fmt: skip


def N(name):
    """A layer's or op's name, as the class or as its functional op (case-insensitive)."""
    return [name] + ([_OP_NAMES[name]] if name in _OP_NAMES else [])


# Each entry: groups of alternatives; every group needs one alternative in the message
# (case-insensitive). The first group names the layer or op.
MENTIONS = {
    "Conv2d.unknown_pad_mode": [N("Conv2d"), ["pad_mode"], ["full"]],
    "Conv2d.upper_case_pad_mode": [N("Conv2d"), ["pad_mode"], ["SAME"]],
    "Conv2d.padding_with_same": [N("Conv2d"), ["padding", "pad"], ["same"]],
    "Conv2d.padding_with_valid": [N("Conv2d"), ["padding", "pad"], ["valid"]],
    "Conv2d.padding_tuple2": [N("Conv2d"), ["padding"]],
    "Conv2d.negative_padding": [N("Conv2d"), ["padding"], ["-1"]],
    "Conv2d.rank3_input": [N("Conv2d"), S(3, 8, 8)],
    "Conv2d.rank5_input": [N("Conv2d"), S(1, 1, 3, 8, 8)],
    "Conv2d.channel_mismatch": [N("Conv2d"), ["channel"], ["5"]],
    "Conv2d.group_not_dividing_in": [N("Conv2d"), ["group"], ["3"]],
    "Conv2d.group_not_dividing_out": [N("Conv2d"), ["group"], ["3"]],
    "Conv2d.kernel_larger_than_input": [N("Conv2d"), ["kernel"], S(1, 3, 4, 4) + S(4, 4)],
    "Conv2d.kernel_larger_than_padded": [
        N("Conv2d"),
        ["kernel"],
        S(1, 3, 4, 4) + S(4, 4) + S(6, 6),
    ],
    "Conv2d.kernel_zero": [N("Conv2d"), ["kernel_size"], ["0"]],
    "Conv2d.kernel_negative": [N("Conv2d"), ["kernel_size"], ["-1"]],
    "Conv2d.stride_zero": [N("Conv2d"), ["stride"], ["0"]],
    "Conv2d.dilation_zero": [N("Conv2d"), ["dilation"], ["0"]],
    "Conv2d.in_channels_zero": [N("Conv2d"), ["in_channels"], ["0"]],
    "Conv2d.out_channels_zero": [N("Conv2d"), ["out_channels"], ["0"]],
    "Conv2d.int32_input": [N("Conv2d"), ["int32"], ["float32"]],
    "Conv2d.float64_input": [N("Conv2d"), ["float64"], ["float32"]],
    "Conv2d.ndarray_input": [N("Conv2d"), ["Tensor"], ["ndarray", "numpy"]],
    "Conv1d.unknown_pad_mode": [N("Conv1d"), ["pad_mode"], ["'x'"]],
    "Conv1d.padding_with_same": [N("Conv1d"), ["padding", "pad"], ["same"]],
    "Conv1d.padding_tuple": [N("Conv1d"), ["padding"], ["tuple", "int"]],
    "Conv1d.rank4_input": [N("Conv1d"), S(1, 3, 4, 4)],
    "Conv1d.channel_mismatch": [N("Conv1d"), ["channel"], ["2"]],
    "Conv1d.group_not_dividing": [N("Conv1d"), ["group"], ["3"]],
    "Conv1d.kernel_larger_than_input": [N("Conv1d"), ["kernel"], S(1, 3, 4) + S(4)],
    "Conv1d.kernel_zero": [N("Conv1d"), ["kernel_size"], ["0"]],
    "MaxPool2d.unknown_pad_mode": [N("MaxPool2d"), ["pad_mode"], ["'x'"]],
    "MaxPool2d.padding_with_same": [N("MaxPool2d"), ["padding"], ["same"]],
    "MaxPool2d.ceil_mode_with_valid": [N("MaxPool2d"), ["ceil_mode"], ["valid", "pad"]],
    "MaxPool2d.rank2_input": [N("MaxPool2d"), S(4, 4)],
    "MaxPool2d.rank5_input": [N("MaxPool2d"), S(1, 1, 1, 4, 4)],
    "MaxPool2d.kernel_larger_than_input": [N("MaxPool2d"), ["kernel"], S(1, 1, 4, 4) + S(4, 4)],
    "MaxPool2d.kernel_zero": [N("MaxPool2d"), ["kernel_size"], ["0"]],
    "MaxPool2d.stride_zero": [N("MaxPool2d"), ["stride"], ["0"]],
    "MaxPool2d.padding_over_half_kernel": [N("MaxPool2d"), ["padding", "pad"], ["2"]],
    "MaxPool2d.ndarray_input": [N("MaxPool2d"), ["Tensor"], ["ndarray", "numpy"]],
    "AvgPool2d.unknown_pad_mode": [N("AvgPool2d"), ["pad_mode"], ["'x'"]],
    "AvgPool2d.padding_with_same": [N("AvgPool2d"), ["padding", "pad"], ["same"]],
    "AvgPool2d.rank2_input": [N("AvgPool2d"), S(4, 4)],
    "AvgPool2d.kernel_larger_than_input": [N("AvgPool2d"), ["kernel"], S(1, 1, 4, 4) + S(4, 4)],
    "AvgPool2d.kernel_zero": [N("AvgPool2d"), ["kernel_size"], ["0"]],
    "AvgPool2d.divisor_override_zero": [N("AvgPool2d"), ["divisor_override"], ["0"]],
    "AvgPool2d.divisor_override_negative": [N("AvgPool2d"), ["divisor_override"], ["-1"]],
    "MaxPool1d.unknown_pad_mode": [N("MaxPool1d"), ["pad_mode"], ["'x'"]],
    "MaxPool1d.rank4_input": [N("MaxPool1d"), S(1, 1, 4, 4)],
    "MaxPool1d.kernel_larger_than_input": [N("MaxPool1d"), ["kernel"], S(1, 1, 4) + S(4)],
    "AvgPool1d.rank4_input": [N("AvgPool1d"), S(1, 1, 4, 4)],
    "AvgPool1d.kernel_larger_than_input": [N("AvgPool1d"), ["kernel"], S(1, 1, 4) + S(4)],
    "AdaptiveAvgPool2d.rank2_input": [N("AdaptiveAvgPool2d"), S(4, 4)],
    "AdaptiveAvgPool2d.negative_size": [N("AdaptiveAvgPool2d"), ["output_size"], ["-1"]],
    "Dropout.p_1.0": [N("Dropout"), ["p"], ["1.0"]],
    "Dropout.p_-0.1": [N("Dropout"), ["p"], ["-0.1"]],
    "Dropout.p_1.5": [N("Dropout"), ["p"], ["1.5"]],
    "Dropout.keep_prob_0": [N("Dropout"), ["keep_prob"], ["0"]],
    "BatchNorm1d.wrong_channels": [N("BatchNorm1d"), ["num_features", "channel"], S(2, 4)],
    "BatchNorm1d.wrong_channels_train": [N("BatchNorm1d"), ["num_features", "channel"], S(2, 4)],
    "BatchNorm1d.rank4_input": [N("BatchNorm1d"), S(2, 3, 2, 2)],
    "BatchNorm2d.wrong_channels": [N("BatchNorm2d"), ["num_features", "channel"], S(2, 4, 2, 2)],
    "BatchNorm2d.rank3_input": [N("BatchNorm2d"), S(2, 3, 2)],
    "BatchNorm2d.momentum_out_of_range": [N("BatchNorm2d"), ["momentum"], ["1.5"]],
    "BatchNorm2d.num_features_zero": [N("BatchNorm2d"), ["num_features"], ["0"]],
    "BatchNorm2d.ndarray_input": [N("BatchNorm2d"), ["Tensor"], ["ndarray", "numpy"]],
    "LayerNorm.shape_mismatch": [N("LayerNorm"), S(2, 3), S(4)],
    "LayerNorm.shape_mismatch_2": [N("LayerNorm"), S(2, 3, 5), S(3, 4)],
    "Embedding.index_out_of_range": [N("Embedding"), ["7"], ["5"]],
    "Embedding.float_indices": [N("Embedding"), ["float32"], ["int"]],
    "Embedding.padding_idx_out_of_range": [N("Embedding"), ["padding_idx"], ["5"]],
    "Embedding.padding_idx_negative": [N("Embedding"), ["padding_idx"], ["-1"]],
    "Embedding.vocab_size_zero": [N("Embedding"), ["vocab_size"], ["0"]],
    "Flatten.start_after_end": [N("Flatten"), ["start_dim"], ["end_dim"]],
    "Flatten.dim_out_of_range": [N("Flatten"), ["end_dim"], ["5"]],
    "Flatten.1d_input": [N("Flatten"), S(3) + ["1-D", "rank 1"]],
    "ops.conv2d.channel_mismatch": [N("conv2d"), ["channel"], ["2"]],
    "ops.conv2d.unknown_pad_mode": [N("conv2d"), ["pad_mode"], ["full"]],
    "ops.conv2d.padding_with_same": [N("conv2d"), ["padding", "pad"], ["same"]],
    "ops.conv2d.rank3_input": [N("conv2d"), S(2, 5, 5)],
    "ops.conv2d.padding_tuple4": [N("conv2d"), ["padding"]],
    "ops.conv1d.channel_mismatch": [N("conv1d"), ["channel"], ["2"]],
    "ops.max_pool2d.rank3_input": [N("max_pool2d"), S(1, 5, 5)],
    "ops.avg_pool2d.rank3_input": [N("avg_pool2d"), S(1, 5, 5)],
    "ops.avg_pool2d.padding_tuple2": [N("avg_pool2d"), ["padding"]],
    "ops.adaptive_avg_pool2d.rank2_input": [N("adaptive_avg_pool2d"), S(5, 5)],
    "ops.batch_norm.wrong_channels": [N("batch_norm"), S(4), S(3) + S(4, 3)],
    "ops.dropout.p_1.5": [N("dropout"), ["1.5"]],
    "ops.flatten.start_after_end": [N("flatten"), ["start_dim"], ["end_dim"]],
    "ops.flatten.bad_order": [N("flatten"), ["order"], ["'X'"]],
    "SequentialCell.non_cell": [N("SequentialCell"), ["int"]],
    "CellList.non_cell": [N("CellList"), ["int"]],
}

CHECKED = [e for e in DOC["errors"] if e["check"] and e["type"] is not None]
CUSTOM = {
    "SequentialCell.non_cell": lambda: nn.SequentialCell([nn.ReLU(), 3]),
    "CellList.non_cell": lambda: nn.CellList([nn.ReLU(), 3]),
}


def _input(spec):
    if spec.get("ndarray"):
        return np.ones(spec["shape"], dtype=spec.get("dtype", "float32"))
    if "values" in spec:
        return Tensor(np.array(spec["values"], dtype=spec.get("dtype", "float32")))
    return Tensor(np.ones(spec["shape"], dtype=spec.get("dtype", "float32")))


def _attempt(entry):
    """(stage, exception) minispore gives for the recorded bad input; (None, None) if none."""
    if entry["target"] == "custom":
        try:
            CUSTOM[entry["name"]]()
        except Exception as e:  # noqa: BLE001 - the type is asserted by the caller
            return "init", e
        return None, None
    kwargs = golden.tuplify(entry["kwargs"])
    if entry["target"].startswith("nn."):
        try:
            cell = getattr(nn, entry["target"][3:])(**kwargs)
        except Exception as e:  # noqa: BLE001
            return "init", e
        if not entry["inputs"]:
            return None, None
        cell.set_train(entry["train"])
        fn = cell
    else:

        def fn(*a):
            return getattr(ops, entry["target"][4:])(*a, **kwargs)

    try:
        out = fn(*[_input(s) for s in entry["inputs"]])
        golden.first(out).asnumpy()
    except Exception as e:  # noqa: BLE001
        return "call", e
    return None, None


def test_every_recorded_error_has_mentions():
    assert sorted(MENTIONS) == sorted(e["name"] for e in CHECKED)


@pytest.mark.parametrize("entry", CHECKED, ids=lambda e: e["name"])
def test_bad_input_raises_like_mindspore_with_a_clear_message(entry):
    stage, exc = _attempt(entry)
    name = entry["name"]
    assert exc is not None, (
        f"{name}: minispore accepted it; MindSpore 2.10 raises {entry['type']}: {entry['message']}"
    )
    expected = getattr(builtins, entry["type"])
    assert isinstance(exc, expected), (
        f"{name}: minispore raises {type(exc).__name__}: {exc}; MindSpore 2.10 raises "
        f"{entry['type']}: {entry['message']}"
    )
    if entry["stage"] == "init":
        assert stage == "init", (
            f"{name}: MindSpore rejects this in the constructor, minispore later"
        )
    msg = str(exc).lower()
    missing = [g for g in MENTIONS[name] if not any(alt.lower() in msg for alt in g)]
    assert not missing, f"{name}: the message {str(exc)!r} mentions none of {missing}"


@pytest.mark.parametrize(
    "entry", [e for e in DOC["errors"] if not e["check"]], ids=lambda e: e["name"]
)
def test_inputs_mindspore_accepts_are_not_rejected_without_reason(entry):
    """Recorded for the record: MindSpore accepts these (or fails for an internal reason).

    minispore may accept them too or raise a clear error (ValueError/IndexError/TypeError)
    that names the layer; it must not fail with anything else.
    """
    stage, exc = _attempt(entry)
    if exc is not None:
        assert isinstance(exc, (ValueError, IndexError, TypeError, RuntimeError)), repr(exc)
        names = N(entry["target"].split(".")[-1])
        assert any(n.lower() in str(exc).lower() for n in names), f"{entry['name']}: {exc!r}"
