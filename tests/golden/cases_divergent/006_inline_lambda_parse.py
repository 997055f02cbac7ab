# DIVERGENT (spec 2.12 parse restriction): inline lambdas fail in vmap/jacfwd/jacrev/jvp.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
for name, call in [("vmap", lambda: mindspore.vmap(lambda a: a.sum())(x)),
                   ("jacfwd", lambda: mindspore.jacfwd(lambda a: a * a)(x)),
                   ("jacrev", lambda: mindspore.jacrev(lambda a: a * a)(x)),
                   ("jvp", lambda: mindspore.jvp(lambda a: a * a, x, x)),
                   ("grad", lambda: mindspore.grad(lambda a: (a * a).sum())(x))]:
    try:
        print(name, call())
    except Exception as e:
        print(name, type(e).__name__)
