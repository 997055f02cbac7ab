"""Layers (layer 5): activations and the basic linear layer."""
