"""save_checkpoint / load_checkpoint / load_param_into_net: round trips, selection, loading into
nets, and argument errors; MindSpore's behaviours come from `fixtures/ms_fixtures.json`."""

import inspect
import io
import json
import os
import stat
import subprocess
import sys

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn
from minispore.train import _ckpt_format, _safetensors_format
from minispore.train import serialization as ser
from tests.train.helpers import record, safetensors_bytes

pytest.importorskip("google.protobuf")
pytest.importorskip("safetensors")

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
with open(os.path.join(FIXTURES, "ms_fixtures.json")) as _f:
    MS = json.load(_f)
FORMATS = ["ckpt", "safetensors"]

ARRAYS = {
    "bool": np.array([[True, False], [False, True]]),
    "i8": np.array([-128, 5, 127], np.int8),
    "i16": np.array([-32768, 32767], np.int16),
    "i32": np.arange(6, dtype=np.int32).reshape(2, 3) - 3,
    "i64": np.array([-(2**63), 2**63 - 1], np.int64),
    "u8": np.array([0, 255], np.uint8),
    "u16": np.array([65535], np.uint16),
    "u32": np.array([2**32 - 1], np.uint32),
    "u64": np.array([2**64 - 1], np.uint64),
    "f16": np.array([-65504, 6e-8, np.inf], np.float16),
    "f32": np.array([np.nan, -0.0, 1e-45, 3.4e38], np.float32),
    "f64": np.random.default_rng(0).normal(size=(2, 3, 4)),
    "c64": np.array([1 + 2j, -3.5j], np.complex64),
    "c128": np.array([np.pi - 1j], np.complex128),
    "s_f32": np.array(2.5, np.float32),
    "s_i64": np.array(-3, np.int64),
    "s_bool": np.array(True),
    "s_f16": np.array(-0.5, np.float16),
    "empty_0": np.zeros((0,), np.float32),
    "empty_2x0": np.zeros((2, 0), np.int32),
    "non_contiguous": np.arange(12, dtype=np.float32).reshape(3, 4).T,
}


def _save_load(tmp_path, obj, fmt="ckpt", name="x", **kw):
    path = str(tmp_path / f"{name}.{fmt}")
    ms.save_checkpoint(obj, path, format=fmt, **kw)
    return ms.load_checkpoint(path, format=fmt)


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_signatures_are_mindspores():
    for f in (ms.save_checkpoint, ms.load_checkpoint, ms.load_param_into_net):
        assert str(inspect.signature(f)) == MS["signatures"][f.__name__]


def test_exported_from_minispore_and_minispore_train():
    import minispore.train as train

    for name in ("save_checkpoint", "load_checkpoint", "load_param_into_net"):
        assert getattr(ms, name) is getattr(train, name) is getattr(ser, name)
        assert name in ms.__all__ and name in train.__all__


def test_import_minispore_does_not_import_protobuf_or_safetensors():
    code = "import sys, minispore; print(sorted(m for m in ('google.protobuf', 'safetensors') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_dtype_and_shape_round_trips_bit_exactly(fmt, tmp_path):
    arrays = {k: v for k, v in ARRAYS.items() if not (fmt == "safetensors" and k == "c128")}
    loaded = _save_load(tmp_path, [{"name": k, "data": Tensor(v)} for k, v in arrays.items()], fmt)
    assert list(loaded) == (list(arrays) if fmt == "ckpt" else sorted(arrays))
    for k, v in arrays.items():
        p = loaded[k]
        assert isinstance(p, Parameter) and p.name == k and p.requires_grad
        assert _same(p.asnumpy(), v), k
        assert p.asnumpy().flags.writeable


def _bn_net():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.fc = nn.Dense(3, 2)
            self.bn = nn.BatchNorm1d(2)
            self.step = Parameter(Tensor(np.array(4, np.int32)), name="step", requires_grad=False)

    return Net()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.Dense(3, 2),
        lambda: nn.SequentialCell([nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2)]),
        _bn_net,
    ],
)
def test_a_cell_round_trips_into_a_fresh_cell(make, fmt, tmp_path):
    src, dst = make(), make()
    for i, p in enumerate(src.get_parameters()):
        p.set_data(Tensor(np.full(p.shape, i + 0.5).astype(p.asnumpy().dtype)))
    loaded = _save_load(tmp_path, src, fmt)
    assert sorted(loaded) == sorted(p.name for p in src.get_parameters())
    assert ms.load_param_into_net(dst, loaded) == ([], [])
    for a, b in zip(src.get_parameters(), dst.get_parameters()):
        assert _same(a.asnumpy(), b.asnumpy()) and a.requires_grad == b.requires_grad


def test_save_obj_forms(tmp_path):
    p, q = Parameter(Tensor([1.0]), name="p"), Parameter(Tensor([2, 3]), name="q")
    assert list(_save_load(tmp_path, [p, q], name="a")) == ["p", "q"]
    named = _save_load(
        tmp_path, [{"name": "renamed", "data": p}, {"name": "t", "data": Tensor(True)}], name="b"
    )
    assert list(named) == ["renamed", "t"] and named["renamed"].name == "renamed"
    d = {"p": q, "t": Tensor([1.5]), "n": np.array([7], np.int8), "s": "text"}
    loaded = _save_load(tmp_path, d, name="c")
    assert list(loaded) == ["p", "t", "n", "s"] and loaded["s"] == "text"
    assert _same(loaded["n"].asnumpy(), np.array([7], np.int8)) and _same(
        loaded["p"].asnumpy(), q.asnumpy()
    )
    assert list(_save_load(tmp_path, loaded, name="d")) == list(loaded)  # a loaded dict saves again


def test_append_dict_values_are_stored_as_mindspore_stores_them(tmp_path):
    append = {
        "i": 3,
        "f": 0.1,
        "b": True,
        "s": "h\u00e9 \U0001f600",
        "t": Tensor([1, 2]),
        "f64": np.float64(0.5),
    }
    loaded = _save_load(tmp_path, [], append_dict=append)
    assert _same(loaded["i"].asnumpy(), np.array(3, np.int64))
    assert _same(loaded["f"].asnumpy(), np.array(0.1, np.float32))
    assert _same(loaded["b"].asnumpy(), np.array(True))
    assert _same(loaded["t"].asnumpy(), np.array([1, 2], np.int64))
    assert _same(loaded["f64"].asnumpy(), np.array(0.5, np.float64))
    assert loaded["s"] == append["s"]


@pytest.mark.parametrize(
    "value, error",
    [(2**63, ValueError), ([1], TypeError), (np.float32(1), TypeError), (None, TypeError)],
)
def test_bad_append_dict_values(value, error, tmp_path):
    with pytest.raises(error, match="append_dict"):
        ms.save_checkpoint([], str(tmp_path / "x"), append_dict={"v": value})
    with pytest.raises(TypeError, match="append_dict"):
        ms.save_checkpoint([], str(tmp_path / "x"), append_dict={1: 1})
    with pytest.raises(TypeError, match="append_dict"):
        ms.save_checkpoint([], str(tmp_path / "x"), append_dict=[("a", 1)])


@pytest.mark.parametrize("s", ["", "a", "a\0", "\0b", "\u00fc\U0001f680", "x" * 100])
def test_strings_are_encoded_as_numpy_encodes_them(s, tmp_path):
    assert _ckpt_format.string_bytes(s) == np.array(s).tobytes()
    # NumPy (and so MindSpore) drops trailing NULs when it reads the string back.
    assert _save_load(tmp_path, {"s": s})["s"] == s.rstrip("\0")


def test_choice_func_selects_what_is_saved_but_not_append_dict(tmp_path):
    net = nn.SequentialCell([nn.Dense(3, 4), nn.Dense(4, 2)])
    loaded = _save_load(
        tmp_path, net, choice_func=lambda n: n.startswith("1."), append_dict={"e": 1}
    )
    assert list(loaded) == ["1.weight", "1.bias", "e"]


@pytest.mark.parametrize("case", ["suffix_none", "suffix_pt", "suffix_ckpt_no_dot", "suffix_ckpt"])
def test_the_suffix_is_appended_as_mindspore_does(case, tmp_path):
    given = {"suffix_none": "tmp_name_a", "suffix_pt": "tmp_name_b.pt"}.get(case)
    given = (
        given or {"suffix_ckpt_no_dot": "tmp_name_cckpt", "suffix_ckpt": "tmp_name_d.ckpt"}[case]
    )
    ms.save_checkpoint([Parameter(Tensor([1.0]), name="x")], str(tmp_path / given))
    assert sorted(os.listdir(tmp_path)) == MS["behaviours"][case]["result"]


def test_saved_files_are_read_only_as_mindsporess_and_can_be_saved_over(tmp_path):
    path = str(tmp_path / "w.ckpt")
    for fmt in FORMATS:
        path = str(tmp_path / f"w.{fmt}")
        for v in (1.0, 2.0):
            ms.save_checkpoint({"w": Tensor([v])}, path, format=fmt)
        assert (
            oct(stat.S_IMODE(os.stat(path).st_mode)) == MS["files"][f"ms_dense.{fmt}"]["file_mode"]
        )
        assert ms.load_checkpoint(path, format=fmt)["w"].asnumpy().tolist() == [2.0]
    assert sorted(os.listdir(tmp_path)) == ["w.ckpt", "w.safetensors"]  # no temporary files left


def test_path_like_names_are_accepted(tmp_path):
    ms.save_checkpoint({"w": Tensor([1.0])}, tmp_path / "p.ckpt")
    assert list(ms.load_checkpoint(tmp_path / "p.ckpt")) == ["w"]


@pytest.mark.parametrize(
    "obj",
    [
        [Parameter(Tensor([1.0]), name="x"), Parameter(Tensor([2.0]), name="x")],
        [{"name": "x", "data": Tensor([1.0])}, {"name": "x", "data": Tensor([1.0])}],
    ],
)
def test_duplicate_names_are_refused_when_saving(obj, tmp_path):
    # MindSpore silently keeps the last of two entries with one name.
    with pytest.raises(ValueError, match="'x' appears twice"):
        ms.save_checkpoint(obj, str(tmp_path / "d"))
    with pytest.raises(ValueError, match="'x' appears twice"):
        ms.save_checkpoint(obj[:1], str(tmp_path / "d"), append_dict={"x": 1})
    assert os.listdir(tmp_path) == []


def test_save_argument_errors(tmp_path):
    f = str(tmp_path / "e")
    ok = [Parameter(Tensor([1.0]), name="x")]
    cases = [
        (dict(async_save=True), NotImplementedError, "async_save"),
        (dict(async_save="thread"), NotImplementedError, "async_save"),
        (dict(async_save="x"), ValueError, "async_save"),
        (dict(async_save=1), TypeError, "async_save"),
        (dict(enc_key=b"0" * 16), NotImplementedError, "encrypted"),
        (dict(enc_key="k"), TypeError, "enc_key"),
        (dict(enc_mode=1), TypeError, "enc_mode"),
        (dict(integrated_save=1), TypeError, "integrated_save"),
        (dict(crc_check="yes"), TypeError, "crc_check"),
        (dict(format="pt"), ValueError, "format"),
        (dict(remove_redundancy="x"), TypeError, "remove_redundancy"),
        (dict(typo=1), TypeError, "typo"),
    ]
    for kw, error, match in cases:
        with pytest.raises(error, match=match):
            ms.save_checkpoint(ok, f, **kw)
    with pytest.raises(TypeError, match="save_obj"):
        ms.save_checkpoint(tuple(ok), f)
    with pytest.raises(TypeError, match="ckpt_file_name"):
        ms.save_checkpoint(ok, 3)
    with pytest.raises(IsADirectoryError, match="directory"):
        ms.save_checkpoint(ok, str(tmp_path))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ms.save_checkpoint(ok, str(tmp_path / "no" / "such"))
    with pytest.raises(TypeError, match="item 1"):
        ms.save_checkpoint([{"name": "a", "data": Tensor(1)}, {"name": "b"}], f)
    with pytest.raises(TypeError, match="names must be str"):
        ms.save_checkpoint([{"name": 3, "data": Tensor(1)}], f)
    with pytest.raises(TypeError, match="'a' must be a Tensor"):
        ms.save_checkpoint([{"name": "a", "data": np.ones(2)}], f)
    with pytest.raises(TypeError, match="item 1 is a Tensor"):
        ms.save_checkpoint([ok[0], Tensor(1)], f)
    with pytest.raises(TypeError, match="'v' must be a Parameter"):
        ms.save_checkpoint({"v": [1.0]}, f)
    with pytest.raises(TypeError, match="keys of a dict"):
        ms.save_checkpoint({1: Tensor(1)}, f)
    with pytest.raises(TypeError, match="'s' is a string"):
        ms.save_checkpoint({"s": "text"}, f, format="safetensors")
    with pytest.raises(TypeError, match="'c' is Complex128"):
        ms.save_checkpoint({"c": Tensor(np.ones(1, np.complex128))}, f, format="safetensors")
    with pytest.raises(TypeError, match="'o' has dtype object"):
        ms.save_checkpoint({"o": np.array([None])}, f)
    assert os.listdir(tmp_path) == []


LIST = {
    n: Tensor(np.array([i], np.float32))
    for i, n in enumerate(["fc1.w", "fc1.b", "fc2.w", "bn.m", "x"])
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "kw, expected",
    [
        (dict(filter_prefix="fc1"), {"fc2.w", "bn.m", "x"}),
        (dict(filter_prefix=["fc", "x"]), {"bn.m"}),
        (dict(specify_prefix=("fc", "bn")), {"fc1.w", "fc1.b", "fc2.w", "bn.m"}),
        (dict(specify_prefix="fc", filter_prefix="fc2"), {"fc1.w", "fc1.b"}),
        (dict(choice_func=lambda n: n.endswith("w")), {"fc1.w", "fc2.w"}),
        # As in MindSpore, a prefix argument overrides choice_func.
        (dict(specify_prefix="bn", choice_func=lambda n: False), {"bn.m"}),
    ],
)
def test_load_selects_entries(kw, expected, fmt, tmp_path):
    path = str(tmp_path / f"s.{fmt}")
    ms.save_checkpoint(LIST, path, format=fmt)
    assert set(ms.load_checkpoint(path, format=fmt, **kw)) == expected


def test_load_argument_errors(tmp_path):
    path = str(tmp_path / "a.ckpt")
    ms.save_checkpoint(LIST, path)
    cases = [
        (dict(filter_prefix=""), ValueError, "must not contain ''"),
        (dict(specify_prefix=[]), ValueError, "empty"),
        (dict(filter_prefix=3), TypeError, "filter_prefix"),
        (dict(specify_prefix=["a", 1]), TypeError, "item 1"),
        (dict(dec_key=b"k" * 16), NotImplementedError, "encrypted"),
        (dict(dec_key="k"), TypeError, "dec_key"),
        (dict(dec_mode=None), TypeError, "dec_mode"),
        (dict(crc_check=1), TypeError, "crc_check"),
        (dict(remove_redundancy=None), TypeError, "remove_redundancy"),
        (dict(format="pt"), ValueError, "format"),
        (dict(format="safetensors"), ValueError, "must end with the format"),
        (dict(specify_prefix="zzz"), ValueError, "nothing was loaded"),
    ]
    for kw, error, match in cases:
        with pytest.raises(error, match=match):
            ms.load_checkpoint(path, **kw)
    with pytest.raises(ValueError, match="does not exist"):
        ms.load_checkpoint(str(tmp_path / "missing.ckpt"))
    with pytest.raises(ValueError, match="must end with the format"):
        ms.load_checkpoint(str(tmp_path / "a"))
    os.mkdir(tmp_path / "d.ckpt")
    with pytest.raises(ValueError, match="is not a file"):
        ms.load_checkpoint(str(tmp_path / "d.ckpt"))
    with pytest.raises(TypeError, match="ckpt_file_name"):
        ms.load_checkpoint(io.BytesIO(b""))
    ms.save_checkpoint([], str(tmp_path / "empty.ckpt"))
    assert os.path.getsize(tmp_path / "empty.ckpt") == 0  # as MindSpore
    with pytest.raises(ValueError, match="nothing was loaded"):
        ms.load_checkpoint(str(tmp_path / "empty.ckpt"))


def test_safetensors_load_from_bytesio(tmp_path):
    path = str(tmp_path / "b.safetensors")
    ms.save_checkpoint(LIST, path, format="safetensors")
    with open(path, "rb") as f:
        buf = io.BytesIO(f.read())
    assert set(ms.load_checkpoint(buf, format="safetensors")) == set(LIST)


@pytest.mark.parametrize("fmt", FORMATS)
def test_crc_is_written_and_checked(fmt, tmp_path):
    path = str(tmp_path / f"c.{fmt}")
    ms.save_checkpoint(LIST, path, crc_check=True, format=fmt)
    assert set(ms.load_checkpoint(path, crc_check=True, format=fmt)) == set(LIST)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[-18 if fmt == "ckpt" else -3] ^= 0x10  # in the last float (before the CRC trailer)
    os.chmod(path, 0o600)
    with open(path, "wb") as f:
        f.write(data)
    assert set(ms.load_checkpoint(path, format=fmt)) == set(LIST)  # unchecked, it loads
    with pytest.raises(ValueError, match="CRC check .* failed"):
        ms.load_checkpoint(path, crc_check=True, format=fmt)
    plain = str(tmp_path / f"p.{fmt}")
    ms.save_checkpoint(LIST, plain, format=fmt)
    with pytest.warns(UserWarning, match="no CRC"):
        ms.load_checkpoint(plain, crc_check=True, format=fmt)


def test_large_tensors_are_written_in_chunks_and_read_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(_ckpt_format, "CHUNK_BYTES", 100)
    a = np.arange(101, dtype=np.float64)
    path = str(tmp_path / "big.ckpt")
    ms.save_checkpoint({"a": Tensor(a), "b": Tensor([1])}, path)
    assert os.path.getsize(path) > 9 * 100  # 808 bytes of data in nine records
    loaded = ms.load_checkpoint(path)
    assert _same(loaded["a"].asnumpy(), a) and list(loaded) == ["a", "b"]


def test_bfloat16_tensors_are_read_as_float32(tmp_path):
    path = str(tmp_path / "bf.ckpt")
    with open(path, "wb") as f:
        f.write(record("bf", [3], "BFloat16", bytes.fromhex("803f00c0c07f")))  # 1.0, -2.0, nan
    got = ms.load_checkpoint(path)["bf"].asnumpy()
    assert got.dtype == np.float32 and got[:2].tolist() == [1.0, -2.0] and np.isnan(got[2])
    header = {"bf": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}}
    data = safetensors_bytes(header, bytes.fromhex("803f00c0"))
    got = ms.load_checkpoint(io.BytesIO(data), format="safetensors")["bf"].asnumpy()
    assert got.dtype == np.float32 and got.tolist() == [1.0, -2.0]


def test_a_clear_import_error_without_protobuf_or_safetensors(tmp_path, monkeypatch):
    _ckpt_format.messages.cache_clear()
    for mod in ("google.protobuf", "safetensors", "safetensors.numpy"):
        monkeypatch.setitem(sys.modules, mod, None)
    try:
        with pytest.raises(ImportError, match=r"minispore\[checkpoint\]"):
            ms.save_checkpoint({"w": Tensor([1.0])}, str(tmp_path / "x"))
        with pytest.raises(ImportError, match=r"minispore\[checkpoint\]"):
            ms.save_checkpoint({"w": Tensor([1.0])}, str(tmp_path / "x"), format="safetensors")
        assert os.listdir(tmp_path) == []
    finally:
        _ckpt_format.messages.cache_clear()
    assert _safetensors_format.DTYPES["F32"] == np.float32


# ---- load_param_into_net ------------------------------------------------------------------------

W = np.ones((2, 2), np.float32)


def _P(a, dt=np.float32):
    return Parameter(Tensor(np.array(a, dt)))


def _lpin(d, **kw):
    return list(map(list, ms.load_param_into_net(nn.Dense(2, 2), d, **kw)))


@pytest.mark.parametrize(
    "case, d, kw",
    [
        ("exact", lambda: {"weight": _P(W), "bias": _P([1, 2])}, {}),
        ("missing", lambda: {"weight": _P(W)}, {}),
        ("extra", lambda: {"weight": _P(W), "bias": _P([1, 2]), "extra": _P([1])}, {}),
        ("strict_missing", lambda: {"weight": _P(W)}, dict(strict_load=True)),
        (
            "prefix_strict",
            lambda: {"net.weight": _P(W), "net.bias": _P([1, 2])},
            dict(strict_load=True),
        ),
        ("string_value", lambda: {"weight": _P(W), "bias": _P([1, 2]), "epoch": "x"}, {}),
        ("shape_trailing_ones", lambda: {"weight": _P(np.ones((2, 2, 1, 1)))}, {}),
    ],
)
def test_load_param_into_net_returns_what_mindspore_returns(case, d, kw):
    assert _lpin(d(), **kw) == MS["behaviours"][case]["result"]


def test_prefixed_names_load_and_are_not_reported_as_unused():
    # MindSpore 2.10 returns ([], ['net.weight', 'net.bias']) although both were loaded.
    assert MS["behaviours"]["prefix"]["result"] == [[], ["net.weight", "net.bias"]]
    net = nn.Dense(2, 2)
    d = {"net.weight": _P(W * 3), "net.bias": _P([1, 2]), "other": _P([0])}
    assert ms.load_param_into_net(net, d) == ([], ["other"])
    assert net.weight.asnumpy().tolist() == (W * 3).tolist()
    two = {"a.weight": _P(W), "b.bias": _P([5, 6])}  # each found through its own prefix
    assert ms.load_param_into_net(nn.Dense(2, 2), two) == ([], [])


def test_a_string_entry_for_a_parameter_is_reported_not_loaded():
    # MindSpore reports 'bias' nowhere; minispore reports it as not loaded.
    assert ms.load_param_into_net(nn.Dense(2, 2), {"weight": _P(W), "bias": "x"}) == (
        ["bias"],
        ["bias"],
    )


@pytest.mark.parametrize(
    "case, src, dst",
    [("f32_to_f16", np.float32, ms.float16), ("f64_to_f32", np.float64, ms.float32)],
)
def test_floats_are_converted_to_the_nets_dtype(case, src, dst):
    result, dtype, values = MS["behaviours"][case]["result"]
    net = nn.Dense(2, 2, dtype=dst)
    assert list(map(list, ms.load_param_into_net(net, {"weight": _P(W * 1.5, src)}))) == result
    assert str(net.weight.dtype) == dtype and net.weight.asnumpy().tolist() == values


@pytest.mark.parametrize(
    "case, call",
    [
        (
            "f32_to_f16_strict",
            lambda: ms.load_param_into_net(
                nn.Dense(2, 2, dtype=ms.float16), {"weight": _P(W)}, True
            ),
        ),
        ("i32_to_f32", lambda: ms.load_param_into_net(nn.Dense(2, 2), {"weight": _P(W, np.int32)})),
        ("shape_mismatch", lambda: _lpin({"weight": _P(np.ones((2, 3)))})),
        ("tensor_value", lambda: _lpin({"weight": Tensor(W)})),
    ],
)
def test_load_param_into_net_errors_are_mindspores_types(case, call):
    with pytest.raises(Exception) as e:  # noqa: B017 -- the type is compared with MindSpore's below
        call()
    assert type(e.value).__name__ == MS["behaviours"][case]["error"]
    assert "weight" in str(e.value)


class IntNet(nn.Cell):
    def __init__(self, dtype):
        super().__init__()
        self.k = Parameter(Tensor(np.array([1, 2], dtype)), name="k")
        self.w = Parameter(Tensor(np.zeros(2, np.float32)), name="w")


def test_ints_convert_within_range_and_refuse_overflow():
    net = IntNet(np.int32)
    assert ms.load_param_into_net(net, {"k": _P([300, -5], np.int64)}) == (["w"], [])
    assert _same(net.k.asnumpy(), np.array([300, -5], np.int32))
    # MindSpore 2.10 silently wraps 300 into an int8 as 44.
    with pytest.raises(RuntimeError, match=r"\[-5, 300\].*Int8"):
        ms.load_param_into_net(IntNet(np.int8), {"k": _P([300, -5], np.int64)})
    with pytest.raises(RuntimeError, match="int<->int"):
        ms.load_param_into_net(IntNet(np.uint8), {"k": _P([1, 2], np.int64)})


def test_a_failed_load_changes_nothing():
    net = IntNet(np.int32)
    with pytest.raises(RuntimeError, match="'w'"):
        ms.load_param_into_net(net, {"k": _P([7, 8], np.int32), "w": _P([1, 2, 3])})
    assert net.k.asnumpy().tolist() == [1, 2]


def test_loaded_values_are_copies_and_parameters_keep_their_identity():
    net = nn.Dense(2, 2)
    net.weight.requires_grad = False
    weight = net.weight
    src = _P(W * 2)
    ms.load_param_into_net(net, {"weight": src})
    src.asnumpy()[...] = 9
    assert net.weight is weight and not weight.requires_grad and weight.name == "weight"
    assert weight.asnumpy().tolist() == (W * 2).tolist()


def test_load_param_into_net_argument_errors():
    with pytest.raises(TypeError, match="'net' must be a Cell"):
        ms.load_param_into_net(3, {})
    with pytest.raises(TypeError, match="'parameter_dict' must be a dict"):
        ms.load_param_into_net(nn.Dense(2, 2), [_P(W)])
    with pytest.raises(TypeError, match=r"wrap it in Parameter"):
        ms.load_param_into_net(nn.Dense(2, 2), {"weight": Tensor(W)})
    with pytest.raises(TypeError, match="strict_load"):
        ms.load_param_into_net(nn.Dense(2, 2), {}, strict_load=1)
    with pytest.raises(TypeError, match="model parallelism"):
        ms.load_param_into_net(nn.Dense(2, 2), {}, remove_redundancy=True)
    assert ms.load_param_into_net(nn.Dense(2, 2), {}) == (["weight", "bias"], [])


def test_load_checkpoint_with_net_loads_it(tmp_path):
    path = str(tmp_path / "n.ckpt")
    ms.save_checkpoint({"weight": Tensor(W * 3), "zz": Tensor([1.0])}, path)
    net = nn.Dense(2, 2)
    loaded = ms.load_checkpoint(path, net=net)
    assert list(loaded) == ["weight", "zz"] and net.weight.asnumpy().tolist() == (W * 3).tolist()
    with pytest.raises(RuntimeError, match="dtype"):
        ms.load_checkpoint(path, net=nn.Dense(2, 2, dtype=ms.float16), strict_load=True)


# ---- deliberate differences from MindSpore 2.10 (docs/checkpoints.md), each beside the record --


def _ms(case):
    return MS["behaviours"][case]


def test_difference_zero_element_tensors_are_saved(tmp_path):
    assert _ms("save_empty_tensors")["result"] == {"x": [[1], [1.0]]}  # MindSpore dropped e, e2
    obj = {
        "e": Tensor(np.zeros((0,), np.float32)),
        "e2": Tensor(np.zeros((2, 0))),
        "x": Tensor([1.0]),
    }
    loaded = _save_load(tmp_path, obj)
    assert [(k, v.shape) for k, v in loaded.items()] == [("e", (0,)), ("e2", (2, 0)), ("x", (1,))]


def test_difference_duplicates_dict_tensors_and_unknown_kwargs_on_save(tmp_path):
    assert _ms("save_duplicate_names")["result"] == {"x": [[2], [2.0, 3.0]]}  # the last one won
    with pytest.raises(ValueError, match="appears twice"):
        ms.save_checkpoint([{"name": "x", "data": Tensor([1.0])}] * 2, str(tmp_path / "d"))
    assert _ms("save_dict_tensor_value")["error"] == "UnboundLocalError"
    assert list(_save_load(tmp_path, {"a": Tensor([1.0])})) == ["a"]
    assert _ms("save_unknown_kwarg")["result"] == {"a": [[1], [1.0]]}  # typo=1 ignored
    with pytest.raises(TypeError, match="typo"):
        ms.save_checkpoint({"a": Tensor([1.0])}, str(tmp_path / "k"), typo=1)


def test_difference_malformed_ckpt_data_is_refused(tmp_path):
    assert _ms("read_short_content")["result"] == {"a": [[3], [1.0, 0.0, 0.0]]}  # garbage
    assert _ms("read_nonconsecutive_duplicate")["result"] == {"a": [[1], [2.0]], "b": [[1], [1.0]]}
    assert _ms("read_empty_1d")["result"] == {"e": [[], 0.0]}
    f4 = b"\x00\x00\x80?"
    with open(tmp_path / "a.ckpt", "wb") as f:
        f.write(record("a", [3], "Float32", f4))
    with pytest.raises(ValueError, match="needs 12 bytes"):
        ms.load_checkpoint(str(tmp_path / "a.ckpt"))
    with open(tmp_path / "b.ckpt", "wb") as f:
        f.write(
            record("a", [1], "Float32", f4)
            + record("b", [1], "Float32", f4)
            + record("a", [1], "Float32", f4)
        )
    with pytest.raises(ValueError, match="appears twice"):
        ms.load_checkpoint(str(tmp_path / "b.ckpt"))
    with open(tmp_path / "e.ckpt", "wb") as f:
        f.write(record("e", [0], "Float32", b""))
    assert ms.load_checkpoint(str(tmp_path / "e.ckpt"))["e"].shape == (0,)


def test_difference_complex_ckpt_tensors_are_read(tmp_path):
    assert _ms("read_complex64")["error"] == "ValueError"
    loaded = _save_load(tmp_path, {"c": Tensor(np.array([1 - 1j], np.complex64))})
    assert loaded["c"].dtype == ms.complex64 and loaded["c"].asnumpy().tolist() == [1 - 1j]


def test_difference_int_overflow_and_trailing_ones():
    assert _ms("int64_to_int8_overflow")["result"] == [44, -5]
    with pytest.raises(RuntimeError, match="do not fit"):
        ms.load_param_into_net(IntNet(np.int8), {"k": _P([300, -5], np.int64)})
    assert _ms("trailing_ones_other_leading_dims")["result"] == [["bias"], []]  # (1,4,1) into (2,2)
    with pytest.raises(RuntimeError, match=r"\(2, 2\).*\(1, 4, 1\)"):
        _lpin({"weight": _P(np.ones((1, 4, 1)))})


def test_difference_safetensors_prefixes_apply_and_names_are_kept(tmp_path):
    assert _ms("safetensors_filter_prefix_and_default_names")["result"] == {
        "a.w": True,
        "b.w": True,
    }
    path = str(tmp_path / "p.safetensors")
    ms.save_checkpoint({"a.w": Tensor([1.0]), "b.w": Tensor([2.0])}, path, format="safetensors")
    loaded = ms.load_checkpoint(path, format="safetensors", filter_prefix="a")
    assert [(k, v.name) for k, v in loaded.items()] == [("b.w", "b.w")]


def test_the_docstring_example(tmp_path):
    path = str(tmp_path / "dense.ckpt")
    ms.save_checkpoint(nn.Dense(3, 2), path, append_dict={"epoch_num": 3})
    assert sorted(ms.load_checkpoint(path)) == ["bias", "epoch_num", "weight"]
    net = nn.SequentialCell([nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2)])
    ms.save_checkpoint(net, str(tmp_path / "net.ckpt"), append_dict={"epoch_num": 3, "lr": 0.01})
    params = ms.load_checkpoint(str(tmp_path / "net.ckpt"))
    assert ms.load_param_into_net(net, params) == ([], ["epoch_num", "lr"])
