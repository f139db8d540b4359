"""Voicing the plan: lines voiced once, in their character's voice, and shots lengthened to hold them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agents.crew.role import Deps
from agents.grammar import check
from agents.production.voicing import BREATH_S, LEAD_S, lay_out, voice_cache, voice_change, voice_plan
from memory.shotlist_io import export_shotlist

sys.path.insert(0, str(Path(__file__).parents[2] / "generator" / "voice"))
from counting_voice import InFlight

pytestmark = pytest.mark.slow
LONG = "The lamp has burned every night for forty years, and it will burn tonight, whatever the sea says."


def test_a_shot_with_a_long_line_is_lengthened_and_nothing_is_voiced_twice(deps: Deps, planned: str) -> None:
    store, cache = deps.store, voice_cache(deps.settings)
    # The shortest shot with a line: lengthened to hold LONG, it overruns the plan by more than the runtime
    # check's 5 % (the plan fills its target, so the check must say so).
    shot = min((s for s in store.shots(planned) if s.dialogue), key=lambda s: s.duration_s)
    store.update_shot(planned, shot.key, dialogue=[{"character": "mara", "line": LONG}], duration_s=1.0)
    before = sum(s.duration_s for s in store.shots(planned))
    report = voice_plan(store, planned, cache)
    assert report.voiced >= 1 and shot.key in report.lengthened
    row = store.shot(planned, shot.key)
    (line,) = lay_out(row, {c.key: c for c in store.characters(planned)}, cache, offset_s=LEAD_S)
    assert line.reused and row.duration_s >= line.end_s - LEAD_S + BREATH_S  # the line plus a breath, at least
    assert line.end_s - line.start_s > 4.0  # a long line really takes its time
    total = sum(s.duration_s for s in store.shots(planned))
    assert total == pytest.approx(before - 1.0 + row.duration_s)
    assert any(f.rule == "runtime" and "too long" in f.message for f in check(export_shotlist(store, planned)))
    again = voice_plan(store, planned, cache)
    assert again.voiced == 0 and again.reused == report.voiced + report.reused and not again.lengthened


def test_voice_requests_in_words() -> None:
    assert voice_change("give Tom a deeper voice") == (-3.0, 1.0)
    assert voice_change("make Mara speak faster and higher") == (3.0, 1.15)
    assert voice_change("give Tom a red scarf") is None
    assert voice_change("give Mara a higher collar") is None  # a look, not a voice
    assert voice_change("Tom should sound slower") == (0.0, 0.87)


def test_the_plans_lines_are_voiced_two_at_a_time(deps: Deps, planned: str, tmp_path: object) -> None:
    """Plan approval asks for every line at once (``VoiceCache.speak_many``): piper voices two together."""
    from generator.voice import VoiceCache
    from generator.voice.piper_backend import PiperBackend

    store = deps.store
    shots = [s for s in store.shots(planned) if s.dialogue][:2]
    for i, shot in enumerate(shots):
        store.update_shot(planned, shot.key, dialogue=[{"character": "mara", "line": f"{LONG} ({i})"}])
    piper = InFlight(PiperBackend())
    report = voice_plan(store, planned, VoiceCache(Path(str(tmp_path)), backends={"piper": piper}))
    assert piper.most == 2 and report.voiced >= 2 and report.reused == 0
