# nn.CrossEntropyLoss with int64 labels -> TypeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: For 'CrossEntropyLoss', the 'labels' should be Int32, but got 'mindspore.int64'.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
try:
    print(nn.CrossEntropyLoss()(logits, Tensor(np.array([0, 1], np.int64))))
except Exception as e:
    print(type(e).__name__)
