"""The producer routes every intent, and each routed intent acts through the real graph (scripted LLM, animatic).

What a pattern can read (a running time, approve/reshoot words with a shot id, a question, a note on one shot,
a new idea, a named character's look or voice) is routed without asking the LLM for the intent; the rest (a
story change, anything ambiguous) is the LLM's routing, constrained to the project's characters and shots. A
question is answered in the chat (the model writes the answer) and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from doubles import CountingGenerator, crew_answers

from agents.crew.producer import read_message, routing_schema
from agents.llm.scripted import ScriptedLLM
from agents.production.chat import ROUTES
from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio

SHOTS = ("s1-01", "s1-02", "s1-03", "s2-01")


@pytest.mark.parametrize(("message", "intent", "target", "runtime_s"), [
    ("Make the whole film 45 seconds long", "runtime", "", 45),
    ("make it 2 minutes", "runtime", "", 120),
    ("Make it two minutes long", "runtime", "", 120),
    ("cut it down to 30s", "runtime", "", 30),
    ("the film should run 90 secs", "runtime", "", 90),
    ("approve s1-02", "approve", "s1-02", None),
    ("S1-02 looks good", "approve", "s1-02", None),
    ("looks good, approve", "approve", "", None),
    ("redo s1-03, Tom looks tired", "reshoot", "s1-03", None),
    ("reshoot s2-01 with more rain", "reshoot", "s2-01", None),
])  # fmt: skip
def test_patterns_read_runtimes_shot_ids_and_decision_words(message: str, intent: str, target: str, runtime_s: int | None) -> None:
    routing = read_message(message, shots=SHOTS)
    assert routing is not None, message
    assert (routing.intent, routing.target, routing.runtime_s) == (intent, target, runtime_s)
    assert routing.reply


@pytest.mark.parametrize("message", [
    "Tom should be angrier in the second scene",  # a story change: the LLM
    "Mara waits 10 seconds before she answers",   # a number of seconds that is not the film's length
    "don't approve s1-02",                        # a negation
    "Don't make it 45 seconds long",              # a negated running time
    "Mara shouldn't wear the scarf any more",     # a negated look
    "approve s1-01 and reshoot s1-02",            # both words, two shots
    "reshoot it",                                 # which shot?
    "Mara says “make it 2 minutes” to Tom",      # a quoted running time is data
    "Mara walks into the red room",               # a colour beside a name, but no change asked
    "Make the sky red at the end",                # a colour, but nobody's look
    "Could you make the ending happier?",         # a polite request ending with "?" is not a question
])  # fmt: skip
def test_what_a_pattern_cannot_read_goes_to_the_llm(message: str) -> None:
    assert read_message(message, shots=SHOTS, characters=CHARACTERS) is None


CHARACTERS = (("mara", "Mara"), ("tom", "Tom"))


@pytest.mark.parametrize(("message", "intent", "target"), [
    ("Make Mara's scarf blue", "character_look", "mara"),
    ("give Tom a deeper voice", "character_look", "tom"),
    ("Tom should have a bandage on his left hand", "character_look", "tom"),
    ("The hero should wear a grey coat", "character_look", "mara"),        # the main character: the first
    ("Is the film 45 seconds long?", "question", ""),                     # a question about the runtime
    ("How long is the film?", "question", ""),
    ("Why is the lighthouse so dark?", "question", ""),
    ("Do you think s1-02 works?", "question", ""),                        # a question naming a shot
    ("New idea: a snail racing a turtle", "new_idea", ""),
    ("Scrap this, instead make a film about pirates", "new_idea", ""),
    ("In s1-02 the camera should drift left", "shot_note", "s1-02"),
    ("s1-02 feels rushed", "shot_note", "s1-02"),
    ('The sign in s1-01 should read "APPROVE ALL SHOTS"', "shot_note", "s1-01"),  # quoted words are not a decision
    ("Can you cut it down to 20 seconds?", "runtime", ""),               # a polite request, not a question
    ("Any idea why it's so slow?", "question", ""),                      # ends with "?"
    ("s1-02 again please, it's too dark", "reshoot", "s1-02"),            # a shot id and "again"
    ("Forget it, I want a film about a baker", "new_idea", ""),
])  # fmt: skip
def test_patterns_read_questions_looks_ideas_and_shot_notes(message: str, intent: str, target: str) -> None:
    routing = read_message(message, shots=SHOTS, characters=CHARACTERS)
    assert routing is not None, message
    assert (routing.intent, routing.target) == (intent, target)


def test_whose_look_is_left_to_the_model_when_a_pronoun_could_be_either() -> None:
    routing = read_message("She should have short black hair", shots=SHOTS, characters=CHARACTERS)
    assert routing is not None and (routing.intent, routing.target, routing.reply) == ("character_look", "", "")
    alone = read_message("She should have short black hair", shots=SHOTS, characters=CHARACTERS[:1])
    assert alone is not None and (alone.target, bool(alone.reply)) == ("mara", True)


def test_a_voice_is_answered_as_a_voice_not_a_look() -> None:
    voice = read_message("give Tom a deeper voice", shots=SHOTS, characters=CHARACTERS)
    look = read_message("Make Mara's scarf blue", shots=SHOTS, characters=CHARACTERS)
    assert voice is not None and voice.reply == "Changing Tom's voice."
    assert look is not None and look.reply == "Changing Mara's look."


def test_a_new_idea_keeps_only_the_idea() -> None:
    routing = read_message("Start over with a story about pirates", shots=SHOTS, characters=CHARACTERS)
    assert routing is not None and routing.change == "a story about pirates"


def test_the_model_may_only_name_a_character_or_shot_of_the_project() -> None:
    from pydantic import ValidationError

    schema = routing_schema(["mara", "Mara", "s1-01"])
    assert schema(intent="character_look", target="Mara", reply="ok").target == "Mara"
    with pytest.raises(ValidationError):
        schema(intent="character_look", target="Jake", reply="ok")
    with pytest.raises(ValidationError):
        routing_schema([], "question")(intent="story_change", reply="ok")


def test_a_running_time_out_of_range_is_answered_not_applied() -> None:
    routing = read_message("make the film 15 minutes long", shots=SHOTS)
    assert routing is not None and routing.intent == "question" and "900 s" in routing.reply


def test_every_intent_has_an_action() -> None:
    from typing import get_args

    from agents.crew.producer import Intent

    assert set(ROUTES) == set(get_args(Intent))


# ---------------------------------------------------------------------------------------------- the graph
def replans(times: int) -> dict[str, list[object]]:
    """The screenwriter-to-continuity answers once more per re-plan (a re-entry at ``write``)."""
    base = crew_answers()
    return {schema: base[schema] * (1 + times) for schema in ("Screenplay", "Direction", "ShotPlan", "Ledger")}


def routed_by(studio: Studio, project: str) -> str:
    return next(m for m in reversed(studio.store.messages(project)) if m.role == "producer").data["routed_by"]


@pytest.mark.slow
def test_at_the_plan_gate_question_story_change_runtime_and_approve_act_through_the_graph(small_frames, tmp_path: Path) -> None:
    llm = ScriptedLLM(crew_answers(**replans(2), Routing=[
        {"intent": "question", "reply": "The lamp room is dark because the storm cut the power."},
        {"intent": "story_change", "change": "Tom is angrier", "reply": "Re-writing: Tom is angrier."},
    ]))
    studio = Studio(settings=load_settings(), llm=llm, generator=CountingGenerator(tmp_path / "renders.log"))
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    first = studio.run(project)
    assert first is not None and first.what == "plan"

    # A question: the pattern reads it, the LLM writes the answer (asked with the intent fixed to a question),
    # the answer lands in the chat and the graph does not move.
    calls = len(llm.calls)
    routing, events = studio.send(project, "Why is the lamp room so dark?")
    assert routing.intent == "question" and events == []
    assert [c.schema for c in llm.calls[calls:]] == ["Routing"]
    assert studio.pending(project) == first
    assert studio.messages(project)[-1].content == "The lamp room is dark because the storm cut the power."
    assert routed_by(studio, project) == "pattern"

    # A story change: the LLM routes it, and the crew re-plans from the screenplay.
    calls = len(llm.calls)
    routing, _ = studio.send(project, "Tom should be angrier with his mother")
    assert routing.intent == "story_change"
    # (the screenwriter's small line questions, SpokenAnswer, may come between: the scripted scenes are short of lines)
    assert [c.schema for c in llm.calls[calls:] if c.schema != "SpokenAnswer"] == ["Routing", "Screenplay", "Direction", "ShotPlan", "Ledger"]
    again = studio.pending(project)
    assert again is not None and again.what == "plan" and again.interrupt_id != first.interrupt_id
    assert routed_by(studio, project) == "model"

    # A running time: read by the pattern (no Routing call), stored, and the crew re-plans to it.
    calls = len(llm.calls)
    routing, _ = studio.send(project, "Make the whole film 45 seconds long")
    assert (routing.intent, routing.runtime_s) == ("runtime", 45)
    assert studio.store.project(project).target_runtime_s == 45
    assert [c.schema for c in llm.calls[calls:] if c.schema != "SpokenAnswer"] == ["Screenplay", "Direction", "ShotPlan", "Ledger"]
    assert routed_by(studio, project) == "pattern"
    studio.store.update_project(project, target_runtime_s=12)  # keep the shoot below short

    # Approval words: the plan is approved and the shots are shot.
    routing, _ = studio.send(project, "looks good, approve")
    assert routing.intent == "approve"
    shots = studio.pending(project)
    assert shots is not None and shots.what == "shots" and len(shots.shots) >= 2
    assert {s for s, _ in studio.generator.renders()} == set(shots.shots)
    assert "Routing" not in [c.schema for c in llm.calls[calls:]]


@pytest.mark.slow
def test_at_the_shot_gate_approve_reshoot_and_a_look_act_on_the_named_shots(small_frames, tmp_path: Path) -> None:
    llm = ScriptedLLM(crew_answers(Routing=[  # whose look, when the message says "he": the model picks (an enum)
        {"intent": "character_look", "target": "Tom", "change": "a bandage on his left hand", "reply": "Tom gets a bandage."},
    ]))
    studio = Studio(settings=load_settings(), llm=llm, generator=CountingGenerator(tmp_path / "renders.log"))
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    store = studio.store
    waiting = studio.pending(project)
    assert waiting is not None and len(waiting.shots) >= 3
    first, second = waiting.shots[1], waiting.shots[2]  # not the first: the default target must not be what passes

    routing, _ = studio.send(project, f"approve {first}")
    assert (routing.intent, routing.target) == ("approve", first)
    assert [t.status for t in store.takes(project, first)] == ["approved"]
    after = studio.pending(project)
    assert after is not None and first not in after.shots and waiting.shots[0] in after.shots

    renders = len(studio.generator.renders())
    routing, _ = studio.send(project, f"redo {second}, Tom looks tired")
    assert (routing.intent, routing.target) == ("reshoot", second)
    assert [s for s, _ in studio.generator.renders()[renders:]] == [second]  # only that shot went back to the camera
    old, *new = store.takes(project, second)
    assert old.status == "rejected" and len(new) == 1
    assert "Tom looks tired" in store.shot(project, second).notes["creator"]
    assert "Routing" not in [c.schema for c in llm.calls]  # both read by patterns

    # A note on a waiting shot (a shot id, no decision word): read by the pattern, that shot is reshot with it.
    third = waiting.shots[0]
    renders = len(studio.generator.renders())
    routing, _ = studio.send(project, f"In {third} the camera should drift slowly to the left")
    assert (routing.intent, routing.target) == ("shot_note", third)
    assert [s for s, _ in studio.generator.renders()[renders:]] == [third]
    assert "camera should drift slowly to the left" in store.shot(project, third).notes["creator"]
    assert "Routing" not in [c.schema for c in llm.calls]

    toms = {s.key for s in store.shots(project) if any(c["id"] == "tom" for c in s.characters)}
    maras = {s.key for s in store.shots(project) if any(c["id"] == "mara" for c in s.characters)}
    assert toms != maras
    renders = len(studio.generator.renders())
    routing, _ = studio.send(project, "He should have a bandage on his left hand")
    assert routing.intent == "character_look"  # the LLM named him "Tom"; the action finds the character "tom"
    assert [c.schema for c in llm.calls].count("Routing") == 1
    assert sorted(s for s, _ in studio.generator.renders()[renders:]) == sorted(toms)
    assert "bandage on his left hand" in store.character(project, "tom").description

    # A named character's look: read by the pattern alone; only her shots go back to the camera.
    renders = len(studio.generator.renders())
    routing, _ = studio.send(project, "Make Mara's scarf blue")
    assert (routing.intent, routing.target) == ("character_look", "mara") and routed_by(studio, project) == "pattern"
    assert sorted(s for s, _ in studio.generator.renders()[renders:]) == sorted(maras)
    assert "scarf blue" in store.character(project, "mara").description
    assert [c.schema for c in llm.calls].count("Routing") == 1


@pytest.mark.slow
def test_a_new_idea_starts_the_crew_again_from_the_idea(small_frames, tmp_path: Path) -> None:
    base = crew_answers()
    llm = ScriptedLLM({schema: answers * 2 for schema, answers in base.items()})
    studio = Studio(settings=load_settings(), llm=llm, generator=CountingGenerator(tmp_path / "renders.log"))
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    first = studio.run(project)
    assert first is not None and first.what == "plan"
    calls = len(llm.calls)
    routing, _ = studio.send(project, "New idea: a snail racing a turtle across a garden")
    assert routing.intent == "new_idea" and routed_by(studio, project) == "pattern"
    assert studio.store.project(project).premise == "a snail racing a turtle across a garden"
    asked = [c.schema for c in llm.calls[calls:]]
    assert asked[0] == "StoryDevelopment" and "Routing" not in asked  # developed again, from the idea
    again = studio.pending(project)
    assert again is not None and again.what == "plan" and again.interrupt_id != first.interrupt_id
