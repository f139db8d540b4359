"""Voicing the plan: every line of every shot spoken in its character's voice, and the shots timed by it.

Why at plan approval: the plan's shot lengths were guesses from the pacing; the real speech is the
first measurement of how long a shot with a line must last. Voicing once at approval (through the
content-addressed ``generator.voice.VoiceCache``, so nothing is voiced twice) lets every shot with a
line last at least the line plus a breath before a frame is rendered, and the runtime check sees it.

A shot's lines are laid out the same way here and in the cut (``lay_out``): a lead-in, the lines one
after another with a short gap, then a breath. The cut uses the same layout to place the speech and the
subtitles, so what was measured at approval is what is heard, and the shooting node uses it again
(``shot_speech``) so that a backend that draws speech opens the speaker's mouth where the line will sound.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from agents.crew.voices import cast_voices, voice_of
from agents.settings import Settings
from generator.base import SpokenLine
from generator.errors import GeneratorError
from generator.voice import VOICES, Voice, VoiceCache, check_voice, mouth_openness
from memory.errors import InvalidValue
from memory.models import Character, Shot
from memory.store import Store
from memory.story import CharacterVoice

#: Silence before a shot's first line, between two lines, and after the last (the breath), seconds.
LEAD_S = 0.3
GAP_S = 0.25
BREATH_S = 0.5
#: Extra room for the first shot of a scene, which a dissolve may overlap (the cut keeps speech out of it).
SCENE_HEAD_S = 0.5


def voices_dir(settings: Settings) -> Path:
    """Where the installation keeps its voicings (shared by all projects: same line, same voice, same file)."""
    return settings.home / "voices"


def voice_cache(settings: Settings) -> VoiceCache:
    return VoiceCache(voices_dir(settings))


def as_voice(character: Character | None) -> Voice:
    """The generator's ``Voice`` for a character (cast from the sheet when memory has none yet)."""
    return Voice(**voice_of(character).model_dump())


@dataclass(frozen=True)
class ShotSpeech:
    """One line of a shot, voiced: who, what, how, and where it sits in the shot (seconds from its start)."""

    character: str  # key
    line: str
    note: str
    voice: Voice
    start_s: float
    end_s: float
    reused: bool


@dataclass
class VoicingReport:
    """What ``voice_plan`` did: lines voiced now, lines found voiced, shots lengthened (key → new length), and
    the least each voiced shot may last (key → its lines plus a breath; ``runtime_fit`` keeps shots above it)."""

    voiced: int = 0
    reused: int = 0
    lengthened: dict[str, float] = field(default_factory=dict)
    needs: dict[str, float] = field(default_factory=dict)


def shot_lines(shot: Shot) -> list[tuple[str, str, str]]:
    """(character key, words, delivery note) of each line planned in ``shot``."""
    out: list[tuple[str, str, str]] = []
    for entry in shot.dialogue or []:
        if not isinstance(entry, dict):
            continue
        text = entry.get("line") or entry.get("text") or ""
        if isinstance(text, str) and text.strip():
            out.append((str(entry.get("character") or ""), text.strip(), str(entry.get("parenthetical") or "")))
    return out


def lay_out(shot: Shot, characters: Mapping[str, Character], cache: VoiceCache, *, offset_s: float = LEAD_S) -> list[ShotSpeech]:
    """Voice the shot's lines (cached) and place them one after another from ``offset_s``."""
    at = offset_s
    placed: list[ShotSpeech] = []
    for key, text, note in shot_lines(shot):
        voice = as_voice(characters.get(key))
        voiced = cache.speak(text, voice, note)
        placed.append(ShotSpeech(key, text, note, voice, round(at, 4), round(at + voiced.duration_s, 4), voiced.reused))
        at += voiced.duration_s + GAP_S
    return placed


def needed_s(lines: Iterable[ShotSpeech]) -> float:
    """How long a shot must last to hold its lines and a breath after the last (0 with no lines)."""
    ends = [line.end_s for line in lines]
    return max(ends) + BREATH_S if ends else 0.0


def voice_plan(store: Store, project: str, cache: VoiceCache, *, only: set[str] | None = None,
               lengthen: bool = True) -> VoicingReport:  # fmt: skip
    """Voice every planned line (or only lines of the characters in ``only``) and lengthen short shots.

    Characters without a voice are cast first. ``lengthen=False`` leaves shot lengths alone (after
    shooting, a longer shot would outdate its takes; the cut holds the last frame instead).
    """
    cast_voices(store, project)
    characters = {c.key: c for c in store.characters(project)}
    report = VoicingReport()
    first_of_scene: set[int] = set()
    seen_scenes: set[int] = set()
    shots = store.shots(project)
    for shot in shots:
        if shot.scene_id not in seen_scenes:
            seen_scenes.add(shot.scene_id)
            first_of_scene.add(shot.id or 0)
    wanted = [shot for shot in shots if only is None or any(key in only for key, _, _ in shot_lines(shot))]
    # Every line at once, so the missing ones are voiced two at a time; the layout below reads them back.
    asked = [(text, as_voice(characters.get(key)), note) for shot in wanted for key, text, note in shot_lines(shot)]
    fresh = {id(v) for v in cache.speak_many(asked) if not v.reused}
    report.voiced, report.reused = len(fresh), len(asked) - len(fresh)
    for shot in wanted:
        head = SCENE_HEAD_S if (shot.id or 0) in first_of_scene else 0.0
        lines = lay_out(shot, characters, cache, offset_s=LEAD_S + head)
        need = round(needed_s(lines) + 0.005, 2)
        if lines:
            report.needs[shot.key] = need
        if lengthen and lines and shot.duration_s < need:
            store.update_shot(project, shot.key, duration_s=need)
            report.lengthened[shot.key] = need
    return report


def shot_speech(store: Store, project: str, scene_key: str, shot_key: str, cache: VoiceCache,
                fps: float) -> tuple[SpokenLine, ...]:  # fmt: skip
    """The lines of ``shot_key`` (in ``scene_key``) as a picture needs them: each speaker's mouth openness per frame at ``fps``,
    from the voiced line (the cache's, voiced at plan approval; voiced now if it is missing) placed where the
    cut will place it. Empty for a shot without lines.

    The openness values come from the voicing's samples, so a re-voiced line (a new voice, new words, a
    new note) gives a different request hash and its shot renders again when it is next shot.
    """
    shot = store.shot(project, shot_key)
    if not shot_lines(shot):
        return ()
    first_of_scene = next(iter(store.shots(project, scene_key)), None)  # this scene's shots only
    head = SCENE_HEAD_S if first_of_scene is not None and first_of_scene.key == shot_key else 0.0
    characters = {c.key: c for c in store.characters(project)}
    out: list[SpokenLine] = []
    for line in lay_out(shot, characters, cache, offset_s=LEAD_S + head):
        voiced = cache.speak(line.line, line.voice, line.note)  # read back from disk: lay_out just voiced it
        first, mouth = mouth_openness(voiced.samples, voiced.sample_rate, fps, line.start_s)
        if line.character and any(mouth):
            out.append(SpokenLine(character=line.character, start_frame=first, mouth=mouth))
    return tuple(out)


#: Words of a request about a voice → (semitones, rate factor): "give Tom a deeper voice".
VOICE_WORDS: tuple[tuple[str, float, float], ...] = (
    (r"deeper|lower|darker|gruffer", -3.0, 1.0),
    (r"higher|lighter|brighter|younger", 3.0, 1.0),
    (r"faster|quicker", 0.0, 1.15),
    (r"slower|calmer", 0.0, 0.87),
)


_ABOUT_VOICE = re.compile(r"\b(?:voice|voiced|speaks?|speaking|talks?|talking|sounds?)\b")


def voice_change(text: str) -> tuple[float, float] | None:
    """(pitch shift in semitones, rate factor) a sentence asks for, or None when it is not about a voice
    ("a higher collar" is a look) or names no change the words know."""
    if not _ABOUT_VOICE.search(text.lower()):
        return None
    pitch, rate, found = 0.0, 1.0, False
    for pattern, shift, factor in VOICE_WORDS:
        if re.search(rf"\b(?:{pattern})\b", text.lower()):
            pitch, rate, found = pitch + shift, rate * factor, True
    return (pitch, rate) if found else None


def set_voice(store: Store, project: str, character: str, *, backend: str | None = None, voice_id: str | None = None,
              pitch: float | None = None, rate: float | None = None, pitch_by: float = 0.0,
              rate_by: float = 1.0) -> CharacterVoice:  # fmt: skip
    """Change ``character``'s voice (absolute values, or ``pitch_by`` semitones / ``rate_by`` times the
    current one); ``InvalidValue`` naming the field when out of range, the backend is unknown, or the backend
    cannot have the voice id (``generator.voice.check_voice``)."""
    current = voice_of(store.character(project, character))
    if backend is not None and backend.strip().lower() not in VOICES:
        raise InvalidValue(f"backend: unknown voice backend {backend!r}; available: {', '.join(VOICES)}")
    fields = current.model_dump()
    fields.update({k: v for k, v in {"backend": backend, "voice_id": voice_id, "pitch": pitch, "rate": rate}.items() if v is not None})
    fields["pitch"] = round(float(fields["pitch"]) + pitch_by, 2)
    fields["rate"] = round(float(fields["rate"]) * rate_by, 3)
    try:
        voice = CharacterVoice.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidValue(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    if (voice.backend, voice.voice_id) != (current.backend, current.voice_id):
        try:  # refused before it is stored: an unknown voice would fail every later voicing of the character
            check_voice(voice.backend, voice.voice_id)
        except GeneratorError as exc:
            raise InvalidValue(f"voice_id: {exc}") from exc
    store.upsert_character(project, character, voice=voice)
    return voice
