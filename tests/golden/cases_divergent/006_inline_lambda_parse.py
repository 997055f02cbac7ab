# DIVERGENT (spec 2.12 parse restriction): an inline lambda written inside the call fails in
# vmap / jacfwd / jacrev / jvp on 2.10 (TypeError "Parse Lambda Function Fail ... Please check lambda
# expression to make sure it is defined on a separate line."). grad is fine. minispore does not copy this.
# (A lambda nested inside another lambda even gives IndentationError from the source parser.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
try:
    print(mindspore.vmap(lambda a: a.sum())(x))
except Exception as e:
    print("vmap", type(e).__name__)
try:
    print(mindspore.jacfwd(lambda a: a * a)(x).shape)
except Exception as e:
    print("jacfwd", type(e).__name__)
try:
    print(mindspore.jacrev(lambda a: a * a)(x).shape)
except Exception as e:
    print("jacrev", type(e).__name__)
try:
    print(mindspore.jvp(lambda a: a * a, x, x))
except Exception as e:
    print("jvp", type(e).__name__)
print(mindspore.grad(lambda a: (a * a).sum())(x))
sq = lambda a: a * a
print(mindspore.jacrev(sq)(Tensor(np.array([1.0, 2.0], np.float32))))
