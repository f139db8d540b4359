"""The premise reader (agents.crew.premise): the people and places a plan is grounded in."""

from __future__ import annotations

import pytest

from agents.crew.premise import read_premise


@pytest.mark.parametrize(("premise", "beings", "places"), [
    # Measured failures of the bundled plan: the grandson was missing, "kids" was no one, a place was invented
    # as "place of the story" and the time of the story ("during a winter blackout") must not become a place.
    ("A retired pastry chef teaches her grumpy teenage grandson to bake bread during a winter blackout",
     ["retired pastry chef", "grumpy teenage grandson"], ["kitchen"]),
    ("Two kids build a raft to cross a flooded village after a storm", ["older kid", "younger kid"], ["flooded village"]),
    ("Four friends on a canoe trip find a message in a bottle on a misty lake at sunrise",
     ["first friend", "second friend", "third friend", "fourth friend"], ["misty lake"]),
    ("A street dog befriends a retired astronaut in a snowy Tokyo market", ["street dog", "retired astronaut"], ["snowy Tokyo market"]),
    # Measured: the seagull was no one, and the cat's only line was spoken to "the camera".
    ("An old lighthouse cat and a seagull argue over a fish on a rainy harbour wall at dusk", ["old lighthouse cat", "seagull"],
     ["rainy harbour"]),
    # Seen in a plan: "a lost queen bee" was read as a character called Queen (the bee was not a being word).
    ("A beekeeper searches a summer meadow for a lost queen bee", ["beekeeper", "lost queen bee"], ["summer meadow"]),
    ("A taxi driver in Mumbai drives a pregnant woman to the hospital through a monsoon flood",
     ["taxi driver", "pregnant woman"], ["Mumbai", "hospital"]),
    # Seen in a film: the parrot's way of speaking became the story's only location, "old song lyrics".
    ("A night-shift nurse finds a lost parrot that only speaks in old song lyrics", ["night-shift nurse", "lost parrot"],
     ["hospital ward"]),
    ("A poet who writes in riddles falls for a baker in Lisbon", ["poet", "baker"], ["Lisbon"]),
    # Seen in a film: the ferryman was no one ("-man" was no being's ending), and the girl spoke alone.
    ("An old ferryman teaches a runaway girl to read the river before the spring flood", ["old ferryman", "runaway girl"],
     ["river"]),
])
def test_reads_each_being_and_a_real_place(premise: str, beings: list[str], places: list[str]) -> None:
    read = read_premise(premise)
    assert read.beings == beings
    assert read.places == places


def test_a_premise_without_a_place_gets_a_plain_guess_marked_as_inferred() -> None:
    baking = read_premise("A retired pastry chef teaches her grandson to bake bread")
    assert baking.places == ["kitchen"] and baking.place_inferred
    nothing = read_premise("A lonely clown waits")
    assert nothing.places == ["clown's home"] and nothing.place_inferred
    named = read_premise("A clown waits in a circus")
    assert named.places == ["circus"] and not named.place_inferred


def test_a_time_inside_a_hyphenated_word_sets_the_time_of_day() -> None:
    # Seen in a film: the night-shift nurse's ward was lit as day.
    assert read_premise("A night-shift nurse finds a lost parrot").time_of_day == "night"
