# A Parameter passed positionally is differentiable; output that is an input gets +1.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name='p')
x = Tensor(np.array([3.0, 4.0], np.float32))
def f(p, x):
    return (p * x).sum()
print(mindspore.grad(f, (0, 1))(p, x))
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 2.0], np.float32)), name='w')
    def construct(self, x):
        res = x * self.w
        return res, x, self.w
net = Net()
print(mindspore.grad(net, 0, net.trainable_params())(x))
def g(x):
    return x
print(mindspore.grad(g)(x))
