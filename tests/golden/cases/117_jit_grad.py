# @mindspore.jit functions behave like eager ones, also under grad.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

@mindspore.jit
def f(x, y):
    return (x * x * y).sum()
x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
print(f(x, y))
print(mindspore.grad(f, (0, 1))(x, y))
def g(x):
    return ops.sin(x) * x
jg = mindspore.jit(g)
print(jg(x))
print(mindspore.value_and_grad(jg)(x))
class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 0.5], np.float32)), name='w')
    @mindspore.jit
    def construct(self, x):
        return (x * self.w).sum()
net = Net()
print(net(x))
print(mindspore.grad(net, None, net.trainable_params())(x))
