"""Checkpoints in the safetensors format, laid out as MindSpore 2.10 writes them (layer 5).

MindSpore saves with `safetensors.numpy` under the metadata ``{"format": "ms"}`` (plus
``crc_num`` with `crc_check=True`), and loads entries in sorted name order. Files are parsed and
validated by the `safetensors` package (header, offsets, sizes) before any array is built.
"""

from __future__ import annotations

import binascii
import json
import math
import struct
import warnings

import numpy as np

DTYPES = {
    "BOOL": np.dtype(np.bool_),
    "I8": np.dtype("i1"),
    "I16": np.dtype("<i2"),
    "I32": np.dtype("<i4"),
    "I64": np.dtype("<i8"),
    "U8": np.dtype("u1"),
    "U16": np.dtype("<u2"),
    "U32": np.dtype("<u4"),
    "U64": np.dtype("<u8"),
    "F16": np.dtype("<f2"),
    "F32": np.dtype("<f4"),
    "F64": np.dtype("<f8"),
    "C64": np.dtype("<c8"),
}
_INSTALL = "pip install 'minispore[checkpoint]' (or: pip install safetensors)"


def package(what):
    try:
        import safetensors
        import safetensors.numpy
    except ImportError as e:
        raise ImportError(
            f"{what} in the safetensors format needs 'safetensors': {_INSTALL}"
        ) from e
    return safetensors


def write(f, entries, crc_check=False, remove_redundancy=None) -> None:
    """Write `entries` ((name, ndarray) pairs) to the binary file `f` as MindSpore does."""
    safetensors = package("save_checkpoint")
    tensors = {}
    for name, value in sorted(entries, key=lambda e: e[0]):
        if isinstance(value, str):
            raise TypeError(
                f"For 'save_checkpoint', '{name}' is a string, which the safetensors format cannot "
                "store; use format='ckpt' or leave it out of append_dict"
            )
        if value.dtype == np.complex128:
            raise TypeError(
                f"For 'save_checkpoint', '{name}' is Complex128, which the safetensors format "
                "cannot store; use format='ckpt'"
            )
        tensors[name] = np.asarray(value, value.dtype.newbyteorder("<"), order="C")
    metadata = {"format": "ms"}
    if remove_redundancy is not None:
        metadata["remove_redundancy"] = str(remove_redundancy)
    if crc_check:
        crc = 0
        for name, arr in tensors.items():
            crc = binascii.crc32(name.encode("utf-8"), crc)
            crc = binascii.crc32(arr.tobytes(), crc)
        metadata["crc_num"] = str(crc)
    f.write(safetensors.numpy.save(tensors, metadata=metadata if tensors else None))


def _corrupt(path, detail):
    return ValueError(
        f"For 'load_checkpoint', the safetensors file '{path}' is corrupted or unsupported: {detail}"
    )


def read(data: bytes, path, crc_check=False, keep=None):
    """The entries of a safetensors file's bytes, sorted by name: a list of (name, ndarray)."""
    safetensors = package("load_checkpoint")
    try:
        items = dict(safetensors.deserialize(data))
    except Exception as e:  # SafetensorError and anything the parser raises
        raise _corrupt(path, str(e)) from None
    # deserialize validated the header, so its length and JSON are sound.
    (size,) = struct.unpack("<Q", data[:8])
    metadata = json.loads(bytes(data[8 : 8 + size])).get("__metadata__") or {}
    entries, crc = [], 0
    for name in sorted(items):
        info = items[name]
        raw = info["data"]
        if crc_check:
            crc = binascii.crc32(name.encode("utf-8"), crc)
            crc = binascii.crc32(raw, crc)
        if keep is not None and not keep(name):
            continue
        if name in metadata:
            raise _corrupt(path, f"tensor '{name}' is stored as {metadata[name]!r}, not supported")
        shape = tuple(info["shape"])
        if info["dtype"] == "BF16":  # read as float32, which holds every bfloat16 exactly
            arr = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif info["dtype"] in DTYPES:
            dt = DTYPES[info["dtype"]]
            if dt.kind == "b":
                arr = np.frombuffer(raw, np.uint8) != 0
            else:
                arr = np.frombuffer(raw, dt).astype(dt.newbyteorder("="), copy=False)
        else:
            raise _corrupt(path, f"tensor '{name}' has dtype {info['dtype']}, not supported")
        if arr.size != math.prod(shape):
            raise _corrupt(path, f"tensor '{name}' has shape {list(shape)} but {arr.size} values")
        entries.append((name, arr.reshape(shape)))
    if crc_check:
        if "crc_num" not in metadata:
            warnings.warn(f"For 'load_checkpoint', '{path}' has no CRC code to check", stacklevel=3)
        elif str(crc) != metadata["crc_num"]:
            raise ValueError(
                f"For 'load_checkpoint', the CRC check of '{path}' failed: the file is damaged"
            )
    return entries
