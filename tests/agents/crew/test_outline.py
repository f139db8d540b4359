"""The outline: acts cut the same way every time, cover every scene once, and share the beats out."""

from __future__ import annotations

import pytest

from agents.crew.outline import SEQUENCE_SCENES, outline_for


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 8, 13, 24, 40])
def test_every_scene_is_in_exactly_one_act_in_order(count: int) -> None:
    scenes = [f"s{i}" for i in range(1, count + 1)]
    outline = outline_for(scenes, [f"b{i}" for i in range(count)])
    assert [s for act in outline.acts for s in act.scenes] == scenes
    assert all(act.scenes for act in outline.acts)
    assert all(len(seq) <= SEQUENCE_SCENES for act in outline.acts for seq in act.sequences)
    assert [s for act in outline.acts for seq in act.sequences for s in seq] == scenes


def test_a_ten_minute_film_has_three_acts_in_quarter_half_quarter() -> None:
    scenes = [f"s{i}" for i in range(1, 25)]
    outline = outline_for(scenes, [f"b{i}" for i in range(30)])
    assert [len(a.scenes) for a in outline.acts] == [6, 12, 6]
    assert [a.name for a in outline.acts] == ["set-up", "confrontation", "resolution"]
    assert sum(len(a.beats) for a in outline.acts) == 30
    assert outline.act_of("s19") is outline.acts[2]
    assert outline.act_of("s99") is None
    assert outline_for(scenes, [f"b{i}" for i in range(30)]) == outline  # deterministic


def test_summary_is_small_and_names_each_acts_range() -> None:
    outline = outline_for([f"s{i}" for i in range(1, 25)], ["x"] * 30)
    assert [a["scenes"] for a in outline.summary()] == ["s1–s6", "s7–s18", "s19–s24"]
