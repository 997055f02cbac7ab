"""The engine: primitives, `bind`, trace levels, reverse and forward mode, trees (layer 1).

Nothing in here knows about `Tensor`, cells or any particular primitive.
"""
