"""Writer: develops the premise into a story — title, logline, the cast, the places, and a beat sheet.

The character descriptions are the most important thing the writer produces: they go verbatim into
every generation prompt, so they must be visual and precise enough to draw the same person every time.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, Field

from agents.crew.grounding import ground_story, story_schema, template_story
from agents.crew.ids import CharacterId
from agents.crew.premise import read_premise
from agents.crew.questions import ask_fields
from agents.crew.role import Deps, Role
from agents.crew.shape import shape_for
from agents.crew.voices import cast_voices
from memory.store import slugify


class CharacterSheet(BaseModel):
    id: CharacterId
    name: str = Field(max_length=30, description="First name as spoken in the film.")
    description: str = Field(max_length=160, description="Visual only: age, build, face, hair, one distinguishing mark.")
    wardrobe: str = Field(max_length=100, description="What they wear by default.")


class LocationSheet(BaseModel):
    name: str = Field(max_length=40, description="Short place name, e.g. 'lamp room'.")
    interior: bool = Field(description="True for an interior.")
    description: str = Field(max_length=120, description="What the camera sees there.")


class StoryDevelopment(BaseModel):
    title: str = Field(max_length=60)
    logline: str = Field(max_length=200, description="One sentence: who wants what, and what stands in the way.")
    # The largest sizes of any running time (agents.crew.shape); each request asks for its runtime's sizes.
    characters: list[CharacterSheet] = Field(min_length=1, max_length=8)
    locations: list[LocationSheet] = Field(min_length=1, max_length=10)
    beats: list[Annotated[str, Field(max_length=120)]] = Field(min_length=2, max_length=32, description="Story beats in order, one short sentence each.")


def beats_for(runtime_s: float) -> int:
    """About one beat per 12 seconds of film (``agents.crew.shape``)."""
    return shape_for(runtime_s).beats


class Writer(Role[StoryDevelopment]):
    name = "writer"
    stage = "develop"
    output = StoryDevelopment
    goal = "Turn the premise into a small, filmable story with a precise visual description of every character."
    max_tokens = 420

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        p = deps.store.project(project)
        shape = shape_for(p.target_runtime_s)
        return {
            "premise": p.premise,
            "runtime_s": round(p.target_runtime_s),
            "beats": shape.beats,
            "max_characters": shape.max_characters,
            "max_locations": shape.max_locations,
            "style": p.style_notes,
            "notes": self.notes(deps, project),
            # The shape shown is built from this premise, so a model that copies it copies the creator's story.
            "example": json.dumps(template_story(read_premise(p.premise), shape), ensure_ascii=False),
        }

    @staticmethod
    def notes(deps: Deps, project: str) -> list[str]:
        return [m.content for m in deps.store.messages(project) if m.role == "creator"][1:][-5:]

    def ask(self, deps: Deps, project: str) -> StoryDevelopment:
        """Ask for the story in this runtime's sizes, check every field, ask again once, then template (labelled)."""
        if deps.llm is None:
            return super().ask(deps, project)  # raises the "needs an LLM" error
        p = deps.store.project(project)
        shape, premise, notes = shape_for(p.target_runtime_s), read_premise(p.premise), self.notes(deps, project)
        template = template_story(premise, shape)
        schema = story_schema(StoryDevelopment, CharacterSheet, LocationSheet, shape)
        messages = self.messages(deps, project)
        answers = [deps.llm.structured(messages, schema, max_tokens=shape.writer_tokens()).model_dump()]
        story, prov = ground_story(answers, template, premise, notes, shape)
        failed = prov.fallbacks()
        if failed:  # ask the failing fields again, one small question each (agents.crew.questions)
            answers.append(ask_fields(deps.llm, p.premise, failed, story, shape.beats))
            story, prov = ground_story(answers, template, premise, notes, shape)
        self.provenance = prov
        return StoryDevelopment.model_validate(story)

    def apply(self, deps: Deps, project: str, out: StoryDevelopment) -> None:
        deps.store.update_project(project, title=out.title, logline=out.logline, status="developing")
        for c in out.characters:
            deps.store.upsert_character(
                project, c.id, name=c.name, description=c.description, wardrobe={"default": c.wardrobe}
            )
        for loc in out.locations:
            deps.store.upsert_location(project, slugify(loc.name, 40), name=loc.name, interior=loc.interior, description=loc.description)
        deps.store.update_project(project, beats=list(out.beats))
        cast_voices(deps.store, project)  # every new character gets a voice of their own (agents.crew.voices)

    def recall(self, deps: Deps, project: str) -> StoryDevelopment:
        p = deps.store.project(project)
        return StoryDevelopment(
            title=p.title,
            logline=p.logline,
            characters=[
                CharacterSheet(id=c.key, name=c.name, description=c.description, wardrobe=c.wardrobe.get("default", ""))
                for c in deps.store.characters(project)
            ],
            locations=[
                LocationSheet(name=loc.name, interior=bool(loc.interior), description=loc.description)
                for loc in deps.store.locations(project)
            ],
            beats=list(p.beats),
        )


def example() -> StoryDevelopment:
    return StoryDevelopment(
        title="The Keeper",
        logline="An old lighthouse keeper must decide whether to let her estranged son back in before the storm.",
        characters=[
            CharacterSheet(id="mara", name="Mara", description="woman, 60s, weathered face, long grey braid, thin scar on chin",
                           wardrobe="grey wool coat, red scarf"),
            CharacterSheet(id="tom", name="Tom", description="man, 30s, tall, short dark beard, tired eyes",
                           wardrobe="yellow oilskin jacket"),
        ],
        locations=[LocationSheet(name="lamp room", interior=True, description="glass room around a huge brass lamp, rain on the windows")],
        beats=["Mara tends the lamp as the storm rises.", "Tom arrives soaked.", "They argue, then work the lamp together."],
    )
