"""sRGB → CIELAB (D65) in numpy, and luma: the perceptual spaces the measurements work in.

Why our own 20 lines instead of a colour library: none is installed, the conversion is the textbook one
(IEC 61966-2-1 transfer curve, sRGB→XYZ matrix, CIE 1976 L*a*b*), and a 256-entry lookup table for the
transfer curve makes it fast enough to convert every frame we measure.
"""

from __future__ import annotations

import numpy as np

_levels = np.arange(256, dtype=np.float64) / 255.0
#: sRGB 8-bit code value → linear light.
_LINEAR = np.where(_levels <= 0.04045, _levels / 12.92, ((_levels + 0.055) / 1.055) ** 2.4).astype(np.float32)

# sRGB (linear) → XYZ, each row divided by the D65 white point so white maps to (1, 1, 1).
_RGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
_RGB_TO_XYZN = (_RGB_TO_XYZ / _WHITE_D65[:, None]).T.astype(np.float32)

_EPS = 216 / 24389
_KAPPA = 24389 / 27


def luma(frames: np.ndarray) -> np.ndarray:
    """BT.709 luma of uint8 RGB frames ``(..., 3)`` → ``(...)`` as int16 levels 0–255.

    Fixed-point weights (54, 183, 19)/256, rounded: integer luma makes the frame differences that every
    technical check takes ~10× cheaper than float32, and one level of rounding is far below any threshold.
    """
    rgb = np.asarray(frames, dtype=np.uint8)
    y = rgb[..., 0].astype(np.uint16) * 54
    y += rgb[..., 1].astype(np.uint16) * 183
    y += rgb[..., 2].astype(np.uint16) * 19
    y += 128
    return (y >> 8).astype(np.int16)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (L in 0–100, a and b roughly −128…127) of uint8 sRGB pixels ``(..., 3)``."""
    linear = _LINEAR[np.asarray(rgb, dtype=np.uint8)]
    xyz = linear @ _RGB_TO_XYZN
    f = np.where(xyz > _EPS, np.cbrt(xyz), (_KAPPA * xyz + 16) / 116)
    lab = np.empty_like(f)
    lab[..., 0] = 116 * f[..., 1] - 16
    lab[..., 1] = 500 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200 * (f[..., 1] - f[..., 2])
    return lab
