"""The animatic checked frame by frame: staging, shot size, caption, light and camera show in the pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.animatic import AnimaticBackend, draw_frame, figure_boxes
from generator.base import CAMERA_MOVES
from generator.ffmpeg_tools import read_frames


def colour_mask(frame: np.ndarray, colour: tuple[int, int, int], tolerance: float) -> np.ndarray:
    diff = frame.astype(np.int32) - np.asarray(colour, np.int32)
    return np.sqrt((diff**2).sum(axis=-1)) < tolerance


def centroid_x(mask: np.ndarray) -> float:
    _, xs = np.nonzero(mask)
    assert xs.size > 0, "colour not found in the frame"
    return float(xs.mean())


def luminance(frame: np.ndarray) -> float:
    return float((frame.astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722], np.float32)).mean())


def test_figures_stand_on_the_planned_side_of_the_decoded_video(request_factory, tmp_path: Path) -> None:
    request = request_factory()
    take = AnimaticBackend().render(request, tmp_path)
    frames = read_frames(take.path)
    assert frames.shape == (12, 180, 320, 3)
    frame = frames[6]
    boxes = {b.id: b for b in figure_boxes(request, t=0.5)}
    mara_x = centroid_x(colour_mask(frame, boxes["mara"].colour, 60))
    tom_x = centroid_x(colour_mask(frame, boxes["tom"].colour, 60))
    assert mara_x < 320 / 2 < tom_x
    for cid, x in (("mara", mara_x), ("tom", tom_x)):
        left, _, right, _ = boxes[cid].box
        assert left <= x <= right, (
            f"{cid}'s colour centre {x:.0f} is outside its planned box {left:.0f}…{right:.0f}"
        )


def test_swapping_the_staging_swaps_the_sides(request_factory) -> None:
    request = request_factory(
        staging=[
            {"id": "mara", "x": 0.8, "facing": "left", "colour": "red"},
            {"id": "tom", "x": 0.2, "facing": "right", "colour": "blue"},
        ]
    )
    frame = draw_frame(request)
    assert (
        centroid_x(colour_mask(frame, (255, 0, 0), 30))
        > 160
        > centroid_x(colour_mask(frame, (0, 0, 255), 30))
    )


def test_figure_size_grows_from_wide_to_close_up(request_factory) -> None:
    sizes = ["EWS", "WS", "FS", "MS", "CU", "ECU"]
    heights, areas = [], []
    for size in sizes:
        request = request_factory(
            shot_size=size, staging=[{"id": "mara", "x": 0.5, "facing": "camera", "colour": "red"}]
        )
        box = figure_boxes(request)[0]
        heights.append(box.box[2] - box.box[0])  # shoulder width (the torso of an ECU is off screen)
        areas.append(int(colour_mask(draw_frame(request), (255, 0, 0), 30).sum()))
    assert heights == sorted(heights) and len(set(heights)) == len(heights), dict(
        zip(sizes, heights, strict=True)
    )
    ws, ms, cu = areas[1], areas[3], areas[4]
    assert ws < ms < cu, dict(zip(sizes, areas, strict=True))


def test_wide_shows_the_whole_figure_and_close_up_crops_it(request_factory) -> None:
    one = [{"id": "mara", "x": 0.5, "facing": "camera"}]
    wide = figure_boxes(request_factory(shot_size="WS", staging=one))[0].box
    close = figure_boxes(request_factory(shot_size="CU", staging=one))[0].box
    assert wide[1] > 0 and wide[3] < 180, "a wide shot shows head to feet inside the frame"
    assert close[3] == 180, "a close-up runs off the bottom of the frame (head and shoulders)"


def test_caption_is_drawn_at_the_bottom(request_factory) -> None:
    silent = draw_frame(request_factory(caption=""))
    spoken = draw_frame(request_factory(caption="MARA: You came back."))
    diff = np.abs(silent.astype(np.int16) - spoken.astype(np.int16)).sum(axis=-1)
    bottom, top = diff[int(180 * 0.7) :], diff[: int(180 * 0.5)]
    assert (bottom > 60).sum() > 150, "caption text changes many pixels in the bottom strip"
    assert top.max() == 0, "the caption touches nothing in the upper half"


def test_slate_shows_the_take(request_factory) -> None:
    one = draw_frame(request_factory(slate={"scene": "s1", "shot": "s1-01", "take": 1}))
    two = draw_frame(request_factory(slate={"scene": "s1", "shot": "s1-01", "take": 2}))
    changed = np.nonzero(np.abs(one.astype(np.int16) - two.astype(np.int16)).sum(axis=-1))
    assert changed[0].size > 0
    assert changed[0].max() < 180 * 0.25 and changed[1].max() < 320 * 0.5, "only the top-left slate changes"


@pytest.mark.parametrize("location", ["lamp room", "harbour street"])
def test_night_is_darker_than_day_and_dusk_is_warm(request_factory, location: str) -> None:
    day = draw_frame(request_factory(time_of_day="day", location=location))
    night = draw_frame(request_factory(time_of_day="night", location=location))
    dusk = draw_frame(request_factory(time_of_day="dusk", location=location))
    assert luminance(night) < 0.6 * luminance(day)
    red_blue = lambda f: float(f[..., 0].mean() - f[..., 2].mean())  # noqa: E731
    assert red_blue(dusk) > red_blue(day)


def test_facing_shows_in_the_eyes(request_factory) -> None:
    eye = (20, 20, 28)
    for facing, side in (("right", 1), ("left", -1), ("camera", 0)):
        request = request_factory(shot_size="CU", staging=[{"id": "mara", "x": 0.5, "facing": facing}])
        box = figure_boxes(request)[0]
        centre = (box.box[0] + box.box[2]) / 2
        x = centroid_x(colour_mask(draw_frame(request), eye, 4))
        if side:
            assert (x - centre) * side > 3, f"eyes should sit toward the {facing}"
        else:
            assert abs(x - centre) < 3, "facing camera: eyes centred"
    away = request_factory(shot_size="CU", staging=[{"id": "mara", "x": 0.5, "facing": "away"}])
    assert not colour_mask(draw_frame(away), eye, 4).any(), "facing away: no eyes"


@pytest.mark.parametrize("move", [m for m in CAMERA_MOVES if m != "static"])
def test_every_camera_move_changes_the_frame_over_time(request_factory, move: str) -> None:
    request = request_factory(camera_move=move, frames=24)
    first, last = draw_frame(request, 0.0), draw_frame(request, 23 / 12)
    assert np.abs(first.astype(np.int16) - last.astype(np.int16)).mean() > 1.0


def test_static_shot_does_not_move(request_factory, tmp_path: Path) -> None:
    request = request_factory(frames=10)
    frames = [draw_frame(request, i / 12) for i in range(10)]
    assert all(np.array_equal(frames[0], f) for f in frames)
    decoded = read_frames(AnimaticBackend().render(request, tmp_path).path)
    assert np.abs(decoded[0].astype(np.int16) - decoded[-1].astype(np.int16)).mean() < 1.0  # codec noise only


def test_pan_moves_the_figures_across_the_frame(request_factory) -> None:
    request = request_factory(camera_move="pan_left", frames=24)
    start, end = figure_boxes(request, 0.0)[0].torso, figure_boxes(request, 23 / 12)[0].torso
    assert end[0] > start[0] + 20, "panning left carries the subject to the right of the frame"


def test_handheld_is_repeatable_and_seeded(request_factory) -> None:
    a = draw_frame(request_factory(camera_move="handheld", seed=1), 0.5)
    again = draw_frame(request_factory(camera_move="handheld", seed=1), 0.5)
    other = draw_frame(request_factory(camera_move="handheld", seed=2), 0.5)
    assert np.array_equal(a, again)
    assert not np.array_equal(a, other)


def test_a_character_keeps_its_look_across_shots(request_factory) -> None:
    one = figure_boxes(request_factory(staging=[{"id": "ines", "x": 0.3}]))[0]
    two = figure_boxes(request_factory(shot_size="CU", staging=[{"id": "ines", "x": 0.6}]))[0]
    other = figure_boxes(request_factory(staging=[{"id": "otto", "x": 0.3}]))[0]
    assert one.colour == two.colour != other.colour


def test_time_of_day_words() -> None:
    from generator.animatic.palette import is_exterior, time_key

    cases = {"NIGHT": "night", "late night": "night", "dawn": "dawn", "early morning": "dawn", "sunset": "dusk",
             "late afternoon": "dusk", "day": "day", "noon": "day", "": "day"}  # fmt: skip
    assert {k: time_key(k) for k in cases} == cases
    assert (
        is_exterior("EXT. HARBOUR - DAWN")
        and is_exterior("harbour street")
        and not is_exterior("INT. LAMP ROOM")
        and is_exterior("The hillside farm") and is_exterior("snowy Tokyo market")
    )
