"""The cut in frames: lengths, overlaps and fades agree with the edit list to the frame (no ffmpeg needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assembly import EditClip, EditList, Transition, plan_cut
from generator.assembly.plan import frames_needed
from generator.errors import AssemblyError


def clip(shot: str, seconds: float, kind: str = "cut", transition_s: float = 0.0) -> EditClip:
    return EditClip(shot_id=shot, path=Path(f"{shot}.mp4"), duration_s=seconds,
                    transition_in=Transition(kind=kind, duration_s=transition_s))  # type: ignore[arg-type]  # fmt: skip


def test_cuts_lay_items_end_to_end_with_title_and_credits() -> None:
    edit = EditList(title="T", clips=(clip("a", 1.5), clip("b", 1.0)), fps=24, title_s=1.0, credits_s=2.0,
                    credits_transition=Transition())  # fmt: skip
    plan = plan_cut(edit)
    assert [(i.kind, i.name, i.start, i.end) for i in plan.items] == [
        ("title", "title", 0, 24), ("shot", "a", 24, 60), ("shot", "b", 60, 84), ("credits", "credits", 84, 132),
    ]  # fmt: skip
    assert plan.total_frames == 132 and plan.duration_s == pytest.approx(5.5)


def test_a_dissolve_overlaps_and_shortens_the_film() -> None:
    edit = EditList(clips=(clip("a", 2.0), clip("b", 2.0, "dissolve", 0.5)), fps=24, title_s=0, credits_s=0)
    a, b = plan_cut(edit).items
    assert (a.start, a.end) == (0, 48)
    assert (b.start, b.end, b.overlap_in) == (36, 84, 12)
    assert plan_cut(edit).duration_s == pytest.approx(3.5)


def test_a_fade_dips_to_black_without_overlap() -> None:
    edit = EditList(clips=(clip("a", 2.0), clip("b", 2.0, "fade", 1.0)), fps=24, title_s=0, credits_s=0)
    a, b = plan_cut(edit).items
    assert (a.end, b.start, b.overlap_in) == (48, 48, 0)
    assert (a.fade_out, b.fade_in) == (12, 12)
    assert plan_cut(edit).total_frames == 96


def test_a_dissolve_into_the_first_item_is_a_fade_in() -> None:
    edit = EditList(clips=(clip("a", 2.0, "dissolve", 0.5),), fps=24, title_s=0, credits_s=0)
    (a,) = plan_cut(edit).items
    assert (a.overlap_in, a.fade_in) == (0, 12)


def test_cumulative_rounding_keeps_the_length_within_half_a_frame() -> None:
    clips = tuple(
        clip(f"s{i}", 1.03) for i in range(30)
    )  # 24.72 frames each: rounding item by item would drift 8 frames
    plan = plan_cut(EditList(clips=clips, fps=24, title_s=0, credits_s=0))
    assert plan.total_frames == round(30 * 1.03 * 24)
    assert {i.frames for i in plan.items} <= {24, 25}


@pytest.mark.parametrize(
    ("first", "second", "dissolve"),
    [(1.0, 2.0, 1.0), (2.0, 0.5, 0.6), (1.0, 1.0, 1.0)],
)
def test_a_dissolve_longer_than_a_clip_names_the_shot(first: float, second: float, dissolve: float) -> None:
    edit = EditList(clips=(clip("a", first), clip("b", second, "dissolve", dissolve)), title_s=0, credits_s=0)
    with pytest.raises(AssemblyError, match="shot 'b'") as caught:
        plan_cut(edit)
    assert caught.value.shot_id == "b"


def test_dissolves_in_and_out_may_not_meet_inside_a_clip() -> None:
    edit = EditList(clips=(clip("a", 2.0), clip("b", 1.0, "dissolve", 0.6), clip("c", 2.0, "dissolve", 0.6)),
                    title_s=0, credits_s=0)  # fmt: skip
    with pytest.raises(AssemblyError, match="'b'") as caught:
        plan_cut(edit)
    assert caught.value.shot_id == "b"


def test_edit_list_refuses_odd_sizes_and_repeated_shots() -> None:
    with pytest.raises(ValueError, match="even"):
        EditList(clips=(clip("a", 1.0),), width=161, height=90)
    with pytest.raises(ValueError, match="appears twice"):
        EditList(clips=(clip("a", 1.0), clip("a", 1.0)))


def test_a_cut_has_no_transition_length() -> None:
    assert Transition(kind="cut", duration_s=2.0).duration_s == 0.0


transitions = st.sampled_from(["cut", "dissolve", "fade"])


@settings(max_examples=60, deadline=None)
@given(
    durations=st.lists(st.floats(min_value=0.5, max_value=6.0), min_size=1, max_size=12),
    kinds=st.lists(transitions, min_size=12, max_size=12),
    shares=st.lists(st.floats(min_value=0.05, max_value=0.4), min_size=12, max_size=12),
    fps=st.sampled_from([12, 24, 25, 30]),
    title_s=st.sampled_from([0.0, 1.0, 2.5]),
    credits_s=st.sampled_from([0.0, 3.0]),
)
def test_length_is_the_planned_sum_minus_overlaps_within_one_frame(
    durations: list[float], kinds: list[str], shares: list[float], fps: int, title_s: float, credits_s: float
) -> None:
    clips = []
    for index, seconds in enumerate(durations):
        neighbour = durations[index - 1] if index else (title_s or seconds)
        length = round(shares[index] * min(seconds, neighbour), 3)
        clips.append(clip(f"s{index}", seconds, kinds[index], length))
    into_credits = round(0.4 * min(durations[-1], credits_s or 1.0), 3)
    edit = EditList(clips=tuple(clips), fps=fps, title_s=title_s, credits_s=credits_s,
                    credits_transition=Transition(kind="dissolve", duration_s=into_credits))  # fmt: skip
    plan = plan_cut(edit)
    overlaps = sum(
        c.transition_in.duration_s
        for i, c in enumerate(clips)
        if c.transition_in.kind == "dissolve" and (i or title_s)
    )
    overlaps += into_credits if credits_s else 0.0
    planned = sum(durations) + title_s + credits_s - overlaps
    assert abs(plan.duration_s - planned) <= 1 / fps + 1e-9
    for item in plan.items:
        assert 1 <= item.frames <= frames_needed(item.planned_s, fps)
        assert item.overlap_in + plan.overlap_out(plan.items.index(item)) <= item.frames
        assert item.fade_in + item.fade_out <= item.frames
    starts = [i.start for i in plan.items]
    assert starts == sorted(starts) and plan.items[0].start == 0
