"""`minispore.train`: checkpoints (and, later, `Model` and callbacks), as `mindspore.train`."""

from minispore.train.serialization import load_checkpoint, load_param_into_net, save_checkpoint

__all__ = ["load_checkpoint", "load_param_into_net", "save_checkpoint"]
