"""The screenwriter's scenes, grounded: places and people chosen from the story, lines that do not loop.

Why a schema per request: the location and every character id of a scene are *enums* of what the writer
set down (grammar-constrained on local models, validated on every backend), so a scene cannot happen in a
place or with a person the story does not have. Free text (action, lines) is checked like the writer's
fields: a line that repeats a sentence is trimmed to its first saying (the model's words, marked
"trimmed"); a line that still fails, or repeats an earlier line, is dropped and the drop is labelled; an
action that fails takes the scene's beat (labelled as the premise template's).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from agents.crew.fidelity import Provenance, problem, trim_repeats, words


def scene_schema(base_scene: type[BaseModel], base_line: type[BaseModel], base_play: type[BaseModel], *,
                 locations: list[str], characters: list[str], scenes: int, lines: int) -> type[BaseModel]:
    """``base_play`` (the screenplay schema) whose scenes may only use ``locations`` and ``characters``."""
    place: Any = Literal[tuple(locations)]
    who: Any = Literal[tuple(characters)]
    line = create_model(base_line.__name__, __base__=base_line, character=(who, ...))
    scene = create_model(
        base_scene.__name__, __base__=base_scene,
        location=(place, Field(description="One of the story's locations, by name.")),
        characters=(list[who], Field(  # type: ignore[valid-type]
            min_length=1, max_length=min(len(characters), 4))),
        dialogue=(list[line], Field(default_factory=list, max_length=lines)),  # type: ignore[valid-type]
    )
    return create_model(base_play.__name__, __base__=base_play,  # type: ignore[no-any-return]
                        scenes=(list[scene], Field(min_length=scenes, max_length=scenes + 1)))  # type: ignore[valid-type]


def ground_scenes(scenes: list[dict[str, Any]], beats: list[str], sources: list[str], prov: Provenance,
                  first_number: int = 1) -> list[dict[str, Any]]:
    """Check and repair ``scenes`` (dicts of the screenplay schema) in place; record who wrote what in ``prov``."""
    spoken: set[str] = set()
    for offset, scene in enumerate(scenes):
        number = first_number + offset
        beat = beats[min(number - 1, len(beats) - 1)] if beats else "The story goes on."
        why = problem(scene["action"], sources=sources, min_words=3)
        if why:
            scene["action"] = beat
            prov.template(f"scene {number}.action", why)
        else:
            prov.model(f"scene {number}.action")
        kept = []
        for index, line in enumerate(scene.get("dialogue", []), start=1):
            path = f"scene {number}.line {index}"
            text = line["line"]
            trimmed = trim_repeats(text)
            why = problem(trimmed, sources=sources) if trimmed else problem(text, sources=sources)
            key = " ".join(words(trimmed))
            if why is None and key in spoken:
                why = "it repeated an earlier line"
            if why:
                prov.removed(path, why)
                continue
            spoken.add(key)
            kept.append({**line, "line": trimmed})
            prov.model(path, "trimmed a repeated sentence" if trimmed != text.strip() else "")
        scene["dialogue"] = kept
        speakers = [line["character"] for line in kept]
        scene["characters"] = list(dict.fromkeys([*scene["characters"], *speakers]))
    return scenes
