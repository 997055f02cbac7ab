# ms.grad called inside a Cell's construct, which is itself differentiated.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

class Inner(nn.Cell):
    def construct(self, x):
        return x ** 3
class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.dfn = mindspore.grad(self.inner)
    def construct(self, x):
        return self.dfn(x)
x = Tensor(np.array([1.0, 2.0], np.float32))
net = Outer()
print(net(x))
print(mindspore.grad(net)(x))
class Net2(nn.Cell):
    def construct(self, x):
        g = mindspore.grad(ops.sin)(x)
        return g * x
print(mindspore.grad(Net2())(x))
