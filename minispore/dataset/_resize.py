"""`cv::resize` of OpenCV 4.11, which MindSpore's `vision.Resize` calls, redone in NumPy.

The results match bit for bit, rounding included, for uint8 and float32 images with the
NEAREST, BILINEAR, BICUBIC and AREA modes (checked against MindSpore 2.10 in
`tests/dataset/test_golden.py`). That takes OpenCV's own arithmetic:

- coordinates: the source position of output pixel d is ``(d + 0.5) * scale - 0.5`` computed in
  double and rounded to float32, with ``scale = 1 / (dst / src)``;
- uint8 images are filtered in fixed point: weights are float32 values times 2048 rounded to
  int16, a row pass gives int32 sums, and the column pass rounds as OpenCV's SIMD code does
  (for bicubic, only on the first multiple-of-8 elements of each output row; its scalar code
  rounds the rest);
- float32 images are filtered in float32 in OpenCV's order of operations;
- exactly halving both sides in BILINEAR mode is done as AREA, as OpenCV does.
"""

from __future__ import annotations

import numpy as np

COEF_BITS = 11
COEF_SCALE = 1 << COEF_BITS  # 2048
NEAREST, BILINEAR, BICUBIC, AREA = 0, 2, 3, 4
_F32 = np.float32


def resize(img, height, width, mode):
    """Resize an (H, W) or (H, W, C) uint8 or float32 image to (height, width)."""
    squeeze = img.ndim == 2
    out = resize_batch((img[:, :, None] if squeeze else img)[None], height, width, mode)[0]
    return out[:, :, 0] if squeeze else out


def resize_batch(src, height, width, mode):
    """Resize each image of an (N, H, W, C) batch, exactly as `resize` does one."""
    src_h, src_w = src.shape[1:3]
    inv_x, inv_y = width / src_w, height / src_h
    scale_x, scale_y = 1.0 / inv_x, 1.0 / inv_y
    if mode == NEAREST:
        out = _nearest(src, height, width, scale_x, scale_y)
    else:
        iscale_x, iscale_y = int(np.rint(scale_x)), int(np.rint(scale_y))
        eps = np.finfo(np.float64).eps
        area_fast = abs(scale_x - iscale_x) < eps and abs(scale_y - iscale_y) < eps
        if mode == BILINEAR and area_fast and iscale_x == 2 and iscale_y == 2:
            mode = AREA
        if mode == AREA and scale_x >= 1 and scale_y >= 1:
            if area_fast:
                out = _area_fast(src, height, width, iscale_x, iscale_y)
            else:
                out = _area(src, height, width, scale_x, scale_y)
        else:
            out = _separable(src, height, width, mode, (scale_x, inv_x), (scale_y, inv_y))
    return out


def _nearest(src, height, width, scale_x, scale_y):
    xs = np.minimum(np.floor(np.arange(width) * scale_x).astype(np.int64), src.shape[2] - 1)
    ys = np.minimum(np.floor(np.arange(height) * scale_y).astype(np.int64), src.shape[1] - 1)
    return src[:, ys][:, :, xs]


def _cubic_weights(f):
    """OpenCV's interpolateCubic (A = -0.75), in float32, for a vector of fractions."""
    a = _F32(-0.75)
    one = _F32(1)
    x1 = f + one
    c0 = ((a * x1 - _F32(5) * a) * x1 + _F32(8) * a) * x1 - _F32(4) * a
    c1 = ((a + _F32(2)) * f - (a + _F32(3))) * f * f + one
    g = one - f
    c2 = ((a + _F32(2)) * g - (a + _F32(3))) * g * g + one
    c3 = one - c0 - c1 - c2
    return np.stack([c0, c1, c2, c3], axis=-1)


def _axis(dst_n, src_n, scales, mode, clamp):
    """Source offsets (first tap) and float32 weights along one axis, as cv::resize makes them;
    `clamp` is OpenCV's edge rule for x (the y offsets are clipped later, per tap)."""
    scale, inv_scale = scales
    d = np.arange(dst_n, dtype=np.float64)
    if mode == AREA:  # AREA when enlarging: a bilinear variant
        s = np.floor(d * scale)
        f = ((d + 1) - (s + 1) * inv_scale).astype(_F32)
        f = np.where(f <= 0, _F32(0), f - np.floor(f)).astype(_F32)
    else:
        f = ((d + 0.5) * scale - 0.5).astype(_F32)
        s = np.floor(f)
        f = (f - s.astype(_F32)).astype(_F32)
    s = s.astype(np.int64)
    if mode == BICUBIC:
        return s - 1, _cubic_weights(f)
    if clamp:
        low, high = s < 0, s >= src_n - 1
        f = np.where(low | high, _F32(0), f)
        s = np.where(low, 0, np.where(high, src_n - 1, s))
    return s, np.stack([_F32(1) - f, f], axis=-1).astype(_F32)


def _fixed(weights):
    # saturate_cast<short>(w * 2048): round half to even
    return np.rint(weights * _F32(COEF_SCALE)).astype(np.int64)


def _separable(src, height, width, mode, xs, ys):
    _, src_h, src_w, cn = src.shape
    x0, wx = _axis(width, src_w, xs, mode, clamp=True)
    y0, wy = _axis(height, src_h, ys, mode, clamp=False)
    taps = wx.shape[1]
    xi = np.clip(x0[:, None] + np.arange(taps), 0, src_w - 1)  # (width, taps)
    yi = np.clip(y0[:, None] + np.arange(taps), 0, src_h - 1)  # (height, taps)
    if src.dtype == np.uint8:
        rows = _row_pass_int(src, xi, _fixed(wx))
        return _column_pass_u8(rows, yi, _fixed(wy), mode)
    rows = _row_pass_float(src.astype(_F32, copy=False), xi, wx)
    return _column_pass_f32(rows, yi, wy, mode)


def _row_pass_int(src, xi, alpha):
    """Fixed-point row pass: int sums of taps times int16 weights, (N, src_h, width, cn)."""
    s = src.astype(np.int64)
    out = np.zeros(src.shape[:2] + (xi.shape[0], src.shape[3]), np.int64)
    for k in range(xi.shape[1]):
        out += s[:, :, xi[:, k], :] * alpha[:, k, None]
    return _wrap32(out)


def _row_pass_float(src, xi, alpha):
    """Float32 row pass, summing the taps left to right as OpenCV does."""
    out = src[:, :, xi[:, 0], :] * alpha[:, 0, None]
    for k in range(1, xi.shape[1]):
        out = out + src[:, :, xi[:, k], :] * alpha[:, k, None]
    return out


def _wrap32(v):
    return ((v + 2**31) % 2**32) - 2**31


def _vector_mask(width_total, lanes):
    """Which elements of an output row OpenCV's SIMD loop writes: the first multiple of
    `lanes`; the rest are done by its scalar loop."""
    return np.arange(width_total) < (width_total // lanes) * lanes


def _column_pass_u8(rows, yi, beta, mode):
    height = yi.shape[0]
    n, _, width, cn = rows.shape
    flat = rows.reshape(n, rows.shape[1], width * cn)
    vec = _vector_mask(width * cn, 8)
    out = np.empty((n, height, width * cn), np.uint8)
    for dy in range(height):
        taps = [flat[:, yi[dy, k]] for k in range(yi.shape[1])]
        b = beta[dy]
        if mode != BICUBIC:
            # OpenCV's SIMD rounding, (((b0 * (S0 >> 4)) >> 16) + ((b1 * (S1 >> 4)) >> 16) + 2)
            # >> 2, matches MindSpore on every element of the row.
            t = [(b[k] * np.clip(taps[k] >> 4, -32768, 32767)) >> 16 for k in range(2)]
            out[:, dy] = np.clip((t[0] + t[1] + 2) >> 2, 0, 255)
            continue
        # Bicubic: the SIMD loop (the first multiple of 8 elements) sums in float32,
        # S0*b0 + (S1*b1 + (S2*b2 + S3*b3)), and rounds half to even; the scalar loop (the
        # rest) sums in int32 and rounds half up (FixedPtCast<int, uchar, 22>).
        bf = (b.astype(_F32) * _F32(1.0 / (COEF_SCALE * COEF_SCALE))).astype(_F32)
        tf = [t.astype(_F32) for t in taps]
        v = tf[3] * bf[3]
        for k in (2, 1, 0):
            v = tf[k] * bf[k] + v
        vector = np.clip(np.rint(v), -32768, 32767)
        acc = _wrap32(sum(taps[k] * b[k] for k in range(4)))
        scalar = _wrap32(acc + (1 << 21)) >> 22
        out[:, dy] = np.clip(np.where(vec, vector, scalar), 0, 255)
    return out.reshape(n, height, width, cn)


def _column_pass_f32(rows, yi, beta, mode):
    height = yi.shape[0]
    n, _, width, cn = rows.shape
    flat = rows.reshape(n, rows.shape[1], width * cn)
    out = np.empty((n, height, width * cn), _F32)
    vec = _vector_mask(width * cn, 4) if mode == BICUBIC else None
    for dy in range(height):
        taps = [flat[:, yi[dy, k]] for k in range(yi.shape[1])]
        b = beta[dy]
        left = taps[0] * b[0]
        for k in range(1, len(taps)):
            left = left + taps[k] * b[k]
        if vec is None:
            out[:, dy] = left
        else:  # the SIMD loop nests the other way: S0*b0 + (S1*b1 + (S2*b2 + S3*b3))
            right = taps[3] * b[3]
            for k in (2, 1, 0):
                right = taps[k] * b[k] + right
            out[:, dy] = np.where(vec, right, left)
    return out.reshape(n, height, width, cn)


def _area_fast(src, height, width, sx, sy):
    """AREA for integer factors: block means; uint8 halving rounds (sum + 2) >> 2."""
    n, cn = src.shape[0], src.shape[3]
    blocks = src[:, : height * sy, : width * sx].reshape(n, height, sy, width, sx, cn)
    if src.dtype == np.uint8:
        total = blocks.astype(np.int64).sum(axis=(2, 4))
        if sx == 2 and sy == 2 and cn in (1, 3, 4):
            return ((total + 2) >> 2).astype(np.uint8)
        mean = total.astype(_F32) * _F32(1.0 / (sx * sy))
        return np.clip(np.rint(mean), 0, 255).astype(np.uint8)
    terms = [blocks[:, :, i, :, j] for i in range(sy) for j in range(sx)]
    scale = _F32(1.0 / (sx * sy))
    generic = _unrolled_sum(terms) * scale
    if sx == 2 and sy == 2 and cn in (1, 4):  # SIMD: (a + b) + (c + d), 4 floats at a time
        simd = ((terms[0] + terms[1]) + (terms[2] + terms[3])) * scale
        vec = _vector_mask(width * cn, 4).reshape(width, cn)
        return np.where(vec, simd, generic).astype(_F32)
    return generic.astype(_F32)


def _unrolled_sum(terms):
    """OpenCV's unrolled sum: sum += t0 + t1 + t2 + t3 per group of four, then the rest."""
    total = np.zeros_like(terms[0])
    k = 0
    while k + 4 <= len(terms):
        total = total + (((terms[k] + terms[k + 1]) + terms[k + 2]) + terms[k + 3])
        k += 4
    for t in terms[k:]:
        total = total + t
    return total


def _area_table(src_n, dst_n, scale):
    """computeResizeAreaTab: (destination, source, weight) triples for shrinking one axis."""
    table = []
    for d in range(dst_n):
        f1 = d * scale
        f2 = f1 + scale
        cell = min(scale, src_n - f1)
        s1, s2 = int(np.ceil(f1)), int(np.floor(f2))
        s2 = min(s2, src_n - 1)
        s1 = min(s1, s2)
        if s1 - f1 > 1e-3:
            table.append((d, s1 - 1, _F32((s1 - f1) / cell)))
        for s in range(s1, s2):
            table.append((d, s, _F32(1.0 / cell)))
        if f2 - s2 > 1e-3:
            table.append((d, s2, _F32(min(min(f2 - s2, 1.0), cell) / cell)))
    return table


def _area(src, height, width, scale_x, scale_y):
    """AREA for non-integer shrinking: weighted box sums in float32, in OpenCV's order."""
    n, cn = src.shape[0], src.shape[3]
    s = src.astype(_F32)
    buf = np.zeros((n, src.shape[1], width, cn), _F32)
    for d, k, w in _area_table(src.shape[2], width, scale_x):
        buf[:, :, d] = buf[:, :, d] + s[:, :, k] * w
    out = np.zeros((n, height, width, cn), _F32)
    started = np.zeros(height, bool)
    for d, k, w in _area_table(src.shape[1], height, scale_y):
        if started[d]:
            out[:, d] = out[:, d] + w * buf[:, k]
        else:
            out[:, d], started[d] = w * buf[:, k], True
    if src.dtype == np.uint8:
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return out
