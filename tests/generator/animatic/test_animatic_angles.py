"""The camera's height changes the animatic's picture (``RenderRequest.camera_height``, ``camera.ANGLES``).

A reshoot note "low angle" sets the shot's ``camera.height``; before, the animatic drew every height as eye level,
so the new take looked like the old one. Now a low camera puts the horizon (floor line indoors) low and the figures
taller, narrower at the head and wider at the feet (seen from below); a high camera puts the horizon high and the
figures smaller, wider at the head (seen from above). Eye level draws what it always drew, under the same key.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from generator.animatic.frame import draw_frame, figure_boxes
from generator.base import RenderRequest, SpokenLine

HEIGHTS = ("ground", "low", "eye", "high", "overhead")
#: sha256 of three eye-level frames of the conftest two-hander with a spoken line, drawn by the animatic as it was
#: before camera heights (e7cd759). A Pillow upgrade that rasterises differently changes it too: check the
#: frames by eye, then update it.
EYE_LEVEL_DIGEST = "18fb7666703cb723595f4cbd3d2378f6507247c92d5505e542e3032d631ca7c1"


def horizon_row(frame: np.ndarray) -> int:
    """The row where the set changes most from one row to the next (sky to ground, wall to floor): the median
    over each row's pixels ignores the figures, the slate and the caption, which cover few columns in a wide."""
    rows = np.median(frame.astype(float), axis=1)
    return int(np.argmax(np.abs(np.diff(rows, axis=0)).sum(axis=1))) + 1


def silhouette(request: RenderRequest) -> np.ndarray:
    """Where the figures are drawn: the pixels that differ from the same shot with nobody staged."""
    empty = request.model_copy(update={"staging": ()})
    return np.abs(draw_frame(request).astype(int) - draw_frame(empty).astype(int)).max(axis=2) > 0


def span(mask: np.ndarray, row: float, x0: float, x1: float) -> int:
    """How wide the figure is drawn on ``row``, between columns ``x0`` and ``x1``."""
    cols = np.flatnonzero(mask[round(row), round(x0) : round(x1) + 1])
    return int(cols[-1] - cols[0] + 1) if cols.size else 0


@pytest.mark.parametrize("location", ["lamp room", "EXT. beach"])
@pytest.mark.parametrize("time_of_day", ["day", "night"])
def test_the_horizon_drops_for_a_low_camera_and_rises_for_a_high_one(request_factory, location: str, time_of_day: str) -> None:
    rows = [horizon_row(draw_frame(request_factory(location=location, time_of_day=time_of_day, camera_height=h))) for h in HEIGHTS]
    assert rows == sorted(rows, reverse=True) and len(set(rows)) == len(rows), dict(zip(HEIGHTS, rows, strict=True))
    height = request_factory().height
    assert rows[1] > 0.7 * height and rows[3] < 0.45 * height, dict(zip(HEIGHTS, rows, strict=True))  # low: near the bottom; high: up top


@pytest.mark.parametrize("size", ["WS", "FS", "MS"])
def test_figures_loom_from_below_and_shrink_from_above(request_factory, size: str) -> None:
    """Measured in the pixels: the drawn figure's height, and its width at the head against at the legs."""
    measured = {}
    for h in ("low", "eye", "high"):
        request = request_factory(shot_size=size, camera_height=h, width=640, height=360)
        mask, box = silhouette(request), figure_boxes(request)[0].box
        rows = np.flatnonzero(mask[:, round(box[0]) : round(box[2]) + 1].any(axis=1))
        top, bottom = float(rows[0]), float(rows[-1])
        figure_h = bottom - top
        head = span(mask, box[1] + 0.04 * (box[3] - box[1]), box[0], box[2])
        legs = span(mask, min(box[1] + 0.8 * (box[3] - box[1]), mask.shape[0] - 1), box[0], box[2])
        measured[h] = (box[3] - box[1], figure_h, head, legs)
    low, eye, high = measured["low"], measured["eye"], measured["high"]
    assert low[0] > eye[0] > high[0], measured  # taller from below, smaller from above
    if size != "MS":  # the whole figure is in a wide: its drawn height says the same
        assert low[1] > eye[1] > high[1], measured
        assert low[3] / low[2] > eye[3] / eye[2] > high[3] / high[2], measured  # feet wider from below, head from above


def test_eye_level_is_the_drawing_and_the_key_it_always_was(request_factory) -> None:
    """Existing takes keep their names and their pixels: eye level is left out of the key, and a low angle is
    another take (another key), not a cache hit."""
    request = request_factory(speech=[SpokenLine(character="mara", start_frame=0, mouth=(0.5, 1.0))])
    assert "camera_height" not in request.model_dump(exclude_defaults=True)
    data = request.model_dump(mode="json")
    del data["props"], data["camera_height"]  # what the key hashed before camera heights (and props) existed
    data["references"] = {}
    assert request.key() == hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    keys = {request.model_copy(update={"camera_height": h}).key() for h in HEIGHTS}
    assert len(keys) == len(HEIGHTS)
    # The frame at eye level as drawn before camera heights existed (commit e7cd759), byte for byte.
    digest = hashlib.sha256(b"".join(draw_frame(request, t).tobytes() for t in (0.0, 0.08, 0.5))).hexdigest()
    assert digest == EYE_LEVEL_DIGEST


def test_an_angle_is_deterministic_and_the_speaker_still_talks(request_factory) -> None:
    line = SpokenLine(character="mara", start_frame=0, mouth=(0.0, 1.0, 1.0))
    request = request_factory(shot_size="MS", camera_height="low", speech=[line])
    first = draw_frame(request, 1 / 12).copy()
    again = draw_frame(RenderRequest.model_validate(request.model_dump()), 1 / 12)
    assert np.array_equal(first, again)
    mouth = figure_boxes(request)[0].mouth
    assert mouth is not None
    x0, y0, x1, y1 = (round(v) for v in mouth)
    closed = draw_frame(request, 0.0)[y0:y1, x0:x1].astype(int)
    assert np.abs(first[y0:y1, x0:x1].astype(int) - closed).max() > 40  # the open mouth is drawn where the box says
