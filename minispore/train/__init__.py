"""`minispore.train`: checkpoints, `Model`, callbacks and metrics, as `mindspore.train`.

`Model`, the callbacks and the metrics load on first use (module `__getattr__`), so
`import minispore` stays fast.
"""

from minispore.train._names import CALLBACK_NAMES as _CALLBACKS
from minispore.train._names import METRIC_NAMES as _METRICS
from minispore.train.serialization import load_checkpoint, load_param_into_net, save_checkpoint

_LAZY = {
    "Model": "minispore.train.model",
    **{name: "minispore.train.callback" for name in _CALLBACKS},
    **{name: "minispore.train.metrics" for name in _METRICS},
}


_SUBMODULES = ("callback", "metrics", "model")


def __getattr__(name):
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f"minispore.train.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'minispore.train' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Model",
    "load_checkpoint",
    "load_param_into_net",
    "save_checkpoint",
    *_CALLBACKS,
    *_METRICS,
]
