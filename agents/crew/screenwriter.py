"""Screenwriter: writes the scenes — where, when, who, the action and the dialogue — fitted to the runtime.

Each scene is stored with Fountain-style screenplay text (heading, action, character cues, dialogue), so
the script tab and a Fountain export read like a real screenplay, and with its dialogue as data so the
cinematographer can cover each line.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from agents.crew.fidelity import Provenance, stem, words
from agents.crew.grounding import same_person
from agents.crew.ids import CharacterId
from agents.crew.premise import Premise, read_premise, things
from agents.crew.role import Deps, Role, render_prompt
from agents.crew.scene_grounding import add_line, ground_scenes, scene_schema
from agents.crew.shape import shape_for
from agents.llm.base import asks_small_questions
from agents.llm.errors import LLMError, LLMOutputInvalid
from memory.store import slugify
from memory.story import SpokenLine

TimeOfDay = Literal["day", "night", "dawn", "dusk"]


class Line(BaseModel):
    character: CharacterId
    line: str = Field(max_length=120)


class SceneDraft(BaseModel):
    location: str = Field(max_length=40, description="One of the story's locations, by name.")
    time_of_day: TimeOfDay
    # The largest sizes of any running time (agents.crew.shape); each request asks for its runtime's sizes.
    characters: list[CharacterId] = Field(min_length=1, max_length=8)
    action: str = Field(max_length=240, description="What we see, present tense.")
    dialogue: list[Line] = Field(default_factory=list, max_length=6)


class Screenplay(BaseModel):
    scenes: list[SceneDraft] = Field(min_length=1, max_length=32)


class SpokenAnswer(BaseModel):
    """The one-field answer of the small question for a silent scene (``ScreenWriter.ask_line``)."""

    line: str = Field(max_length=90, description="One spoken sentence, at most twelve words.")


#: Room for one short line in its JSON object.
LINE_TOKENS = 40

#: Tries for a scene's next line before it stays short: a greedy one, then sampled ones (``ask_line``).
LINE_TRIES = 3

def line_tries(scene: dict[str, Any]) -> int:
    """Misses allowed before a scene stays as it is: twice as many while it has no line at all.

    Measured (a 60 s monk-and-fox plan): the first scene's three answers were all refused and it stayed
    silent while the second had three lines; a film whose first scene says nothing starts as a slideshow.
    """
    return LINE_TRIES * (1 if scene["dialogue"] else 2)


#: After a greedy miss a line question samples at this temperature: measured on the bundled model, greedy
#: answers to a cat-and-seagull scene's questions were recitals 4 times of 4; sampled, about 3 of 5 passed the
#: checks (the rest are refused as before).
LINE_TEMPERATURE = 0.8

#: Scenes asked in one request: a long film's screenplay is written a few scenes at a time.
SCENES_PER_REQUEST = 4


def scenes_for(runtime_s: float) -> int:
    """About one scene per 25 seconds (``agents.crew.shape``)."""
    return shape_for(runtime_s).scenes


def lines_wanted(lines_per_scene: int) -> int:
    """Lines a scene should end with: its shape's, at most three (each is one more small question)."""
    return max(1, min(lines_per_scene, 3))


def lines_asked(deps: Deps, lines_per_scene: int) -> int:
    """Lines a whole-scene request asks for: none of a small model, whose lines come one question each.

    Measured on the bundled model (a 60 s plan): its whole-scene answer recited the beats into all twelve
    lines until the token budget ran out, 57 s of a 134 s plan, and every line was then refused as an echo;
    the one-line questions (``ScreenWriter.ask_line``) wrote the film's lines anyway.
    """
    return 0 if asks_small_questions(deps.llm) else lines_per_scene


def _sentence(beat: str) -> str:
    """``beat`` ending as a sentence, so joined beats read as two ("… old song lyrics The night-shift nurse …")."""
    beat = beat.strip()
    return beat if not beat or beat.endswith((".", "!", "?", '"', "\u201d")) else beat + "."


def topic_of(premise: Premise, action: str, speakers: list[str], most: int = 2) -> str:
    """What a scene's line is about: the premise's things, places and other beings, those the action names first.

    Measured on the bundled model (6 premises, 3 turns each, ``bench``-style checks): asked only "what does the
    daughter say to her father?", 8 of 18 lines were kept and 1 spoke of the story ("The father's voice was a
    soft, lilac-hued voice"); asked "… about the thunderstorm and the hives?", 8 kept, all 8 about the story.
    """
    spans = [*things(premise), *(b for b in premise.beings if not any(same_person(b, s) for s in speakers)), *premise.places]
    named = {stem(w) for w in words(action)}
    chosen = sorted(dict.fromkeys(spans), key=lambda span: not any(stem(w) in named for w in words(span)))[:most]
    return " and ".join(span if span[:1].isupper() or span[:1].isdigit() else f"the {span}" for span in chosen)


def heading(interior: bool, location: str, time_of_day: str) -> str:
    return f"{'INT.' if interior else 'EXT.'} {location.upper()} - {time_of_day.upper()}"


def fountain_text(scene_heading: str, draft: SceneDraft, names: dict[str, str]) -> str:
    """The scene as Fountain: heading, action, then each cue in capitals above its line."""
    parts = [scene_heading, "", draft.action.strip()]
    for d in draft.dialogue:
        parts += ["", names.get(d.character, d.character).upper(), d.line.strip()]
    return "\n".join(parts) + "\n"


class ScreenWriter(Role[Screenplay]):
    name = "screenwriter"
    stage = "write"
    output = Screenplay
    goal = "Write short, visual scenes with few, sharp lines of dialogue."
    max_tokens = 640

    def inputs(self, deps: Deps, project: str, first: int = 1, count: int | None = None) -> dict[str, Any]:
        """The prompt's variables for scenes ``first``..``first + count - 1`` (all of them by default)."""
        p = deps.store.project(project)
        shape = shape_for(p.target_runtime_s)
        count = shape.scenes if count is None else count
        characters = [{"id": c.key, "name": c.name} for c in deps.store.characters(project)]
        locations = [loc.name for loc in deps.store.locations(project)]
        beats = self.beats_of(list(p.beats), shape.scenes)
        lines = lines_asked(deps, shape.lines_per_scene)
        return {
            "title": p.title,
            "logline": p.logline,
            "runtime_s": round(p.target_runtime_s),
            "scenes": count,
            "first": first,
            "total": shape.scenes,
            "lines": lines,
            "beats": " | ".join(p.beats),
            "scene_beats": beats[first - 1: first - 1 + count],
            "characters": characters,
            "locations": locations,
            # The shape shown is this story's own first scene (its place, people and beat): nothing to copy
            # from another film. A line copied from it is caught as a copy (agents.crew.scene_grounding).
            "example": json.dumps({"scenes": [{
                "location": (locations or ["?"])[0], "time_of_day": read_premise(p.premise).time_of_day,
                "characters": [c["id"] for c in characters[:2]], "action": (beats or [p.logline])[first - 1][:240],
                "dialogue": [{"character": c["id"], "line": "…"} for c in characters[:2]] if lines else [],
            }]}, ensure_ascii=False),
        }

    @staticmethod
    def beats_of(beats: list[str], scenes: int) -> list[str]:
        """The beats each scene covers, joined (beats shared out in order over ``scenes``)."""
        if not beats:
            return ["" for _ in range(scenes)]
        groups: list[list[str]] = [[] for _ in range(scenes)]
        for i, beat in enumerate(beats):
            groups[min(scenes - 1, i * scenes // len(beats))].append(beat)
        return [" ".join(_sentence(b) for b in g) if g else beats[min(i, len(beats) - 1)] for i, g in enumerate(groups)]

    def requests(self, deps: Deps, project: str) -> list[list[dict[str, str]]]:
        """The whole-scene requests, ``SCENES_PER_REQUEST`` scenes each (the small line questions come after)."""
        total = shape_for(deps.store.project(project).target_runtime_s).scenes
        return [render_prompt(self.name, {"goal": self.goal, **self.inputs(deps, project, first, min(SCENES_PER_REQUEST, total - first + 1))},
                              self.prompt_dir) for first in range(1, total + 1, SCENES_PER_REQUEST)]

    def ask(self, deps: Deps, project: str) -> Screenplay:
        """Ask a few scenes at a time, in this runtime's sizes, with places and people as enums; check every line."""
        if deps.llm is None:
            return super().ask(deps, project)  # raises the "needs an LLM" error
        p = deps.store.project(project)
        shape = shape_for(p.target_runtime_s)
        characters = [c.key for c in deps.store.characters(project)]
        locations = [loc.name for loc in deps.store.locations(project)]
        if not characters or not locations:  # nothing to constrain to: the plain schema
            return super().ask(deps, project)
        prov = Provenance("screenwriter")
        sources = [p.premise, *(m.content for m in deps.store.messages(project) if m.role == "creator")]
        beats = self.beats_of(list(p.beats), shape.scenes)
        scenes: list[dict[str, Any]] = []
        for first in range(1, shape.scenes + 1, SCENES_PER_REQUEST):
            count = min(SCENES_PER_REQUEST, shape.scenes - first + 1)
            drafts, lost = self.ask_scenes(deps, project, first, count, locations, characters)
            first_number = len(scenes) + 1
            said = {" ".join(words(d["line"])) for s in scenes for d in s["dialogue"]}
            scenes += ground_scenes(drafts, beats, sources, prov, first_number=first_number, echoes=p.beats, spoken=said,
                                    acted=[s["action"] for s in scenes])
            for number, why in lost.items():  # the beat stands in for a scene the model gave no valid answer for: said
                prov.template(f"scene {number}.action", why)
            for number, scene in enumerate(scenes[first_number - 1:], start=first_number):
                misses = 0  # greedy decoding answers one prompt the same way twice: a miss asks the next speaker
                while len(scene["dialogue"]) < lines_wanted(shape.lines_per_scene) and misses < line_tries(scene):
                    if not self.ask_line(deps, project, number, scene, scenes, sources, [*beats, *p.beats], prov, turn=misses):
                        misses += 1
        self.provenance = prov
        return Screenplay.model_validate({"scenes": scenes})

    def ask_scenes(self, deps: Deps, project: str, first: int, count: int, locations: list[str],
                   characters: list[str]) -> tuple[list[dict[str, Any]], dict[int, str]]:
        """Scenes ``first``..``first + count - 1`` as drafts, and the numbers of those no answer was valid for (why).

        Why: one answer cut off twice (a loop inside a string, seen through vLLM) failed the whole plan. A
        request for several scenes that fails is asked again scene by scene; a scene that still fails is
        its beat in the story's first place, with its people, silent, labelled (the line questions follow).
        """
        assert deps.llm is not None
        p = deps.store.project(project)
        shape = shape_for(p.target_runtime_s)
        lines = lines_asked(deps, shape.lines_per_scene)
        schema = scene_schema(SceneDraft, Line, Screenplay, locations=locations, characters=characters,
                              scenes=count, lines=lines, spare=0 if asks_small_questions(deps.llm) else 1)
        messages = render_prompt(self.name, {"goal": self.goal, **self.inputs(deps, project, first, count)}, self.prompt_dir)
        try:
            return list(deps.llm.structured(messages, schema, max_tokens=shape.scene_tokens(lines) * count).model_dump()["scenes"]), {}
        except LLMOutputInvalid as exc:
            if count > 1:
                drafts: list[dict[str, Any]] = []
                lost: dict[int, str] = {}
                for number in range(first, first + count):
                    one, missing = self.ask_scenes(deps, project, number, 1, locations, characters)
                    drafts += one
                    lost |= missing
                return drafts, lost
            beats = self.beats_of(list(p.beats), shape.scenes)
            draft = {"location": locations[0], "time_of_day": read_premise(p.premise).time_of_day, "characters": characters[:2],
                     "action": (beats or [p.logline])[first - 1], "dialogue": []}
            return [draft], {first: f"no valid answer ({exc})"[:160]}

    def ask_line(self, deps: Deps, project: str, number: int, scene: dict[str, Any], scenes: list[dict[str, Any]],
                 sources: list[str], beats: list[str], prov: Provenance, turn: int = 0) -> bool:
        """Ask one small question for the scene's next line: the other character answers the last one.

        Why: the whole-scene answer of a small model loses most lines it writes to loops and cut-offs
        (issue 13); asked for a single short sentence, with the scene and the line before in view, it
        answers in a few tokens, and the speakers take turns so a scene becomes an exchange. The answer
        goes through the same checks (``ground_line``); a failure is a labelled removal. True if kept.
        """
        assert deps.llm is not None
        names = {c.key: c.name for c in deps.store.characters(project)}
        said = scene["dialogue"]
        cast = list(dict.fromkeys([*scene["characters"], *names]))
        last = said[-1]["character"] if said else None
        speakers = [c for c in cast if c != last] or [scene["characters"][0]]  # the scene's people first, then the story's
        who = speakers[turn % len(speakers)]
        spoken = {" ".join(words(d["line"])) for s in scenes for d in s["dialogue"]}
        others = [c for c in cast if c != who]
        other = last if last and last != who else (others[0] if others else None)
        pair = [names.get(c, c) for c in (who, other) if c]
        variables = {"place": scene["location"], "name": names.get(who, who),
                     "other": names.get(other, other) if other else "the camera",
                     "topic": topic_of(read_premise(deps.store.project(project).premise), scene["action"], pair),
                     # No action in the question: shown it, the bundled model recited it instead of speaking.
                     "previous": said[-1]["line"] if said else ""}
        messages = render_prompt("screenwriter_line", variables, self.prompt_dir)
        question = messages[-1]["content"]  # it and the instructions above it are echoes, not speech ("The words the character says.")
        path = f"scene {number}.line {sum(1 for f in prov.fields if f.startswith(f'scene {number}.line ')) + 1}"
        try:
            answer = deps.llm.structured(messages, SpokenAnswer, max_tokens=LINE_TOKENS, temperature=LINE_TEMPERATURE if turn else None)
        except LLMError as exc:
            prov.removed(path, f"asking again failed ({exc})"[:120])
            return False
        kept: list[dict[str, Any]] = []
        if add_line(kept, {"character": who, "line": answer.line}, path, sources, spoken, prov,
                    [*sources, *beats, scene["action"], question, messages[0]["content"]], min_words=3):  # a bare name is no line
            scene["dialogue"] = [*said, *kept]
            if who not in scene["characters"]:
                scene["characters"].append(who)
            return True
        return False

    def apply(self, deps: Deps, project: str, out: Screenplay) -> None:
        store = deps.store
        known = {c.key: c.name for c in store.characters(project)}
        locations = {loc.name.lower(): loc for loc in store.locations(project)}
        store.clear_plan(project)
        for number, draft in enumerate(out.scenes, start=1):
            for cid in {*draft.characters, *(d.character for d in draft.dialogue)} - set(known):
                known[cid] = cid.capitalize()
                store.upsert_character(project, cid, name=known[cid])
            loc = locations.get(draft.location.lower())
            if loc is None:
                loc = store.upsert_location(project, slugify(draft.location, 40), name=draft.location, interior=True)
                locations[draft.location.lower()] = loc
            scene_heading = heading(bool(loc.interior), draft.location, draft.time_of_day)
            store.upsert_scene(
                project, f"s{number}",
                heading=scene_heading, location=draft.location, time_of_day=draft.time_of_day, story_day=1,
                summary=draft.action, screenplay=fountain_text(scene_heading, draft, known),
                cast=list(draft.characters), dialogue=[SpokenLine(character=d.character, line=d.line) for d in draft.dialogue],
            )

    def recall(self, deps: Deps, project: str) -> Screenplay:
        return Screenplay(scenes=[
            SceneDraft(
                location=s.location, time_of_day=s.time_of_day, characters=s.cast,  # type: ignore[arg-type]
                action=s.summary, dialogue=[Line(character=d.character, line=d.line) for d in s.dialogue],
            )
            for s in deps.store.scenes(project)
        ])


def example() -> Screenplay:
    return Screenplay(scenes=[
        SceneDraft(location="lamp room", time_of_day="night", characters=["mara", "tom"],
                   action="Rain lashes the glass. Mara polishes the lamp. The door bangs open: Tom, soaked.",
                   dialogue=[Line(character="mara", line="You came back."), Line(character="tom", line="The storm brought me.")]),
    ])
