"""A soundtrack replaces the takes' audio: the film's sound is the mix, the stems are audio tracks of the
timeline and of the editor exports (EDL, FCP XML, FCPX XML), and voiced lines time the subtitles."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest

from generator.assembly import (
    AssemblyResult,
    DialogueLine,
    EditClip,
    EditList,
    Soundtrack,
    assemble,
    plan_cut,
)
from generator.assembly.subtitles import parse_times
from generator.assembly.timeline import available_exports
from generator.sound import STEMS, read_audio, write_wav

FPS, SR = 24, 48_000


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory, takes: dict[str, Path]) -> tuple[AssemblyResult, dict[str, np.ndarray]]:
    folder = tmp_path_factory.mktemp("soundtrack")
    clips = (
        EditClip(shot_id="s1-01", path=takes["red"], duration_s=1.5,  # the red take has a 440 Hz tone of its own
                 dialogue=(DialogueLine(character="Mara", text="You came back.", start_s=0.25, end_s=1.1),)),
        EditClip(shot_id="s1-02", path=takes["green"], duration_s=1.25),
    )  # fmt: skip
    edit = EditList(title="The Keeper", clips=clips, width=160, height=90, fps=FPS, title_s=1.0, credits_s=1.0)
    n = round(plan_cut(edit).duration_s * SR)
    t = np.arange(n) / SR
    stems = {"dialogue": 0.2 * np.sin(2 * np.pi * 150 * t), "ambience": 0.05 * np.sin(2 * np.pi * 1000 * t),
             "music": 0.1 * np.sin(2 * np.pi * 330 * t)}  # fmt: skip
    paths = {name: write_wav(folder / f"{name}.wav", stems[name].astype(np.float32), SR) for name in STEMS}
    mix = write_wav(folder / "mix.wav", sum(stems.values()).astype(np.float32), SR)
    sound = Soundtrack(mix=mix, stems=paths, key="test-mix-1")
    return assemble(edit.model_copy(update={"soundtrack": sound}), folder / "keeper.mp4"), stems


def test_the_films_audio_is_the_mix_not_the_takes(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    result, stems = cut
    heard = read_audio(result.video, SR)
    mix = sum(stems.values())
    n = min(len(heard), len(mix))
    assert abs(len(heard) - len(mix)) < SR // 20
    assert float(np.corrcoef(heard[:n], mix[:n])[0, 1]) > 0.98  # the red take's 440 Hz tone is gone
    # mono mix to both channels at −3 dB: the decoded (downmixed) film is the mix's level
    assert np.sqrt(np.mean(heard[:n] ** 2)) == pytest.approx(np.sqrt(np.mean(mix[:n] ** 2)), rel=0.1)


def test_the_stems_are_audio_tracks_of_the_timeline_and_the_fcp_xml(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    result, _ = cut
    timeline = otio.adapters.read_from_file(str(result.otio))
    audio = timeline.audio_tracks()
    assert [t.name for t in audio] == ["A1 dialogue", "A2 ambience", "A3 music"]
    assert all(len(list(t.find_clips())) == 1 for t in audio)


def _required_export(result: AssemblyResult, adapter: str) -> Path:
    # The adapters are required dependencies (pyproject.toml): a missing one is a broken install, not a skip.
    assert adapter in available_exports(), f"OTIO adapter {adapter} is not installed; reinstall dailies-studio"
    assert adapter in result.exports, f"the cut wrote no {adapter} export"
    path = result.exports[adapter]
    assert path.is_file() and path.stat().st_size > 0
    return path


def test_the_stems_are_audio_clips_of_the_fcp_xml(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    """FCP 7 XML: one audio track per stem, its clip's file the stem's WAV (audio media), in stem order."""
    result, _ = cut
    sequence = ET.parse(_required_export(result, "fcp_xml")).getroot().find("./project/children/sequence")
    assert sequence is not None
    tracks = sequence.findall("./media/audio/track")
    assert len(tracks) == len(STEMS)
    for track, stem in zip(tracks, STEMS, strict=True):
        (item,) = track.findall("./clipitem")
        assert item.findtext("name") == stem
        file = item.find("file")
        assert file is not None and file.find("./media/audio") is not None and file.find("./media/video") is None
        assert (file.findtext("pathurl") or "").endswith(f"/{stem}.wav")
    pictures = [f.findtext("pathurl") or "" for f in sequence.iterfind("./media/video/track/clipitem/file")]
    assert pictures and not any(url.endswith(".wav") for url in pictures)  # the stems are not picture


def test_the_stems_are_audio_assets_of_the_fcpx_xml(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    """FCPX XML: each stem an audio-only asset on its own lane below the picture, referenced by an audio element."""
    result, _ = cut
    root = ET.parse(_required_export(result, "fcpx_xml")).getroot()
    assets = {a.get("id"): a for a in root.iterfind("./resources/asset")}
    heard = [(assets[a.get("ref")], a.get("lane")) for a in root.iterfind("./project/sequence/spine//audio")]
    assert [asset.get("src", "").rsplit("/", 1)[-1] for asset, _ in heard] == [f"{stem}.wav" for stem in STEMS]
    assert all(asset.get("hasAudio") == "1" and asset.get("hasVideo") == "0" for asset, _ in heard)
    assert len({lane for _, lane in heard}) == len(STEMS) and all(int(lane or 0) < 0 for _, lane in heard)


def test_the_stems_are_audio_events_of_the_edl(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    """OTIO's own CMX 3600 reader finds the picture and three audio channels, one stem each, film-long."""
    result, _ = cut
    edl = otio.adapters.read_from_file(str(_required_export(result, "cmx_3600")), rate=FPS)
    video = edl.video_tracks()
    assert len(video) == 1 and len(list(video[0].find_clips())) == 4  # title, two shots, credits
    audio = {track.name: list(track.find_clips()) for track in edl.audio_tracks()}
    assert sorted(audio) == ["A1", "A2", "A3"]
    for channel, stem in zip(("A1", "A2", "A3"), STEMS, strict=True):
        (clip,) = audio[channel]
        assert clip.name == stem and clip.media_reference.target_url.endswith(f"/{stem}.wav")
        assert clip.range_in_parent().start_time.to_frames() == 0
        assert clip.duration().to_frames() == round(result.duration_s * FPS)


def test_voiced_lines_time_their_subtitles(cut: tuple[AssemblyResult, dict[str, np.ndarray]]) -> None:
    result, _ = cut
    ((start, end),) = parse_times(result.srt.read_text(encoding="utf-8"))
    assert (start, end) == (1250, 2100)  # title 1.0 s + the line's 0.25–1.1 s in its clip
