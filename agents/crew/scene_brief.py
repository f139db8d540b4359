"""What one scene's planning sees of the film: the outline, its own act, the scene before it, and the story
facts about the people, props and places it shows.

Why (issue 15): no role should see the whole film in one prompt — a ten-minute film's 24 scenes outgrow a
small model's context, and a prompt that grows with the film cannot be budgeted. A role that plans scene by
scene (or act by act) gets this brief instead: the outline is three acts whatever the length
(``agents.crew.outline``), the previous scene is one summary, and the facts are the best matches of the
scene's own words in the story memory (``memory.fact_search``: SQLite FTS5 by default), at most
``BRIEF_FACTS``, each in force at this scene (``since_scene`` … ``until_scene``). So a fact set in act one is
in the brief of an act-three scene that shows its subject, and the brief is the same size in a short film
as in a long one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from agents.crew.outline import outline_for
from memory.fact_search import search_facts
from memory.models import Scene
from memory.store import Store

#: Most story facts one brief carries.
BRIEF_FACTS: Final = 12


@dataclass(frozen=True)
class SceneBrief:
    """One scene's view of the film (see the module doc); ``as_prompt`` is what goes into a role's prompt."""

    scene: str
    outline: tuple[dict[str, object], ...]
    act: int
    act_name: str
    act_beats: tuple[str, ...]
    previous: str
    facts: tuple[str, ...]

    def as_prompt(self) -> dict[str, object]:
        return {
            "scene": self.scene, "outline": list(self.outline), "act": self.act, "act_name": self.act_name,
            "act_beats": list(self.act_beats), "previous_scene": self.previous, "facts": list(self.facts),
        }  # fmt: skip


def scene_brief(store: Store, project: str, scene_key: str) -> SceneBrief:
    """The brief of ``scene_key`` (a ``KeyError`` names a scene the project does not have)."""
    scenes = store.scenes(project)
    keys = [s.key for s in scenes]
    if scene_key not in keys:
        raise KeyError(f"project {project!r} has no scene {scene_key!r}; it has {', '.join(keys) or 'none'}")
    here = keys.index(scene_key)
    scene = scenes[here]
    outline = outline_for(keys, list(store.project(project).beats))
    act = outline.act_of(scene_key)
    assert act is not None  # every scene of the film is in its outline
    facts = [
        f"{f.subject.removeprefix('ledger:')}: {f.fact}"
        for f in search_facts(store, project, _words(store, project, scene), limit=BRIEF_FACTS * 2)
        if _in_force(f.since_scene, f.until_scene, keys, here)
    ][:BRIEF_FACTS]
    return SceneBrief(
        scene=scene_key, outline=tuple(outline.summary()), act=act.number, act_name=act.name, act_beats=act.beats,
        previous=scenes[here - 1].summary if here else "", facts=tuple(facts),
    )  # fmt: skip


def _words(store: Store, project: str, scene: Scene) -> list[str]:
    names = {c.key: c.name for c in store.characters(project)}
    cast = [*scene.cast, *(line.character for line in scene.dialogue)]
    return [scene.location, scene.heading, scene.summary, *cast, *(names.get(c, "") for c in cast)]


def _in_force(since: str | None, until: str | None, keys: list[str], here: int) -> bool:
    """A fact holds at scene index ``here`` between its first and last scene (an unknown scene: nowhere)."""
    if since is not None and (keys.index(since) if since in keys else len(keys)) > here:
        return False
    return until is None or (keys.index(until) if until in keys else -1) >= here
