"""Casting: every character gets a voice from their sheet, and voices who may share a scene are apart."""

from __future__ import annotations

import itertools

from agents.crew.registry import role
from agents.crew.role import Deps
from agents.crew.voices import MIN_APART_ST, cast, preference, spread
from memory.models import Character
from memory.story import CharacterVoice


def test_the_sheet_decides_the_preferred_voice() -> None:
    man, woman = preference("man, 30s, tall, short dark beard"), preference("woman, 30s, long hair")
    child, old = preference("a girl of eight, freckles"), preference("man, 70s, weathered, slow to speak")
    assert man.pitch < 0 < woman.pitch < child.pitch
    assert old.pitch < man.pitch and old.rate < man.rate
    assert preference("nervous young woman").rate > woman.rate
    assert preference("man, 30s") == preference("man, 30s")  # deterministic


def test_spread_keeps_every_pair_apart_and_close_to_what_the_sheets_ask() -> None:
    for wants in ([0.0, 0.0], [-3.0, -3.0, -3.0], [3.0, -3.0, 3.0, 6.0, -1.0]):
        pitches = spread(wants)
        assert all(abs(a - b) >= MIN_APART_ST for a, b in itertools.combinations(pitches, 2)), pitches
    assert spread([-3.0, 3.0]) == [-3.0, 3.0]  # already apart: nobody moves
    assert abs(spread([2.0], fixed=[1.0])[0] - 1.0) >= MIN_APART_ST


def test_cast_keeps_voices_already_given_and_spreads_around_them() -> None:
    kept = CharacterVoice(pitch=-3.0, rate=1.0)
    chars = [Character(key="tom", description="man, 30s", voice=kept), Character(key="sam", description="man, 30s"),
             Character(key="mara", description="woman, 60s")]  # fmt: skip
    given = cast(chars)
    assert set(given) == {"sam", "mara"}
    pitches = [kept.pitch, given["sam"].pitch, given["mara"].pitch]
    assert all(abs(a - b) >= MIN_APART_ST for a, b in itertools.combinations(pitches, 2)), pitches


def test_the_writer_casts_a_voice_for_every_character(deps: Deps) -> None:
    project = deps.store.create_project("A keeper and her son in a storm", title="The Keeper").id
    writer = role("writer")()
    writer.apply(deps, project, writer.example())
    voices = {c.key: c.voice for c in deps.store.characters(project)}
    assert voices["mara"] is not None and voices["tom"] is not None
    assert voices["mara"].pitch - voices["tom"].pitch >= MIN_APART_ST  # the woman above the man, and apart
