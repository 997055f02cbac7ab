"""`minispore.nn.probability`: probability distributions with MindSpore's API (layer 5)."""

from minispore.nn.probability import distribution

__all__ = ["distribution"]
