"""The animatic shows who talks: the speaker's mouth follows a really voiced line's envelope, frame by frame.

A line is voiced by piper (the default voice, real synthesis), measured into mouth openness per frame
(``generator.voice.mouth_openness``) and rendered by the real animatic into an MP4. Each frame is compared
with the same shot rendered without speech (every mouth closed), inside each figure's mouth box.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from generator.animatic import AnimaticBackend
from generator.animatic.frame import ShotDrawing
from generator.base import RenderRequest, SpokenLine
from generator.ffmpeg_tools import read_frames
from generator.voice import Voice, VoicedLine, mouth_openness
from generator.voice.piper_backend import PiperBackend

pytestmark = pytest.mark.slow  # real piper voicing

FPS = 12
START_S = 0.5
LINE = "Who's there? I can hear you breathing."


@pytest.fixture(scope="module")
def voiced() -> VoicedLine:
    return PiperBackend().speak(LINE, Voice(pitch=-2.0, rate=0.95))


def _request(request_factory, voiced: VoicedLine, speaker: str, move: str) -> RenderRequest:
    first, mouth = mouth_openness(voiced.samples, voiced.sample_rate, FPS, START_S)
    frames = first + len(mouth) + round(0.5 * FPS)  # half a second of silence after the line
    return request_factory(
        staging=[
            {"id": "mara", "name": "Mara", "x": 0.3, "facing": "right", "colour": "red"},
            {"id": "tom", "name": "Tom", "x": 0.7, "facing": "camera", "colour": "blue"},
        ],
        shot_size="MS", camera_move=move, frames=frames, fps=FPS,
        speech=[SpokenLine(character=speaker, start_frame=first, mouth=mouth)],
    )  # fmt: skip


def _box_diff(a: np.ndarray, b: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Mean absolute difference of two frames inside ``box`` (pixels, grown by one on each side)."""
    x0, y0, x1, y1 = int(box[0]) - 1, int(box[1]) - 1, int(np.ceil(box[2])) + 1, int(np.ceil(box[3])) + 1
    patch = (slice(max(0, y0), y1), slice(max(0, x0), x1))
    return float(np.abs(a[patch].astype(np.int16) - b[patch].astype(np.int16)).mean())


def _openness(request: RenderRequest) -> np.ndarray:
    (line,) = request.speech
    track = np.zeros(request.frame_count())
    track[line.start_frame : line.start_frame + len(line.mouth)] = line.mouth
    return track


@pytest.mark.parametrize(("speaker", "listener", "move"), [("mara", "tom", "static"), ("tom", "mara", "dolly_in")])
def test_the_speakers_mouth_follows_the_voiced_line_and_the_listeners_does_not_move(
    request_factory, voiced: VoicedLine, speaker: str, listener: str, move: str, tmp_path: Path
) -> None:
    request = _request(request_factory, voiced, speaker, move)
    silent = request.model_copy(update={"speech": ()})
    openness = _openness(request)
    assert openness.max() == 1.0 and (openness[: request.speech[0].start_frame] == 0).all()
    sounding = openness > 0
    pauses = ~sounding[request.speech[0].start_frame : request.speech[0].start_frame + len(request.speech[0].mouth)]
    assert pauses.any(), "the line has pauses between its words, where the mouth should close"

    # The drawn frames, exactly: in silence the speaker's mouth is the closed one; the listener's never moves.
    talking, quiet = ShotDrawing(request), ShotDrawing(silent)
    boxes = [{b.id: b.mouth for b in talking.boxes(i)} for i in range(request.frame_count())]
    for i in range(request.frame_count()):
        a, b = talking.frame(i), quiet.frame(i)
        assert boxes[i][speaker] is not None and boxes[i][listener] is not None
        if not sounding[i]:
            assert np.array_equal(a, b), f"frame {i}: the picture changed while nothing was said"
        elif openness[i] >= 0.25:  # (a barely open mouth is drawn as the closed line)
            assert _box_diff(a, b, boxes[i][speaker]) > 0, f"frame {i}: the mouth stayed shut at {openness[i]}"
        assert _box_diff(a, b, boxes[i][listener]) == 0.0, f"frame {i}: the listener's mouth moved"

    # The encoded take: the speaker's mouth region opens with the envelope (open frames differ from the
    # closed picture, and the difference rises and falls with the loudness), the listener's does not.
    take = AnimaticBackend().render(request, tmp_path / "talking")
    still = AnimaticBackend().render(silent, tmp_path / "quiet")
    assert take.request_hash != still.request_hash
    video, closed = read_frames(take.path), read_frames(still.path)
    spoken = np.array([_box_diff(video[i], closed[i], boxes[i][speaker]) for i in range(len(video))])
    heard = np.array([_box_diff(video[i], closed[i], boxes[i][listener]) for i in range(len(video))])
    wide = openness >= 0.5
    floor = spoken[wide].min()
    assert floor > 8.0, spoken[wide]  # a wide-open mouth is plain to see
    assert spoken[~sounding].max() < floor / 2, (spoken[~sounding], floor)  # closed in silence: codec noise only
    assert heard.max() < floor / 2, (heard, floor)
    assert float(np.corrcoef(spoken, openness)[0, 1]) > 0.8, (spoken, openness)


def test_the_mouth_is_the_lines_loudness_frame_by_frame(voiced: VoicedLine) -> None:
    first, mouth = mouth_openness(voiced.samples, voiced.sample_rate, FPS, START_S)
    assert first == round(START_S * FPS) and len(mouth) == pytest.approx(voiced.duration_s * FPS, abs=1.5)
    # A louder frame never gets a smaller mouth than a quieter one.
    bounds = [round((k / FPS - START_S) * voiced.sample_rate) for k in range(first, first + len(mouth) + 1)]
    x = voiced.samples.astype(np.float64)
    rms = [np.sqrt(np.mean(x[max(0, a) : b] ** 2)) for a, b in itertools.pairwise(bounds)]
    order = np.argsort(rms)
    assert all(np.diff(np.asarray(mouth)[order]) >= 0)
    # Quieter delivery, the same movement: openness is relative to the line's own loudest frame.
    _, soft = mouth_openness(voiced.samples * 0.1, voiced.sample_rate, FPS, START_S)
    assert soft == mouth
    assert mouth_openness(np.zeros(0, np.float32), voiced.sample_rate, FPS, START_S) == (first, ())
