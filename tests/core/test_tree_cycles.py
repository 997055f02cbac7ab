"""`tree_flatten` and `tree_unflatten` hold no reference to the leaves once they return.

Their recursive helper refers to itself; left as a cycle, it kept the leaves (a jitted step's
outputs, a gradient's inputs) alive until the next garbage collection, so every call's arrays
were freed one call late and large ones came back from the system as fresh, cold memory.
"""

import gc
import weakref

import numpy as np

from minispore.core.tree import tree_flatten, tree_unflatten


class _Leaf:
    pass


def test_leaves_are_released_without_a_garbage_collection():
    gc.disable()
    try:
        leaf = _Leaf()
        ref = weakref.ref(leaf)
        leaves, treedef = tree_flatten((leaf, [np.zeros(2)], {"k": 1}))
        tree = tree_unflatten(treedef, leaves)
        assert tree[0] is leaf
        del leaf, leaves, tree
        assert ref() is None
    finally:
        gc.enable()
