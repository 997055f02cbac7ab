"""Raw checkpoint bytes for the tests: hand-made records and safetensors files."""

import json
import struct

from minispore.train import _ckpt_format


def record(tag, dims, tensor_type, content):
    """One serialized `.ckpt` record, built with the runtime message classes."""
    Checkpoint, _ = _ckpt_format.messages()
    msg = Checkpoint()
    v = msg.value.add()
    v.tag = tag
    v.tensor.dims.extend(dims)
    v.tensor.tensor_type = tensor_type
    v.tensor.tensor_content = content
    return msg.SerializeToString()


def safetensors_bytes(header, data=b""):
    """A safetensors file from a header dict and the data section, padded as the format says."""
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data
