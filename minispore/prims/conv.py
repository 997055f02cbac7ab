"""Convolution and pooling primitives, vectorised over the batch (layer 2)."""
