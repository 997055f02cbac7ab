"""`save_checkpoint`, `load_checkpoint` and `load_param_into_net`, as in MindSpore 2.10 (layer 5).

Files are MindSpore's own: the protobuf `.ckpt` format (`_ckpt_format.py`) or safetensors laid
out as MindSpore writes it (`_safetensors_format.py`), so weights move both ways. protobuf and
safetensors (and the format modules) are imported only when a checkpoint is read or written,
which keeps `import minispore` fast.
"""

from __future__ import annotations

import io

import numpy as np

from minispore import dtype as mstype
from minispore.nn.cell import Cell
from minispore.parameter import Parameter
from minispore.tensor import Tensor

_SAVE_KWARGS = ("incremental", "global_step_num", "remove_redundancy")
_FLOATS = {np.dtype(t) for t in (np.float16, np.float32, np.float64)}
_INTS = {np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)}


def _check_bool(value, op, arg):
    if not isinstance(value, bool):
        raise TypeError(f"For '{op}', the argument '{arg}' must be a bool, but got {value!r}")
    return value


def _refuse_encryption(key, op, arg):
    if key is not None and not isinstance(key, bytes):
        raise TypeError(f"For '{op}', the argument '{arg}' must be None or bytes, but got {key!r}")
    if key is not None:
        raise NotImplementedError(
            f"For '{op}', encrypted checkpoints ('{arg}') are not supported by minispore"
        )


def _array(data, op, name):
    """The concrete ndarray of a Tensor/Parameter/ndarray, with a dtype a checkpoint can hold."""
    from minispore.train._ckpt_format import NAME_OF

    a = np.asarray(data._concrete()) if isinstance(data, Tensor) else np.asarray(data)
    if a.dtype.newbyteorder("=") not in NAME_OF:
        raise TypeError(f"For '{op}', '{name}' has dtype {a.dtype}, which MindSpore cannot store")
    return a


def _entries_of(save_obj, choice_func):
    """(name, ndarray or str) pairs of a Cell, a list or a dict, in MindSpore's order."""
    op = "save_checkpoint"
    chosen = (lambda name: True) if choice_func is None else choice_func
    out = []
    if isinstance(save_obj, Cell):
        for _, p in save_obj.parameters_and_names():
            if chosen(p.name):
                out.append((p.name, _array(p, op, p.name)))
    elif isinstance(save_obj, list):
        as_dicts = bool(save_obj) and isinstance(save_obj[0], dict)
        for i, item in enumerate(save_obj):
            if as_dicts:
                if not (isinstance(item, dict) and "name" in item and "data" in item):
                    raise TypeError(
                        f"For '{op}', a list 'save_obj' holds dicts with keys 'name' and 'data', "
                        f"but item {i} is {item!r}"
                    )
                name, data = item["name"], item["data"]
                if not isinstance(name, str):
                    raise TypeError(
                        f"For '{op}', item {i} of 'save_obj' has a name of type "
                        f"{type(name).__name__}; names must be str"
                    )
                if not isinstance(data, Tensor):
                    raise TypeError(
                        f"For '{op}', the data of '{name}' must be a Tensor or Parameter, but got "
                        f"{type(data).__name__}"
                    )
            elif isinstance(item, Parameter):
                name, data = item.name, item
            else:
                raise TypeError(
                    f"For '{op}', a list 'save_obj' holds Parameters (or name/data dicts), but "
                    f"item {i} is a {type(item).__name__}"
                )
            if chosen(name):
                out.append((name, _array(data, op, name)))
    elif isinstance(save_obj, dict):
        for name, data in save_obj.items():
            if not isinstance(name, str):
                raise TypeError(f"For '{op}', the keys of a dict 'save_obj' must be str: {name!r}")
            if not isinstance(data, (Tensor, np.ndarray, str)):
                raise TypeError(
                    f"For '{op}', the value of '{name}' must be a Parameter, Tensor, numpy array "
                    f"or str, but got {type(data).__name__}"
                )
            if chosen(name):
                out.append((name, data if isinstance(data, str) else _array(data, op, name)))
    else:
        raise TypeError(
            f"For '{op}', the argument 'save_obj' must be a Cell, list or dict, but got "
            f"{type(save_obj).__name__}"
        )
    return out


def _append_entries(append_dict):
    """append_dict values as MindSpore stores them: int -> Int64, float -> Float32, bool -> Bool
    (all 0-d), str as a string, Tensors as they are."""
    op = "save_checkpoint"
    if append_dict is None:
        return []
    if not isinstance(append_dict, dict):
        raise TypeError(
            f"For '{op}', the argument 'append_dict' must be a dict, but got "
            f"{type(append_dict).__name__}"
        )
    out = []
    for name, v in append_dict.items():
        if not isinstance(name, str):
            raise TypeError(f"For '{op}', the keys of 'append_dict' must be str, but got {name!r}")
        if isinstance(v, (str, Tensor)):
            out.append((name, v if isinstance(v, str) else _array(v, op, name)))
        elif isinstance(v, np.generic) and isinstance(v, float):  # np.float64 is a float
            out.append((name, np.asarray(v)))
        elif isinstance(v, bool):
            out.append((name, np.array(v)))
        elif isinstance(v, int):
            if not -(2**63) <= v < 2**63:
                raise ValueError(f"For '{op}', append_dict['{name}'] = {v} does not fit in Int64")
            out.append((name, np.array(v, np.int64)))
        elif isinstance(v, float):
            out.append((name, np.array(v, np.float32)))
        else:
            raise TypeError(
                f"For '{op}', the values of 'append_dict' must be int, float, bool, str, Tensor "
                f"or Parameter, but '{name}' is a {type(v).__name__}"
            )
    return out


def save_checkpoint(
    save_obj,
    ckpt_file_name,
    integrated_save=True,
    async_save=False,
    append_dict=None,
    enc_key=None,
    enc_mode="AES-GCM",
    choice_func=None,
    crc_check=False,
    format="ckpt",
    **kwargs,
):
    """Save parameters to a checkpoint file that MindSpore 2.10 reads.

    The file is written to a temporary file in the same directory, flushed and fsynced, then
    moved onto `ckpt_file_name`: an error or a crash mid-save leaves the previous file intact.
    As in MindSpore, ``.ckpt`` (or ``.safetensors``) is appended unless the name already ends
    with the format, and the finished file is read-only for its owner.

    Args:
        save_obj: a `Cell` (all its parameters, under `param.name`), a list of Parameters, a
            list of ``{"name": str, "data": Tensor}`` dicts, or a dict name -> Parameter, Tensor,
            numpy array or str (such as `load_checkpoint`'s result).
        ckpt_file_name: the file name (str or path-like).
        integrated_save: accepted for compatibility (it concerns model parallelism).
        async_save: must be False: asynchronous saving is not supported.
        append_dict: extra entries: int (saved as a 0-d Int64), float (0-d Float32), bool,
            str (``.ckpt`` only), Tensor or Parameter.
        enc_key, enc_mode: encryption is not supported; `enc_key` must be None.
        choice_func: ``choice_func(name) -> bool`` selects the parameters of `save_obj` to save
            (not those of `append_dict`).
        crc_check: append a CRC32 of the content, which `load_checkpoint(crc_check=True)`
            verifies. It detects accidents, not tampering.
        format: ``"ckpt"`` or ``"safetensors"``.
        **kwargs: ``remove_redundancy`` (bool, recorded in safetensors metadata);
            ``incremental`` and ``global_step_num`` are accepted and ignored.

    Raises:
        TypeError, ValueError: bad arguments, duplicate names (MindSpore silently keeps the
            last one), or values a checkpoint cannot hold.
        NotImplementedError: `async_save` or `enc_key` given.

    Example:
        >>> net = nn.Dense(3, 2)
        >>> save_checkpoint(net, "dense.ckpt", append_dict={"epoch_num": 3})
        >>> sorted(load_checkpoint("dense.ckpt"))
        ['bias', 'epoch_num', 'weight']
    """
    from minispore.train import _ckpt_format, _files, _safetensors_format

    op = "save_checkpoint"
    _files.check_format(format, op)
    if not isinstance(save_obj, (Cell, list, dict)):
        raise TypeError(
            f"For '{op}', the argument 'save_obj' must be a Cell, list or dict, but got "
            f"{type(save_obj).__name__}"
        )
    path = _files.save_path(ckpt_file_name, format)
    _check_bool(integrated_save, op, "integrated_save")
    if not isinstance(async_save, (bool, str)):
        raise TypeError(
            f"For '{op}', the argument 'async_save' must be a bool or str, but got {async_save!r}"
        )
    if isinstance(async_save, str) and async_save not in ("process", "thread"):
        raise ValueError(
            f"For '{op}', the argument 'async_save' may be 'process' or 'thread', but got "
            f"{async_save!r}"
        )
    if async_save:
        raise NotImplementedError(
            f"For '{op}', async_save={async_save!r} is not supported by minispore; the checkpoint "
            "is written synchronously with async_save=False"
        )
    _refuse_encryption(enc_key, op, "enc_key")
    if not isinstance(enc_mode, str):
        raise TypeError(f"For '{op}', the argument 'enc_mode' must be a str, but got {enc_mode!r}")
    _check_bool(crc_check, op, "crc_check")
    unknown = sorted(set(kwargs) - set(_SAVE_KWARGS))
    if unknown:
        raise TypeError(f"For '{op}', unexpected keyword arguments {unknown}")
    remove_redundancy = kwargs.get("remove_redundancy")
    if remove_redundancy is not None:
        _check_bool(remove_redundancy, op, "remove_redundancy")

    entries = _entries_of(save_obj, choice_func) + _append_entries(append_dict)
    seen = set()
    for name, _ in entries:
        if name in seen:
            raise ValueError(
                f"For '{op}', the name '{name}' appears twice (in 'save_obj' or 'append_dict'); "
                "checkpoint names must be unique"
            )
        seen.add(name)

    # Fail on a missing protobuf/safetensors package before touching any file.
    if format == "ckpt":
        _ckpt_format.messages()
        _files.atomic_write(path, lambda f: _ckpt_format.write(f, entries, crc_check))
    else:
        _safetensors_format.package("save_checkpoint")
        _files.atomic_write(
            path, lambda f: _safetensors_format.write(f, entries, crc_check, remove_redundancy)
        )


def _check_prefix(prefix, arg):
    op = "load_checkpoint"
    if prefix is None:
        return None
    if isinstance(prefix, str):
        prefix = (prefix,)
    if not isinstance(prefix, (list, tuple)):
        raise TypeError(
            f"For '{op}', the argument '{arg}' must be a str, or a list or tuple of str, but got "
            f"{type(prefix).__name__}"
        )
    if not prefix:
        raise ValueError(f"For '{op}', the argument '{arg}' must not be an empty list or tuple")
    for i, p in enumerate(prefix):
        if not isinstance(p, str):
            raise TypeError(f"For '{op}', item {i} of '{arg}' must be a str, but got {p!r}")
        if p == "":
            raise ValueError(f"For '{op}', the argument '{arg}' must not contain ''")
    return tuple(prefix)


def _selector(specify_prefix, filter_prefix, choice_func):
    """MindSpore's selection: the prefixes, when given, override `choice_func`."""
    if specify_prefix is None and filter_prefix is None:
        return choice_func

    def keep(name):
        if specify_prefix and not name.startswith(specify_prefix):
            return False
        return not (filter_prefix and name.startswith(filter_prefix))

    return keep


def load_checkpoint(
    ckpt_file_name,
    net=None,
    strict_load=False,
    filter_prefix=None,
    dec_key=None,
    dec_mode="AES-GCM",
    specify_prefix=None,
    choice_func=None,
    crc_check=False,
    remove_redundancy=False,
    format="ckpt",
):
    """Load a MindSpore checkpoint file: a dict name -> Parameter (or str for saved strings).

    Untrusted files are safe to read: nothing is unpickled or executed, every tensor's dims must
    account for exactly its bytes before an array is built, memory stays proportional to the
    file, and any malformed file raises ValueError naming it.

    Args:
        ckpt_file_name: the file (str or path-like; an `io.BytesIO` for safetensors). Its name
            must end with the format (``ckpt`` or ``safetensors``).
        net: if given, the parameters are also loaded into it with `load_param_into_net`.
        strict_load: passed to `load_param_into_net`.
        filter_prefix: names starting with it (a str or a list/tuple of str) are skipped.
        dec_key, dec_mode: decryption is not supported; `dec_key` must be None.
        specify_prefix: only names starting with it are loaded. Either prefix overrides
            `choice_func`.
        choice_func: ``choice_func(name) -> bool`` selects the entries to load.
        crc_check: verify the CRC32 written by ``save_checkpoint(crc_check=True)`` (a warning if
            the file has none).
        remove_redundancy: must be False outside model parallelism.
        format: ``"ckpt"`` or ``"safetensors"``.

    Returns:
        dict: name -> `Parameter` named after its entry, in file order (sorted for
        safetensors); strings saved through `append_dict` come back as str. A BFloat16 tensor is
        read as float32 (exactly), since NumPy has no bfloat16.

    Raises:
        ValueError: a missing or malformed file, a failed CRC check, or nothing left to load.

    Note:
        Unlike MindSpore 2.10, `filter_prefix` and `specify_prefix` also apply to safetensors
        files, and Parameters loaded from safetensors are named after their entries.
    """
    from minispore.train import _ckpt_format, _files, _safetensors_format

    op = "load_checkpoint"
    specify_prefix = _check_prefix(specify_prefix, "specify_prefix")
    filter_prefix = _check_prefix(filter_prefix, "filter_prefix")
    _refuse_encryption(dec_key, op, "dec_key")
    if not isinstance(dec_mode, str):
        raise TypeError(f"For '{op}', the argument 'dec_mode' must be a str, but got {dec_mode!r}")
    _check_bool(crc_check, op, "crc_check")
    _check_bool(remove_redundancy, op, "remove_redundancy")
    _files.check_format(format, op)
    keep = _selector(specify_prefix, filter_prefix, choice_func)
    path = "<BytesIO>"
    if format == "safetensors" and isinstance(ckpt_file_name, io.BytesIO):
        entries = _safetensors_format.read(ckpt_file_name.getvalue(), path, crc_check, keep)
    else:
        path = _files.load_path(ckpt_file_name, format)
        if format == "ckpt":
            entries = _ckpt_format.read(path, crc_check, keep)
        else:
            with open(path, "rb") as f:
                data = f.read()
            entries = _safetensors_format.read(data, path, crc_check, keep)
    result = {name: v if isinstance(v, str) else Parameter(v, name=name) for name, v in entries}
    if not result:
        raise ValueError(
            f"For '{op}', nothing was loaded from {path!r}: the file is empty, or "
            "'filter_prefix', 'specify_prefix' or 'choice_func' excluded every entry"
        )
    if net is not None:
        load_param_into_net(net, result, strict_load, remove_redundancy)
    return result


def _fit(param, new, strict_load):
    """`new`'s data as an array for `param`: same shape, and in param's dtype when allowed."""
    op = "load_param_into_net"
    src = np.asarray(new._concrete())
    shape = param.shape
    if src.shape != shape:
        # NOTE: as MindSpore, extra trailing dimensions of size 1 are dropped ((2, 3, 1, 1) fits
        # (2, 3)); minispore also requires the leading dimensions to agree.
        n = len(shape)
        if src.ndim > n and src.shape[:n] == shape and all(d == 1 for d in src.shape[n:]):
            src = src.reshape(shape)
        else:
            raise RuntimeError(
                f"For '{op}', the shape of '{param.name}' in the net is {shape}, but in "
                f"'parameter_dict' it is {src.shape}; check that the checkpoint belongs to this net"
            )
    dst = param._concrete().dtype
    if src.dtype == dst:
        return np.array(src, copy=True)
    same_kind = {src.dtype, dst} <= _FLOATS or {src.dtype, dst} <= _INTS
    if strict_load or not same_kind:
        raise RuntimeError(
            f"For '{op}', the dtype of '{param.name}' in the net is "
            f"{mstype.from_numpy_dtype(dst)}, but in 'parameter_dict' it is "
            f"{mstype.from_numpy_dtype(src.dtype)}"
            + (
                "; strict_load=True allows no conversion"
                if same_kind
                else "; only float<->float and int<->int are converted (without strict_load)"
            )
        )
    if dst in _INTS and src.size:
        info = np.iinfo(dst)
        lo, hi = int(src.min()), int(src.max())
        if lo < info.min or hi > info.max:
            # NOTE: MindSpore wraps such values around silently; minispore refuses.
            raise RuntimeError(
                f"For '{op}', '{param.name}' holds values in [{lo}, {hi}], which do not fit "
                f"the net's {mstype.from_numpy_dtype(dst)}"
            )
    with np.errstate(over="ignore"):  # float64 -> float16 overflows to inf, as in MindSpore
        return src.astype(dst)


def load_param_into_net(net, parameter_dict, strict_load=False, remove_redundancy=False):
    """Copy the parameters of `parameter_dict` into `net`'s parameters of the same names.

    Every value is checked before any parameter changes, so a shape or dtype error leaves `net`
    as it was. Without `strict_load`, float data is converted to the net's float dtype and int
    data to its int dtype, and checkpoint names with an extra prefix (``"net.fc.weight"`` for
    ``"fc.weight"``) still load, as in MindSpore.

    Args:
        net: the `Cell` to load into.
        parameter_dict: name -> Parameter (strings, as `load_checkpoint` returns for
            `append_dict` strings, are skipped).
        strict_load: no dtype conversion and no prefix matching.
        remove_redundancy: must be False outside model parallelism.

    Returns:
        tuple: ``(param_not_load, ckpt_not_load)``, the names of the net's parameters that got
        nothing, and the names in `parameter_dict` that were not used.

    Raises:
        TypeError: `net` is not a Cell, `parameter_dict` is not a dict of str -> Parameter/str.
        RuntimeError: a shape or dtype that cannot be loaded (MindSpore's error type).

    Note:
        Unlike MindSpore 2.10, names loaded through prefix matching are not reported in
        `ckpt_not_load`, and a net parameter whose entry is a string is reported in
        `param_not_load` (MindSpore reports it nowhere).
    """
    op = "load_param_into_net"
    if not isinstance(net, Cell):
        raise TypeError(
            f"For '{op}', the argument 'net' must be a Cell, but got {type(net).__name__}"
        )
    if not isinstance(parameter_dict, dict):
        raise TypeError(
            f"For '{op}', the argument 'parameter_dict' must be a dict, but got "
            f"{type(parameter_dict).__name__}"
        )
    for key, value in parameter_dict.items():
        if not isinstance(key, str) or not isinstance(value, (Parameter, str)):
            raise TypeError(
                f"For '{op}', 'parameter_dict' must map str to Parameter (or str), but "
                f"{key!r} maps to a {type(value).__name__}"
                + (" (wrap it in Parameter(...))" if isinstance(value, Tensor) else "")
            )
    _check_bool(strict_load, op, "strict_load")
    _check_bool(remove_redundancy, op, "remove_redundancy")
    if remove_redundancy:
        raise TypeError(
            f"For '{op}', remove_redundancy=True applies to model parallelism only, which "
            "minispore does not have"
        )

    params = [p for _, p in net.parameters_and_names()]
    plan, used, not_loaded = [], set(), []
    for p in params:
        new = parameter_dict.get(p.name)
        if isinstance(new, Parameter):
            plan.append((p, _fit(p, new, strict_load)))
            used.add(p.name)
        else:
            not_loaded.append(p.name)

    # MindSpore's fallback: find a checkpoint name that ends with a missing parameter's name,
    # take what precedes it as a prefix, and load every missing parameter under that prefix.
    while not_loaded and not strict_load:
        prefix = next(
            (
                key[: -len(name)]
                for name in not_loaded
                for key, v in parameter_dict.items()
                if key != name and key.endswith(name) and isinstance(v, Parameter)
            ),
            None,
        )
        if prefix is None:
            break
        matched = [
            p
            for p in params
            if p.name in not_loaded and isinstance(parameter_dict.get(prefix + p.name), Parameter)
        ]
        for p in matched:
            plan.append((p, _fit(p, parameter_dict[prefix + p.name], strict_load)))
            used.add(prefix + p.name)
            not_loaded.remove(p.name)

    for p, value in plan:
        p._value = value
    return not_loaded, [key for key in parameter_dict if key not in used]
