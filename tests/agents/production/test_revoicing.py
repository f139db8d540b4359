"""A voice change outdates exactly the takes that showed the old voicing: the real studio (SQLite, the real
animatic, real piper voices, real ffmpeg) with the scripted crew.

A film is cut, then Tom's voice changes. With the animatic (its mouths follow the speech envelope) the
takes of Tom's shots go stale with a reason, the other shots keep their approved takes, the film is out of
date, and shooting the stale shots again renders Tom's shots only. A backend that draws no speech keeps its
takes when the new line still fits the shot, and loses them when the shot must grow to hold it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from doubles import CountingGenerator, scripted_crew

from agents.crew import editor
from agents.production.decisions import CreatorDecision
from agents.production.pending import Pending
from agents.settings import load_settings
from agents.shots.edits import shots_to_reshoot
from agents.studio import Studio

pytestmark = pytest.mark.slow


class SilentPictures(CountingGenerator):
    """The animatic, declaring that it draws no speech (as a diffusion backend does): it is sent none."""

    capabilities = replace(CountingGenerator.capabilities, draws_speech=False)


def _approve_all(studio: Studio, project: str, pending: Pending | None) -> None:
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))


def _cut_film(studio: Studio) -> str:
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    _approve_all(studio, project, studio.decide_all(project, CreatorDecision(kind="approve_plan")))
    assert studio.store.project(project).status == "cut", studio.store.messages(project)[-1].content
    return project


def _statuses(studio: Studio, project: str) -> dict[str, list[str]]:
    return {s.key: [t.status for t in studio.store.takes(project, s.key)] for s in studio.store.shots(project)}


def _speaking(studio: Studio, project: str, who: str) -> list[str]:
    return [s.key for s in studio.store.shots(project) if any(d["character"] == who for d in s.dialogue)]


def test_a_voice_change_stales_only_the_takes_of_that_characters_shots(small_frames: None, tmp_path: Path) -> None:
    generator = CountingGenerator(tmp_path / "renders.log")
    cuts = [editor.example(), editor.example()]  # the editor cuts twice: before and after the voice change
    studio = Studio(settings=load_settings(), llm=scripted_crew(CutNotes=cuts), generator=generator)
    project = _cut_film(studio)
    toms = _speaking(studio, project, "tom")
    assert toms and len(toms) < len(studio.store.shots(project))  # Tom speaks in some shots, not all
    before = _statuses(studio, project)
    old = studio.store.character(project, "tom").voice
    assert old is not None
    rendered = len(generator.renders())

    studio.set_voice(project, "tom", pitch_by=-3.0)

    after = _statuses(studio, project)
    for key, statuses in after.items():
        assert statuses == (["stale"] if key in toms else before[key]), (key, statuses)
    for key in toms:
        take = studio.store.takes(project, key)[-1]
        assert take.stale_reason == f"Tom's voice changed: pitch {old.pitch:+g}→{old.pitch - 3:+g} semitones"
    assert studio.store.project(project).status == "review"  # out of date, not re-cut over stale takes
    files = studio.film_files(project)
    assert files is not None and not files.current
    assert shots_to_reshoot(studio.store, project) == toms
    assert len(generator.renders()) == rendered  # marked, not rendered yet

    list(studio.reshoot_stale(project))
    _approve_all(studio, project, studio.pending(project))
    assert sorted(shot for shot, _ in generator.renders()[rendered:]) == sorted(toms)  # only Tom's shots again
    assert studio.store.project(project).status == "cut", studio.store.messages(project)[-1].content


def test_a_picture_without_speech_is_kept_unless_the_line_outgrows_its_shot(small_frames: None, tmp_path: Path) -> None:
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=SilentPictures(tmp_path / "renders.log"))
    project = _cut_film(studio)
    toms = _speaking(studio, project, "tom")
    before = _statuses(studio, project)
    durations = {s.key: s.duration_s for s in studio.store.shots(project)}

    # Same words, higher and a third faster: the line still fits. (At the same rate it may not: piper's phoneme
    # lengths are random, ±10-15 % from one voicing to the next, and Tom's line fills its 2 s shot; a pitch change
    # alone outgrew it in about one run of three.)
    studio.set_voice(project, "tom", pitch_by=3.0, rate=1.35)
    assert _statuses(studio, project) == before and studio.store.project(project).status == "cut"  # re-cut

    studio.set_voice(project, "tom", rate=0.5)  # half as fast: the line no longer fits its shot
    grown = [s.key for s in studio.store.shots(project) if s.duration_s > durations[s.key]]
    assert grown and set(grown) <= set(toms)
    after = _statuses(studio, project)
    for key, statuses in after.items():
        assert statuses == (["stale"] if key in grown else before[key]), (key, statuses)
    assert studio.store.project(project).status == "review"
