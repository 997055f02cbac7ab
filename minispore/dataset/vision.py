"""`mindspore.dataset.vision`: image operations on NumPy arrays (layer 5).

Each operation is a callable object: use it in `dataset.map(...)` or call it on an image
(an (H, W) or (H, W, C) array, or a Tensor), as in MindSpore. Images are HWC unless said.
"""

from __future__ import annotations

import enum
import itertools
import numbers

import numpy as np

from minispore.dataset import _resize, config
from minispore.dataset._checks import INT32_MAX, is_int

_F32 = np.float32
_salts = itertools.count(1)


class Inter(enum.IntEnum):
    """Interpolation modes of `Resize` (MindSpore's values; LINEAR is BILINEAR, CUBIC BICUBIC)."""

    NEAREST = 0
    ANTIALIAS = 1
    BILINEAR = 2
    LINEAR = 2
    BICUBIC = 3
    CUBIC = 3
    AREA = 4
    PILCUBIC = 5


class Border(str, enum.Enum):
    """Padding modes of `RandomCrop`."""

    CONSTANT = "constant"
    EDGE = "edge"
    REFLECT = "reflect"
    SYMMETRIC = "symmetric"


def _image(x, op):
    """The input as an ndarray (Tensors are read out)."""
    if hasattr(x, "asnumpy"):
        x = x.asnumpy()
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{op}: the input should be a NumPy array or a Tensor, got {type(x).__name__}"
        )
    return x


def _check_rank(batch, op):
    """`batch` holds images along its first axis; each must be (H, W) or (H, W, C)."""
    if batch.ndim not in (3, 4):
        raise RuntimeError(
            f"{op}: image shape should be <H,W> or <H,W,C>, but got rank: {batch.ndim - 1} "
            f"(shape {batch.shape[1:]})"
        )


def _number(value, op, arg):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"For '{op}', '{arg}' must be a number, but got {type(value).__name__}")
    return float(value)


class _Op:
    """Base of the operations. Each works on a batch of images stacked along a first axis
    (`_apply_batch`); a call on one image runs it on a batch of one. `batch` after `map` uses
    the batch form directly on the source's stacked rows, with the same results, much faster.
    """

    def __call__(self, *inputs):
        if len(inputs) != 1:
            raise TypeError(f"{type(self).__name__} takes one image, but got {len(inputs)} inputs")
        return self._apply_batch(_image(inputs[0], type(self).__name__)[None])[0]

    def __repr__(self):
        return f"{type(self).__name__}()"


class _RandomOp(_Op):
    """Base of the random operations: a generator seeded from the pipeline seed."""

    def __init__(self):
        self._salt = next(_salts)
        self._rng = None
        self._rng_generation = None

    def _random(self):
        return config.op_rng(self)


class Rescale(_Op):
    """``output = image * rescale + shift``, as float32.

    Example:
        >>> Rescale(1.0 / 255.0, 0.0)(np.array([[255]], np.uint8))
        array([[1.]], dtype=float32)
    """

    def __init__(self, rescale, shift):
        self.rescale = _number(rescale, "Rescale", "rescale")
        self.shift = _number(shift, "Rescale", "shift")

    def _apply_batch(self, x):
        # OpenCV's convertTo: float32 multiply, then add (double math for double input).
        if x.dtype == np.float64:
            return (x * self.rescale + self.shift).astype(_F32)
        return x.astype(_F32) * _F32(self.rescale) + _F32(self.shift)


class Normalize(_Op):
    """``output[..., c] = (image[..., c] - mean[c]) / std[c]``, as float32.

    Args:
        mean, std: one value per channel (or one for all), within [0, 255] and (0, 255].
        is_hwc: channels last (True) or first (False).
    """

    def __init__(self, mean, std, is_hwc=True):
        self.mean = self._values(mean, "mean", 0.0, True)
        self.std = self._values(std, "std", 0.0, False)
        if len(self.mean) != len(self.std):
            raise ValueError(
                f"For 'Normalize', 'mean' and 'std' should have the same length, but got "
                f"{len(self.mean)} and {len(self.std)}"
            )
        if not isinstance(is_hwc, bool):
            raise TypeError(
                f"For 'Normalize', 'is_hwc' must be a bool, got {type(is_hwc).__name__}"
            )
        self.is_hwc = is_hwc

    @staticmethod
    def _values(values, arg, low, closed):
        if not isinstance(values, (list, tuple)) or not values:
            raise TypeError(
                f"For 'Normalize', '{arg}' must be a non-empty list or tuple of numbers"
            )
        out = []
        for j, v in enumerate(values):
            v = _number(v, "Normalize", f"{arg}[{j}]")
            if v > 255 or v < low or (v == low and not closed):
                interval = "[0, 255]" if closed else "(0, 255]"
                raise ValueError(
                    f"For 'Normalize', input {arg}[{j}] is not within the required interval of "
                    f"{interval}: got {v}"
                )
            out.append(v)
        return out

    def _apply_batch(self, x):
        _check_rank(x, "Normalize")
        n = len(self.mean)
        channels = 1 if x.ndim == 3 else x.shape[-1 if self.is_hwc else 1]
        if n != 1 and n != channels:
            raise RuntimeError(
                "Normalize: number of channels does not match the size of mean and std vectors, "
                f"got channels: {channels}, size of mean: {n} (image shape {x.shape[1:]})"
            )
        mean = np.asarray(self.mean, _F32)
        std = np.asarray(self.std, _F32)
        if x.ndim == 4 and not self.is_hwc:
            mean, std = mean[:, None, None], std[:, None, None]
        return ((x.astype(_F32) - mean) / std).astype(_F32)


class HWC2CHW(_Op):
    """Move the channels first: (H, W, C) -> (C, H, W); an (H, W) image is returned as is."""

    def _apply_batch(self, x):
        _check_rank(x, "HWC2CHW")
        return x if x.ndim == 3 else np.ascontiguousarray(x.transpose(0, 3, 1, 2))


class ToTensor(_Op):
    """HWC image to CHW, times 1/255: an (H, W) image gives (1, H, W).

    Args:
        output_type: the output dtype (a NumPy or minispore dtype), default float32; the
            scaling is done in float32, as in MindSpore.
    """

    def __init__(self, output_type=np.float32):
        from minispore.dtype import to_numpy_dtype

        self.output_type = to_numpy_dtype(output_type)

    def _apply_batch(self, x):
        _check_rank(x, "ToTensor")
        if x.ndim == 3:
            x = x[..., None]
        out = x.astype(_F32) * _F32(1 / 255)  # a multiply, as MindSpore (not a division)
        return np.ascontiguousarray(out.transpose(0, 3, 1, 2)).astype(self.output_type)


class Resize(_Op):
    """Resize to `size`: (height, width), or an int for the shorter side (the other side keeps
    the aspect ratio, rounded down).

    The values are those of OpenCV's resize, which MindSpore uses, bit for bit for uint8 and
    float32 images with NEAREST, BILINEAR (default), BICUBIC and AREA. ANTIALIAS and PILCUBIC
    (Pillow's filters in MindSpore) are not implemented.
    """

    def __init__(self, size, interpolation=Inter.BILINEAR):
        self.size = _size(size, "Resize")
        if not isinstance(interpolation, Inter):
            raise TypeError(
                f"For 'Resize', 'interpolation' must be a vision.Inter, got {interpolation!r}"
            )
        if interpolation in (Inter.ANTIALIAS, Inter.PILCUBIC):
            raise NotImplementedError(
                f"For 'Resize', Inter.{interpolation.name} (a Pillow filter) is not supported by "
                "minispore; use BILINEAR, NEAREST, BICUBIC or AREA"
            )
        self.interpolation = interpolation

    def _apply_batch(self, x):
        _check_rank(x, "Resize")
        if x.dtype not in (np.uint8, np.float32):
            raise TypeError(
                f"Resize: the image dtype must be uint8 or float32 (the types minispore resizes "
                f"as OpenCV does), but got {x.dtype}"
            )
        h, w = x.shape[1:3]
        if len(self.size) == 2:
            out_h, out_w = self.size
        elif h <= w:
            out_h, out_w = self.size[0], int(w * self.size[0] / h)
        else:
            out_h, out_w = int(h * self.size[0] / w), self.size[0]
        if out_h < 1 or out_w < 1:
            raise ValueError(
                f"Resize: output size ({out_h}, {out_w}) of image {x.shape[1:]} is empty"
            )
        images = x if x.ndim == 4 else x[..., None]
        out = _resize.resize_batch(images, out_h, out_w, int(self.interpolation))
        return out if x.ndim == 4 else out[..., 0]


class RandomHorizontalFlip(_RandomOp):
    """Flip left-right with probability `prob`."""

    def __init__(self, prob=0.5):
        super().__init__()
        prob = _number(prob, "RandomHorizontalFlip", "prob")
        if not 0 <= prob <= 1:
            raise ValueError(f"For 'RandomHorizontalFlip', 'prob' must be in [0, 1], got {prob}")
        self.prob = prob

    def _apply_batch(self, x):
        _check_rank(x, "RandomHorizontalFlip")
        if self.prob == 0:
            return x
        rng = self._random()
        flip = np.array([rng.random() < self.prob for _ in range(len(x))], bool)
        if not flip.any():
            return x
        out = x.copy()
        out[flip] = x[flip][:, :, ::-1]
        return out


class RandomCrop(_RandomOp):
    """Crop a random (height, width) window, after optional padding.

    Args:
        size: an int (square) or (height, width).
        padding: an int (all sides), (left/right, top/bottom) or (left, top, right, bottom).
        pad_if_needed: pad both sides of a dimension smaller than `size` by the difference.
        fill_value: the constant padding value, an int or one per channel (3 values).
        padding_mode: a `Border`: CONSTANT, EDGE, REFLECT or SYMMETRIC.
    """

    def __init__(
        self, size, padding=None, pad_if_needed=False, fill_value=0, padding_mode=Border.CONSTANT
    ):
        super().__init__()
        self.size = _size(size, "RandomCrop")
        if len(self.size) == 1:
            self.size = (self.size[0], self.size[0])
        self.padding = _padding(padding)
        if not isinstance(pad_if_needed, bool):
            raise TypeError("For 'RandomCrop', 'pad_if_needed' must be a bool")
        self.pad_if_needed = pad_if_needed
        fills = fill_value if isinstance(fill_value, (list, tuple)) else (fill_value,)
        if len(fills) not in (1, 3) or not all(is_int(v) and 0 <= v <= 255 for v in fills):
            raise ValueError(
                f"For 'RandomCrop', 'fill_value' must be an int or 3 ints in [0, 255], got "
                f"{fill_value!r}"
            )
        self.fill_value = fill_value
        if not isinstance(padding_mode, Border):
            raise TypeError(
                f"For 'RandomCrop', 'padding_mode' must be a vision.Border, got {padding_mode!r}"
            )
        self.padding_mode = padding_mode

    def _pad(self, x, top, bottom, left, right):
        """Pad a batch of images (rows and columns are axes 1 and 2)."""
        if not (top or bottom or left or right):
            return x
        widths = [(0, 0), (top, bottom), (left, right)] + [(0, 0)] * (x.ndim - 3)
        if self.padding_mode is not Border.CONSTANT:
            return np.pad(x, widths, mode=self.padding_mode.value)
        fills = self.fill_value if isinstance(self.fill_value, (list, tuple)) else None
        if fills is None or x.ndim == 3:
            value = self.fill_value if fills is None else fills[0]
            return np.pad(x, widths, mode="constant", constant_values=value)
        n, h, w, c = x.shape
        out = np.empty((n, h + top + bottom, w + left + right, c), x.dtype)
        out[...] = np.asarray(fills[:c] if c <= 3 else fills[0], x.dtype)
        out[:, top : top + h, left : left + w] = x
        return out

    def _apply_batch(self, x):
        _check_rank(x, "RandomCrop")
        left, top, right, bottom = self.padding
        x = self._pad(x, top, bottom, left, right)
        h, w = self.size
        if self.pad_if_needed:
            dh, dw = max(h - x.shape[1], 0), max(w - x.shape[2], 0)
            x = self._pad(x, dh, dh, dw, dw)
        if h > x.shape[1] or w > x.shape[2]:
            raise RuntimeError(
                "RandomCrop: invalid crop size, crop size is bigger than the image dimensions, "
                f"got crop height: {h}, crop width: {w} for an image of {x.shape[1:3]} after "
                "padding"
            )
        rng = self._random()
        out = np.empty((len(x), h, w) + x.shape[3:], x.dtype)
        for i in range(len(x)):  # the draws of each image in turn: as one image at a time
            y0 = int(rng.integers(0, x.shape[1] - h + 1))
            x0 = int(rng.integers(0, x.shape[2] - w + 1))
            out[i] = x[i, y0 : y0 + h, x0 : x0 + w]
        return out


def _size(size, op):
    values = (size,) if is_int(size) else size
    if not isinstance(values, (list, tuple)) or len(values) not in (1, 2):
        raise TypeError(
            f"For '{op}', 'size' must be an int or a (height, width) pair, got {size!r}"
        )
    for dim, v in enumerate(values):
        if not is_int(v):
            raise TypeError(f"For '{op}', 'size' must hold ints, got {size!r}")
        if not 1 <= v <= INT32_MAX:
            raise ValueError(
                f"For '{op}', input size at dim {dim} is not within the required interval of "
                f"[1, 2147483647]: got {size!r}"
            )
    return tuple(values)


def _padding(padding):
    if padding is None:
        return (0, 0, 0, 0)
    values = (padding,) if is_int(padding) else padding
    if not isinstance(values, (list, tuple)) or len(values) not in (1, 2, 4):
        raise TypeError(
            f"For 'RandomCrop', 'padding' must be an int or 2 or 4 ints, got {padding!r}"
        )
    if not all(is_int(v) and v >= 0 for v in values):
        raise ValueError(
            f"For 'RandomCrop', 'padding' values must be non-negative ints: {padding!r}"
        )
    if len(values) == 1:
        return (values[0],) * 4
    if len(values) == 2:  # (left/right, top/bottom)
        return (values[0], values[1], values[0], values[1])
    return tuple(values)


__all__ = [
    "HWC2CHW",
    "Border",
    "Inter",
    "Normalize",
    "RandomCrop",
    "RandomHorizontalFlip",
    "Rescale",
    "Resize",
    "ToTensor",
]
