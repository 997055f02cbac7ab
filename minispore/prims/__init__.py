"""The primitives, one file per family (layer 2). Importing this package fills `REGISTRY`."""

from minispore.prims import (  # noqa: F401
    conv,
    elementwise,
    indexing,
    linalg,
    nn,
    random,
    reduction,
    shape,
    special,
)
