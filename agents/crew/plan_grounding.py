"""The director's and the cinematographer's answers, grounded in the plan: one entry per real scene.

Why: both roles answer one small object per scene, mostly enums. What can go wrong is a scene id that
does not exist, a scene left out, a character blocked who is not in the scene, and the one free-text
field per scene (the intent, the lighting) looping or copying the example. Scene ids and characters are
enums of the plan's own (``per_scene_schema``); the free text is checked; a scene left out or a text that
fails is asked again as one small question (``ask_again``), and only when that fails too gets a
plan-derived value, labelled in the role's ``Provenance`` (never a silent default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from agents.crew.fidelity import Provenance, problem, words

LIGHT = {"night": "night light from practical lamps", "dawn": "soft low dawn light", "dusk": "warm low dusk light",
         "day": "soft daylight"}


def per_scene_schema(base_item: type[BaseModel], base_all: type[BaseModel], *, scene_ids: list[str],
                     field: str = "scenes", overrides: dict[str, Any] | None = None) -> type[BaseModel]:
    """``base_all`` whose items name only ``scene_ids`` (at most one entry per scene)."""
    which: Any = Literal[tuple(scene_ids)]
    item = create_model(base_item.__name__, __base__=base_item, scene=(which, ...), **(overrides or {}))
    return create_model(base_all.__name__, __base__=base_all,  # type: ignore[no-any-return, call-overload]
                        **{field: (list[item], Field(min_length=1, max_length=len(scene_ids)))})  # type: ignore[valid-type]


def first_sentence(text: str, limit: int) -> str:
    sentence = text.strip().split(". ")[0].strip().rstrip(".")
    return (sentence[:limit].rsplit(" ", 1)[0] if len(sentence) > limit else sentence) or "the scene"


def template_intent(summary: str) -> str:
    return f"We follow how {first_sentence(summary, 90)[:1].lower()}{first_sentence(summary, 90)[1:]}."[:120]


def template_light(time_of_day: str) -> str:
    return LIGHT.get(time_of_day, LIGHT["day"])


def ground_per_scene(role: str, answers: list[dict[str, Any]], scenes: list[dict[str, Any]], *, text_field: str,
                     template: Any, default: Any, sources: list[str], example_text: str,
                     ask_again: Callable[[dict[str, Any]], str | None] | None = None) -> tuple[list[dict[str, Any]], Provenance]:
    """One checked entry per scene, in scene order: the model's where usable, else the plan-derived one.

    A free text that fails its check is first asked again through ``ask_again(scene)`` (a small question,
    ``None`` when it could not be asked): the bundled model copies the shape's "…" or the summary in a
    whole answer, but asked only "what light is in this scene?" it names one ("candlelight"), so short
    answers of one word pass here.
    """
    prov = Provenance(role)
    by_id = {a["scene"]: a for a in answers}
    out = []
    for scene in scenes:
        entry = by_id.get(scene["id"])
        if entry is None:
            entry = default(scene)
            prov.template(f"{scene['id']}", "the model left this scene out")
            out.append(entry)
            continue
        text = str(entry[text_field])
        why = problem(text, sources=sources, min_words=2)
        if why is None and words(text) == words(example_text):
            why = "the model copied the example"
        again = ask_again(scene) if why and ask_again is not None else None
        if why and again is not None and problem(again, sources=sources) is None and words(again) != words(example_text):
            entry = {**entry, text_field: again}
            prov.asked(f"{scene['id']}.{text_field}", why)
        elif why:
            entry = {**entry, text_field: template(scene)}
            prov.template(f"{scene['id']}.{text_field}", why)
        else:
            prov.model(f"{scene['id']}.{text_field}")
        out.append(entry)
    return out, prov
