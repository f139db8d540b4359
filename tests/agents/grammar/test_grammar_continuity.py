"""time_of_day and wardrobe: slips fire, story changes between scenes do not."""

from __future__ import annotations

from agents.grammar.continuity import time_of_day, wardrobe

MARA = ("mara", 0.5, "camera")
COATS = {"mara": {"default": "grey wool coat, red scarf", "s2": "yellow oilskin"}}


def test_shot_lit_for_another_time_fires(b):
    f = time_of_day(b.film(b.scene("s1", b.shot("a", tod="night"), b.shot("b", tod="day"), tod="night")))
    assert [x.shots for x in f] == [("b",)] and f[0].action is not None and f[0].action.value == "night"


def test_time_of_day_matching_or_unset_is_fine(b):
    sl = b.film(b.scene("s1", b.shot("a", tod=" Night"), b.shot("b"), tod="night"), b.scene("s2", b.shot("c", tod="dawn")))
    assert time_of_day(sl) == []


def test_wardrobe_slip_fires(b):
    sl = b.film(b.scene("s1", b.shot("a", MARA, wardrobe={"mara": "yellow oilskin"})), wardrobe=COATS)
    f = wardrobe(sl)
    assert [x.shots for x in f] == [("a",)] and "grey wool coat" in f[0].message
    assert f[0].action is not None and f[0].action.kind == "set_wardrobe" and f[0].action.value == "grey wool coat, red scarf"


def test_per_scene_wardrobe_change_is_not_a_slip(b):
    sl = b.film(b.scene("s1", b.shot("a", MARA, wardrobe={"mara": "Grey wool coat,  red scarf"})),
                b.scene("s2", b.shot("b", MARA, wardrobe={"mara": "yellow oilskin"})), wardrobe=COATS)
    assert wardrobe(sl) == []


def test_wardrobe_without_a_costume_to_compare_is_fine(b):
    sl = b.film(b.scene("s1", b.shot("a", ("tom", 0.5, "left"), wardrobe={"tom": "anything", "ghost": "sheet"})), wardrobe=COATS)
    assert wardrobe(sl) == []
