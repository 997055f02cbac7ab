"""Trees: nested tuples, lists and dicts whose leaves are anything else (usually tensors).

Transforms flatten their inputs and outputs into a list of leaves plus a `TreeDef` that rebuilds
the same structure around new leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class TreeDef:
    __slots__ = ("kind", "meta", "children")

    def __init__(self, kind, meta, children):
        self.kind = kind  # "leaf", "tuple", "list", "dict", "none"
        self.meta = meta
        self.children = children

    def __eq__(self, other):
        return (
            isinstance(other, TreeDef)
            and self.kind == other.kind
            and self.meta == other.meta
            and self.children == other.children
        )

    def __hash__(self):
        return hash((self.kind, self.meta, tuple(self.children)))

    def __repr__(self):
        if self.kind == "leaf":
            return "*"
        return f"{self.kind}({', '.join(map(repr, self.children))})"


LEAF = TreeDef("leaf", None, ())


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list, TreeDef]:
    """Return `(leaves, treedef)`; tuples (named ones too), lists and dicts are containers."""
    if is_leaf is not None and is_leaf(tree):
        return [tree], LEAF
    leaves = []

    def rec(x):
        if is_leaf is not None and is_leaf(x):
            leaves.append(x)
            return LEAF
        if isinstance(x, tuple):
            meta = type(x) if type(x) is not tuple else None
            return TreeDef("tuple", meta, tuple(rec(c) for c in x))
        if isinstance(x, list):
            return TreeDef("list", None, tuple(rec(c) for c in x))
        if isinstance(x, dict):
            keys = tuple(x)
            return TreeDef("dict", (type(x), keys), tuple(rec(x[k]) for k in keys))
        leaves.append(x)
        return LEAF

    try:
        return leaves, rec(tree)
    finally:
        rec = None  # NOTE: `rec` refers to itself: a cycle that would hold `leaves` until gc


def tree_unflatten(treedef: TreeDef, leaves: Iterable[Any]) -> Any:
    it = iter(leaves)

    def rec(d):
        if d.kind == "leaf":
            return next(it)
        kids = [rec(c) for c in d.children]
        if d.kind == "tuple":
            if d.meta is None:
                return tuple(kids)
            if hasattr(d.meta, "_fields"):
                return d.meta(*kids)
            return d.meta(kids)
        if d.kind == "list":
            return kids
        cls, keys = d.meta
        return cls(zip(keys, kids))

    try:
        return rec(treedef)
    finally:
        rec = None  # NOTE: `rec` refers to itself: a cycle that would hold `leaves` until gc


def tree_map(
    fn: Callable[[Any], Any], tree: Any, is_leaf: Callable[[Any], bool] | None = None
) -> Any:
    leaves, treedef = tree_flatten(tree, is_leaf)
    return tree_unflatten(treedef, [fn(x) for x in leaves])
