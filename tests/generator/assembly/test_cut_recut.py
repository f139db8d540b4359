"""Re-cutting re-encodes only what changed: conformed takes are cached by content and format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.assembly import EditClip, EditList, Transition, assemble


def edit(paths: dict[str, Path], durations: dict[str, float] | None = None, width: int = 160) -> EditList:
    durations = durations or {}
    return EditList(
        clips=tuple(EditClip(shot_id=shot, path=path, duration_s=durations.get(shot, 0.5)) for shot, path in paths.items()),
        width=width, height=90, title="Again", title_s=0.5, credits_s=0.5,
        credits_transition=Transition(),
    )  # fmt: skip


@pytest.fixture
def own_takes(tmp_path: Path, takes: dict[str, Path]) -> dict[str, Path]:
    """Copies of the session's takes, so a test may overwrite one."""
    folder = tmp_path / "takes"
    folder.mkdir()
    return {shot: Path(shutil.copy(takes[colour], folder / f"{shot}.mp4"))
            for shot, colour in (("a", "red"), ("b", "blue"), ("c", "green"))}  # fmt: skip


def test_a_second_cut_reuses_every_take(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    first = assemble(edit(own_takes), tmp_path / "out" / "film.mp4")
    assert first.normalised == ("a", "b", "c") and first.reused == ()
    again = assemble(edit(own_takes), tmp_path / "out" / "film.mp4")
    assert again.normalised == () and again.reused == ("a", "b", "c")
    assert again.frames == first.frames


def test_changing_one_take_re_encodes_only_that_one(
    tmp_path: Path, own_takes: dict[str, Path], media
) -> None:
    out = tmp_path / "out" / "film.mp4"
    assemble(edit(own_takes), out)
    media.make_clip(own_takes["b"], "yellow", size="160x90", seconds=1.0)  # a reshoot lands at the same path
    recut = assemble(edit(own_takes), out)
    assert recut.normalised == ("b",) and recut.reused == ("a", "c")
    frames = media.frames(out)
    assert media.colour_of(frames[30]) == "yellow", "the new take is in the film"


def test_changing_one_duration_re_encodes_only_that_shot(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    out = tmp_path / "out" / "film.mp4"
    assemble(edit(own_takes), out)
    recut = assemble(edit(own_takes, {"c": 0.75}), out)
    assert recut.normalised == ("c",) and recut.reused == ("a", "b")
    assert recut.frames == round((0.5 + 0.5 + 0.5 + 0.75 + 0.5) * 24)


def test_a_new_format_re_encodes_everything(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    out = tmp_path / "out" / "film.mp4"
    assemble(edit(own_takes), out)
    wider = assemble(edit(own_takes, width=192), out)
    assert wider.normalised == ("a", "b", "c")


def test_the_same_take_moved_elsewhere_is_still_reused(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    out = tmp_path / "out" / "film.mp4"
    assemble(edit(own_takes), out)
    moved = dict(own_takes, a=Path(shutil.move(own_takes["a"], tmp_path / "renamed.mp4")))
    assert assemble(edit(moved), out).reused == ("a", "b", "c"), "the cache is keyed by content, not by path"


def test_two_shots_may_share_one_take(tmp_path: Path, own_takes: dict[str, Path], media) -> None:
    """Identical takes share one cache entry; the cut opens it once and splits it (ffmpeg-python merges equal nodes)."""
    twin = Path(shutil.copy(own_takes["a"], tmp_path / "twin.mp4"))
    result = assemble(edit({"a": own_takes["a"], "b": own_takes["b"], "a-again": twin, "a-thrice": own_takes["a"]}),
                      tmp_path / "out" / "film.mp4")  # fmt: skip
    assert result.normalised == ("a", "b") and result.reused == ("a-again", "a-thrice")
    colours = [media.colour_of(f) for f in media.frames(result.video)]
    assert colours[12] == colours[40] == colours[52] == "red" and colours[30] == "blue"
    assert result.frames == 6 * 12


def test_an_unchanged_cut_is_not_encoded_again(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    out = tmp_path / "out" / "film.mp4"
    first = assemble(edit(own_takes), out)
    stamp_before = out.stat().st_mtime_ns
    again = assemble(edit(own_takes), out)
    assert again.cut_reused and not first.cut_reused
    assert out.stat().st_mtime_ns == stamp_before, "the film was not rewritten"
    assert (again.frames, again.exports, again.srt) == (first.frames, first.exports, first.srt)
    assert again.cues == first.cues


def test_a_changed_option_or_a_touched_output_cuts_again(tmp_path: Path, own_takes: dict[str, Path]) -> None:
    out = tmp_path / "out" / "film.mp4"
    assemble(edit(own_takes), out)
    assert not assemble(edit(own_takes), out, speaker_labels=False).cut_reused
    out.with_suffix(".otio").unlink()
    redone = assemble(edit(own_takes), out, speaker_labels=False)
    assert not redone.cut_reused and out.with_suffix(".otio").is_file()
    out.write_bytes(out.read_bytes() + b"\0")  # someone edited the film by hand
    assert not assemble(edit(own_takes), out, speaker_labels=False).cut_reused
    assert assemble(edit(own_takes), out, speaker_labels=False).cut_reused
