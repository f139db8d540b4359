"""What a pattern can read from a reshoot note becomes shot changes (``agents.shots.note_changes``)."""

from __future__ import annotations

from agents.shots.note_changes import read_note

TWO = [{"id": "mara", "x": 0.3, "facing": "camera"}, {"id": "tom", "x": 0.7, "facing": "camera"}]


def read(note: str, size: str = "MS", duration_s: float = 3.0, move: str = "static"):
    return read_note(note, size=size, duration_s=duration_s, camera={"move": move}, characters=[dict(c) for c in TWO])


def test_closer_and_wider_step_the_shot_size() -> None:
    assert read("closer").fields["size"] == "MCU"
    assert read("a bit wider please").fields["size"] == "MWS"
    assert "size" not in read("closer", size="ECU").fields  # already the tightest
    assert "size" not in read("closer, no, wider").fields  # a note that asks both asks nothing readable


def test_a_look_turns_the_first_character_towards_the_other() -> None:
    reading = read("she looks at him")
    assert reading.fields["characters"][0]["facing"] == "right" and reading.fields["characters"][1]["facing"] == "camera"
    assert reading.said == ["mara faces right (was camera)"]
    assert read("tom looks at her").fields["characters"][1]["facing"] == "left"


def test_timing_moves_and_sides() -> None:
    assert read("slower").fields["duration_s"] == 4.0 and read("shorter").fields["duration_s"] == 2.0
    assert read("push in slowly").fields["camera"]["move"] == "dolly_in"
    assert read("tom further to the right").fields["characters"][1]["x"] == 0.95


def test_a_note_no_pattern_reads_changes_nothing() -> None:
    reading = read("make it more melancholy")
    assert reading.fields == {} and reading.said == []


def test_an_angle_sets_the_cameras_height_beside_a_move() -> None:
    """Issue 19 lists the angle among what a note changes: 'a low angle' / 'from above' / 'overhead'."""
    low = read("try a low angle on her")
    assert low.fields["camera"] == {"move": "static", "height": "low"} and low.said == ["camera height eye→low"]
    assert read("shoot it from above").fields["camera"]["height"] == "high"
    assert read("a bird's-eye view").fields["camera"]["height"] == "overhead"
    both = read("dolly in, low angle")
    assert both.fields["camera"] == {"move": "dolly_in", "height": "low"}
    assert both.said == ["camera static→dolly_in", "camera height eye→low"]
    assert "camera" not in read_note("eye level", size="MS", duration_s=3.0, camera={"height": "eye"}, characters=[]).fields


def test_an_angle_note_is_written_to_the_shot(deps, planned) -> None:  # type: ignore[no-untyped-def]
    from agents.shots.note_changes import apply_note

    shot = deps.store.shots(planned)[0].key
    assert apply_note(deps.store, planned, shot, "from a low angle, please") == ["camera height eye→low"]
    row = deps.store.shot(planned, shot)
    assert row.camera["height"] == "low" and row.notes["note_changes"] == ["camera height eye→low"]
