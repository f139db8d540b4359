"""The timeline reads back with OpenTimelineIO and matches the cut: clips, source ranges, transitions, markers."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from generator.assembly import AssemblyResult, DialogueLine, EditClip, EditList, Transition, assemble
from generator.assembly.timeline import available_exports

FPS = 24


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory, takes: dict[str, Path]) -> AssemblyResult:
    clips = (
        EditClip(shot_id="s1-01", path=takes["red"], duration_s=1.5, scene_id="s1", label="take 2",
                 scores={"sharpness": 0.91, "identity": 0.8, "verdict": "pass"},
                 dialogue=(DialogueLine(character="Mara", text="You came back."),)),
        EditClip(shot_id="s1-02", path=takes["blue"], duration_s=1.0, scene_id="s1", scores={"sharpness": 0.5},
                 transition_in=Transition(kind="dissolve", duration_s=0.5)),
        EditClip(shot_id="s2-01", path=takes["green"], duration_s=1.25, scene_id="s2",
                 transition_in=Transition(kind="fade", duration_s=0.5)),
    )  # fmt: skip
    edit = EditList(title="The Keeper", credits=("Made with Dailies",), clips=clips, width=160, height=90, fps=FPS,
                    title_s=1.0, credits_s=1.0)  # fmt: skip
    return assemble(edit, tmp_path_factory.mktemp("timeline") / "keeper.mp4")


def read(cut: AssemblyResult) -> otio.schema.Timeline:
    timeline = otio.adapters.read_from_file(str(cut.otio))
    assert isinstance(timeline, otio.schema.Timeline)
    return timeline


def test_one_clip_per_shot_between_the_cards(cut: AssemblyResult) -> None:
    track = read(cut).video_tracks()[0]
    clips = list(track.find_clips())
    assert [c.name for c in clips] == ["title", "s1-01", "s1-02", "s2-01", "credits"]
    assert read(cut).name == "The Keeper"


def test_the_track_lasts_as_long_as_the_film(cut: AssemblyResult) -> None:
    track = read(cut).video_tracks()[0]
    duration = track.duration()
    assert duration.rate == FPS
    assert duration.to_frames() == cut.frames


def test_source_ranges_meet_at_the_middle_of_the_dissolve(cut: AssemblyResult) -> None:
    track = read(cut).video_tracks()[0]
    by_name = {c.name: c for c in track.find_clips()}
    red, blue, green = by_name["s1-01"], by_name["s1-02"], by_name["s2-01"]
    # red 36 frames, blue 24 frames, 12-frame dissolve: the cut point sits 6 frames into it
    assert (red.source_range.start_time.to_frames(), red.source_range.duration.to_frames()) == (0, 30)
    assert (blue.source_range.start_time.to_frames(), blue.source_range.duration.to_frames()) == (6, 18)
    assert (green.source_range.start_time.to_frames(), green.source_range.duration.to_frames()) == (0, 30)
    (dissolve,) = [t for t in track if isinstance(t, otio.schema.Transition)]
    assert dissolve.transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert (dissolve.in_offset.to_frames(), dissolve.out_offset.to_frames()) == (6, 6)
    assert track.index(dissolve) == track.index(blue) - 1
    assert green.metadata["dailies"]["transition_in"] == {"kind": "fade", "duration_s": 0.5}


def test_shot_clips_point_at_the_original_takes(cut: AssemblyResult, takes: dict[str, Path]) -> None:
    by_name = {c.name: c for c in read(cut).video_tracks()[0].find_clips()}
    reference = by_name["s1-02"].media_reference
    assert isinstance(reference, otio.schema.ExternalReference)
    assert reference.target_url == takes["blue"].resolve().as_uri()
    assert reference.available_range.duration.to_seconds() == pytest.approx(1.0, abs=1 / FPS)


def test_markers_carry_shot_ids_and_critic_scores(cut: AssemblyResult) -> None:
    by_name = {c.name: c for c in read(cut).video_tracks()[0].find_clips()}
    (marker,) = by_name["s1-01"].markers
    assert marker.name == "s1-01"
    assert dict(marker.metadata["dailies"]["scores"]) == {
        "sharpness": 0.91,
        "identity": 0.8,
        "verdict": "pass",
    }
    assert marker.metadata["dailies"]["scene_id"] == "s1"
    assert "sharpness=0.91" in marker.comment
    assert by_name["s1-01"].metadata["dailies"]["label"] == "take 2"
    assert [m.name for m in by_name["s1-02"].markers] == ["s1-02"]
    assert not by_name["title"].markers and not by_name["credits"].markers


@pytest.mark.parametrize(
    ("adapter", "suffix"), [("cmx_3600", ".edl"), ("fcp_xml", ".xml"), ("fcpx_xml", ".fcpxml")]
)
def test_editor_formats_are_written_by_the_required_adapters(
    cut: AssemblyResult, adapter: str, suffix: str
) -> None:
    # The adapters are required dependencies (pyproject.toml): a missing one is a broken install, not a skip.
    assert adapter in available_exports(), f"OTIO adapter {adapter} is not installed; reinstall dailies-studio"
    path = cut.exports[adapter]
    assert path == cut.video.with_suffix(suffix) and path.stat().st_size > 0
    if adapter == "fcpx_xml":
        assert b"<fcpxml" in path.read_bytes()
        return
    back = otio.adapters.read_from_file(
        str(path), adapter_name=adapter, **({"rate": FPS} if adapter == "cmx_3600" else {})
    )
    names = [c.name for c in back.find_clips()]
    for shot in ("s1-01", "s1-02", "s2-01"):
        assert shot in names
