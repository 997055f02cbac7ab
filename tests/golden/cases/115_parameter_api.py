# Parameter API: requires_grad setter, set_data, clone, value(), ParameterTuple.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name='p')
print(p.requires_grad)
p.requires_grad = False
print(p.requires_grad, p)
p.set_data(Tensor(np.array([3.0, 4.0], np.float32)))
print(p.value(), p.name)
c = p.clone()
print(c.name, c, c is p)
print(type(p.value()).__name__, isinstance(p, Tensor), isinstance(p, Parameter))
q = Parameter(Tensor(np.array([5.0], np.float32)), name='q')
pt = mindspore.ParameterTuple([p, q])
print(type(pt).__name__, isinstance(pt, tuple), len(pt), [x.name for x in pt])
print(p * 2)
print(Parameter(Tensor(np.array([1, 2], np.int32)), name='i'))
print(Parameter(np.array([1.0, 2.0], np.float32), name='fromnp'))
