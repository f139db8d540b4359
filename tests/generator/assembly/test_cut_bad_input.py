"""Bad takes give a typed error naming the shot, and the earlier cut stays byte for byte as it was."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.assembly import EditClip, EditList, Transition, assemble
from generator.errors import AssemblyError, GeneratorError, TakeMissing, TakeUnreadable


def edit(paths: dict[str, Path]) -> EditList:
    return EditList(
        clips=tuple(EditClip(shot_id=shot, path=path, duration_s=0.5) for shot, path in paths.items()),
        width=160, height=90, title="Bad", title_s=0.5, credits_s=0.5,
        credits_transition=Transition(),
    )  # fmt: skip


@pytest.fixture(scope="module")
def earlier_cut(tmp_path_factory: pytest.TempPathFactory, takes: dict[str, Path]) -> Path:
    folder = tmp_path_factory.mktemp("earlier")
    assemble(edit({"s1": takes["red"], "s2": takes["blue"]}), folder / "film.mp4")
    return folder


def _missing(folder: Path, media) -> Path:
    return folder / "nowhere.mp4"


def _empty(folder: Path, media) -> Path:
    path = folder / "empty.mp4"
    path.write_bytes(b"")
    return path


def _garbage(folder: Path, media) -> Path:
    path = folder / "garbage.mp4"
    path.write_bytes(b"this is not a video at all\n" * 100)
    return path


def _truncated(folder: Path, media) -> Path:
    whole = media.make_clip(folder / "whole.mp4", "red", seconds=1.0)
    path = folder / "truncated.mp4"
    path.write_bytes(whole.read_bytes()[:300])
    return path


def _sound_only(folder: Path, media) -> Path:
    import subprocess

    path = folder / "sound.m4a"
    subprocess.run([media.exe, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", str(path)],
                   check=True)  # fmt: skip
    return path


def _folder(folder: Path, media) -> Path:
    path = folder / "a-folder.mp4"
    path.mkdir()
    return path


CASES: dict[str, tuple[Callable[[Path, object], Path], type[AssemblyError]]] = {
    "missing": (_missing, TakeMissing),
    "zero-byte": (_empty, TakeMissing),
    "a folder": (_folder, TakeMissing),
    "not a video": (_garbage, TakeUnreadable),
    "truncated": (_truncated, TakeUnreadable),
    "sound only": (_sound_only, TakeUnreadable),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_take_names_the_shot_and_leaves_the_earlier_cut(
    case: str, tmp_path: Path, earlier_cut: Path, takes: dict[str, Path], media
) -> None:
    out = tmp_path / "cuts"
    shutil.copytree(earlier_cut, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert {"film.mp4", "film.srt", "film.vtt", "film.otio"} <= set(before)
    make, error = CASES[case]
    bad = make(tmp_path, media)
    with pytest.raises(error) as caught:
        assemble(edit({"s1": takes["red"], "s2-bad": bad, "s3": takes["green"]}), out / "film.mp4")
    assert caught.value.shot_id == "s2-bad"
    assert "'s2-bad'" in str(caught.value)
    assert isinstance(caught.value, GeneratorError)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before, "the earlier cut and its sidecars are untouched, and no temp file is left"


def test_mismatched_sizes_are_not_an_error_they_are_letterboxed(
    tmp_path: Path, takes: dict[str, Path], media
) -> None:
    tall = media.make_clip(tmp_path / "tall.mp4", "white", size="90x160", seconds=0.5)
    result = assemble(edit({"wide": takes["red"], "tall": tall}), tmp_path / "film.mp4")
    frame = media.frames(result.video)[12 + 12 + 6]  # title 12 frames, 'wide' 12 frames, then 'tall'
    assert frame.shape == (90, 160, 3)
    assert frame[:, :40].mean() < 20 and frame[:, -40:].mean() < 20, "pillarboxed: black bars left and right"
    assert frame[30:60, 75:85].mean() > 200, "the tall take fills the middle"


def test_an_mp4_is_required(tmp_path: Path, takes: dict[str, Path]) -> None:
    with pytest.raises(AssemblyError, match=r"\.mp4"):
        assemble(edit({"s1": takes["red"]}), tmp_path / "film.mkv")


def test_an_anamorphic_take_is_shown_at_its_display_aspect(tmp_path: Path, media) -> None:
    import subprocess

    squeezed = tmp_path / "squeezed.mp4"  # 80×90 stored, 2:1 pixels: displays as 160×90, so no bars
    subprocess.run([media.exe, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=white:s=80x90:r=24:d=0.5",
                    "-vf", "setsar=2", "-pix_fmt", "yuv420p", str(squeezed)], check=True)  # fmt: skip
    result = assemble(edit({"wide": squeezed}), tmp_path / "film.mp4")
    frame = media.frames(result.video)[12 + 6]
    assert frame[:, :10].mean() > 200 and frame[:, -10:].mean() > 200, "fills the frame edge to edge"


def test_an_encoder_failure_leaves_the_earlier_cut(
    tmp_path: Path, earlier_cut: Path, takes: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from generator.errors import RenderFailed

    assemble_module = importlib.import_module("generator.assembly.assemble")  # the module, not the function

    out = tmp_path / "cuts"
    shutil.copytree(earlier_cut, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(*args: object, **kwargs: object) -> list[str]:
        real = compose_args(*args, **kwargs)  # type: ignore[arg-type]
        return [*real[:-1], "-c:v", "no-such-encoder", real[-1]]

    compose_args = assemble_module.compose_args
    monkeypatch.setattr(assemble_module, "compose_args", broken)
    with pytest.raises(RenderFailed, match="cutting the film"):
        assemble(edit({"s1": takes["red"], "s2": takes["blue"]}), out / "film.mp4")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_cancelled_cut_leaves_the_earlier_cut(
    tmp_path: Path, earlier_cut: Path, takes: dict[str, Path]
) -> None:
    """A progress callback that raises (how a UI cancels) stops ffmpeg; nothing is replaced or left behind."""
    out = tmp_path / "cuts"
    shutil.copytree(earlier_cut, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    class Cancelled(Exception):
        pass

    def cancel_while_cutting(fraction: float, message: str) -> None:
        if message == "cutting the film" and fraction > 0.45:  # inside the ffmpeg run, not before it
            raise Cancelled

    with pytest.raises(Cancelled):
        assemble(
            edit({"s1": takes["green"], "s2": takes["yellow"]}),
            out / "film.mp4",
            progress=cancel_while_cutting,
        )
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
