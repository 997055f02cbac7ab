# Listed weights with requires_grad=False get zero gradients; trainable_params excludes them.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name='w')
        self.b = Parameter(Tensor(np.array([3.0, 4.0], np.float32)), name='b', requires_grad=False)
    def construct(self, x):
        return (x * self.w + self.b * self.b).sum()
net = Net()
x = Tensor(np.array([5.0, 6.0], np.float32))
print(mindspore.grad(net, None, [net.w, net.b])(x))
print(net.trainable_params())
print(net.untrainable_params())
print(mindspore.grad(net, None, net.trainable_params())(x))
net.w.requires_grad = False
print(mindspore.grad(net, None, [net.w, net.b])(x))
print(net.trainable_params())
