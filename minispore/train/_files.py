"""Checkpoint file names and crash-safe writes (layer 5)."""

from __future__ import annotations

import os
import stat
import tempfile

FORMATS = ("ckpt", "safetensors")


def check_format(fmt, op):
    if fmt not in FORMATS:
        raise ValueError(f"For '{op}', the format must be 'ckpt' or 'safetensors', but got {fmt!r}")


def path_arg(name, op, arg="ckpt_file_name"):
    """`name` as a str path (str or os.PathLike accepted); TypeError otherwise."""
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if not isinstance(name, str):
        raise TypeError(
            f"For '{op}', the argument '{arg}' must be a str (a file name), but got "
            f"{type(name).__name__}"
        )
    return name


def save_path(name, fmt):
    """The real path `save_checkpoint` writes: MindSpore appends `.<format>` unless the name
    already ends with `<format>` (so ``"w.pt"`` becomes ``"w.pt.ckpt"`` but ``"wckpt"`` stays)."""
    path = os.path.realpath(path_arg(name, "save_checkpoint"))
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"For 'save_checkpoint', the argument 'ckpt_file_name' {path!r} is a directory; it "
            "must be a file name"
        )
    if not path.endswith(fmt):
        path += f".{fmt}"
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"For 'save_checkpoint', the directory {directory!r} of {path!r} does not exist"
        )
    return path


def load_path(name, fmt):
    """The real path `load_checkpoint` reads; ValueError if the suffix or the file is wrong."""
    name = path_arg(name, "load_checkpoint")
    if not name.endswith(fmt):
        raise ValueError(
            f"For 'load_checkpoint', the checkpoint file name must end with the format, but got "
            f"file name {name!r} and format {fmt!r}"
        )
    path = os.path.realpath(name)
    if not os.path.isfile(path):
        what = "is not a file" if os.path.exists(path) else "does not exist"
        raise ValueError(f"For 'load_checkpoint', the checkpoint file {path!r} {what}")
    return path


def atomic_write(path, write_fn) -> None:
    """Run `write_fn(f)` on a temporary file next to `path`, then move it onto `path`.

    The data is flushed and fsynced before `os.replace`, so a crash or an exception mid-save
    leaves any previous file at `path` intact (and no temporary file behind). As MindSpore does,
    the finished file is made read-only for its owner.
    """
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            write_fn(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IRUSR)
        if os.name == "nt" and os.path.exists(path):  # Windows cannot replace a read-only file
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)


def _fsync_dir(directory):
    """Make the rename itself durable where the platform allows it (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
