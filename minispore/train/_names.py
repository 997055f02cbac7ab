"""The public names of `minispore.train.callback` and `minispore.train.metrics`, in one place.

`minispore.train` reads them to load those packages lazily (importing them here would load every
callback and metric with `import minispore`), the packages use them as their `__all__`, and
`Model` as the set of callbacks minispore ships.
"""

CALLBACK_NAMES = (
    "Callback",
    "CheckpointConfig",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "LossMonitor",
    "ModelCheckpoint",
    "ProgressBar",
    "RunContext",
    "TimeMonitor",
)
METRIC_NAMES = (
    "F1",
    "MAE",
    "MSE",
    "Accuracy",
    "ConfusionMatrix",
    "Fbeta",
    "Loss",
    "Metric",
    "Precision",
    "Recall",
    "Top1CategoricalAccuracy",
    "Top5CategoricalAccuracy",
    "TopKCategoricalAccuracy",
    "get_metric_fn",
    "names",
    "rearrange_inputs",
)
