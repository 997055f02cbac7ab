"""`Model`: trains, evaluates and predicts with a network, a loss and an optimizer, running
callbacks and metrics, as `mindspore.train.Model` (layer 5).

Training wraps the network as `TrainOneStepCell(WithLossCell(network, loss_fn), optimizer)` and
feeds each dataset row's columns to it positionally; evaluation runs
`WithEvalCell(network, loss_fn)` and updates the metrics with `(loss, outputs, label)`. Datasets
are read through `get_dataset_size()` and `create_tuple_iterator(num_epochs=1)` (or plain
iteration), one pass per epoch.
"""

from __future__ import annotations

import warnings

from minispore.nn.cell import Cell
from minispore.nn.wrap import TrainOneStepCell, WithLossCell
from minispore.tensor import Tensor
from minispore.train._checks import check_bool, check_int
from minispore.train._eval_cell import WithEvalCell
from minispore.train._names import CALLBACK_NAMES
from minispore.train.callback import _callback as _cb
from minispore.train.callback._checkpoint import ModelCheckpoint
from minispore.train.callback._time_monitor import TimeMonitor
from minispore.train.metrics import Loss, get_metrics

_KWARGS = ("loss_scale_manager", "keep_batchnorm_fp32", "boost_config_dict", "acc_level")
_AMP_LEVELS = ("O0", "O1", "O2", "O3", "auto")
_BOOST_LEVELS = ("O0", "O1", "O2")
_LEGACY_HOOKS = {"begin", "end", "epoch_begin", "epoch_end", "step_begin", "step_end"}
# Callbacks minispore ships: exempt from the legacy-hook check; in `fit`, only TimeMonitor of
# them also runs during validation (as in MindSpore).
_INTERNAL = set(CALLBACK_NAMES)


class Model:
    """High-level training and evaluation of a network.

    Args:
        network (Cell): the network. Without `loss_fn` it is the training network itself:
            with `optimizer` it must return the loss; without, it must also update itself.
        loss_fn (Cell): the loss, called as `loss_fn(network(data), label)`.
        optimizer (Cell): the optimizer updating `network`'s parameters.
        metrics (set or dict): metric names (`{'accuracy', 'loss'}`, see
            `minispore.train.names()`) or `{name: Metric}`, computed by `eval` and `fit`.
        eval_network (Cell): the evaluation network; default `WithEvalCell(network, loss_fn)`.
        eval_indexes (list): with `eval_network`, the positions of loss, prediction and label
            in its outputs; None passes all outputs to every metric.
        amp_level (str): 'O0' (float32). Mixed precision ('O1', 'O2', 'O3', 'auto') is
            accepted but not applied: minispore warns and trains in float32.
        boost_level (str): 'O0'; 'O1'/'O2' are accepted and ignored with a warning.
        **kwargs: 'loss_scale_manager', 'keep_batchnorm_fp32', 'boost_config_dict',
            'acc_level' are accepted; a loss-scale manager is not supported (error).

    Raises:
        TypeError: `network` is not a Cell, or `metrics` is not a set or dict.
        ValueError: an unknown keyword, `metrics` without `loss_fn` or `eval_network`, or a bad
            `eval_indexes`.
        KeyError: an unknown metric name.

    Example:
        >>> net = Network()
        >>> loss_fn = nn.CrossEntropyLoss()
        >>> optimizer = nn.SGD(net.trainable_params(), 1e-2)
        >>> model = Model(net, loss_fn=loss_fn, optimizer=optimizer, metrics={'accuracy'})
        >>> model.fit(10, train_dataset, test_dataset, callbacks=[LossMonitor(938)])
        epoch: 1 step: 938, loss is 0.602992594242096
        Eval result: epoch 1, metrics: {'accuracy': 0.8435}
    """

    def __init__(
        self,
        network,
        loss_fn=None,
        optimizer=None,
        metrics=None,
        eval_network=None,
        eval_indexes=None,
        amp_level="O0",
        boost_level="O0",
        **kwargs,
    ):
        for arg in kwargs:
            if arg not in _KWARGS:
                raise ValueError(
                    f"For 'Model', the keyword arguments may be {list(_KWARGS)}, but got {arg!r}"
                )
        if kwargs.get("loss_scale_manager") is not None:
            raise NotImplementedError(
                "For 'Model', 'loss_scale_manager' is not supported by minispore"
            )
        if not isinstance(network, Cell):
            raise TypeError(
                f"For 'Model', the argument 'network' must be a Cell, but got {type(network).__name__}"
            )
        if amp_level not in _AMP_LEVELS:
            raise ValueError(
                f"For 'Model', 'amp_level' must be in {list(_AMP_LEVELS)}, but got {amp_level!r}"
            )
        if optimizer is None and amp_level != "O0":
            raise ValueError(
                "For 'Model', mixed precision ('amp_level') needs an 'optimizer'; set "
                "amp_level='O0' or pass an optimizer"
            )
        if amp_level != "O0":
            warnings.warn(
                f"Model: amp_level={amp_level!r} is ignored; minispore trains in float32",
                stacklevel=2,
            )
        boost_level = kwargs.get("acc_level", boost_level)
        if boost_level not in _BOOST_LEVELS:
            raise ValueError(
                f"For 'Model', 'boost_level' must be in {list(_BOOST_LEVELS)}, but got {boost_level!r}"
            )
        if boost_level != "O0":
            warnings.warn(
                f"Model: boost_level={boost_level!r} is ignored by minispore", stacklevel=2
            )
        self._network = network
        self._loss_fn = loss_fn
        self._optimizer = optimizer
        self._amp_level = amp_level
        self._boost_level = boost_level
        self._metrics = metrics
        self._train_network = self._build_train_network()
        self._metric_fns = get_metrics(metrics)
        self._eval_network = eval_network
        self._eval_indexes = None
        self._build_eval_network(eval_network, eval_indexes)
        self._predict_network = network
        self._backbone_is_train = True
        self._current_epoch_num = 0
        self._current_step_num = 0
        self.epoch_iter = 0
        self.batch_num = -1

    # ---- networks ------------------------------------------------------------------------------
    def _build_train_network(self):
        network, loss_fn, optimizer = self._network, self._loss_fn, self._optimizer
        if optimizer is not None:
            if loss_fn is not None:
                network = WithLossCell(network, loss_fn)
            return TrainOneStepCell(network, optimizer)
        if loss_fn is not None:
            return WithLossCell(network, loss_fn)
        return network

    def _build_eval_network(self, eval_network, eval_indexes):
        if not self._metric_fns:
            return
        if eval_network is not None:
            if eval_indexes is not None and not (
                isinstance(eval_indexes, list) and len(eval_indexes) == 3
            ):
                raise ValueError(
                    "For 'Model', 'eval_indexes' must be None or a list of three positions "
                    f"(loss, prediction, label), but got {eval_indexes!r}"
                )
            self._eval_indexes = eval_indexes
            return
        if self._loss_fn is None:
            raise ValueError(
                "For 'Model', 'metrics' need an evaluation network: pass 'loss_fn' (then "
                "WithEvalCell(network, loss_fn) is built) or 'eval_network'"
            )
        self._eval_network = WithEvalCell(
            self._network, self._loss_fn, self._amp_level in ("O2", "O3", "auto")
        )
        self._eval_indexes = [0, 1, 2]

    @property
    def train_network(self):
        """The training network (`TrainOneStepCell` when an optimizer was given)."""
        return self._train_network

    @property
    def predict_network(self):
        """The network `predict` runs (the `network` given)."""
        return self._predict_network

    @property
    def eval_network(self):
        """The evaluation network (None without metrics)."""
        return self._eval_network

    def _set_mode(self, network, is_train):
        if self._backbone_is_train != is_train:
            network.set_train(is_train)
            self._backbone_is_train = is_train

    # ---- metrics -------------------------------------------------------------------------------
    def _clear_metrics(self):
        for metric in self._metric_fns.values():
            metric.clear()

    def _update_metrics(self, outputs):
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        if not isinstance(outputs, tuple):
            raise ValueError(
                f"For 'Model.eval', the eval network must return a Tensor or a tuple, but got "
                f"{type(outputs).__name__}"
            )
        idx = self._eval_indexes
        if idx is not None and len(outputs) < 3:
            raise ValueError(
                "For 'Model.eval', the eval network must return (loss, prediction, label), but it "
                f"returned {len(outputs)} outputs"
            )
        for metric in self._metric_fns.values():
            if idx is None:
                metric.update(*outputs)
            elif isinstance(metric, Loss):
                metric.update(outputs[idx[0]])
            else:
                metric.update(outputs[idx[1]], outputs[idx[2]])

    def _get_metrics(self):
        return {name: metric.eval() for name, metric in self._metric_fns.items()}

    # ---- train / fit -----------------------------------------------------------------------------
    def train(
        self,
        epoch,
        train_dataset,
        callbacks=None,
        dataset_sink_mode=False,
        sink_size=-1,
        initial_epoch=0,
    ):
        """Train for `epoch` epochs (counting from `initial_epoch`), running `callbacks`.

        Args:
            epoch (int): the epoch to stop after (epochs `initial_epoch + 1 .. epoch` run).
            train_dataset: a dataset whose rows are `(data, label)` (or the inputs of a network
                given without `loss_fn`).
            callbacks (Callback or list): callbacks, run in order.
            dataset_sink_mode (bool): accepted; minispore always feeds the host data step by
                step, as MindSpore does on CPU.
            sink_size (int): -1 or positive; accepted and ignored (no sink mode).
            initial_epoch (int): epochs already done (to resume a run).

        Raises:
            TypeError: a bad argument type or a callback that is not a Callback.
            ValueError: `epoch` <= `initial_epoch`, an empty dataset, rows with other than two
                columns when `loss_fn` is set, or an optimizer-less model that would not learn.
        """
        self._check_fit_args(
            "Model.train", epoch, train_dataset, dataset_sink_mode, sink_size, initial_epoch
        )
        self._check_legacy_hooks(callbacks, "train")
        self._train(epoch, train_dataset, callbacks, initial_epoch, "Model.train")

    def fit(
        self,
        epoch,
        train_dataset,
        valid_dataset=None,
        valid_frequency=1,
        callbacks=None,
        dataset_sink_mode=False,
        valid_dataset_sink_mode=False,
        sink_size=-1,
        initial_epoch=0,
    ):
        """Train, and evaluate on `valid_dataset` after every `valid_frequency` epochs.

        The results go to the callbacks as `metrics` (and `eval_results`, with `eval_loss`);
        `LossMonitor` prints them as `Eval result: epoch 1, metrics: {'accuracy': 0.84}`.

        Args:
            epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch: as in
                `train`.
            valid_dataset: the validation dataset, or None (then `fit` is `train`).
            valid_frequency (int or list): validate when `epoch % valid_frequency == 0`, or on
                the epochs listed.
            valid_dataset_sink_mode (bool): accepted (no sink mode).

        Raises:
            TypeError: `valid_frequency` is not an int or a list.
            ValueError: `valid_dataset` without `metrics`, a custom callback with legacy hook
                names (`step_end`, ...), or the errors of `train`.
        """
        op = "Model.fit"
        self._check_fit_args(op, epoch, train_dataset, dataset_sink_mode, sink_size, initial_epoch)
        check_bool(valid_dataset_sink_mode, op, "valid_dataset_sink_mode")
        if not isinstance(valid_frequency, (int, list)) or isinstance(valid_frequency, bool):
            raise TypeError(
                f"For '{op}', 'valid_frequency' must be an int or a list, but got "
                f"{type(valid_frequency).__name__}"
            )
        if isinstance(valid_frequency, int) and valid_frequency < 1:
            raise ValueError(
                f"For '{op}', 'valid_frequency' must be >= 1, but got {valid_frequency}"
            )
        if valid_dataset is not None and not self._metric_fns:
            raise ValueError(
                f"For '{op}', a 'valid_dataset' needs 'metrics': pass metrics to Model "
                "(e.g. metrics={'accuracy'})"
            )
        self._check_legacy_hooks(callbacks, "fit")
        self._train(
            epoch, train_dataset, callbacks, initial_epoch, op, (valid_dataset, valid_frequency)
        )

    def _check_fit_args(self, op, epoch, dataset, sink_mode, sink_size, initial_epoch):
        check_bool(sink_mode, op, "dataset_sink_mode")
        check_int(sink_size, op, "sink_size", minimum=-1)
        if sink_size == 0:
            raise ValueError(f"For '{op}', 'sink_size' must be -1 or positive, but got 0")
        check_int(epoch, op, "epoch", minimum=1)
        check_int(initial_epoch, op, "initial_epoch")
        if initial_epoch >= epoch:
            raise ValueError(
                f"For '{op}', 'epoch' must be greater than 'initial_epoch', but got epoch={epoch} "
                f"and initial_epoch={initial_epoch}"
            )
        if _dataset_size(dataset, op, "train_dataset") == 0:
            raise ValueError(
                f"For '{op}', the dataset is empty (get_dataset_size() is 0): there is no valid "
                "data in dataset, please check dataset file firstly."
            )
        if self._optimizer is None and self._loss_fn is not None:
            raise ValueError(
                f"For '{op}', 'optimizer' is None but 'loss_fn' is set, so training would only "
                "compute the loss and never update the network (MindSpore runs it anyway); pass "
                "an optimizer to Model, or a network that trains itself with loss_fn=None"
            )

    @staticmethod
    def _check_legacy_hooks(callbacks, mode):
        if mode != "fit" or not callbacks:
            return
        for cb in callbacks if isinstance(callbacks, list) else [callbacks]:
            name = type(cb).__name__
            if name in _INTERNAL:
                continue
            legacy = set(vars(type(cb))) & _LEGACY_HOOKS
            if legacy:
                raise ValueError(
                    f"For {name} callback, {sorted(legacy)} methods may not be supported in later "
                    "version, Use methods prefixed with 'on_train' or 'on_eval' instead when using "
                    "customized callbacks."
                )

    def _train(self, epoch, train_dataset, callbacks, initial_epoch, op, valid_infos=None):
        callbacks = _as_list(callbacks)
        cb_params = _cb._InternalCallbackParam()
        cb_params.cur_step_num = 0
        cb_params.train_network = self._train_network
        cb_params.epoch_num = epoch - initial_epoch
        cb_params.batch_num = train_dataset.get_dataset_size()
        self.batch_num = cb_params.batch_num
        cb_params.mode = "train"
        cb_params.loss_fn = self._loss_fn
        cb_params.optimizer = self._optimizer
        cb_params.parallel_mode = "stand_alone"
        cb_params.device_number = 1
        cb_params.train_dataset = train_dataset
        cb_params.list_callback = callbacks
        cb_params.train_dataset_element = None
        cb_params.network = self._network
        cb_params.last_save_ckpt_step = None
        cb_params.latest_ckpt_file = None
        cb_params.loss_scale_mananger = None  # sic: MindSpore's field name
        cb_params.initial_step = None
        cb_params.dataset_sink_mode = False
        try:
            with _cb._CallbackManager(callbacks, op) as list_callback:
                self._train_process(
                    epoch, train_dataset, list_callback, cb_params, initial_epoch, valid_infos, op
                )
        except BaseException:
            self._save_breakpoint(callbacks)
            raise

    def _save_breakpoint(self, callbacks):
        """`CheckpointConfig(exception_save=True)`: save the network when training fails."""
        for cb in reversed(callbacks):
            if isinstance(cb, ModelCheckpoint) and cb._config.exception_save:
                cb._save_breakpoint(
                    self._train_network, self._current_epoch_num, self._current_step_num
                )
                return

    def _train_process(
        self, epoch, dataset, list_callback, cb_params, initial_epoch, valid_infos, op
    ):
        run_context = _cb.RunContext(cb_params)
        list_callback.on_train_begin(run_context)
        network = self._train_network
        network.set_train(True)
        self._backbone_is_train = True
        two_columns = self._loss_fn is not None
        for i in range(initial_epoch, epoch):
            cb_params.cur_epoch_num = i + 1
            self._current_epoch_num = i + 1
            self._current_step_num = 0
            list_callback.on_train_epoch_begin(run_context)
            for row in _rows(dataset):
                if two_columns and len(row) != 2:
                    raise ValueError(
                        f"For '{op}', with a 'loss_fn' each dataset row must have two columns "
                        f"(data, label), but got {len(row)} (columns {_col_names(dataset)})"
                    )
                cb_params.cur_step_num += 1
                self._current_step_num = (cb_params.cur_step_num - 1) % cb_params.batch_num + 1
                cb_params.train_dataset_element = row
                list_callback.on_train_step_begin(run_context)
                self._set_mode(network, True)
                cb_params.net_outputs = network(*row)
                list_callback.on_train_step_end(run_context)
                if run_context.get_stop_requested():
                    break
            if valid_infos is not None:
                self._eval_during_train(valid_infos, cb_params, list_callback)
            list_callback.on_train_epoch_end(run_context)
            cb_params.pop("metrics", None)
            cb_params.pop("eval_results", None)
            if run_context.get_stop_requested():
                break
        list_callback.on_train_end(run_context)

    def _eval_during_train(self, valid_infos, cb_params, list_callback):
        valid_dataset, valid_frequency = valid_infos
        epoch = cb_params.cur_epoch_num
        due = (
            epoch % valid_frequency == 0
            if isinstance(valid_frequency, int)
            else epoch in valid_frequency
        )
        if valid_dataset is None or not due:
            return
        saved = {
            k: cb_params[k]
            for k in ("cur_step_num", "batch_num", "dataset_sink_mode", "net_outputs")
        }
        eval_callbacks = [
            cb
            for cb in list_callback._callbacks
            if type(cb).__name__ not in _INTERNAL or isinstance(cb, TimeMonitor)
        ]
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = valid_dataset
        cb_params.batch_num = _dataset_size(valid_dataset, "Model.fit", "valid_dataset")
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        self._clear_metrics()
        with _cb._CallbackManager(eval_callbacks, "Model.fit") as eval_list:
            self._eval_process(valid_dataset, eval_list, cb_params, add_eval_loss=True)
        cb_params.mode = "train"
        cb_params.update(saved)

    # ---- eval / predict ------------------------------------------------------------------------
    def eval(self, valid_dataset, callbacks=None, dataset_sink_mode=False):
        """Evaluate the metrics on `valid_dataset`.

        Args:
            valid_dataset: rows `(data, label)` (or the eval network's inputs).
            callbacks (Callback or list): callbacks (their `on_eval_*` hooks run).
            dataset_sink_mode (bool): accepted (no sink mode).

        Returns:
            dict: `{name: value}`, e.g. `{'accuracy': 0.9632}`.

        Raises:
            ValueError: the model has no metrics.
        """
        op = "Model.eval"
        check_bool(dataset_sink_mode, op, "dataset_sink_mode")
        if not self._metric_fns:
            raise ValueError(
                f"For '{op}', the model has no 'metrics'; pass metrics to Model "
                "(e.g. metrics={'accuracy'})"
            )
        callbacks = _as_list(callbacks)
        cb_params = _cb._InternalCallbackParam()
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = valid_dataset
        cb_params.batch_num = _dataset_size(valid_dataset, op, "valid_dataset")
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        cb_params.list_callback = callbacks
        cb_params.network = self._network
        self._clear_metrics()
        with _cb._CallbackManager(callbacks, op) as list_callback:
            return self._eval_process(valid_dataset, list_callback, cb_params)

    def _eval_process(self, valid_dataset, list_callback, cb_params, add_eval_loss=False):
        run_context = _cb.RunContext(cb_params)
        cb_params.dataset_sink_mode = False
        list_callback.on_eval_begin(run_context)
        network = self._eval_network
        network.set_train(False)
        self._backbone_is_train = False
        eval_loss = Loss() if add_eval_loss and self._eval_indexes is not None else None
        list_callback.on_eval_epoch_begin(run_context)
        for row in _rows(valid_dataset):
            cb_params.cur_step_num += 1
            cb_params.eval_dataset_element = row
            list_callback.on_eval_step_begin(run_context)
            self._set_mode(network, False)
            outputs = network(*row)
            cb_params.net_outputs = outputs
            list_callback.on_eval_step_end(run_context)
            self._update_metrics(outputs)
            if eval_loss is not None:
                eval_loss.update(outputs[self._eval_indexes[0]])
            if run_context.get_stop_requested():
                break
        list_callback.on_eval_epoch_end(run_context)
        metrics = self._get_metrics()
        cb_params.metrics = metrics
        if add_eval_loss:
            cb_params.eval_results = dict(metrics)
            if eval_loss is not None and eval_loss._total_num:
                cb_params.eval_results["eval_loss"] = eval_loss.eval()
        list_callback.on_eval_end(run_context)
        return metrics

    def predict(self, *predict_data, backend=None, config=None):
        """Run the network on `predict_data` in inference mode.

        Args:
            *predict_data (Tensor): the network's inputs (None, int, float and str are passed
                through).
            backend: None (MindSpore Lite, 'lite', is not available).
            config: unused.

        Returns:
            The network's output.

        Raises:
            ValueError: an empty Tensor, or `backend` not None.
            TypeError: an input of another type (e.g. a NumPy array: wrap it in Tensor).
        """
        if backend is not None:
            raise ValueError(
                f"For 'Model.predict', 'backend' must be None in minispore, but got {backend!r}"
            )
        for i, item in enumerate(predict_data):
            if item is None or isinstance(item, (int, float, str)):
                continue
            if isinstance(item, Tensor):
                if item.size == 0:
                    raise ValueError(
                        f"For 'Model.predict', input {i} is empty (shape {item.shape})"
                    )
                continue
            raise TypeError(
                f"For 'Model.predict', the inputs must be Tensor, None, int, float or str, but "
                f"input {i} is {type(item).__name__}"
                + (" (wrap NumPy arrays in Tensor(...))" if hasattr(item, "__array__") else "")
            )
        self._set_mode(self._predict_network, False)
        return self._predict_network(*predict_data)


def _as_list(callbacks):
    if callbacks is None:
        return []
    if isinstance(callbacks, (list, tuple)):
        return list(callbacks)
    return [callbacks]


def _dataset_size(dataset, op, arg):
    get = getattr(dataset, "get_dataset_size", None)
    if get is None:
        raise TypeError(
            f"For '{op}', '{arg}' must be a dataset (with get_dataset_size() and "
            f"create_tuple_iterator()), but got {type(dataset).__name__}"
        )
    return get()


def _rows(dataset):
    """One epoch of rows, each a list of Tensors."""
    make = getattr(dataset, "create_tuple_iterator", None)
    rows = make(num_epochs=1) if make is not None else iter(dataset)
    for row in rows:
        yield (row,) if isinstance(row, Tensor) else row


def _col_names(dataset):
    get = getattr(dataset, "get_col_names", None)
    try:
        return get() if get is not None else "unknown"
    except Exception:  # noqa: BLE001  (only for the message)
        return "unknown"
