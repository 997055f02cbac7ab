# format(t, '>7f') on a one-element tensor: MindSpore 2.10 raises
#   TypeError: unsupported format string passed to Tensor.__format__
# minispore formats the number (docs/differences.md, row 26).
import mindspore
from mindspore import Tensor

try:
    print(format(Tensor(1.5), '>7f'))
except Exception as e:
    print(type(e).__name__)
