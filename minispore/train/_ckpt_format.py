"""MindSpore's `.ckpt` format: protobuf records read and written without generated code (layer 5).

A `.ckpt` file is a serialized `Checkpoint` message, `repeated Value value = 1`, where each
`Value` holds a tag (the parameter name) and a `TensorProto` (dims, a dtype name such as
``"Float32"``, and the raw little-endian C-order bytes). MindSpore writes one `Checkpoint` per
record and concatenates them, which is the same byte stream; a tensor above 512 MiB is split
into consecutive records with the same tag. A CRC trailer (``b"crc_num"`` and ten big-endian
bytes) may follow. The reader walks the top-level records itself, so each record is checked
against the bytes left in the file before anything is allocated, and every tensor's dims must
account for exactly its bytes before an array is built.
"""

from __future__ import annotations

import binascii
import functools
import os
import warnings

import numpy as np

# MindSpore's dtype names (str(mindspore.float32) == "Float32") and their little-endian storage.
DTYPES = {
    "Bool": np.dtype(np.bool_),
    "Int8": np.dtype("i1"),
    "Int16": np.dtype("<i2"),
    "Int32": np.dtype("<i4"),
    "Int64": np.dtype("<i8"),
    "UInt8": np.dtype("u1"),
    "UInt16": np.dtype("<u2"),
    "UInt32": np.dtype("<u4"),
    "UInt64": np.dtype("<u8"),
    "Float16": np.dtype("<f2"),
    "Float32": np.dtype("<f4"),
    "Float64": np.dtype("<f8"),
    "Complex64": np.dtype("<c8"),
    "Complex128": np.dtype("<c16"),
}
NAME_OF = {dt.newbyteorder("="): name for name, dt in DTYPES.items()}
# NOTE: NumPy has no bfloat16; BFloat16 tensors are read as float32, which holds every bfloat16
# value exactly (a bfloat16 is the top half of a float32).
BFLOAT16 = "BFloat16"
STRING = "str"
CRC_MARK = b"crc_num"
CRC_TRAILER = len(CRC_MARK) + 10
CHUNK_BYTES = 512 * 1024 * 1024  # MindSpore's SLICE_SIZE (512 * 1024 KiB) per record
MAX_RANK = 32

_INSTALL = "pip install 'minispore[checkpoint]' (or: pip install protobuf)"


@functools.lru_cache(maxsize=1)
def messages():
    """The `Checkpoint` and `Checkpoint.Value` classes, built from a descriptor at run time.

    The descriptor mirrors MindSpore's `checkpoint.proto` (proto2, so `dims` is not packed and
    the bytes match MindSpore's). It lives in a private pool so it never clashes with another
    copy of the same file, such as MindSpore's generated `checkpoint_pb2`.
    """
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError as e:
        raise ImportError(
            f"MindSpore '.ckpt' checkpoints need the 'protobuf' package: {_INSTALL}"
        ) from e
    F = descriptor_pb2.FieldDescriptorProto
    fd = descriptor_pb2.FileDescriptorProto(name="minispore_checkpoint.proto", syntax="proto2")

    def field(msg, name, number, label, ftype, type_name=None, oneof=None):
        f = msg.field.add(name=name, number=number, label=label, type=ftype)
        if type_name:
            f.type_name = type_name
        if oneof is not None:
            f.oneof_index = oneof

    ckpt = fd.message_type.add(name="Checkpoint")
    field(ckpt, "value", 1, F.LABEL_REPEATED, F.TYPE_MESSAGE, ".Checkpoint.Value")
    value = ckpt.nested_type.add(name="Value")
    value.oneof_decl.add(name="value")
    field(value, "tag", 1, F.LABEL_REQUIRED, F.TYPE_STRING)
    field(value, "tensor", 2, F.LABEL_OPTIONAL, F.TYPE_MESSAGE, ".TensorProto", oneof=0)
    field(value, "maptensor", 3, F.LABEL_OPTIONAL, F.TYPE_MESSAGE, ".MapTensorProto", oneof=0)
    tensor = fd.message_type.add(name="TensorProto")
    field(tensor, "dims", 1, F.LABEL_REPEATED, F.TYPE_INT64)
    field(tensor, "tensor_type", 2, F.LABEL_REQUIRED, F.TYPE_STRING)
    field(tensor, "tensor_content", 3, F.LABEL_REQUIRED, F.TYPE_BYTES)
    maptensor = fd.message_type.add(name="MapTensorProto")
    field(maptensor, "tensor", 1, F.LABEL_REPEATED, F.TYPE_MESSAGE, ".TensorProto")

    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("Checkpoint"))
    return cls, cls.Value


# ---- writing ---------------------------------------------------------------------------------


def string_bytes(s: str) -> bytes:
    """MindSpore's encoding of a string (`np.array(s).tobytes()`): UTF-32-LE, at least one char."""
    return s.encode("utf-32-le") if s else b"\0\0\0\0"


def records(name: str, value, chunk_bytes: int | None = None):
    """The serialized records of one entry (an ndarray or a str), as MindSpore writes them."""
    Checkpoint, _ = messages()
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    if isinstance(value, str):
        dims, ttype, content = [0], STRING, string_bytes(value)
    else:
        ttype = NAME_OF[value.dtype.newbyteorder("=")]
        dims = list(value.shape)
        content = np.asarray(value, DTYPES[ttype]).tobytes()
    # NOTE: MindSpore writes no record at all for a tensor with no elements (it is silently
    # lost); minispore writes one record with empty content so the tensor survives.
    for start in range(0, max(len(content), 1), chunk_bytes):
        msg = Checkpoint()
        v = msg.value.add()
        v.tag = name
        v.tensor.dims.extend(dims)
        v.tensor.tensor_type = ttype
        v.tensor.tensor_content = content[start : start + chunk_bytes]
        yield msg.SerializeToString()


def write(f, entries, crc_check: bool = False, chunk_bytes: int | None = None) -> None:
    """Write `entries` ((name, ndarray or str) pairs) to the binary file `f`."""
    crc = 0
    for name, value in entries:
        for rec in records(name, value, chunk_bytes):
            if crc_check:
                crc = binascii.crc32(rec, crc)
            f.write(rec)
    if crc_check:
        f.write(CRC_MARK + crc.to_bytes(10, "big"))


# ---- reading ---------------------------------------------------------------------------------


def _corrupt(path, detail):
    if len(detail) > 400:  # names and dtypes come from the file: keep messages readable
        detail = detail[:400] + "..."
    return ValueError(
        f"For 'load_checkpoint', the checkpoint file '{path}' is corrupted or is not a MindSpore "
        f"checkpoint: {detail}"
    )


class _Records:
    """Reads the top-level `Checkpoint.value` records of a file, never past `end`."""

    def __init__(self, f, path, end):
        self.f, self.path, self.end, self.pos = f, path, end, 0

    def _varint(self):
        start, result, shift = self.pos, 0, 0
        while True:
            if self.pos >= self.end:
                raise _corrupt(self.path, f"the file ends inside a length field at byte {start}")
            b = self.f.read(1)[0]
            self.pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift >= 64:
                raise _corrupt(self.path, f"an over-long length field at byte {start}")

    def __iter__(self):
        index = 0
        while self.pos < self.end:
            start = self.pos
            key = self._varint()
            if key != 0x0A:  # field 1, length-delimited: the only top-level field
                raise _corrupt(
                    self.path, f"unexpected data at byte {start} (field key {key}, not a record)"
                )
            length = self._varint()
            if length > self.end - self.pos:
                raise _corrupt(
                    self.path,
                    f"record {index} at byte {start} claims {length} bytes but only "
                    f"{self.end - self.pos} remain (is the file truncated?)",
                )
            body = self.f.read(length)
            if len(body) != length:
                raise _corrupt(self.path, f"record {index} at byte {start} is cut short")
            self.pos += length
            yield index, start, body
            index += 1


def _crc_of(f, end):
    f.seek(0)
    crc, left = 0, end
    while left:
        block = f.read(min(left, 1 << 20))
        crc = binascii.crc32(block, crc)
        left -= len(block)
    return crc


def _shape(path, tag, ttype, dims, nbytes, itemsize):
    """Check that `dims` describe exactly `nbytes` bytes; return the shape."""
    if len(dims) > MAX_RANK:
        raise _corrupt(path, f"tensor '{tag}' has {len(dims)} dimensions (at most {MAX_RANK})")
    if any(d < 0 for d in dims):
        raise _corrupt(path, f"tensor '{tag}' has negative dims {dims}")
    # NOTE: MindSpore reads dims [0] as a 0-d tensor (older versions wrote scalars that way); an
    # empty content keeps it a shape-(0,) tensor.
    if dims == [0] and nbytes == itemsize:
        return ()
    need, cut_short = (0 if 0 in dims else itemsize), False
    for i, d in enumerate(dims):
        need *= d
        if need > nbytes and i < len(dims) - 1:  # a hostile dims product can be astronomical
            cut_short = True
            break
    if need != nbytes:
        shown = dims if len(dims) <= 8 else f"{dims[:8]}..."
        raise _corrupt(
            path,
            f"tensor '{tag}' ({ttype}, dims {shown}) needs {'more than ' if cut_short else ''}"
            f"{need} bytes of data but holds {nbytes}",
        )
    return tuple(dims)


def _decode(path, tag, ttype, dims, content):
    if ttype == STRING:
        if len(content) % 4:
            raise _corrupt(path, f"string '{tag}' holds {len(content)} bytes, not UTF-32 text")
        try:
            return content.decode("utf-32-le").rstrip("\0")
        except UnicodeDecodeError as e:
            raise _corrupt(path, f"string '{tag}' is not valid UTF-32 ({e.reason})") from None
    if ttype == BFLOAT16:
        shape = _shape(path, tag, ttype, dims, len(content), 2)
        halves = np.frombuffer(content, "<u2").astype(np.uint32) << 16
        return halves.view(np.float32).reshape(shape)
    dt = DTYPES.get(ttype)
    if dt is None:
        known = ", ".join([*DTYPES, BFLOAT16, STRING])
        raise _corrupt(path, f"tensor '{tag}' has unknown dtype {ttype!r} (known: {known})")
    shape = _shape(path, tag, ttype, dims, len(content), dt.itemsize)
    if dt.kind == "b":  # any nonzero byte is True; never build a bool array from raw bytes
        return (np.frombuffer(content, np.uint8) != 0).reshape(shape)
    return np.frombuffer(content, dt).astype(dt.newbyteorder("="), copy=False).reshape(shape)


def read(path: str, crc_check: bool = False, keep=None):
    """The entries of the `.ckpt` file `path`: a list of (name, ndarray or str).

    `keep(name)` selects which entries to decode; every record is validated regardless.
    Raises ValueError, naming the file, for anything that is not a well-formed checkpoint.
    """
    _, Value = messages()
    size = os.path.getsize(path)
    entries = []
    seen = set()
    with open(path, "rb") as f:
        end = size
        if size >= CRC_TRAILER:
            f.seek(size - CRC_TRAILER)
            tail = f.read(CRC_TRAILER)
            if tail[: len(CRC_MARK)] == CRC_MARK:
                end = size - CRC_TRAILER
                if crc_check and _crc_of(f, end) != int.from_bytes(tail[len(CRC_MARK) :], "big"):
                    raise ValueError(
                        f"For 'load_checkpoint', the CRC check of '{path}' failed: the file is "
                        "damaged"
                    )
        if crc_check and end == size:
            warnings.warn(f"For 'load_checkpoint', '{path}' has no CRC code to check", stacklevel=3)
        f.seek(0)
        pending = None  # [tag, ttype, dims, chunks]: consecutive records of one tensor

        def finish():
            tag, ttype, dims, chunks = pending
            content = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            if keep is None or keep(tag):
                entries.append((tag, _decode(path, tag, ttype, dims, content)))
            elif ttype in DTYPES:  # check what is skipped too, without building it
                _shape(path, tag, ttype, dims, len(content), DTYPES[ttype].itemsize)

        for index, start, body in _Records(f, path, end):
            try:
                v = Value.FromString(body)
            except Exception as e:  # protobuf's DecodeError, or anything its parser raises
                raise _corrupt(
                    path, f"record {index} at byte {start} cannot be parsed ({e})"
                ) from None
            if not isinstance(v.tag, str):  # protobuf leaves invalid UTF-8 as bytes in proto2
                raise _corrupt(path, f"record {index} at byte {start} has a name that is not UTF-8")
            kind = v.WhichOneof("value")
            if kind != "tensor":
                what = "a map tensor (MapParameter)" if kind else "no tensor"
                raise _corrupt(path, f"record {index} ('{v.tag}') holds {what}, not supported")
            t = v.tensor
            dims = list(t.dims)
            if pending is not None and pending[0] == v.tag:
                if pending[1] != t.tensor_type or pending[2] != dims:
                    raise _corrupt(
                        path,
                        f"the records of '{v.tag}' disagree on dtype or dims "
                        f"({pending[1]} {pending[2]} vs {t.tensor_type} {dims})",
                    )
                pending[3].append(t.tensor_content)
                continue
            if pending is not None:
                finish()
            if v.tag in seen:
                raise _corrupt(path, f"the name '{v.tag}' appears twice (record {index})")
            seen.add(v.tag)
            pending = [v.tag, t.tensor_type, dims, [t.tensor_content]]
        if pending is not None:
            finish()
    return entries
