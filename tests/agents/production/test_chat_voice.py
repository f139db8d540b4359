"""Chat: "give Tom a deeper voice" changes Tom's voice (through the producer's character_look route),
voices only Tom's lines again, and restages nothing; after the cut, only Tom's shots are shot again."""

from __future__ import annotations

from pathlib import Path

import pytest
from doubles import CountingGenerator, scripted_crew

from agents.crew.producer import Routing
from agents.production.decisions import CreatorDecision
from agents.production.voicing import voices_dir
from agents.settings import load_settings
from agents.studio import Studio

pytestmark = pytest.mark.slow


def test_a_deeper_voice_by_chat_revoices_only_that_character(small_frames: None, tmp_path: Path) -> None:
    routing = Routing(intent="character_look", target="Tom", change="a deeper voice", reply="Tom will sound deeper.")
    studio = Studio(settings=load_settings(), llm=scripted_crew(Routing=[routing]),
                    generator=CountingGenerator(tmp_path / "renders.log"))  # fmt: skip
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    assert studio.run(project) is not None  # at the plan gate
    store = studio.store
    before = {c.key: c.voice for c in store.characters(project)}
    prompts = {s.key: s.prompt for s in store.shots(project)}
    studio.send(project, "give Tom a deeper voice")
    after = {c.key: c.voice for c in store.characters(project)}
    assert before["tom"] is not None and after["tom"] is not None
    assert after["tom"].pitch == before["tom"].pitch - 3.0 and after["mara"] == before["mara"]
    voiced = list(voices_dir(studio.settings).glob("*.json"))
    tom_lines = [d for s in store.shots(project) for d in s.dialogue if d["character"] == "tom"]
    assert len(voiced) == len(tom_lines) == 1  # only Tom's line was voiced (Mara's not at all)
    assert {s.key: s.prompt for s in store.shots(project)} == prompts  # nothing restaged for a voice
    assert studio.generator.renders() == []  # type: ignore[attr-defined]
    assert any(m.role == "producer" and "Tom's voice" in m.content for m in store.messages(project))


def test_a_deeper_voice_after_the_cut_shoots_that_characters_shots_again(small_frames: None, tmp_path: Path) -> None:
    """After the cut, the voice change outdates the takes that drew Tom's old voicing (the animatic's mouths):
    the chat shoots exactly Tom's shots again, and each waits for approval; the film is out of date meanwhile."""
    routing = Routing(intent="character_look", target="Tom", change="a deeper voice", reply="Tom will sound deeper.")
    generator = CountingGenerator(tmp_path / "renders.log")
    studio = Studio(settings=load_settings(), llm=scripted_crew(Routing=[routing]), generator=generator)
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    store = studio.store
    assert store.project(project).status == "cut"
    toms = [s.key for s in store.shots(project) if any(d["character"] == "tom" for d in s.dialogue)]
    rendered = len(generator.renders())

    studio.send(project, "give Tom a deeper voice")

    assert sorted(shot for shot, _ in generator.renders()[rendered:]) == sorted(toms)
    pending = studio.pending(project)
    assert pending is not None and pending.what == "shots" and sorted(pending.shots) == sorted(toms)
    assert store.project(project).status != "cut"
    said = next(m.content for m in reversed(store.messages(project)) if m.role == "producer" and "Tom's voice" in m.content)
    assert f"shooting {', '.join(toms)} again" in said
