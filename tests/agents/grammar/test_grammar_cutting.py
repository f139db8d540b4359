"""jump_cut_30 and screen_direction: firing cases and near misses."""

from __future__ import annotations

import pytest

from agents.grammar.cutting import jump_cut_30, screen_direction

MARA = ("mara", 0.5, "right")


@pytest.mark.parametrize(("a", "c"), [(0, 0), (10, 39), (-170, 175), (179, -160)])
def test_jump_cut_fires_under_30_degrees(b, a, c):
    sl = b.film(b.scene("s1", b.shot("a", MARA, size="MCU", angle=a), b.shot("b", MARA, size="MCU", angle=c)))
    f = jump_cut_30(sl)
    assert [x.shots for x in f] == [("a", "b")] and f[0].severity == "warning"
    assert f[0].action is not None and f[0].action.kind == "reframe" and f[0].action.size == "CU"


@pytest.mark.parametrize(("a", "c"), [(0, 30), (0, -45), (170, -150)])
def test_jump_cut_quiet_at_30_degrees_or_more(b, a, c):
    sl = b.film(b.scene("s1", b.shot("a", MARA, size="MCU", angle=a), b.shot("b", MARA, size="MCU", angle=c)))
    assert jump_cut_30(sl) == []


def test_jump_cut_quiet_for_other_size_or_other_people(b):
    sl = b.film(b.scene("s1",
                        b.shot("a", MARA, size="MCU"), b.shot("b", MARA, size="CU"),
                        b.shot("c", MARA, ("tom", 0.8, "left"), size="CU"),
                        b.shot("d", size="WS"), b.shot("e", size="WS")))  # nobody on screen: not a jump cut of people
    assert jump_cut_30(sl) == []


def test_jump_cut_across_scenes_only_at_the_same_place(b):
    same = b.film(b.scene("s1", b.shot("a", MARA), location="lamp room"), b.scene("s2", b.shot("b", MARA), location="Lamp Room"))
    other = b.film(b.scene("s1", b.shot("a", MARA), location="lamp room"), b.scene("s2", b.shot("b", MARA), location="beach"))
    assert [x.shots for x in jump_cut_30(same)] == [("a", "b")]
    assert jump_cut_30(other) == []


def test_screen_direction_reversal_fires(b):
    sl = b.film(b.scene("s1", b.shot("a", MARA, move=("mara", "left_to_right")), b.shot("b", MARA, move=("mara", "right_to_left"))))
    f = screen_direction(sl)
    assert [x.shots for x in f] == [("a", "b")] and f[0].severity == "error" and "Mara" in f[0].message


def test_screen_direction_reversal_after_other_shots_fires(b):
    sl = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("cut", ("tom", 0.5, "left")),
                        b.shot("b", move=("mara", "right_to_left"))))
    assert [x.shots for x in screen_direction(sl)] == [("a", "b")]


@pytest.mark.parametrize("neutral", ["toward", "away"])
def test_toward_and_away_are_not_reversals(b, neutral):
    sl = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("b", move=("mara", neutral)),
                        b.shot("c", move=("mara", "left_to_right"))))
    assert screen_direction(sl) == []


def test_crosses_axis_allows_reversal(b):
    between = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("x", crosses=True),
                             b.shot("b", move=("mara", "right_to_left"))))
    itself = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("b", move=("mara", "right_to_left"), crosses=True)))
    assert screen_direction(between) == [] and screen_direction(itself) == []


def test_screen_direction_is_per_character_and_per_scene(b):
    sl = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("b", move=("tom", "right_to_left"))),
                b.scene("s2", b.shot("c", move=("mara", "right_to_left"))))
    assert screen_direction(sl) == []
