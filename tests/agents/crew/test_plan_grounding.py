"""A scene's free text (intent, lighting) that fails its check is asked again as one small question."""

from __future__ import annotations

from typing import Any

from agents.crew.plan_grounding import ground_per_scene, template_intent, template_light
from agents.crew.role import PROMPTS
from agents.crew.scene_questions import ask_intent, ask_light
from agents.llm.scripted import ScriptedLLM

SCENE = {"id": "s1", "heading": "EXT. PIER - DAWN", "summary": "Ada feeds the seal a herring.", "time_of_day": "dawn"}


def _direct(llm: ScriptedLLM, intent: str) -> tuple[list[dict[str, Any]], Any]:
    return ground_per_scene(
        "director", [{"scene": "s1", "intent": intent}], [SCENE], text_field="intent",
        template=lambda sc: template_intent(sc["summary"]), default=lambda sc: {"scene": sc["id"], "intent": "x"},
        sources=["An old fisherman and a seal become friends on a foggy pier"], example_text=template_intent(SCENE["summary"]),
        ask_again=lambda sc: ask_intent(llm, sc, PROMPTS))


def test_a_placeholder_intent_is_asked_again_and_labelled() -> None:
    llm = ScriptedLLM({"SceneFeeling": [{"feeling": "Quiet trust"}]})
    entries, prov = _direct(llm, "…")
    assert entries[0]["intent"] == "The audience should feel quiet trust."
    assert prov.fields["s1.intent"] == "model, asked again"
    assert "placeholder" in prov.reasons["s1.intent"]
    question = llm.calls[0].messages[-1]["content"]
    assert "Ada feeds the seal a herring." in question and "EXT. PIER - DAWN" in question


def test_a_usable_intent_asks_nothing() -> None:
    llm = ScriptedLLM({"SceneFeeling": []})
    entries, prov = _direct(llm, "Trust grows between two lonely creatures.")
    assert entries[0]["intent"] == "Trust grows between two lonely creatures."
    assert prov.fields["s1.intent"] == "model" and llm.calls == []


def test_a_failed_small_answer_falls_back_to_the_labelled_template() -> None:
    llm = ScriptedLLM({"SceneFeeling": [{"feeling": "fear fear fear"}]})
    entries, prov = _direct(llm, "…")
    assert entries[0]["intent"] == template_intent(SCENE["summary"])
    assert prov.fields["s1.intent"] == "premise template"


def test_a_question_the_model_cannot_answer_falls_back_too() -> None:
    llm = ScriptedLLM({"SceneFeeling": []})  # exhausted: an LLMError, as a dead server would be
    entries, prov = _direct(llm, "…")
    assert prov.fields["s1.intent"] == "premise template" and entries[0]["intent"] == template_intent(SCENE["summary"])


def test_a_copied_light_is_asked_again_and_one_word_is_enough() -> None:
    llm = ScriptedLLM({"SceneLight": [{"light": "candlelight."}]})
    entries, prov = ground_per_scene(
        "cinematographer", [{"scene": "s1", "lighting": template_light("dawn")}], [SCENE], text_field="lighting",
        template=lambda sc: template_light(sc["time_of_day"]), default=lambda sc: {"scene": sc["id"]},
        sources=[], example_text=template_light("dawn"), ask_again=lambda sc: ask_light(llm, sc, PROMPTS))
    assert entries[0]["lighting"] == "candlelight"
    assert prov.fields["s1.lighting"] == "model, asked again" and prov.model_share == 1.0
