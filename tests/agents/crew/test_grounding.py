"""The writer's answer grounded field by field (agents.crew.grounding), on answers the bundled model gave."""

from __future__ import annotations

from agents.crew.fidelity import is_fragment, near_copy, title_problem
from agents.crew.grounding import ground_story, same_person, template_story
from agents.crew.premise import read_premise
from agents.crew.shape import shape_for

PASTRY = "A retired pastry chef teaches her grumpy teenage grandson to bake bread during a winter blackout"


def _bundled_answer() -> dict[str, object]:
    """What SmolLM2-135M answered for PASTRY (2026-12-02), shortened: a place as a character, a fragment beat."""
    return {
        "title": "A Retired Pantry Baker's Uncanny Tale: A Blackout-",
        "logline": "A retired pastry chef and her grandson bake through the night while the city is dark.",
        "characters": [
            {"id": "chef", "name": "Chef", "description": "woman in her seventies, flour on her sleeves", "wardrobe": "white apron, blue dress"},
            {"id": "place_of_story", "name": "place_of_story", "description": "place of the story", "wardrobe": "none"},
        ],
        "locations": [{"name": "place_of_story", "interior": True, "description": "place of the story"}],
        "beats": ["A retired pastry chef", "The chef lights a candle and shows him the dough."],
    }


def test_a_place_or_a_field_name_is_not_cast_and_the_premises_people_are() -> None:
    premise = read_premise(PASTRY)
    shape = shape_for(30)
    story, prov = ground_story([_bundled_answer()], template_story(premise, shape), premise, [], shape)
    names = [c["name"] for c in story["characters"]]
    assert names == ["Chef", "Grandson"]
    assert prov.fields["characters.place_of_story"] == "removed"
    assert prov.fields["characters.grandson"] == "premise template"  # labelled, never silent
    assert [loc["name"] for loc in story["locations"]] == ["kitchen"]
    assert story["title"] == "The Chef and the Grandson" and prov.fields["title"] == "premise template"
    assert story["beats"][0] != "A retired pastry chef" and prov.fields["beats.1"] == "premise template"
    assert story["beats"][1] == "The chef lights a candle and shows him the dough." and prov.fields["beats.2"] == "model"


def test_the_template_dresses_each_person_in_a_colour_of_their_own() -> None:
    story = template_story(read_premise(PASTRY), shape_for(30))
    chef, grandson = story["characters"]
    assert chef["wardrobe"] == "white chef's jacket and a navy blue apron"
    assert grandson["wardrobe"] == "rust red hoodie and jeans"
    assert "seventies" in chef["description"] and "fifteen" in grandson["description"]
    text = str(story)
    assert "would wear" not in text and "place of the story" not in text


def test_title_problem_refuses_cut_off_and_run_on_titles() -> None:
    assert title_problem("A Retired Pantry Baker's Uncanny Tale: A Blackout-", PASTRY) == "it was cut off"
    assert title_problem("Bread in the Dark:", PASTRY) == "it was cut off"
    assert title_problem("The chef and the grandson bake bread all night long in the dark", PASTRY) == "it was too long for a title"
    assert title_problem("Bread in the Dark", PASTRY) is None


def test_near_copy_catches_a_misspelt_cut_short_copy_but_not_a_new_sentence() -> None:
    beat = "The Retired Pastry Chef and the world are changed."
    assert near_copy("The Retired Pastrry Chef and the world are changed. The Reti", beat)
    assert not near_copy("Knead it like you mean it, kid.", beat)
    assert not near_copy("The chef is changed.", beat)  # under four words of overlap in a short sentence
    assert is_fragment("A retired pastry chef", PASTRY) and not is_fragment("The chef bakes.", PASTRY)


def test_one_name_is_one_character() -> None:
    # Measured on the bundled model for "A girl named Ada…": four cast entries, all named Ada.
    premise = read_premise("A girl named Ada chases her runaway kite across a windy hilltop town")
    shape = shape_for(30)
    answer = template_story(premise, shape) | {"characters": [
        {"id": f"ada{i}", "name": "Ada", "description": "girl, about ten, red braids", "wardrobe": "yellow raincoat"} for i in range(4)]}
    story, prov = ground_story([answer], template_story(premise, shape), premise, [], shape)
    assert [c["name"] for c in story["characters"]] == ["Ada"]
    assert prov.reasons["characters.ada1"] == "it repeated another character's name"


def test_a_shortened_or_run_together_name_is_the_same_character() -> None:
    # Measured in the ten-minute bench: the bundled model cast "Lighthouse Keeper" and "Keeper" (two keepers, one sheet).
    premise = read_premise("A lighthouse keeper finds a message in a bottle and follows it across the sea")
    shape = shape_for(600)
    cast = [{"id": "lighthousekeeper", "name": "Lighthouse Keeper", "description": "man in his sixties, grey beard", "wardrobe": "navy wool coat"},
            {"id": "keeper", "name": "Keeper", "description": "man in his sixties, grey beard", "wardrobe": "navy wool coat"},
            {"id": "lighthouse_keeper", "name": "Lighthousekeeper", "description": "man in his sixties", "wardrobe": "navy wool coat"}]
    story, prov = ground_story([template_story(premise, shape) | {"characters": cast}], template_story(premise, shape), premise, [], shape)
    assert [c["name"] for c in story["characters"]] == ["Lighthouse Keeper"]
    assert prov.reasons["characters.keeper"] == prov.reasons["characters.lighthouse_keeper"] == "it repeated another character's name"
    assert not same_person("Second Friend", "Third Friend") and not same_person("Mother", "Grandmother")


def test_a_long_films_template_beats_follow_an_arc_and_never_repeat() -> None:
    # Measured (the ten-minute bench): the template's beats 6-29 were "The Lighthouse Keeper in the sea, moment 6." …
    premise = read_premise("A lighthouse keeper finds a message in a bottle and follows it across the sea")
    for runtime in (96, 180, 600):
        beats = template_story(premise, shape_for(runtime))["beats"]
        assert len(beats) == shape_for(runtime).beats == len(set(beats))
        assert not any(", moment " in beat for beat in beats)
        assert beats[1].startswith("The lighthouse keeper finds a message") and beats[-1] == "The lighthouse keeper ends the day changed."
    assert any("the message" in beat for beat in template_story(premise, shape_for(600))["beats"])  # the premise's thing
    assert template_story(premise, shape_for(60))["beats"][2] == "Something stands in the way of the lighthouse keeper."


def test_a_character_is_not_a_location() -> None:
    # README command 1's film at d88ed87: the model listed "The Keeper" (with the keeper's description) as a place.
    premise = read_premise("A lighthouse keeper finds a message in a bottle")
    shape = shape_for(30)
    answer = template_story(premise, shape) | {
        "characters": [{"id": "keeper", "name": "Keeper", "description": "man in his sixties, grey beard", "wardrobe": "navy wool coat"}],
        "locations": [{"name": "The Keeper", "interior": False, "description": "lighthouse keeper, in their thirties"},
                      {"name": "lamp room", "interior": True, "description": "the glass lamp room at the top"}]}
    story, _ = ground_story([answer], template_story(premise, shape), premise, [], shape)
    assert [loc["name"] for loc in story["locations"]] == ["lamp room"]
