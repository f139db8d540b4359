"""The screenwriter's scenes, grounded: places and people chosen from the story, lines that do not loop.

Why a schema per request: the location and every character id of a scene are *enums* of what the writer
set down (grammar-constrained on local models, validated on every backend), so a scene cannot happen in a
place or with a person the story does not have. Free text (action, lines) is checked like the writer's
fields: a line that repeats a sentence is trimmed to its first saying (the model's words, marked
"trimmed"); a line that still fails, or repeats an earlier line, is dropped and the drop is labelled; an
action that fails takes the scene's beat (labelled as the premise template's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from agents.crew.fidelity import (
    Provenance,
    content_words,
    holds,
    near_copy,
    problem,
    stem,
    trim_action,
    trim_cut_off,
    trim_repeats,
    words,
)
from agents.crew.fidelity import echoes as echoes_of
from agents.crew.premise import strangers


def scene_schema(base_scene: type[BaseModel], base_line: type[BaseModel], base_play: type[BaseModel], *,
                 locations: list[str], characters: list[str], scenes: int, lines: int, spare: int = 1) -> type[BaseModel]:
    """``base_play`` (the screenplay schema) whose scenes may only use ``locations`` and ``characters``.

    ``spare``: scenes an answer may add beyond ``scenes`` (dropped later). 0 for a small model, which fills
    whatever room the grammar leaves: asked for two scenes, the bundled model wrote a third until its token
    budget ran out, and the whole answer was lost.
    """
    place: Any = Literal[tuple(locations)]
    who: Any = Literal[tuple(characters)]
    line = create_model(base_line.__name__, __base__=base_line, character=(who, ...))
    scene = create_model(
        base_scene.__name__, __base__=base_scene,
        location=(place, Field(description="One of the story's locations, by name.")),
        characters=(list[who], Field(  # type: ignore[valid-type]
            min_length=1, max_length=min(len(characters), 4))),
        # At least one line a scene: under constrained decoding a small model otherwise takes the cheapest
        # valid answer, an empty list, and the film has nothing to say (measured: every scene silent).
        dialogue=(list[line], Field(min_length=min(1, lines), max_length=lines)),  # type: ignore[valid-type]
    )
    return create_model(base_play.__name__, __base__=base_play,  # type: ignore[no-any-return]
                        scenes=(list[scene], Field(min_length=scenes, max_length=scenes + spare)))  # type: ignore[valid-type]


#: A line this long without an end mark ran into its string bound (the schemas allow 90-120 characters).
RAN_OUT = 80


#: "She said, 'I'm so glad you're here.'": the speech inside a narrated line (group 1).
_QUOTED = re.compile(r"""\b(?:said|says|asks|asked|replies|replied|whispers|whispered|shouts|shouted)\b[^'"\u201c]{0,40}?(?<![A-Za-z])['"\u201c](.+?)['"\u201d]?\s*$""", re.I)
#: "The mother is speaking to the daughter.": a line that tells that someone speaks instead of speaking.
_NARRATED = re.compile(r"\b(?:is|are|was|were)\s+(?:speaking|talking|saying|telling)\b|\b(?:speaks|talks|says|said)\s+to\b"
                       r"|^\s*the\s+\w+\s+(?:speaks|responds|replies|answers|whispers|says|asks|nods|smiles)\b", re.I)
#: "He leans in, peering at the worn verses…": a pronoun doing a body's action in the present tense is a stage
#: direction written as the line (seen as the parrot's only line in a nurse-and-parrot film). It also refuses
#: some speech ("She looks tired; let her sleep."): the line is asked again, a cheaper loss than narration.
_ACTED = re.compile(r"^\s*(?:he|she|they|it)\s+(?:leans|looks|turns|smiles|nods|sighs|walks|steps|glances|peers|stares|gazes"
                    r"|shrugs|frowns|laughs|pauses|reaches|kneels|sits|stands|rises|moves|picks|points|hesitates|flutters"
                    r"|tilts|lowers|raises|opens|closes|runs|hurries|watches)\b", re.I)
#: "Keeper believes the bottle…": a name, then a verb (not "Keeper, listen", not "Chef and Grandson, …").
_SELF_NARRATED = re.compile(r"^\s*[A-Z][\w'-]*\s+(?!and\b|or\b|&)[a-z]+")
#: A line about the film instead of in it: "The scene opens with Keeper. She is with the camera."
_META = re.compile(r"\b(?:the\s+)?(?:camera|scene|shot|screenplay|script)\b", re.I)


#: "(looks at Fox with a mix of sadness and curiosity in his eyes.": a stage direction, closed or not.
_DIRECTION = re.compile(r"\([^)]*(?:\)|$)")


def spoken_part(text: str) -> tuple[str | None, str]:
    """(the words a character says, a note) from a line the model may have narrated, or (None, why not).

    Measured on the bundled model (issue 13): asked for a line it wrote "She said, 'I'm so glad you're here.'"
    (the quoted words are the line) or "The mother is speaking to the daughter." (no line at all); sampled,
    "(looks at Fox with a mix of sadness…" (a stage direction: dropped) and "as he stepped into the hallowed
    halls of the temple." (narration that goes on from somewhere else: speech opens with a capital).
    """
    without = re.sub(r"\s+", " ", _DIRECTION.sub(" ", text)).strip()
    if without != text.strip():
        if not words(without):
            return None, "it was a stage direction, not speech"
        text = without
    if text[:1].islower():
        return None, "it was a fragment of narration, not speech"
    quoted = _QUOTED.search(text)
    if quoted and len(words(quoted.group(1))) >= 2 and not quoted.group(1)[:1].islower():
        return quoted.group(1).strip(), "kept the quoted words"
    if _META.search(text):
        return None, "it spoke about the film (the scene, the camera), not in it"
    if _NARRATED.search(text):
        return None, "it narrated that someone speaks instead of speaking"
    if _ACTED.search(text):
        return None, "it described what someone does (a stage direction), not speech"
    return text, ""


def recites(text: str, echoes: Sequence[str]) -> bool:
    """Whether every content word of ``text`` (two or more) comes from ``echoes``: a recital, not speech.

    Measured on the bundled model: asked what the astronaut says to the dog, it answered "The dog is with
    the astronaut, and the astronaut is with the dog." — only the question's words, shuffled.
    """
    said = content_words(text)
    if len(said) < 2 or not echoes:
        return False
    known = {stem(w) for echo in echoes for w in words(echo)}
    return all(w in known for w in said)


def ground_line(text: str, sources: list[str], spoken: set[str], echoes: Sequence[str] = (),
                min_words: int = 1) -> tuple[str | None, str]:
    """(the usable line, a note) or (None, why not): repeats trimmed, a cut-off end trimmed to its last clause.

    A line that opens with (most of) the premise, a beat or the question asked (``echoes``) is an echo, not
    speech: the 135M model answers "what does the dog say?" with the premise itself. Why trim a cut-off line: measured on the bundled 135M model (issue 13), every line ran into its
    string bound mid-sentence ("… The world is a ") and all of a film's lines were dropped; the complete
    clauses before the cut are still the model's words.
    """
    said, note = spoken_part(text)
    if said is None:
        return None, note
    notes = [note] if note else []
    trimmed = trim_repeats(said) or said
    notes += ["trimmed a repeated sentence"] if trimmed != said.strip() else []
    why = problem(trimmed, sources=sources, min_words=min_words)
    if why is None and len(trimmed) >= RAN_OUT and not trimmed.rstrip().endswith((".", "!", "?", '"', "'")):
        why = "it was cut off"  # "… I'm sure it's a little bit of a b": long, unfinished, the string bound ended it
    if why == "it was cut off" and (cut := trim_cut_off(trimmed)) and problem(cut, sources=sources) is None:
        trimmed, why = cut, None
        notes.append("trimmed a cut-off ending")
    if why is None and (" ".join(words(trimmed)) in spoken or any(near_copy(trimmed, said) for said in spoken)):
        why = "it repeated an earlier line"
    if why is None and any(echoes_of(trimmed, echo) or near_copy(trimmed, echo) for echo in echoes):
        why = "it echoed the premise, a beat or the question instead of speaking"
    if why is None and recites(trimmed, echoes):
        why = "it only recited words of the premise, a beat or the question"
    if why is None and (others := strangers(trimmed, [*sources, *echoes])):
        why = f"it spoke of a {others[0]}, who is not in this story"
    if why:
        return None, why
    return trimmed, "; ".join(notes)


def add_line(kept: list[dict[str, Any]], line: dict[str, Any], path: str, sources: list[str], spoken: set[str],
             prov: Provenance, echoes: Sequence[str] = (), min_words: int = 1) -> bool:
    """Ground ``line`` and append it to ``kept`` (recorded as the model's), or record its removal; True if kept."""
    text, note = ground_line(line["line"], sources, spoken, echoes, min_words)
    if text is not None and _SELF_NARRATED.match(text) and words(text)[0] in words(str(line["character"]).replace("_", " ")):
        text, note = None, "its speaker spoke of themself by name, as narration does"  # "Keeper believes the bottle…"
    if text is None:
        prov.removed(path, note)
        return False
    spoken.add(" ".join(words(text)))
    kept.append({**line, "line": text})
    prov.model(path, note)
    return True


def ground_scenes(scenes: list[dict[str, Any]], beats: list[str], sources: list[str], prov: Provenance,
                  first_number: int = 1, echoes: Sequence[str] = (), spoken: set[str] | None = None,
                  acted: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Check and repair ``scenes`` (dicts of the screenplay schema) in place; record who wrote what in ``prov``.

    ``spoken`` holds the lines of earlier requests (a long film is written a few scenes at a time): a line
    said in an earlier chunk is a repeat too (measured: 35 % repeated sentences in a 180 s plan without it).
    ``acted`` holds the earlier scenes' actions: a scene that copies one is its own beat instead (seen in a
    45 s film: both scenes were "The night-shift nurse and the lost parrot clash over what to do.").
    """
    spoken = set() if spoken is None else spoken
    acted = list(acted)
    for offset, scene in enumerate(scenes):
        number = first_number + offset
        beat = beats[min(number - 1, len(beats) - 1)] if beats else "The story goes on."
        action = trim_action(scene["action"])
        why = problem(action, sources=sources, min_words=3)
        if why is None and any(holds(action, earlier) or holds(earlier, action) for earlier in acted):
            why = "it repeated an earlier scene's action"
        if why:
            scene["action"] = beat
            prov.template(f"scene {number}.action", why)
        else:
            prov.model(f"scene {number}.action", "trimmed repeated or unfinished sentences" if action != scene["action"].strip() else "")
            scene["action"] = action
        acted.append(scene["action"])
        kept: list[dict[str, Any]] = []
        for index, line in enumerate(scene.get("dialogue", []), start=1):
            add_line(kept, line, f"scene {number}.line {index}", sources, spoken, prov, [*sources, *beats, *echoes])
        scene["dialogue"] = kept
        speakers = [line["character"] for line in kept]
        scene["characters"] = list(dict.fromkeys([*scene["characters"], *speakers]))
    return scenes
