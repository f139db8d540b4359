"""Coverage helpers: shot–reverse-shot, establishing shots, and (hypothesis) no error by construction."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.grammar import check
from agents.grammar.coverage import Beat, dialogue_coverage, establishing, normalize_size, plan_scene
from memory.shotlist import SIZES, Character, Scene, Shot, ShotList

CAST = ["mara", "tom", "ned", "ivy"]


def film_of(*scenes: tuple[str, list[Shot]]) -> ShotList:
    return ShotList(characters=[Character(id=c, wardrobe={"default": "coat"}) for c in CAST],
                    scenes=[Scene(id=sid, shots=shots, location="room") for sid, shots in scenes])


def error_rules(sl: ShotList) -> list[str]:
    return [f"{f.rule} {f.shots}" for f in check(sl) if f.severity == "error"]


def test_dialogue_is_master_then_matched_singles_on_one_side():
    shots = dialogue_coverage("s1", "mara", "tom", [("mara", "You came back."), ("tom", "The lamp was out."), ("mara", "It always is.")])
    master, *singles = shots
    assert master.framing == "two_shot" and master.size == "WS" and [s.id for s in master.characters] == ["mara", "tom"]
    assert master.characters[0].x < master.characters[1].x
    assert [(s.characters[0].id, s.characters[0].facing) for s in singles] == [("mara", "right"), ("tom", "left"), ("mara", "right")]
    assert all(s.framing == "single" and s.size == "MCU" and abs(s.camera.angle_deg) < 90 for s in singles)
    assert [s.id for s in shots] == ["s1-01", "s1-02", "s1-03", "s1-04"]
    assert singles[0].dialogue[0].line == "You came back."
    assert check(film_of(("s1", shots))) == []


def test_over_the_shoulder_coverage_keeps_sides_and_breaks_jump_cuts():
    shots = dialogue_coverage("s1", "mara", "tom", [("mara", "a"), ("tom", "b"), ("mara", "c")], style="ots", closeup_size="MS")
    for shot in shots[1:]:
        xs = {s.id: s.x for s in shot.characters}
        assert shot.framing == "ots" and xs["mara"] < xs["tom"]
    assert check(film_of(("s1", shots))) == []


def test_scene_at_new_location_opens_wider_than_it_continues():
    beats = [Beat(characters=["mara"], size="wide"), Beat(speaker="tom", line="hi", size="EWS")]
    shots = plan_scene("s2", beats, opening_size="WS", location="beach")
    sizes = [SIZES.index(s.size) for s in shots]
    assert sizes[0] < min(sizes[1:]) and "beach" in shots[0].description
    assert plan_scene("s2", beats, new_location=False)[0].size == "WS"


def test_reversing_walker_gets_a_neutral_crossing_shot_first():
    beats = [Beat(characters=["mara"], movement={"character": "mara", "direction": "left_to_right"}),
             Beat(characters=["mara"], movement={"character": "mara", "direction": "right_to_left"})]
    shots = plan_scene("s1", beats, new_location=False)
    assert [s.crosses_axis for s in shots] == [False, True, False]
    assert check(film_of(("s1", shots))) == []


def test_durations_follow_wishes_and_budget():
    beats = [Beat(speaker="mara", line="one two three four five"), Beat(speaker="tom", duration_s=4)]
    shots = plan_scene("s1", beats, duration_s=20)
    assert abs(sum(s.duration_s for s in shots) - 20) < 0.1


def test_blocking_decides_the_sides_and_sizes_accept_words():
    shots = plan_scene("s1", [Beat(characters=["mara", "tom"])], blocking={"mara": "right", "tom": "left"}, new_location=False)
    assert [s.id for s in shots[0].characters] == ["tom", "mara"]
    assert (normalize_size("close-up", "MS"), normalize_size("mcu", "MS"), normalize_size("bogus", "MS")) == ("CU", "MCU", "MS")
    assert establishing("s9", ["a", "b", "c"]).framing == "group"


SIZE_WISHES = st.sampled_from([None, "WS", "EWS", "ECU", "INSERT", "close-up", "medium", "wide", "nonsense", "cu"])
beats = st.builds(
    Beat,
    characters=st.lists(st.sampled_from(CAST), max_size=3),
    speaker=st.none() | st.sampled_from(CAST),
    line=st.none() | st.sampled_from(["Yes.", "You came back to the lamp.", "No"]),
    size=SIZE_WISHES,
    framing=st.none() | st.sampled_from(["single", "ots", "two_shot", "group"]),
    duration_s=st.none() | st.sampled_from([-1.0, 0.0, 2.5, 1e9]),
    movement=st.none() | st.fixed_dictionaries({
        "character": st.sampled_from(CAST),
        "direction": st.sampled_from(["left_to_right", "right_to_left", "toward", "away", "sideways"])}),
)
blocking = st.one_of(
    st.just(()),
    st.permutations(CAST).map(list),
    st.dictionaries(st.sampled_from(CAST), st.sampled_from(["left", "center", "right", "nowhere"]), max_size=4),
)
scene_plans = st.lists(
    st.tuples(st.lists(beats, max_size=10), blocking, st.booleans(), SIZE_WISHES, SIZE_WISHES, st.none() | st.sampled_from([5.0, 30.0])),
    min_size=1, max_size=3,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scene_plans)
def test_any_planned_scene_passes_every_error_rule(plans):
    scenes = []
    for i, (scene_beats, block, new_location, opening, closeup) in enumerate(p[:5] for p in plans):
        budget = plans[i][5]
        shots = plan_scene(f"s{i + 1}", scene_beats, blocking=block, new_location=new_location, opening_size=opening or "WS",
                           closeup_size=closeup or "MCU", duration_s=budget, lens_mm=35, location="room")
        if new_location and len(shots) > 1:
            assert SIZES.index(shots[0].size) < min(SIZES.index(s.size) for s in shots[1:])
        assert all(s.duration_s > 0 for s in shots)
        scenes.append((f"s{i + 1}", shots))
    sl = film_of(*scenes)
    assert error_rules(sl) == []
    assert not [f for f in check(sl) if f.rule == "jump_cut_30" and f.shots[0].split("-")[0] == f.shots[1].split("-")[0]]


lines = st.lists(st.tuples(st.sampled_from(["mara", "tom", "mara", "tom", "ned"]), st.sampled_from(["Yes.", "Why now?"])), max_size=12)


@settings(max_examples=80, deadline=None)
@given(lines, st.sampled_from(["singles", "ots"]))
def test_any_dialogue_coverage_passes_every_error_rule(dialogue, style):
    shots = dialogue_coverage("s1", "mara", "tom", dialogue, style=style)
    assert error_rules(film_of(("s1", shots))) == []


def test_time_to_spare_goes_to_the_action_not_to_a_line_held_on() -> None:
    """A 20 s scene with one five-word line: the line's shots hold it at most half as long again as it takes
    (1 + 0.4 s a word = 3 s, so 4.5 s; spread evenly it was 6.7 s, a cut-in "holds the moment after the line");
    the action and the establishing shot share the rest."""
    beats = [Beat(characters=["nurse", "parrot"], description="The nurse finds the parrot under a trolley."),
             Beat(characters=["parrot"], speaker="parrot", line="Fly me to the moon.", description="Parrot sings.")]
    shots = plan_scene("s2", beats, location="hospital ward", duration_s=20.0, longest_s=10.0, shot_s=4.0)
    assert abs(sum(s.duration_s for s in shots) - 20.0) < 0.05
    assert sum(s.duration_s for s in shots if s.dialogue or "after the line" in s.description) <= 4.5 + 0.05
    assert sum(s.duration_s for s in shots if "under a trolley" in s.description) > 7.0
