"""axis_180 and eyeline: firing cases and the near misses that must stay quiet."""

from __future__ import annotations

from agents.grammar.axis import axis_180, eyeline

TWO = (("mara", 0.3, "right"), ("tom", 0.7, "left"))
SWAPPED = (("mara", 0.7, "left"), ("tom", 0.3, "right"))


def test_swap_in_two_shots_fires_and_names_both_shots(b):
    f = axis_180(b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", *SWAPPED))))
    assert [x.shots for x in f] == [("a", "b")]
    assert f[0].severity == "error" and "Mara" in f[0].message and "Tom" in f[0].message
    assert f[0].action is not None and f[0].action.kind == "mirror" and f[0].action.shot == "b"


def test_swap_read_from_facing_in_singles(b):
    # Master: Mara left of Tom. A single of Mara looking left says she is on Tom's right.
    f = axis_180(b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", ("mara", 0.5, "left"), framing="single"))))
    assert [x.shots for x in f] == [("a", "b")]


def test_single_looking_toward_partner_is_fine(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", ("mara", 0.4, "right")), b.shot("c", ("tom", 0.6, "left"))))
    assert axis_180(sl) == []


def test_swap_detected_across_intervening_shots(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("cut", ("ned", 0.5, "camera")), b.shot("b", *SWAPPED)))
    assert [x.shots for x in axis_180(sl)] == [("a", "b")]


def test_new_scene_starts_new_axis(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO)), b.scene("s2", b.shot("b", *SWAPPED)))
    assert axis_180(sl) == []


def test_crosses_axis_shot_allows_the_swap(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("x", ("ned", 0.5, "camera"), crosses=True), b.shot("b", *SWAPPED)))
    assert axis_180(sl) == []


def test_crossing_shot_itself_may_show_the_new_order(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("x", *SWAPPED, crosses=True), b.shot("b", *SWAPPED)))
    assert axis_180(sl) == []


def test_new_axis_after_crossing_is_enforced(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("x", *SWAPPED, crosses=True), b.shot("b", *TWO)))
    assert [x.shots for x in axis_180(sl)] == [("x", "b")]


def test_same_x_or_camera_facing_gives_no_order(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", ("mara", 0.5, "camera"), ("tom", 0.5, "camera")),
                        b.shot("c", ("mara", 0.5, "camera"))))
    assert axis_180(sl) == []


def test_third_person_single_needs_the_previous_single_to_know_whom_they_look_at(b):
    three = (("mara", 0.2, "right"), ("ned", 0.5, "camera"), ("tom", 0.8, "left"))
    # Tom's single after a group shot: whom he looks at is unclear with three people, so no order is read.
    quiet = b.film(b.scene("s1", b.shot("a", *three), b.shot("b", ("tom", 0.5, "right"))))
    assert axis_180(quiet) == []
    # After Mara's single, Tom looking right would put him left of Mara: a swap.
    loud = b.film(b.scene("s1", b.shot("a", *three), b.shot("m", ("mara", 0.5, "right")), b.shot("t", ("tom", 0.5, "right"))))
    assert [x.shots for x in axis_180(loud)] == [("a", "t")]


def test_each_swap_reported_once(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", *SWAPPED), b.shot("c", *SWAPPED)))
    assert [x.shots for x in axis_180(sl)] == [("a", "b")]


def test_eyeline_same_direction_singles_in_dialogue(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "right"), says=("mara",)), b.shot("b", ("tom", 0.5, "right"))))
    f = eyeline(sl)
    assert [x.shots for x in f] == [("a", "b")] and f[0].rule == "eyeline" and "screen-right" in f[0].message


def test_eyeline_opposite_directions_is_fine(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "right"), says=("mara",)), b.shot("b", ("tom", 0.5, "left"), says=("tom",))))
    assert eyeline(sl) == []


def test_eyeline_needs_them_talking(b):
    silent = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "right")), b.shot("b", ("tom", 0.5, "right"))))
    assert eyeline(silent) == []
    both_speak_elsewhere = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "right")), b.shot("b", ("tom", 0.5, "right")),
                                          b.shot("c", *TWO, says=("mara", "tom"))))
    assert [x.shots for x in eyeline(both_speak_elsewhere)] == [("a", "b")]


def test_eyeline_only_for_consecutive_singles_of_two_people(b):
    sl = b.film(b.scene("s1",
                        b.shot("a", ("mara", 0.5, "right"), says=("mara",)),
                        b.shot("ws", *TWO, says=("tom",)),
                        b.shot("b", ("tom", 0.5, "right"), says=("tom",)),
                        b.shot("c", ("tom", 0.5, "right"), says=("tom",)),
                        b.shot("ots", ("mara", 0.5, "right"), framing="ots", says=("mara",))))
    assert eyeline(sl) == []


def test_eyeline_does_not_cross_scenes(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "right"), says=("mara",))),
                b.scene("s2", b.shot("b", ("tom", 0.5, "right"), says=("tom",))))
    assert eyeline(sl) == []
