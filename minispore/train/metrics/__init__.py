"""`minispore.train.metrics`: evaluation metrics and the name table `Model(metrics={...})` reads.

As `mindspore.train.metrics`; minispore implements the classification and regression metrics
(see `names()`), not the segmentation, detection or text ones.
"""

# The imports are the public names; `__all__` lists them from `_names`, which ruff cannot read.
# ruff: noqa: F401

from minispore.train._names import METRIC_NAMES
from minispore.train.metrics.accuracy import Accuracy
from minispore.train.metrics.confusion_matrix import ConfusionMatrix
from minispore.train.metrics.error import MAE, MSE
from minispore.train.metrics.fbeta import F1, Fbeta
from minispore.train.metrics.loss import Loss
from minispore.train.metrics.metric import Metric, rearrange_inputs
from minispore.train.metrics.precision import Precision, Recall
from minispore.train.metrics.topk import (
    Top1CategoricalAccuracy,
    Top5CategoricalAccuracy,
    TopKCategoricalAccuracy,
)

__factory__ = {
    "accuracy": Accuracy,
    "acc": Accuracy,
    "precision": Precision,
    "recall": Recall,
    "F1": F1,
    "topk": TopKCategoricalAccuracy,
    "top_1_accuracy": Top1CategoricalAccuracy,
    "top_5_accuracy": Top5CategoricalAccuracy,
    "mae": MAE,
    "mse": MSE,
    "loss": Loss,
    "confusion_matrix": ConfusionMatrix,
}

# MindSpore metric names minispore does not implement, so the error can say so.
_NOT_IMPLEMENTED = (
    "auc",
    "bleu_score",
    "confusion_matrix_metric",
    "cosine_similarity",
    "dice",
    "hausdorff_distance",
    "mean_surface_distance",
    "occlusion_sensitivity",
    "perplexity",
    "roc",
    "root_mean_square_distance",
)


def names():
    """The sorted names `get_metric_fn` and `Model(metrics={...})` accept.

    Returns:
        list[str]: e.g. `['F1', 'acc', 'accuracy', ...]`.
    """
    return sorted(__factory__)


def get_metric_fn(name, *args, **kwargs):
    """A new metric from its name, e.g. `get_metric_fn('precision', eval_type='classification')`.

    Args:
        name (str): one of `names()`.
        *args, **kwargs: passed to the metric's constructor.

    Returns:
        Metric: the new metric.

    Raises:
        KeyError: `name` is not a metric name (or names a MindSpore metric minispore lacks).
    """
    if name not in __factory__:
        if name in _NOT_IMPLEMENTED:
            raise KeyError(
                f"For 'get_metric_fn', the MindSpore metric {name!r} is not implemented by "
                f"minispore; supported metrics: {names()}"
            )
        raise KeyError(
            f"For 'get_metric_fn', unsupported metric {name!r}; supported metrics: {names()}"
        )
    return __factory__[name](*args, **kwargs)


def get_metrics(metrics):
    """`{name: Metric}` from `Model`'s `metrics` argument (None, a set of names or a dict).

    Names of a set are taken in sorted order, so results print in a stable order (MindSpore
    follows the set's iteration order, which changes between runs).

    Raises:
        TypeError: `metrics` is not None, a set or a dict of `str -> Metric`.
        KeyError: a name is unknown.
    """
    if metrics is None:
        return None
    if isinstance(metrics, dict):
        for name, metric in metrics.items():
            if not isinstance(name, str) or not isinstance(metric, Metric):
                raise TypeError(
                    "For 'Model', a dict 'metrics' maps str names to Metric objects, but got "
                    f"key {name!r} ({type(name).__name__}) -> {type(metric).__name__}"
                )
        return metrics
    if isinstance(metrics, (set, frozenset)):
        for name in metrics:
            if not isinstance(name, str):
                raise TypeError(
                    f"For 'Model', a set 'metrics' holds metric names (str), but got {name!r}"
                )
        return {name: get_metric_fn(name) for name in sorted(metrics)}
    raise TypeError(
        "For 'Model', the argument 'metrics' must be None, a dict or a set, but got "
        f"{type(metrics).__name__} {metrics!r}"
    )


__all__ = list(METRIC_NAMES)
