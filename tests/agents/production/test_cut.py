"""``cut_project`` end to end on a real SQLite story memory, with takes made from ffmpeg's lavfi sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest

from agents.crew.registry import ROLES
from agents.errors import ShotsNotApproved
from agents.production.cut import CREDIT_LINES, build_edit_list, choose_takes, cut_project, film_name
from generator.assembly.subtitles import parse_times
from generator.errors import TakeMissing
from generator.ffmpeg_tools import find_ffmpeg, probe, read_frames
from memory.store import Store

FFMPEG = find_ffmpeg()
SIZE = {"width": 160, "height": 90, "fps": 24}


def make_clip(path: Path, colour: str, seconds: float = 1.0, *, tone: bool = True) -> Path:
    args = [
        FFMPEG,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c={colour}:s=160x90:r=24:d={seconds}",
    ]
    if tone:
        args += ["-f", "lavfi", "-i", f"sine=d={seconds}", "-c:a", "aac", "-shortest"]
    subprocess.run(
        [*args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True
    )
    return path


def centre(frame: np.ndarray) -> tuple[int, int, int]:
    r, g, b = frame[30:60, 60:100].reshape(-1, 3).mean(axis=0)
    return int(r), int(g), int(b)


@pytest.fixture
def project(store: Store, tmp_path: Path) -> str:
    """Three scenes, four shots of 1.25 s (takes of 1 s: each holds its last frame); every shot has an
    approved take except where a test removes it.

    s1 comes in with no director's note (a cut), s2 with a dissolve at fast pacing (0.5 s), s3 with a fade
    at slow pacing (1 s). s1-01 also has a newer take that is only 'done' (yellow): the approved red one wins.
    """
    pid = store.create_project("A keeper and her son in a storm", title="The Keeper", owner="ana").id
    store.upsert_character(pid, "mara", name="Mara")
    store.upsert_character(pid, "tom", name="Tom")
    store.upsert_scene(pid, "s1", heading="INT. LAMP ROOM - NIGHT")
    store.upsert_scene(
        pid,
        "s2",
        heading="EXT. CLIFF - NIGHT",
        notes={"director": {"intent": "x", "blocking": [], "pacing": "fast", "transition_in": "dissolve"}},
    )
    store.upsert_scene(pid, "s3", heading="EXT. SHORE - DAWN",
                       notes={"director": {"intent": "y", "blocking": [], "pacing": "slow", "transition_in": "fade"}})  # fmt: skip
    store.upsert_shot(
        pid, "s1", "s1-01", duration_s=1.25, dialogue=[{"character": "mara", "line": "You came back."}]
    )
    store.upsert_shot(pid, "s1", "s1-02", duration_s=1.25)
    store.upsert_shot(
        pid, "s2", "s2-01", duration_s=1.25, dialogue=[{"character": "tom", "line": "I never left."}]
    )
    store.upsert_shot(pid, "s3", "s3-01", duration_s=1.25)
    folder = tmp_path / "takes"
    folder.mkdir()
    for shot, colour in (("s1-01", "red"), ("s1-02", "blue"), ("s2-01", "green"), ("s3-01", "white")):
        take = store.add_take(pid, shot, request_hash=shot, path=str(make_clip(folder / f"{shot}.mp4", colour)),
                              backend="animatic", model="animatic/1")  # fmt: skip
        store.set_take_status(int(take.id or 0), "approved")
        store.add_review(
            int(take.id or 0), reviewer="critic", verdict="pass", scores={"sharpness": 0.9, "shot": shot}
        )
    newer = store.add_take(pid, "s1-01", request_hash="x", path=str(make_clip(folder / "newer.mp4", "yellow")),
                           backend="animatic", model="animatic/1")  # fmt: skip
    assert newer.status == "done"
    return pid


def test_cut_project_end_to_end(store: Store, project: str, tmp_path: Path) -> None:
    seen: list[float] = []
    out = tmp_path / "cuts"
    result = cut_project(store, project, out_dir=out, progress=lambda f, _m: seen.append(f), **SIZE)
    assert result.video == out / f"{project}.mp4"
    for suffix in (".srt", ".vtt", ".otio"):
        assert (out / f"{project}{suffix}").is_file()
    # title 2 s + 4 shots of 1.25 s − 0.5 s dissolve (fast pacing) + credits 3 s (fade: no overlap)
    planned = 2 + 5 - 0.5 + 3
    info = probe(result.video)
    assert abs(info.duration_s - planned) <= 1 / 24 and result.duration_s == pytest.approx(info.duration_s)
    frames = read_frames(result.video)
    r, g, _ = centre(frames[48 + 12])
    assert r > 200 and g < 60, "s1-01 uses the approved (red) take, not the newer done (yellow) one"
    assert [s.shot_id for s in result.shots] == ["s1-01", "s1-02", "s2-01", "s3-01"]
    assert all(s.approved for s in result.shots) and result.unapproved == ()
    assert seen[-1] == 1.0
    assert store.project(project).status == "cut"

    srt = result.srt.read_text(encoding="utf-8")
    assert "MARA: You came back." in srt and "TOM: I never left." in srt
    assert parse_times(srt) == [(2000, 3250), (4250, 5250)], (
        "s2-01's line starts mid-dissolve (4.0 s + 0.25 s)"
    )

    timeline = otio.adapters.read_from_file(str(result.otio))
    clips = list(timeline.find_clips())
    assert [c.name for c in clips] == ["title", "s1-01", "s1-02", "s2-01", "s3-01", "credits"]
    marker = clips[1].markers[0]
    assert marker.name == "s1-01"
    assert dict(marker.metadata["dailies"]["scores"]) == {
        "sharpness": 0.9,
        "shot": "s1-01",
        "verdict": "pass",
    }
    assert timeline.tracks[0].duration().to_frames() == info.frames


def test_shots_without_an_approved_take_are_listed_and_nothing_is_written(
    store: Store, project: str, tmp_path: Path
) -> None:
    for take in store.takes(project, "s1-02") + store.takes(project, "s3-01"):
        store.set_take_status(int(take.id or 0), "done")
    with pytest.raises(ShotsNotApproved) as caught:
        cut_project(store, project, out_dir=tmp_path / "cuts", **SIZE)
    assert caught.value.shots == ["s1-02", "s3-01"]
    assert "s1-02, s3-01" in str(caught.value) and "--allow-unapproved" in str(caught.value)
    assert not (tmp_path / "cuts").exists()


def test_allow_unapproved_makes_a_rough_cut_from_the_newest_done_takes(
    store: Store, project: str, tmp_path: Path
) -> None:
    (take,) = store.takes(project, "s1-02")
    store.set_take_status(int(take.id or 0), "done")
    result = cut_project(store, project, out_dir=tmp_path / "cuts", allow_unapproved=True, **SIZE)
    assert result.unapproved == ("s1-02",)
    assert any("rough cut" in note and "s1-02" in note for note in result.notes)
    assert store.project(project).status != "cut", "a rough cut does not finish the project"
    store.add_take(project, "s1-02", request_hash="r", path="", status="rendering")
    with pytest.raises(ShotsNotApproved):
        cut_project(store, project, out_dir=tmp_path / "cuts", **SIZE)


def test_recut_after_a_new_approved_take_re_encodes_only_that_shot(
    store: Store, project: str, tmp_path: Path
) -> None:
    out = tmp_path / "cuts"
    first = cut_project(store, project, out_dir=out, **SIZE)
    assert set(first.normalised) == {"s1-01", "s1-02", "s2-01", "s3-01"}
    reshoot = store.add_take(project, "s1-02", request_hash="again", path=str(make_clip(tmp_path / "again.mp4", "yellow")),
                             backend="animatic", model="animatic/1")  # fmt: skip
    store.set_take_status(int(reshoot.id or 0), "approved")
    second = cut_project(store, project, out_dir=out, **SIZE)
    assert second.normalised == ("s1-02",)
    assert set(second.reused) == {"s1-01", "s2-01", "s3-01"}


def test_a_missing_take_names_the_shot_and_keeps_the_earlier_cut(
    store: Store, project: str, tmp_path: Path
) -> None:
    out = tmp_path / "cuts"
    first = cut_project(store, project, out_dir=out, **SIZE)
    before = first.video.read_bytes()
    Path(store.takes(project, "s2-01")[0].path).unlink()
    with pytest.raises(TakeMissing) as caught:
        cut_project(store, project, out_dir=out, **SIZE)
    assert caught.value.shot_id == "s2-01"
    assert first.video.read_bytes() == before


def test_edit_list_reads_transitions_credits_and_names(store: Store, project: str) -> None:
    store.update_project(
        project, extra={"editor": {"title_card": "THE KEEPER", "end_card": "The light stays on."}}
    )
    store.upsert_scene(project, "s3", notes={"director": {"transition_in": "dissolve", "transition_s": 5.0}})
    rows = store.dump_project(project)
    notes: list[str] = []
    edit = build_edit_list(rows, choose_takes(rows), notes=notes, **SIZE)
    kinds = [(c.shot_id, c.transition_in.kind, c.transition_in.duration_s) for c in edit.clips]
    assert kinds[:3] == [("s1-01", "cut", 0.0), ("s1-02", "cut", 0.0), ("s2-01", "dissolve", 0.5)]
    assert kinds[3][1] == "dissolve" and 0.5 < kinds[3][2] <= 0.45 * 1.25, (
        "5 s asked, shortened to fit 1.25 s shots"
    )
    assert any("s3-01" in n and "shortened" in n for n in notes)
    assert edit.title == "THE KEEPER"
    assert edit.credits[0] == "The light stays on." and "Created by ana" in edit.credits
    assert "Directed by the director" in edit.credits and "Rendered with animatic/1" in edit.credits
    assert edit.clips[0].dialogue[0].character == "Mara"
    assert edit.clips[0].scene_id == "s1" and edit.clips[0].label == "take 1"


def test_an_unknown_transition_is_a_cut_with_a_note(store: Store, project: str) -> None:
    store.upsert_scene(project, "s2", notes={"director": {"transition_in": "star-wipe"}})
    rows = store.dump_project(project)
    notes: list[str] = []
    edit = build_edit_list(rows, choose_takes(rows), notes=notes, **SIZE)
    assert edit.clips[2].transition_in.kind == "cut"
    assert any("star-wipe" in n for n in notes)


def test_credits_name_every_role_of_the_crew() -> None:
    assert list(CREDIT_LINES) == [role.name for role in ROLES], "credit every registered role, in crew order"


def test_a_project_without_shots_cannot_be_cut(store: Store, tmp_path: Path) -> None:
    pid = store.create_project("Nothing yet").id
    with pytest.raises(ShotsNotApproved, match="no shots"):
        cut_project(store, pid, out_dir=tmp_path, **SIZE)


def test_film_name_is_a_safe_file_name() -> None:
    assert film_name("the-keeper-3fa2") == "the-keeper-3fa2"
    assert film_name("../../etc/passwd") == "etc-passwd"
    assert film_name("...") == "film"
