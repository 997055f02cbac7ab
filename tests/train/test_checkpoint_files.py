"""Untrusted checkpoint files give clear errors naming the file; saving never destroys the old one."""

import os
import warnings

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor
from minispore.train import _ckpt_format, _safetensors_format
from tests.train.helpers import record, safetensors_bytes

pytest.importorskip("google.protobuf")
pytest.importorskip("safetensors")

ENTRIES = {
    "weight": Tensor(np.arange(6, dtype=np.float32).reshape(2, 3)),
    "flag": Tensor(np.array([True, False])),
    "n": Tensor(np.array(3, np.int64)),
}


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def _saved_bytes(tmp_path, fmt, **kw):
    path = str(tmp_path / f"good.{fmt}")
    ms.save_checkpoint(
        ENTRIES, path, format=fmt, append_dict={"tag": "ok"} if fmt == "ckpt" else None, **kw
    )
    with open(path, "rb") as f:
        return f.read()


def _load_or_error(path, fmt="ckpt", **kw):
    """The loaded dict, or the ValueError; any other exception fails the test."""
    try:
        return ms.load_checkpoint(path, format=fmt, **kw)
    except ValueError as e:
        assert os.path.basename(path) in str(e), str(e)
        return e


@pytest.mark.parametrize("fmt", ["ckpt", "safetensors"])
def test_a_file_cut_at_any_byte_is_refused_or_is_a_clean_prefix(fmt, tmp_path):
    good = _saved_bytes(tmp_path, fmt)
    full = ms.load_checkpoint(str(tmp_path / f"good.{fmt}"), format=fmt)
    path = str(tmp_path / f"cut.{fmt}")
    prefixes = 0
    for cut in range(len(good)):
        got = _load_or_error(_write(path, good[:cut]), fmt)
        if isinstance(got, dict):
            # A cut exactly between two records leaves a shorter, valid checkpoint (only
            # crc_check=True can tell); what it holds must be exactly the first entries.
            assert fmt == "ckpt" and list(got) == list(full)[: len(got)]
            for k, v in got.items():
                assert (
                    v == full[k]
                    if isinstance(v, str)
                    else v.asnumpy().tobytes() == full[k].asnumpy().tobytes()
                )
            prefixes += 1
    assert prefixes == (len(full) - 1 if fmt == "ckpt" else 0)


def test_a_cut_file_with_crc_fails_the_check_or_warns_that_it_has_none(tmp_path):
    good = _saved_bytes(tmp_path, "ckpt", crc_check=True)
    path = str(tmp_path / "cut.ckpt")
    for cut in range(len(good)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = _load_or_error(_write(path, good[:cut]), crc_check=True)
        # As MindSpore, a file without the CRC trailer (cut before it) loads with a warning.
        assert isinstance(got, ValueError) or "no CRC" in str(caught[0].message)


@pytest.mark.parametrize("fmt", ["ckpt", "safetensors"])
def test_flipped_bits_give_a_load_or_a_clear_error(fmt, tmp_path):
    good = bytearray(_saved_bytes(tmp_path, fmt))
    path = str(tmp_path / f"flip.{fmt}")
    errors = 0
    for i in range(len(good)):
        for bit in (0x01, 0x80):
            bad = bytearray(good)
            bad[i] ^= bit
            errors += isinstance(_load_or_error(_write(path, bytes(bad)), fmt), ValueError)
    assert errors > len(good) // 4  # most of the structure is checked


@pytest.mark.parametrize("fmt", ["ckpt", "safetensors"])
@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_give_a_clear_error(fmt, seed, tmp_path):
    rng = np.random.default_rng(seed)
    data = rng.bytes(int(rng.integers(1, 400)))
    if seed % 2 and fmt == "ckpt":
        data = b"\x0a" + data  # starts like a record
    got = _load_or_error(_write(tmp_path / f"r.{fmt}", data), fmt)
    assert isinstance(got, ValueError)


GOOD = record("ok", [2], "Float32", bytes(8))


@pytest.mark.parametrize(
    "data, match",
    [
        (
            record("w", [2**30, 2**30], "Float32", bytes(4)),
            r"needs more than \d+ bytes of data but holds 4",
        ),
        (record("w", [2**62, 2**62, 2**62], "Int8", b"x"), "needs more than"),
        (record("w", [0] + [2**62] * 3, "Float32", bytes(4)), "needs 0 bytes"),
        (record("w", [-1], "Float32", bytes(4)), "negative dims"),
        (record("w", [2, -2], "Float32", bytes(4)), "negative dims"),
        (record("w", [1] * 40, "Float32", bytes(4)), "40 dimensions"),
        (record("w", [3], "Float32", bytes(8)), "needs 12 bytes of data but holds 8"),
        (record("w", [1], "Float32", bytes(8)), "needs 4 bytes of data but holds 8"),
        (record("w", [2], "Float128", bytes(32)), "unknown dtype 'Float128'"),
        (record("w", [1], "Int4", bytes(1)), "unknown dtype 'Int4'"),
        (record("s", [0], "str", b"abc"), "not UTF-32"),
        (record("s", [0], "str", b"\x00\xd8\x00\x00"), "not valid UTF-32"),
        (GOOD + record("b", [1], "Float32", bytes(4)) + GOOD, "'ok' appears twice"),
        (GOOD + record("ok", [2], "Float64", bytes(16)), "disagree on dtype or dims"),
        (GOOD + record("ok", [3], "Float32", bytes(12)), "disagree on dtype or dims"),
        (GOOD + record("ok", [2], "Float32", bytes(8)), r"needs 8 bytes of data but holds 16"),
        (b"\x12\x00" + GOOD, "field key 18"),
        (GOOD + b"\x0a" + b"\xff" * 11, "over-long length"),
        (GOOD + b"\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "claims .* bytes but only 0 remain"),
        (GOOD + b"\x0a\x05abc", "claims 5 bytes but only 3 remain"),
        (GOOD + b"\x0a", "ends inside a length field"),
        (b"\x0a\x03\x0a\x01w", "holds no tensor"),
        (b"\x0a\x05\x1a\x03\x0a\x01w", "cannot be parsed"),  # no tag: a required field
        (b"\x0a\x0a\x0a\x01w\x1a\x05\x0a\x03\x12\x01x", "map tensor"),
    ],
)
def test_hostile_ckpt_records_are_refused_before_any_allocation(data, match, tmp_path):
    path = _write(tmp_path / "h.ckpt", data)
    with pytest.raises(ValueError, match=match) as e:
        ms.load_checkpoint(path)
    assert "h.ckpt" in str(e.value)


def test_a_skipped_entry_is_still_checked(tmp_path):
    path = _write(tmp_path / "s.ckpt", GOOD + record("w", [2**40], "Float32", bytes(4)))
    with pytest.raises(ValueError, match="'w'"):
        ms.load_checkpoint(path, filter_prefix="w")


def test_bool_bytes_other_than_0_and_1_read_as_true(tmp_path):
    path = _write(tmp_path / "b.ckpt", record("b", [3], "Bool", b"\x00\x02\xff"))
    assert ms.load_checkpoint(path)["b"].asnumpy().tolist() == [False, True, True]
    st = safetensors_bytes(
        {"b": {"dtype": "BOOL", "shape": [2], "data_offsets": [0, 2]}}, b"\x00\x07"
    )
    path = _write(tmp_path / "b.safetensors", st)
    assert ms.load_checkpoint(path, format="safetensors")["b"].asnumpy().tolist() == [False, True]


def test_dims_zero_with_one_element_is_a_scalar_as_in_mindspore(tmp_path):
    path = _write(
        tmp_path / "z.ckpt",
        record("s", [0], "Float32", b"\x00\x00\x80?") + record("e", [0], "Int8", b""),
    )
    loaded = ms.load_checkpoint(path)
    assert loaded["s"].shape == () and loaded["s"].asnumpy().item() == 1.0
    assert loaded["e"].shape == (0,)


def _st(header, data=b""):
    return safetensors_bytes(header, data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 7,
        b"\xff" * 8 + b"{}",  # header length far beyond the file
        (2**60).to_bytes(8, "little") + b"{}      ",
        _st({"w": {"dtype": "F32", "shape": [2**31, 2**31], "data_offsets": [0, 4]}}, bytes(4)),
        _st({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, bytes(4)),
        _st({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(4)),
        _st({"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}, bytes(4)),
        _st(
            {
                "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
            },
            bytes(4),
        ),
        _st({"w": {"dtype": "XYZ", "shape": [1], "data_offsets": [0, 4]}}, bytes(4)),
        _st({"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}, bytes(1)),
        _st(
            {
                "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                "__metadata__": {"w": "Int4"},
            },
            bytes(4),
        ),
        b"\x08\x00\x00\x00\x00\x00\x00\x00not json",
    ],
)
def test_hostile_safetensors_files_are_refused(data, tmp_path):
    path = _write(tmp_path / "h.safetensors", data)
    with pytest.raises(ValueError, match="h.safetensors"):
        ms.load_checkpoint(path, format="safetensors")


def _old_file(tmp_path, fmt):
    path = str(tmp_path / f"w.{fmt}")
    ms.save_checkpoint({"old": Tensor([1.0])}, path, format=fmt)
    with open(path, "rb") as f:
        return path, f.read()


class Boom(Exception):
    pass


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_failure_mid_save_keeps_the_previous_ckpt(error, tmp_path, monkeypatch):
    path, old = _old_file(tmp_path, "ckpt")
    real = _ckpt_format.records
    calls = []

    def failing(name, value, chunk_bytes=None):
        calls.append(name)
        if len(calls) == 2:  # the first record is already written to the temporary file
            raise error("disk full")
        return real(name, value, chunk_bytes)

    monkeypatch.setattr(_ckpt_format, "records", failing)
    with pytest.raises(error):
        ms.save_checkpoint({"a": Tensor([2.0]), "b": Tensor([3.0])}, path)
    assert calls == ["a", "b"]
    with open(path, "rb") as f:
        assert f.read() == old
    assert os.listdir(tmp_path) == ["w.ckpt"]  # the temporary file is gone
    monkeypatch.undo()
    assert list(ms.load_checkpoint(path)) == ["old"]


def test_a_failure_mid_save_keeps_the_previous_safetensors(tmp_path, monkeypatch):
    path, old = _old_file(tmp_path, "safetensors")
    import safetensors.numpy

    def failing(tensors, metadata=None):
        raise Boom("serialization failed")

    monkeypatch.setattr(safetensors.numpy, "save", failing)
    with pytest.raises(Boom):
        ms.save_checkpoint({"a": Tensor([2.0])}, path, format="safetensors")
    with open(path, "rb") as f:
        assert f.read() == old
    assert os.listdir(tmp_path) == ["w.safetensors"]


def test_a_failed_first_save_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_safetensors_format, "write", lambda *a: (_ for _ in ()).throw(Boom()))
    with pytest.raises(Boom):
        ms.save_checkpoint({"a": Tensor([2.0])}, str(tmp_path / "new"), format="safetensors")
    assert os.listdir(tmp_path) == []
