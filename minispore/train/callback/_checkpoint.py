"""`CheckpointConfig` and `ModelCheckpoint`: save the network every few steps or seconds and
keep the newest files, named `{prefix}-{epoch}_{step}.ckpt` as MindSpore names them."""

from __future__ import annotations

import os
import time

from minispore.nn.cell import Cell
from minispore.parameter import Parameter
from minispore.tensor import Tensor
from minispore.train._checks import check_bool, check_int
from minispore.train.callback._callback import Callback
from minispore.train.serialization import save_checkpoint

_INFO_LIST = ("epoch_num", "step_num")


class CheckpointConfig:
    """When `ModelCheckpoint` saves and which files it keeps.

    Saving: every `save_checkpoint_steps` steps (counted over the run), or, when that is 0 or
    None, every `save_checkpoint_seconds` seconds; the last step is always saved when training
    ends. Keeping: the newest `keep_checkpoint_max` files, or, when that is 0 or None, one file
    per `keep_checkpoint_per_n_minutes` minutes.

    Args:
        save_checkpoint_steps (int): steps between saves (default 1).
        save_checkpoint_seconds (int): seconds between saves; ignored when steps are set.
        keep_checkpoint_max (int): files to keep (default 5).
        keep_checkpoint_per_n_minutes (int): keep one file per this many minutes; ignored when
            `keep_checkpoint_max` is set.
        integrated_save (bool): accepted for compatibility (model parallelism).
        async_save (bool or str): accepted; minispore always saves synchronously.
        saved_network (Cell): the network to save instead of the training network (whose
            parameters include the optimizer's state).
        append_info (list): 'epoch_num', 'step_num' (saved as the current values) and at most
            one dict `str -> int, float, bool, str, Tensor or Parameter`.
        enc_key, enc_mode: encryption is not supported; `enc_key` must be None.
        exception_save (bool): on an exception during training, save
            `{prefix}-{epoch}_{step}_breakpoint.ckpt` before re-raising.
        crc_check (bool): append a CRC32 (see `save_checkpoint`).
        remove_redundancy (bool): data-parallel deduplication; must be False (one process).
        format (str): 'ckpt' or 'safetensors'.

    Raises:
        TypeError, ValueError: bad arguments, e.g. all four save/keep numbers 0 or None.
        NotImplementedError: `enc_key` given.

    Example:
        >>> config = CheckpointConfig(save_checkpoint_steps=32, keep_checkpoint_max=10)
        >>> ckpt = ModelCheckpoint(prefix="LeNet5", directory="./checkpoint", config=config)
    """

    def __init__(
        self,
        save_checkpoint_steps=1,
        save_checkpoint_seconds=0,
        keep_checkpoint_max=5,
        keep_checkpoint_per_n_minutes=0,
        integrated_save=True,
        async_save=False,
        saved_network=None,
        append_info=None,
        enc_key=None,
        enc_mode="AES-GCM",
        exception_save=False,
        crc_check=False,
        remove_redundancy=False,
        format="ckpt",
        **kwargs,
    ):
        op = "CheckpointConfig"
        numbers = {
            "save_checkpoint_steps": save_checkpoint_steps,
            "save_checkpoint_seconds": save_checkpoint_seconds,
            "keep_checkpoint_max": keep_checkpoint_max,
            "keep_checkpoint_per_n_minutes": keep_checkpoint_per_n_minutes,
        }
        for arg, value in numbers.items():
            if value is not None:
                check_int(value, op, arg)
        if saved_network is not None and not isinstance(saved_network, Cell):
            raise TypeError(
                f"For '{op}', 'saved_network' must be None or a Cell, but got "
                f"{type(saved_network).__name__}"
            )
        if not any(numbers.values()):
            raise ValueError(
                f"For '{op}', the arguments 'save_checkpoint_steps', 'save_checkpoint_seconds', "
                "'keep_checkpoint_max' and 'keep_checkpoint_per_n_minutes' can't be all None or 0."
            )
        if enc_key is not None:
            if not isinstance(enc_key, bytes):
                raise TypeError(f"For '{op}', 'enc_key' must be None or bytes, but got {enc_key!r}")
            raise NotImplementedError(f"For '{op}', encrypted checkpoints are not supported")
        if not isinstance(enc_mode, str):
            raise TypeError(f"For '{op}', 'enc_mode' must be a str, but got {enc_mode!r}")
        if async_save not in (False, True, "thread", "process"):
            raise ValueError(
                f"For '{op}', 'async_save' must be a bool, 'thread' or 'process', but got "
                f"{async_save!r}"
            )
        if format not in ("ckpt", "safetensors"):
            raise ValueError(
                f"For '{op}', 'format' must be 'ckpt' or 'safetensors', but got {format!r}"
            )
        self.exception_save = check_bool(exception_save, op, "exception_save")
        self._save_checkpoint_steps = save_checkpoint_steps
        self._save_checkpoint_seconds = save_checkpoint_seconds
        if save_checkpoint_steps:
            self._save_checkpoint_seconds = None
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_per_n_minutes = keep_checkpoint_per_n_minutes
        if keep_checkpoint_max:
            self._keep_checkpoint_per_n_minutes = None
        elif not keep_checkpoint_per_n_minutes:
            self._keep_checkpoint_max = 1
        self._integrated_save = check_bool(integrated_save, op, "integrated_save")
        self._async_save = async_save
        self._saved_network = saved_network
        self._append_dict = self._handle_append_info(append_info)
        self._enc_key = enc_key
        self._enc_mode = enc_mode
        self._crc_check = check_bool(crc_check, op, "crc_check")
        self.remove_redundancy = check_bool(remove_redundancy, op, "remove_redundancy")
        self._format = format
        self._map_param_inc = kwargs.get("incremental", False)
        self.enable_redundance = kwargs.get("enable_redundance", False)

    save_checkpoint_steps = property(lambda self: self._save_checkpoint_steps)
    save_checkpoint_seconds = property(lambda self: self._save_checkpoint_seconds)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_per_n_minutes = property(lambda self: self._keep_checkpoint_per_n_minutes)
    integrated_save = property(lambda self: self._integrated_save)
    async_save = property(lambda self: self._async_save)
    saved_network = property(lambda self: self._saved_network)
    enc_key = property(lambda self: self._enc_key)
    enc_mode = property(lambda self: self._enc_mode)
    crc_check = property(lambda self: self._crc_check)
    format = property(lambda self: self._format)
    append_dict = property(lambda self: self._append_dict)
    map_param_inc = property(lambda self: self._map_param_inc)

    def get_checkpoint_policy(self):
        """The save and keep settings, as a dict."""
        return {
            "save_checkpoint_steps": self.save_checkpoint_steps,
            "save_checkpoint_seconds": self.save_checkpoint_seconds,
            "keep_checkpoint_max": self.keep_checkpoint_max,
            "keep_checkpoint_per_n_minutes": self.keep_checkpoint_per_n_minutes,
            "saved_network": self.saved_network,
        }

    @staticmethod
    def _handle_append_info(append_info):
        op = "CheckpointConfig"
        if append_info is None or append_info == []:
            return None
        if not isinstance(append_info, list):
            raise TypeError(
                f"For '{op}', 'append_info' must be a list, but got {type(append_info).__name__}"
            )
        out = {name: 0 for name in _INFO_LIST if name in append_info}
        dicts = 0
        for element in append_info:
            if isinstance(element, str):
                if element not in _INFO_LIST:
                    raise ValueError(
                        f"For '{op}', the str elements of 'append_info' must be in "
                        f"{list(_INFO_LIST)}, but got {element!r}"
                    )
            elif isinstance(element, dict):
                dicts += 1
                if dicts > 1:
                    raise TypeError(f"For '{op}', 'append_info' may hold only one dict")
                for key, value in element.items():
                    if not isinstance(key, str) or not isinstance(
                        value, (int, float, bool, str, Parameter, Tensor)
                    ):
                        raise TypeError(
                            f"For '{op}', the dict in 'append_info' maps str keys to int, float, "
                            f"bool, str, Tensor or Parameter, but got {key!r} -> "
                            f"{type(value).__name__}"
                        )
                    out[key] = value
            else:
                raise TypeError(
                    f"For '{op}', the elements of 'append_info' must be str or dict, but got "
                    f"{type(element).__name__}"
                )
        return out


class ModelCheckpoint(Callback):
    """Saves checkpoints during training, as `{directory}/{prefix}-{epoch}_{step}.ckpt`.

    `step` is counted within the epoch. When files of an earlier run with the same prefix are in
    the directory, the prefix becomes `{prefix}_1`, `{prefix}_2`, ... (so `CKP_1-1_32.ckpt`).
    The training network is saved by default, which includes the optimizer's state
    (`learning_rate`, `moments.*`, `global_step`).

    Args:
        prefix (str or Callable): the file name prefix (no '/'), or `prefix(cb_params) -> str`
            giving the whole name (then files are `{prefix}.ckpt` and no counter is added).
        directory (str or Callable): the folder (created if missing); default the current
            directory; or `directory(cb_params) -> str`.
        config (CheckpointConfig): when to save and what to keep; default `CheckpointConfig()`.

    Raises:
        ValueError: `prefix` contains '/' or is neither a str nor callable.
        TypeError: `config` is not a CheckpointConfig.

    Note:
        MindSpore writes no graph (`-graph.meta`) file in PyNative mode; neither does minispore.
        The default directory is the current directory when the callback is created (MindSpore:
        when mindspore was imported).

    Example:
        >>> config = CheckpointConfig(save_checkpoint_steps=steps_per_epoch)
        >>> ckpt_callback = ModelCheckpoint(prefix="mnist", directory="./checkpoint", config=config)
        >>> model.train(2, dataset, callbacks=ckpt_callback)  # mnist-1_938.ckpt, mnist-2_938.ckpt
    """

    def __init__(self, prefix="CKP", directory=None, config=None):
        super().__init__()
        self._latest_ckpt_file_name = ""
        self._last_time = time.time()
        self._last_time_for_keep = time.time()
        self._last_triggered_step = 0
        self._prefix_func = prefix if callable(prefix) else None
        self._directory_func = directory if callable(directory) else None
        if not callable(prefix) and (not isinstance(prefix, str) or "/" in prefix):
            raise ValueError(
                "For 'ModelCheckpoint', the argument 'prefix' must be callable or a str without "
                f"'/', but got {prefix!r}"
            )
        self._prefix = prefix
        self._exception_prefix = prefix
        if directory is None:
            self._directory = os.getcwd()
        elif callable(directory):
            self._directory = None
        else:
            self._directory = _make_directory(directory)
        if config is None:
            config = CheckpointConfig()
        elif not isinstance(config, CheckpointConfig):
            raise TypeError(
                "For 'ModelCheckpoint', the argument 'config' must be a CheckpointConfig, but got "
                f"{type(config).__name__}"
            )
        self._config = config
        self._manager = _CheckpointManager(config.format)
        if not callable(directory) and not callable(prefix):
            self._prefix = _unused_prefix(self._directory, self._prefix)
        self._append_dict = config.append_dict or {}
        self._append_epoch_num = self._append_dict.get("epoch_num", 0)
        self._append_step_num = self._append_dict.get("step_num", 0)

    @property
    def latest_ckpt_file_name(self):
        """The path of the newest checkpoint written ('' before the first)."""
        return self._latest_ckpt_file_name

    def on_train_step_end(self, run_context):
        """Save when the configured number of steps or seconds has passed."""
        cb_params = run_context.original_args()
        if self._prefix_func:
            self._prefix = self._prefix_func(cb_params)
            if not isinstance(self._prefix, str) or "/" in self._prefix:
                raise ValueError(
                    "For 'ModelCheckpoint', a callable 'prefix' must return a str without '/', "
                    f"but returned {self._prefix!r}"
                )
        if self._directory_func:
            self._directory = _make_directory(self._directory_func(cb_params))
        self._save_ckpt(cb_params)

    def on_train_end(self, run_context):
        """Save the last step, if it was not saved already."""
        self._save_ckpt(run_context.original_args(), force_to_save=True)

    def _check_save_ckpt(self, cb_params, force_to_save):
        steps = self._config.save_checkpoint_steps
        seconds = self._config.save_checkpoint_seconds
        if steps:
            return force_to_save or cb_params.cur_step_num >= self._last_triggered_step + steps
        if seconds:
            now = time.time()
            if now - self._last_time > seconds or force_to_save:
                self._last_time = now
                return True
        return False

    def _save_ckpt(self, cb_params, force_to_save=False):
        if cb_params.cur_step_num == self._last_triggered_step:
            return
        if not self._check_save_ckpt(cb_params, force_to_save):
            return
        config = self._config
        step_in_epoch = int((cb_params.cur_step_num - 1) % cb_params.batch_num + 1)
        if self._prefix_func:
            file_name = f"{self._prefix}.{config.format}"
        else:
            file_name = f"{self._prefix}-{cb_params.cur_epoch_num}_{step_in_epoch}.{config.format}"
        self._manager.update_ckpoint_filelist(self._directory, self._prefix)
        keep_max, keep_minutes = config.keep_checkpoint_max, config.keep_checkpoint_per_n_minutes
        if keep_max and 0 < keep_max <= self._manager.ckpoint_num:
            self._manager.remove_oldest_ckpoint_file()
        elif keep_minutes:
            now = time.time()
            if now - self._last_time_for_keep < keep_minutes * 60:
                self._manager.keep_one_ckpoint_per_minutes(keep_minutes, now)
        path = os.path.join(self._directory, file_name)
        self._last_time_for_keep = time.time()
        self._last_triggered_step = cb_params.cur_step_num
        if "epoch_num" in self._append_dict:
            self._append_dict["epoch_num"] = self._append_epoch_num + cb_params.cur_epoch_num
        if "step_num" in self._append_dict:
            self._append_dict["step_num"] = self._append_step_num + cb_params.cur_step_num
        if config.remove_redundancy:
            raise TypeError(
                "For 'ModelCheckpoint', saving without redundancy ('remove_redundancy') needs data "
                "parallelism, but minispore runs one process ('stand_alone')"
            )
        network = (
            config.saved_network if config.saved_network is not None else cb_params.train_network
        )
        self._write(network, path)
        self._latest_ckpt_file_name = path

    def _write(self, network, path):
        save_checkpoint(
            network,
            path,
            self._config.integrated_save,
            False,
            self._append_dict or None,
            crc_check=self._config.crc_check,
            format=self._config.format,
        )

    def _save_breakpoint(self, network, epoch, step):
        """Save `{prefix}-{epoch}_{step}_breakpoint.ckpt` (for `exception_save`)."""
        directory = self._directory or os.getcwd()
        prefix = self._exception_prefix
        if not callable(prefix):
            prefix = _unused_prefix(directory, prefix, breakpoints=True)
        else:
            prefix = self._prefix
        if "epoch_num" in self._append_dict:
            self._append_dict["epoch_num"] = self._append_epoch_num + epoch
        if "step_num" in self._append_dict:
            self._append_dict["step_num"] = self._append_step_num + step
        path = os.path.join(directory, f"{prefix}-{epoch}_{step}_breakpoint.ckpt")
        save_checkpoint(network, path, append_dict=self._append_dict or None)
        return path


def _make_directory(path):
    if not isinstance(path, str) or not path.strip():
        raise ValueError(
            f"For 'ModelCheckpoint', the argument 'directory' must be a non-empty str or callable, "
            f"but got {path!r}"
        )
    path = os.path.realpath(path)
    os.makedirs(path, exist_ok=True)
    return path


def _unused_prefix(directory, prefix, breakpoints=False):
    """`prefix`, or `prefix_N` when checkpoints of an earlier run with that prefix exist."""
    suffix_num = 0
    n = len(prefix)
    for filename in os.listdir(directory):
        is_breakpoint = filename.endswith("_breakpoint.ckpt")
        if breakpoints != is_breakpoint:
            continue
        if not breakpoints and os.path.splitext(filename)[1] not in (".ckpt", ".safetensors"):
            continue
        if filename.startswith(prefix) and len(filename) > n and not filename[n].isalpha():
            index = filename[n:].find("-")
            if index == 0:
                suffix_num = max(suffix_num, 1)
            elif index != -1:
                num = filename[n + 1 : n + index]
                if num.isdigit():
                    suffix_num = max(suffix_num, int(num) + 1)
    return f"{prefix}_{suffix_num}" if suffix_num else prefix


class _CheckpointManager:
    """The checkpoint files of one prefix in a directory, oldest first for removal."""

    def __init__(self, format="ckpt"):
        self._ckpoint_filelist = []
        self._format = format

    @property
    def ckpoint_num(self):
        return len(self._ckpoint_filelist)

    def update_ckpoint_filelist(self, directory, prefix):
        suffix = f".{self._format}"
        self._ckpoint_filelist = []
        for filename in os.listdir(directory):
            if filename.endswith(suffix) and filename.startswith(prefix + "-"):
                middle = filename[len(prefix) : -len(suffix)]
                if not any(c.isalpha() for c in middle):
                    self._ckpoint_filelist.append(os.path.join(directory, filename))

    def remove_ckpoint_file(self, file_name):
        try:
            os.remove(file_name)
            self._ckpoint_filelist.remove(file_name)
        except (OSError, ValueError):
            pass

    def remove_oldest_ckpoint_file(self):
        # NOTE: ties in modification time (fast steps) fall back to the (epoch, step) in the name.
        oldest = min(self._ckpoint_filelist, key=lambda f: (os.path.getmtime(f), _epoch_step(f)))
        self.remove_ckpoint_file(oldest)

    def keep_one_ckpoint_per_minutes(self, minutes, cur_time):
        """Keep only the oldest file of those written in the last `minutes`."""
        recent = [
            f for f in self._ckpoint_filelist if cur_time - os.path.getmtime(f) < 60 * minutes
        ]
        if not recent:
            return
        oldest = min(recent, key=os.path.getmtime)
        for f in recent:
            if f != oldest:
                self.remove_ckpoint_file(f)


def _epoch_step(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    tail = stem.rsplit("-", 1)[-1]
    parts = tail.split("_")
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        return (0,)
