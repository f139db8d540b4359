"""Mechanical fixes: each kind repairs its finding; hypothesis: the output never has more errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.grammar import apply_fixes, check
from memory.shotlist import ShotList

TWO = (("mara", 0.3, "right"), ("tom", 0.7, "left"))


def errors(sl: ShotList) -> list[str]:
    return [f.rule for f in check(sl) if f.severity == "error"]


def test_mirror_fixes_a_swapped_single_and_keeps_the_input(b):
    sl = b.film(b.scene("s1", b.shot("a", *TWO), b.shot("b", ("tom", 0.4, "right"), says=("tom",))))
    before = sl.model_dump()
    fixed, changes = apply_fixes(sl)
    assert sl.model_dump() == before
    shot = fixed.scenes[0].shots[1]
    assert (shot.characters[0].x, shot.characters[0].facing) == (0.6, "left")
    assert errors(fixed) == [] and any("mirrored" in c for c in changes)


def test_screen_direction_reversal_mirrored(b):
    sl = b.film(b.scene("s1", b.shot("a", move=("mara", "left_to_right")), b.shot("b", move=("mara", "right_to_left"))))
    fixed, _ = apply_fixes(sl)
    assert fixed.scenes[0].shots[1].movement.direction == "left_to_right" and errors(fixed) == []


def test_crossing_shot_inserted_when_mirroring_would_break_another_pair(b):
    # Shot b swaps only Mara and Ned; mirroring all of b would put Tom on the wrong side of both.
    three_a = (("mara", 0.2, "right"), ("ned", 0.5, "camera"), ("tom", 0.8, "left"))
    three_b = (("ned", 0.2, "right"), ("mara", 0.5, "camera"), ("tom", 0.8, "left"))
    sl = b.film(b.scene("s1", b.shot("a", *three_a), b.shot("b", *three_b)))
    assert errors(sl)
    fixed, changes = apply_fixes(sl)
    shots = fixed.scenes[0].shots
    assert errors(fixed) == [] and len(shots) == 3 and shots[1].crosses_axis and shots[1].id == "b-x"
    assert "inserted before b" in changes[0]


def test_continuity_copied_from_the_scene(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "camera"), tod="day", wardrobe={"mara": "bikini"}), tod="night"),
                wardrobe={"mara": {"default": "grey coat"}})
    fixed, changes = apply_fixes(sl)
    shot = fixed.scenes[0].shots[0]
    assert shot.time_of_day == "night" and shot.wardrobe == {"mara": "grey coat"} and len(changes) == 2


def test_jump_cut_reframed(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "camera"), size="MCU"), b.shot("b", ("mara", 0.5, "camera"), size="MCU")))
    fixed, changes = apply_fixes(sl)
    assert fixed.scenes[0].shots[1].size == "CU" and check(fixed) == [] and "reframed" in changes[0]


def test_nothing_mechanical_leaves_the_plan_alone(b):
    sl = b.film(b.scene("s1", b.shot("a", ("zed", 0.5, "left"), duration=-1)))
    fixed, changes = apply_fixes(sl)
    assert changes == [] and fixed == sl


CAST = ["mara", "tom", "ned"]
staging = st.fixed_dictionaries({
    "id": st.sampled_from([*CAST, "zed"]),
    "x": st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9, 1.4]),
    "facing": st.sampled_from(["left", "right", "camera", "away"]),
})
shots = st.fixed_dictionaries({
    "size": st.sampled_from(["WS", "MS", "MCU", "CU", "XL"]),
    "framing": st.sampled_from([None, "single", "two_shot", "ots"]),
    "characters": st.lists(staging, max_size=3),
    "camera": st.fixed_dictionaries({"angle_deg": st.sampled_from([-170.0, -30.0, 0.0, 10.0, 30.0, 90.0, 175.0])}),
    "crosses_axis": st.booleans(),
    "movement": st.none() | st.fixed_dictionaries({"character": st.sampled_from(CAST),
                                                   "direction": st.sampled_from(["left_to_right", "right_to_left", "toward", "away"])}),
    "time_of_day": st.sampled_from([None, "day", "night"]),
    "wardrobe": st.dictionaries(st.sampled_from(CAST), st.sampled_from(["grey coat", "oilskin"]), max_size=2),
    "dialogue": st.lists(st.fixed_dictionaries({"character": st.sampled_from(CAST), "line": st.just("...")}), max_size=2),
    "duration_s": st.sampled_from([-1.0, 0.5, 2.0, 4.0]),
})
scenes = st.lists(st.tuples(st.sampled_from([None, "day", "night"]), st.lists(shots, max_size=7)), min_size=1, max_size=3)


def as_film(drawn: list) -> ShotList:
    return ShotList.model_validate({
        "target_runtime_s": 20,
        "characters": [{"id": c, "wardrobe": {"default": "grey coat", "s2": "oilskin"}} for c in CAST],
        "scenes": [{"id": f"s{i + 1}", "time_of_day": tod, "location": "room",
                    "shots": [{**shot, "id": f"s{i + 1}-{j:02d}"} for j, shot in enumerate(shot_list)]}
                   for i, (tod, shot_list) in enumerate(drawn)],
    })


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenes)
def test_fixes_never_add_errors(drawn):
    sl = as_film(drawn)
    fixed, changes = apply_fixes(sl)
    assert len(errors(fixed)) <= len(errors(sl))
    if not changes:
        assert fixed == sl
    ids = [shot.id for _, shot in fixed.shots()]
    assert len(ids) == len(set(ids))


def test_reversing_walker_gets_a_neutral_shot_when_mirroring_would_break_the_line(b):
    # Mirroring b would turn Mara's single to look left, away from Tom: an axis error. A neutral shot instead.
    sl = b.film(b.scene("s1", b.shot("a", *TWO, move=("mara", "left_to_right")),
                        b.shot("b", ("mara", 0.4, "right"), move=("mara", "right_to_left"))))
    fixed, changes = apply_fixes(sl)
    neutral = fixed.scenes[0].shots[1]
    assert errors(fixed) == [] and neutral.crosses_axis and neutral.movement.direction == "toward"
    assert [c.split(":")[0] for c in changes] == ["b-x"]
