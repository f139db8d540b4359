"""Subtitle timing and formats, without ffmpeg: cues follow the frame-snapped plan; text is made safe."""

from __future__ import annotations

from pathlib import Path

from generator.assembly import DialogueLine, EditClip, EditList, Transition, build_cues, plan_cut
from generator.assembly.subtitles import Cue, parse_times, to_srt, to_vtt


def clip(
    shot: str, seconds: float, *lines: tuple[str, str], kind: str = "cut", transition_s: float = 0.0
) -> EditClip:
    return EditClip(shot_id=shot, path=Path("x.mp4"), duration_s=seconds,
                    transition_in=Transition(kind=kind, duration_s=transition_s),  # type: ignore[arg-type]
                    dialogue=tuple(DialogueLine(character=c, text=t) for c, t in lines))  # fmt: skip


def cues_of(*clips: EditClip, **fields: object) -> list[Cue]:
    edit = EditList(clips=clips, title_s=0, credits_s=0, **fields)  # type: ignore[arg-type]
    return build_cues(plan_cut(edit))


def test_one_line_fills_its_shot() -> None:
    (cue,) = cues_of(clip("a", 1.0), clip("b", 2.0, ("mara", "Hello.")))
    assert (cue.start_ms, cue.end_ms, cue.shot_id) == (1000, 3000, "b")
    assert cue.text == "MARA: Hello."


def test_lines_share_a_shot_by_length_and_never_overlap() -> None:
    cues = cues_of(
        clip("a", 4.0, ("a", "No."), ("b", "Then we wait for the tide to turn and the boat to come."))
    )
    assert cues[0].start_ms == 0 and cues[-1].end_ms == 4000
    assert cues[0].end_ms == cues[1].start_ms
    assert cues[0].end_ms - cues[0].start_ms < cues[1].end_ms - cues[1].start_ms
    assert cues[0].end_ms - cues[0].start_ms >= 500, "a one-word line still stays up long enough to read"


def test_cues_stop_at_the_middle_of_a_dissolve() -> None:
    first, second = cues_of(
        clip("a", 2.0, ("x", "One.")), clip("b", 2.0, ("y", "Two."), kind="dissolve", transition_s=1.0)
    )
    assert first.end_ms == 1500 == second.start_ms
    assert second.end_ms == 3000


def test_text_is_flattened_and_defused() -> None:
    (cue,) = cues_of(clip("a", 2.0, ("m\nara", "Line one\n\n2\n00:00:01,000 --> 00:00:02,000\x07 <b>&</b>")))
    assert "\n\n" not in cue.text and "\x07" not in cue.text and "-->" not in cue.text
    srt = to_srt([cue])
    assert len(parse_times(srt)) == 1, "injected cue text cannot create a second cue"
    vtt = to_vtt([cue])
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in vtt
    assert len(parse_times(vtt)) == 1


def test_long_lines_wrap_at_subtitle_width() -> None:
    (cue,) = cues_of(clip("a", 3.0, ("", "word " * 20)))
    assert all(len(line) <= 42 for line in cue.text.splitlines())
    assert not cue.text.startswith(":"), "no speaker label when the speaker is unnamed"


def test_no_labels_when_asked() -> None:
    edit = EditList(clips=(clip("a", 1.0, ("mara", "Hi.")),), title_s=0, credits_s=0)
    (cue,) = build_cues(plan_cut(edit), speaker_labels=False)
    assert cue.text == "Hi."


def test_formats_and_clock() -> None:
    cues = [Cue(0, 1500, "A", "s1"), Cue(3_723_004, 3_724_000, "B", "s2")]
    srt, vtt = to_srt(cues), to_vtt(cues)
    assert srt.splitlines()[:3] == ["1", "00:00:00,000 --> 00:00:01,500", "A"]
    assert "01:02:03,004 --> 01:02:04,000" in srt
    assert vtt.splitlines()[:4] == ["WEBVTT", "", "1 s1", "00:00:00.000 --> 00:00:01.500"]
    assert parse_times(srt) == parse_times(vtt) == [(0, 1500), (3_723_004, 3_724_000)]


def test_blank_lines_are_skipped_and_titles_get_no_cues() -> None:
    edit = EditList(
        clips=(clip("a", 1.0, ("x", "   ")),), title="T", title_s=1.0, credits=("c",), credits_s=1.0
    )
    assert build_cues(plan_cut(edit)) == []
