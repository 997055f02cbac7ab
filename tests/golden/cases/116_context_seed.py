# set_context / get_context / set_seed (which also reseeds numpy).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

print(mindspore.get_context("mode"), mindspore.PYNATIVE_MODE, mindspore.GRAPH_MODE)
print(mindspore.get_context("device_target"))
mindspore.set_context(mode=mindspore.PYNATIVE_MODE)
print(mindspore.get_context("mode"))
mindspore.set_seed(42)
print(mindspore.get_seed())
a = np.random.rand(3)
np.random.seed(42)
b = np.random.rand(3)
print(a)
print(np.allclose(a, b))
