"""minispore: MindSpore's functional automatic differentiation, in pure Python on NumPy.

Use it as MindSpore: ``import minispore as mindspore``.
"""

from minispore import dtype, nn, ops  # noqa: E402  (after the names they use)
from minispore.context import (
    GRAPH_MODE,
    PYNATIVE_MODE,
    STRICT,
    get_context,
    get_seed,
    jit,
    set_context,
    set_seed,
)
from minispore.custom_grad import custom_vjp
from minispore.dtype import (
    bfloat16,
    bool_,
    complex64,
    complex128,
    double,
    dtype_to_nptype,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    pytype_to_dtype,
    single,
    uint8,
    uint16,
    uint32,
    uint64,
)
from minispore.parameter import Parameter, ParameterTuple
from minispore.tensor import Tensor, is_tensor, tensor
from minispore.train import load_checkpoint, load_param_into_net, save_checkpoint
from minispore.transforms import (
    get_grad,
    grad,
    hessian,
    jacfwd,
    jacrev,
    jvp,
    make_graph,
    value_and_grad,
    vjp,
    vmap,
)

__version__ = "0.1.0"

# Heavier submodules load on first use, so `import minispore` stays fast.
_LAZY_SUBMODULES = ("dataset", "mle", "regression")


# MindSpore exports `Model`, its callbacks and metrics at top level too; they load on first use.
_LAZY_TRAIN_NAMES = (
    "Accuracy",
    "Callback",
    "CheckpointConfig",
    "ConfusionMatrix",
    "EarlyStopping",
    "F1",
    "Fbeta",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "Loss",
    "LossMonitor",
    "MAE",
    "MSE",
    "Metric",
    "Model",
    "ModelCheckpoint",
    "Precision",
    "Recall",
    "RunContext",
    "TimeMonitor",
    "Top1CategoricalAccuracy",
    "Top5CategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "get_metric_fn",
    "names",
    "rearrange_inputs",
)


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"minispore.{name}")
    if name in _LAZY_TRAIN_NAMES:
        from minispore import train

        return getattr(train, name)
    raise AttributeError(f"module 'minispore' has no attribute '{name}'")


__all__ = [
    *_LAZY_TRAIN_NAMES,
    "GRAPH_MODE",
    "PYNATIVE_MODE",
    "STRICT",
    "Parameter",
    "ParameterTuple",
    "Tensor",
    "bfloat16",
    "bool_",
    "complex64",
    "complex128",
    "custom_vjp",
    "double",
    "dtype",
    "dtype_to_nptype",
    "float16",
    "float32",
    "float64",
    "get_context",
    "get_grad",
    "get_seed",
    "grad",
    "half",
    "hessian",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_tensor",
    "jacfwd",
    "jacrev",
    "jit",
    "jvp",
    "load_checkpoint",
    "load_param_into_net",
    "make_graph",
    "nn",
    "ops",
    "pytype_to_dtype",
    "save_checkpoint",
    "set_context",
    "set_seed",
    "single",
    "tensor",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "value_and_grad",
    "vjp",
    "vmap",
]
