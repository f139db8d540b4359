"""unknown_character, bad_value and runtime."""

from __future__ import annotations

import pytest

from agents.grammar.values import bad_value, runtime, unknown_character
from memory.shotlist import ShotList


def test_unknown_character_in_staging_dialogue_movement_or_wardrobe(b):
    sl = b.film(b.scene("s1",
                        b.shot("a", ("tomm", 0.5, "left")),
                        b.shot("b", says=("ghost",)),
                        b.shot("c", move=("nobody", "toward")),
                        b.shot("d", wardrobe={"stranger": "hat"}),
                        b.shot("ok", ("mara", 0.5, "left"), says=("tom",))))
    f = unknown_character(sl)
    assert [x.shots for x in f] == [("a",), ("b",), ("c",), ("d",)]
    assert "'tom' for 'tomm'" in f[0].fix


@pytest.mark.parametrize(("changes", "words"), [
    ({"duration_s": 0}, "more than 0 seconds"),
    ({"duration_s": -2.5}, "more than 0 seconds"),
    ({"size": "HUGE"}, "not a shot size"),
    ({"framing": "diagonal"}, "not a coverage type"),
    ({"camera": {"angle_deg": 200}}, "outside -180…180"),
    ({"characters": [{"id": "mara", "x": 1.2}]}, "off the screen"),
    ({"characters": [{"id": "mara", "x": -0.1}]}, "off the screen"),
    ({"characters": [{"id": "mara", "facing": "up"}]}, "not a screen direction"),
    ({"movement": {"character": "mara", "direction": "sideways"}}, "not a screen direction"),
])
def test_bad_values_fire(b, changes, words):
    shot = {**b.shot("a"), **changes}
    f = bad_value(b.film(b.scene("s1", shot)))
    assert len(f) == 1 and f[0].shots == ("a",) and words in f[0].message and f[0].severity == "error"


def test_edge_values_are_fine(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.0, "left"), ("tom", 1.0, "away"), size="INSERT", angle=-180, duration=0.01),
                        b.shot("b", size="EWS", angle=180, framing="pov")), target=1)
    assert bad_value(sl) == []


def test_duplicate_ids_and_bad_target(b):
    sl = b.film(b.scene("s1", b.shot("a"), b.shot("a")), b.scene("s1"), characters=("mara", "mara"), target=0)
    messages = " | ".join(f.message for f in bad_value(sl))
    assert "target running time" in messages and "character id 'mara'" in messages
    assert "scene id 's1'" in messages and "shot id 'a'" in messages


def test_runtime_outside_five_percent_warns(b):
    # A 60 s film has 5 s of cards (generator.assembly.card_lengths): its shots should fill 55 s.
    long = b.film(b.scene("s1", b.shot("a", duration=30), b.shot("b", duration=28.1)), target=60)
    short = b.film(b.scene("s1", b.shot("a", duration=51.9)), target=60)
    for sl in (long, short):
        f = runtime(sl)
        assert len(f) == 1 and f[0].severity == "warning" and f[0].shots == ()
    assert "with the 5 s of title and credits cards" in runtime(long)[0].message


def test_runtime_within_five_percent_or_no_target_is_fine(b):
    assert runtime(b.film(b.scene("s1", b.shot("a", duration=58)), target=60)) == []
    assert runtime(b.film(b.scene("s1", b.shot("a", duration=52)), target=60)) == []
    assert runtime(b.film(b.scene("s1", b.shot("a", duration=500)))) == []
    assert runtime(ShotList()) == []
