"""The film itself: decoded with ffmpeg, checked for length, streams, frames at the cuts, sound and subtitles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator.assembly import (
    AssemblyResult,
    DialogueLine,
    EditClip,
    EditList,
    Transition,
    assemble,
    plan_cut,
)
from generator.assembly import fonts as font_lookup
from generator.assembly.subtitles import parse_times
from generator.ffmpeg_tools import probe

FPS = 24


def story(takes: dict[str, Path], **changes: object) -> EditList:
    """Title 1 s, red 1.5 s (two lines), blue 1 s dissolving in over 0.5 s, green 1.25 s fading in, credits 1.5 s."""
    clips = (
        EditClip(shot_id="s1-01", path=takes["red"], duration_s=1.5, scene_id="s1", scores={"sharpness": 0.91},
                 dialogue=(DialogueLine(character="Mara", text="You came back."),
                           DialogueLine(character="Tom", text="I never left."))),
        EditClip(shot_id="s1-02", path=takes["blue"], duration_s=1.0, scene_id="s1",
                 transition_in=Transition(kind="dissolve", duration_s=0.5)),
        EditClip(shot_id="s2-01", path=takes["green"], duration_s=1.25, scene_id="s2",
                 transition_in=Transition(kind="fade", duration_s=0.5),
                 dialogue=(DialogueLine(character="Mara", text="Good."),)),
    )  # fmt: skip
    fields: dict[str, object] = dict(
        title="The Keeper", credits=("Created by Ana", "Made with Dailies"), clips=clips, width=160, height=90,
        fps=FPS, title_s=1.0, credits_s=1.5, credits_transition=Transition(kind="fade", duration_s=0.5),
    )  # fmt: skip
    fields.update(changes)
    return EditList(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cut_and_progress(
    tmp_path_factory: pytest.TempPathFactory, takes: dict[str, Path]
) -> tuple[AssemblyResult, list[tuple[float, str]]]:
    out = tmp_path_factory.mktemp("cut") / "keeper.mp4"
    seen: list[tuple[float, str]] = []
    return assemble(story(takes), out, progress=lambda f, m: seen.append((f, m))), seen


@pytest.fixture(scope="module")
def cut(cut_and_progress: tuple[AssemblyResult, list[tuple[float, str]]]) -> AssemblyResult:
    return cut_and_progress[0]


def test_length_is_the_planned_sum_minus_the_dissolve(cut: AssemblyResult, media) -> None:
    planned = 1.0 + 1.5 + 1.0 - 0.5 + 1.25 + 1.5
    info = probe(cut.video, ffmpeg=media.exe)
    assert abs(info.duration_s - planned) <= 1 / FPS
    assert info.frames == cut.frames == round(planned * FPS)
    assert (info.width, info.height, info.fps) == (160, 90, FPS)
    assert abs(len(media.audio(cut.video)) / 48_000 - planned) <= 1 / FPS


def test_streams_are_h264_aac_and_mov_text_with_faststart(cut: AssemblyResult, media) -> None:
    assert media.streams(cut.video) == ["video:h264", "audio:aac", "subtitle:mov_text"]
    header = media.header(cut.video)
    assert "48000 Hz, stereo" in header and "title           : The Keeper" in header
    data = cut.video.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "faststart puts the index before the media"


def test_frames_at_the_cuts_come_from_the_right_takes(cut: AssemblyResult, media) -> None:
    frames = media.frames(cut.video)
    colour = [media.colour_of(f) for f in frames]
    # title 0–23 | red 24–59 | blue 48–71 dissolving over 48–59, fading out 66–71 | green 72–101 fading in
    # 72–77, out 96–101 | credits 102–137 fading in 102–107
    assert colour[23] == "black" and colour[24] == "red"
    assert colour[47] == "red", "the last frame before the dissolve is still the red take"
    assert colour[60] == "blue", "the first frame after the dissolve is the blue take"
    mid = frames[54, 40:50, 70:90].reshape(-1, 3).mean(axis=0)
    assert mid[0] > 60 and mid[2] > 60, "halfway through the dissolve both takes show"
    red_blue = [(int(f[40:50, 70:90, 0].mean()), int(f[40:50, 70:90, 2].mean())) for f in frames[46:62]]
    crossing = next(i for i, (r, b) in enumerate(red_blue, start=46) if b > r)
    assert crossing in (54, 55), f"the dissolve's midpoint is at frame 53.5, blue overtook red at {crossing}"
    assert colour[65] == "blue" and colour[80] == "green"
    assert frames[71].mean() < frames[65].mean(), "blue fades out to black before green"
    assert frames[72].mean() < frames[80].mean(), "green fades in from black"
    assert frames[101].mean() < frames[90].mean(), "green fades out before the credits"
    assert colour[-1] == "black"


def test_letterbox_keeps_a_4_3_take_whole_and_pads_black(cut: AssemblyResult, media) -> None:
    frame = media.frames(cut.video)[65]  # the 120×90 blue take in a 160×90 film: pillarboxed 20 px each side
    assert frame[:, :15].mean() < 20 and frame[:, -15:].mean() < 20
    assert media.colour_of(frame) == "blue"


def test_a_take_without_sound_gets_silence_and_sound_is_kept_elsewhere(cut: AssemblyResult, media) -> None:
    audio = media.audio(cut.video).astype(np.float64)
    second = 48_000

    def loudness(start_s: float, end_s: float) -> float:
        return float(np.sqrt((audio[int(start_s * second) : int(end_s * second)] ** 2).mean()))

    assert loudness(0.1, 0.9) < 30, "the title card is silent"
    assert loudness(1.1, 1.9) > 1000, "the red take's tone is heard"
    assert loudness(2.55, 2.95) < 30, "the blue take had no sound: silence, not an error"
    assert loudness(3.3, 3.9) > 1000, "the green take's tone is heard"


def test_subtitles_split_each_shot_and_match_the_soft_track(cut: AssemblyResult, media) -> None:
    srt = cut.srt.read_text(encoding="utf-8")
    vtt = cut.vtt.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    times = parse_times(srt)
    assert parse_times(vtt) == times
    # red is alone on screen from 1.000 s to the middle of the dissolve (2.250 s); two lines share it by length
    first, second, third = times
    assert first[0] == 1000 and second[1] == 2250 and first[1] == second[0]
    weights = (len("MARA: You came back.") - len("MARA: ") + 12, len("I never left.") + 12)
    assert first[1] == round(1000 + 1250 * weights[0] / sum(weights))
    assert third == (3000, 4250), "green's line lasts from its first frame to its last"
    assert "MARA: You came back." in srt and "TOM: I never left." in srt
    assert parse_times(media.subtitle_track(cut.video)) == times


def test_progress_goes_from_zero_to_one(
    cut_and_progress: tuple[AssemblyResult, list[tuple[float, str]]],
) -> None:
    seen = cut_and_progress[1]
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(message for _, message in seen)


def test_outputs_sit_beside_the_film_and_no_temp_file_is_left(cut: AssemblyResult) -> None:
    folder = cut.video.parent
    assert {cut.srt.name, cut.vtt.name, cut.otio.name} == {"keeper.srt", "keeper.vtt", "keeper.otio"}
    assert not [p.name for p in folder.iterdir() if ".part" in p.name]


def test_without_dialogue_there_is_no_subtitle_stream(tmp_path: Path, takes: dict[str, Path], media) -> None:
    edit = EditList(clips=(EditClip(shot_id="a", path=takes["yellow"], duration_s=0.5),), width=160, height=90,
                    title_s=0, credits_s=0)  # fmt: skip
    result = assemble(edit, tmp_path / "quiet.mp4")
    assert media.streams(result.video) == ["video:h264", "audio:aac"]
    assert result.srt.read_text(encoding="utf-8") == "" and result.cues == ()
    assert any("no subtitle stream" in n for n in result.notes)
    assert result.frames == 12


@pytest.mark.parametrize("bundled_font", [False, True], ids=["system-font", "pillow-font"])
def test_burn_in_draws_the_subtitles_into_the_picture(
    tmp_path: Path, takes: dict[str, Path], media, monkeypatch: pytest.MonkeyPatch, bundled_font: bool
) -> None:
    if bundled_font:
        monkeypatch.setattr(font_lookup, "SYSTEM_FONTS", ())
    edit = EditList(clips=(EditClip(shot_id="a", path=takes["blue"], duration_s=1.0,
                                    dialogue=(DialogueLine(character="Mara", text="WWWW WWWW WWWW"),)),),
                    width=320, height=180, title_s=0, credits_s=0)  # fmt: skip
    plain = assemble(edit, tmp_path / "plain.mp4", cache_dir=tmp_path / "cache")
    burnt = assemble(edit, tmp_path / "burnt.mp4", cache_dir=tmp_path / "cache", burn_in=True)
    band = slice(140, 180)  # bottom of the frame, where subtitles sit
    assert media.frames(plain.video)[12, band, :, 0].max() < 60
    assert media.frames(burnt.video)[12, band, :, 0].max() > 200, (
        "white subtitle text is drawn over the blue take"
    )
    assert media.streams(burnt.video)[-1] == "subtitle:mov_text", "burnt-in films keep the soft track too"
    assert burnt.burn_in is not None and plain.burn_in is None
    if bundled_font:
        assert "Pillow" in burnt.burn_in
        assert any("no system font" in n for n in burnt.notes)
    assert burnt.reused == ("a",), "the second cut reuses the conformed take"


def test_the_plan_and_the_result_agree(cut: AssemblyResult, takes: dict[str, Path]) -> None:
    assert plan_cut(story(takes)).total_frames == cut.frames
    assert cut.duration_s == pytest.approx(cut.frames / FPS)
