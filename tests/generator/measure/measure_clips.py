"""Synthetic pictures for the critic's measurement tests (encoded by the ``encode`` fixture in conftest.py).

Clips are tiny (160×96, 24 fps, 2–3 s) so the suite stays fast.
"""

from __future__ import annotations

import numpy as np

FPS = 24
W, H = 160, 96


def textured_world(width: int, height: int, *, seed: int = 0) -> np.ndarray:
    """A large, detailed picture to pan and zoom over: a left-to-right brightness ramp, stripes and blobs."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    base = 50 + 120 * xx / width  # darker left, brighter right: panning changes mean brightness smoothly
    stripes = 35 * np.sin(xx / 5.0) * np.cos(yy / 7.0)
    img = np.stack([base + stripes, base * 0.9 + stripes * 0.5, base * 0.8 - stripes * 0.3], axis=-1)
    for _ in range(40):
        cx, cy, r = rng.integers(0, width), rng.integers(0, height), rng.integers(4, 14)
        mask = (xx - cx) ** 2 + (yy - cy) ** 2 < r * r
        img[mask] = rng.integers(20, 230, size=3)
    return np.clip(img, 0, 255).astype(np.uint8)


def pan(frames: int = 72, *, speed: float = 2.0, seed: int = 0) -> np.ndarray:
    """A steady horizontal pan across the textured world (a clean, moving shot)."""
    world = textured_world(W + int(speed * frames) + 4, H, seed=seed)
    return np.stack([world[:, round(t * speed) : round(t * speed) + W] for t in range(frames)])


def zoom(frames: int = 72, *, seed: int = 1) -> np.ndarray:
    """A smooth push-in towards the bright right side of the world (nearest-neighbour resampling)."""
    world = textured_world(4 * W, 4 * H, seed=seed)
    out = []
    for t in range(frames):
        scale = 4.0 - 2.5 * t / max(1, frames - 1)  # from the whole world to a 1.5× crop
        cw, ch = W * scale, H * scale
        x0 = (4 * W - cw) * (0.5 + 0.4 * t / frames)
        y0 = (4 * H - ch) / 2
        xs = np.clip((x0 + (np.arange(W) + 0.5) * cw / W).astype(int), 0, 4 * W - 1)
        ys = np.clip((y0 + (np.arange(H) + 0.5) * ch / H).astype(int), 0, 4 * H - 1)
        out.append(world[np.ix_(ys, xs)])
    return np.stack(out)


def animatic(frames: int, colours: dict[float, tuple[int, int, int]]) -> np.ndarray:
    """An animatic-like take: a grey stage and one coloured figure (a tall box) per x position."""
    clip = np.full((frames, H, W, 3), 128, dtype=np.uint8)
    clip[:, int(H * 0.8) :, :] = 90  # the floor
    for t in range(frames):
        for x, rgb in colours.items():
            cx = int(x * W + 3 * np.sin(t / 6))  # a little sway, as figures breathe
            clip[t, int(H * 0.3) : int(H * 0.85), cx - 8 : cx + 8] = rgb
    return clip
