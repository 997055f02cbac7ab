"""minispore.dataset against MindSpore 2.10: every case of `cases.py` is run here and compared
with what `make_golden.py` recorded from MindSpore in `golden.json`."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

from cases import ERRORS, PIPELINES, TRANSFORMS  # noqa: E402

GOLDEN = json.loads((HERE / "golden.json").read_text())

# Where minispore raises another exception type than MindSpore, on purpose (docs/dataset.md).
ERROR_TYPE_DIFFERENCES = {
    # MindSpore checks -1 late, at iteration, as a RuntimeError; minispore checks every batch
    # size below 1 when `batch` is called.
    "batch_size_negative": "ValueError",
    # MindSpore wraps a source's row of the wrong length as a RuntimeError too; so does minispore.
}


# MindSpore's output_shapes()/output_types() list a column its own rows do not have.
OUTPUT_SHAPES_WRONG_IN_MINDSPORE = {"map_output_replaces_other_column"}


def _check_array(ours, recorded, where, exact=False):
    ours = np.asarray(ours)
    assert str(ours.dtype) == recorded["dtype"], (
        f"{where}: dtype {ours.dtype} != {recorded['dtype']}"
    )
    assert list(ours.shape) == recorded["shape"], (
        f"{where}: shape {ours.shape} != {recorded['shape']}"
    )
    if "value" in recorded:
        expected = np.asarray(recorded["value"], dtype=ours.dtype).reshape(ours.shape)
        if exact or ours.dtype.kind not in "fc":
            np.testing.assert_array_equal(ours, expected, err_msg=where)
        else:
            np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7, err_msg=where)
    else:
        wide = ours.astype(np.float64)
        total, squares, first = recorded["digest"]
        np.testing.assert_allclose(wide.sum(), total, rtol=1e-6, err_msg=where)
        np.testing.assert_allclose((wide * wide).sum(), squares, rtol=1e-6, err_msg=where)
        np.testing.assert_allclose(wide.ravel()[:20], first, rtol=1e-6, err_msg=where)


@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipeline_matches_mindspore(name, tmp_path):
    recorded = GOLDEN["pipelines"][name]
    dataset = PIPELINES[name](ds, ms, str(tmp_path))
    assert dataset.get_col_names() == recorded["columns"]
    assert dataset.get_dataset_size() == recorded["size"]
    assert dataset.get_batch_size() == recorded["batch_size"]
    assert dataset.get_repeat_count() == recorded["repeat_count"]
    rows = list(dataset.create_tuple_iterator(output_numpy=True))
    assert len(rows) == len(recorded["rows"])
    for i, (row, expected) in enumerate(zip(rows, recorded["rows"])):
        assert len(row) == len(expected)
        for j, (col, exp) in enumerate(zip(row, expected)):
            _check_array(col, exp, f"{name} row {i} column {j}")
    if rows and name in OUTPUT_SHAPES_WRONG_IN_MINDSPORE:
        assert dataset.output_shapes() == [list(c.shape) for c in rows[0]]
    elif rows:
        assert dataset.output_shapes() == recorded["output_shapes"]
        assert [str(t) for t in dataset.output_types()] == recorded["output_types"]
    if rows:
        first = next(dataset.create_tuple_iterator())
        assert [str(getattr(t, "dtype", type(t).__name__)) for t in first] == recorded[
            "tensor_dtypes"
        ]


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transform_matches_mindspore(name):
    make, x = TRANSFORMS[name]
    recorded = GOLDEN["transforms"][name]
    np.testing.assert_array_equal(x, np.asarray(recorded["input"]["value"], dtype=x.dtype))
    # Bit-exact: minispore does MindSpore's float32 arithmetic (and OpenCV's, for Resize).
    _check_array(make(ds, ms)(x), recorded["output"], name, exact=True)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error_matches_mindspore(name, tmp_path):
    run, phrase = ERRORS[name]
    recorded = GOLDEN["errors"][name]
    assert recorded["type"] is not None, f"MindSpore raised nothing for {name}"
    assert phrase in recorded["message"], f"the phrase {phrase!r} is not in MindSpore's message"
    expected_type = ERROR_TYPE_DIFFERENCES.get(name, recorded["type"])
    with pytest.raises(Exception) as info:
        run(ds, ms, str(tmp_path))
    assert type(info.value).__name__ == expected_type or any(
        c.__name__ == expected_type for c in type(info.value).__mro__
    ), f"{name}: {type(info.value).__name__}: {info.value}"
    assert phrase in str(info.value), f"{name}: {phrase!r} not in {info.value}"
