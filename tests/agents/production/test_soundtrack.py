"""The cut's sound (agents.production.soundtrack): each scene's music cue follows its director's notes, and a
line the critic does not hear in its cue is voiced once more, then reported, never retried in a loop."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from agents.production import soundtrack
from agents.production.cut import _character_names, build_edit_list
from agents.production.soundtrack import PACING_TEMPO, SceneSpan, build_soundtrack, mood_for, time_speech
from agents.review import listening
from generator.ffmpeg_tools import find_ffmpeg
from generator.measure.sound_findings import SoundFinding
from generator.voice import VoiceCache
from generator.voice.piper_backend import PiperBackend
from memory.models import Project, Scene, Take
from memory.project_rows import ProjectRows
from memory.store import Store

sys.path.insert(0, str(Path(__file__).parents[2] / "generator" / "voice"))
from counting_voice import Counting

LINE = "Only me. The tide came in faster than I thought."


# --- the director's music cue -------------------------------------------------------------------------------


def _cues(*directions: dict[str, str] | None, summary: str = "") -> list[tuple[str, float]]:
    """(mood, tempo) of the music cue of one scene per ``directions`` (a scene's ``notes["director"]``)."""
    scenes = [
        Scene(id=n, project_id="p", key=f"s{n}", summary=summary, notes={} if d is None else {"director": d})
        for n, d in enumerate(directions, 1)
    ]
    spans = [SceneSpan(scene, 4.0 * n, 4.0 * (n + 1)) for n, scene in enumerate(scenes)]
    _, music = soundtrack._beds_and_music(ProjectRows(project=Project(id="p"), scenes=scenes), spans)
    assert [(m.start_s, m.end_s) for m in music] == [(s.start_s, s.end_s) for s in spans]  # one cue per scene
    return [(m.mood, m.tempo_bpm) for m in music]


def test_a_fast_tense_scene_and_a_slow_tender_one_get_different_cues() -> None:
    tense, tender = _cues(
        {"intent": "Tom and Mara argue as the storm breaks the window", "pacing": "fast"},
        {"intent": "A tender reconciliation by the stove", "pacing": "slow"},
    )
    assert tense == ("tense", PACING_TEMPO["fast"]) and tender == ("warm", PACING_TEMPO["slow"])
    assert tense[1] > tender[1]


def test_the_pacing_sets_the_tempo_and_an_unknown_or_missing_one_is_medium() -> None:
    intent = "Mara sets the table for two"
    paced = _cues(*({"intent": intent, "pacing": p} for p in ("slow", "medium", "fast", "brisk")), {"intent": intent})
    assert [tempo for _, tempo in paced] == [72.0, 92.0, 124.0, 92.0, 92.0]
    assert PACING_TEMPO == {"slow": 72.0, "medium": 92.0, "fast": 124.0}


def test_without_mood_words_a_cue_is_calm_or_tense_when_fast() -> None:
    """The documented default (``MOOD_WORDS``): no word of the intent matches, so calm; tense when paced fast."""
    assert _cues({"intent": "Mara sets the table for two", "pacing": "medium"})[0] == ("calm", 92.0)
    assert _cues({"intent": "Mara sets the table for two", "pacing": "fast"})[0] == ("tense", 124.0)
    assert _cues(None)[0] == ("calm", 92.0)  # no director's notes at all
    assert _cues({"pacing": "slow"}, summary="Mara sets the table for two")[0] == ("calm", 72.0)


def test_without_an_intent_the_scene_summary_sets_the_mood() -> None:
    assert _cues(None, summary="A chase along the cliff path")[0] == ("action", 92.0)
    assert _cues({"pacing": "slow"}, summary="Mara mourns the drowned fishermen")[0] == ("sad", 72.0)


@pytest.mark.parametrize(
    ("intent", "mood"),
    [
        ("They flee the rising water", "action"),
        ("Suspense: someone is on the stairs", "tense"),
        ("Her grief at the empty chair", "sad"),
        ("A secret in the logbook", "mysterious"),
        ("They embrace at the door", "warm"),
        ("Courage returns with the dawn", "hopeful"),
        ("A quiet evening", "calm"),
        ("A fight breaks out, full of fear", "action"),  # first match wins, in MOOD_WORDS order
    ],
)
def test_each_mood_has_its_words(intent: str, mood: str) -> None:
    assert mood_for(intent, "slow") == mood
    assert mood_for(intent.upper(), None) == mood  # case does not matter


def test_a_word_that_only_starts_like_a_mood_word_is_not_one() -> None:
    # Found in the audit: every scene of a lighthouse film was "hopeful" (light…), a restless one "calm" (rest…).
    assert mood_for("The keeper climbs the lighthouse stairs", "slow") == "calm"
    assert mood_for("A restless night", "fast") == "tense"  # no mood word: a fast scene is tense
    assert mood_for("The lights come on", "slow") == "hopeful" and mood_for("They rest by the fire", "slow") == "calm"


# --- the critic's re-voice ladder ---------------------------------------------------------------------------


class DeafCritic:
    """The speech instrument, except that on the passes in ``deaf`` it does not hear the first line.

    Fault injection at the measuring boundary: ``listen``, ``failing_lines``, ``revoice`` and the mix all run
    for real; only ``check_speech``'s answer is overridden on those passes.
    """

    def __init__(self, deaf: set[int]) -> None:
        self.deaf, self.passes = deaf, 0
        self.real = listening.check_speech

    def __call__(self, samples: np.ndarray, sample_rate: int, cues: Sequence[tuple[float, float]]) -> list[SoundFinding]:
        self.passes += 1
        found = self.real(samples, sample_rate, cues)
        assert found == [], found  # the real instrument hears the real line: the injected failure is the only one
        if self.passes not in self.deaf:
            return found
        start, end = cues[0]
        return [SoundFinding(check="speech", severity="fail", span_s=(start, end), value=0.0, threshold=0.15,
                             message=f"line 1 not heard in {start:.2f}-{end:.2f} s (injected)", cue=0)]  # fmt: skip


@pytest.fixture
def one_line(store: Store) -> str:
    """A one-scene film of two short shots; Mara speaks one line in the first."""
    pid = store.create_project("A keeper and her son in a storm", target_runtime_s=8).id
    store.upsert_character(pid, "mara", name="Mara")
    store.upsert_scene(pid, "s1", heading="INT. LAMP ROOM - NIGHT", location="lamp room",
                       notes={"director": {"intent": "Mara waits", "pacing": "slow"}})  # fmt: skip
    for k in (1, 2):
        store.upsert_shot(pid, "s1", f"s1-0{k}", size="MS", duration_s=2.0, description="Mara trims the wick.")
    store.update_shot(pid, "s1-01", dialogue=[{"character": "mara", "line": LINE}])
    return pid


def _mix(store: Store, project: str, folder: Path, critic: DeafCritic,
         monkeypatch: pytest.MonkeyPatch) -> tuple[Counting, VoiceCache, list[str]]:  # fmt: skip
    """Voice and mix the cut of ``project`` as ``cut.py`` does, with ``critic`` as the speech instrument."""
    monkeypatch.setattr(listening, "check_speech", critic)
    piper = Counting(PiperBackend())
    cache = VoiceCache(folder / "voices", backends={"piper": piper})
    rows = store.dump_project(project)
    chosen = [(shot, Take(shot_id=shot.id or 0, request_hash="0" * 64, path=f"{shot.key}.mp4", status="approved"))
              for _, shot in rows.shots]  # fmt: skip
    notes: list[str] = []
    edit = build_edit_list(rows, chosen, width=160, height=90, fps=24)
    edit, speech = time_speech(rows, edit, cache, _character_names(rows.characters), notes)
    assert piper.calls == [LINE]  # voiced once for timing
    build_soundtrack(rows, edit, speech, cache, folder / "film", ffmpeg=find_ffmpeg(), notes=notes)
    return piper, cache, notes


def _revoiced_notes(notes: list[str]) -> list[str]:
    return [n for n in notes if n.startswith("critic: ") and "re-voiced" in n]


@pytest.mark.slow  # real piper voicing and two real mixes (two-pass loudnorm)
def test_a_line_not_heard_is_voiced_again_once_and_then_passes(
    store: Store, one_line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    critic = DeafCritic(deaf={1})
    piper, cache, notes = _mix(store, one_line, tmp_path, critic, monkeypatch)
    assert critic.passes == 2  # listened to the first mix and to the re-voiced one
    assert piper.calls == [LINE, LINE]  # the failing line was synthesised again, not read back from the cache
    (key,) = {p.stem for p in cache.root.glob("*.f32")}
    assert sorted(p.name for p in cache.root.iterdir()) == sorted(
        [f"{key}.f32", f"{key}.json", f"{key}.f32.failed", f"{key}.json.failed"]
    )  # the first voicing was set aside, a new one made
    # the note names the line, cut at 40 characters
    assert _revoiced_notes(notes) == [f"critic: 1 line(s) not heard in their cue, re-voiced: {LINE[:40]}"]
    assert not [n for n in notes if n.startswith("critic (")]  # heard after re-voicing: nothing to report
    assert any(n.startswith("sound: 1 line(s) (1 voiced now)") for n in notes)


@pytest.mark.slow  # real piper voicing and two real mixes (two-pass loudnorm)
def test_a_line_still_not_heard_after_revoicing_is_a_note_not_a_loop(
    store: Store, one_line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    critic = DeafCritic(deaf={1, 2, 3, 4})
    piper, _, notes = _mix(store, one_line, tmp_path, critic, monkeypatch)
    assert critic.passes == 2 and piper.calls == [LINE, LINE]  # re-voiced once, listened to once more, no more
    assert len(_revoiced_notes(notes)) == 1
    (reported,) = [n for n in notes if n.startswith("critic (")]  # what still fails is reported, once
    assert reported.startswith("critic (speech): line 1 not heard in ") and reported.endswith("(injected)")
