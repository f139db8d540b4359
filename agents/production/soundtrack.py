"""The cut's sound: the voiced lines where they fall in the film, a bed per location, a cue per scene, mixed.

Why here (the editor's deterministic half, beside ``cut.py``): only the cut knows where each shot lands
in the film (title card, dissolves), and only memory knows who speaks, where a scene is set and how the
director paced it. This module turns both into the plain values of ``generator.sound.mix_film``:

- **Dialogue**: each shot's lines laid out as at plan approval (``voicing.lay_out``); the clip is held
  longer when a line would not fit (a voice changed after shooting), and the subtitles get the same times.
- **Ambience**: per scene, a bed from its location (``Location.interior`` and words): an exterior by its
  words (rain, surf, traffic, wind); an interior is room tone, or the weather outside heard through the
  walls when the description names one (rain on the windows).
- **Music**: per scene, a cue whose mood comes from the director's intent and whose tempo from the pacing.
- **The critic listens** (``agents.review.listening``): each line must be heard inside its cue and nothing
  may clip; a failing line is re-voiced and mixed again once, and what still fails is a note of the cut.

``mix_film`` writes ``mix.wav`` and the three stems beside the film. A stamp of everything that decides
the mix lets a re-cut with the same sound skip the mix; a changed line is the only one voiced again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agents.production.voicing import LEAD_S, SCENE_HEAD_S, ShotSpeech, lay_out, needed_s
from agents.review.listening import failing_lines, listen, revoice
from generator.assembly import DialogueLine, EditClip, EditList, Soundtrack, plan_cut
from generator.sound import STEMS, AmbienceBed, DialogueCue, MusicCue, kind_for_location, mix_film
from generator.sound.ambience import AmbienceKind
from generator.sound.music import Mood
from generator.voice import VOICING_VERSION, VoiceCache
from memory.models import Location, Scene, Shot
from memory.project_rows import ProjectRows

#: Music tempo by the director's pacing, beats per minute.
PACING_TEMPO: dict[str, float] = {"slow": 72.0, "medium": 92.0, "fast": 124.0}
#: Words of a director's intent → the music's mood (first match wins; no match: calm, or tense when fast).
MOOD_WORDS: tuple[tuple[Mood, str], ...] = (
    ("action", r"chase|fight|run|escape|race|battle|attack|flee"),
    ("tense", r"tens|fear|threat|danger|suspense|dread|anger|angry|argu|confront|storm|clash|urgent"),
    ("sad", r"sad|grief|loss|lonel|alone|regret|mourn|tears|sorrow|lost"),
    ("mysterious", r"myster|secret|strange|unknown|eerie|discover|hidden|uncann"),
    ("warm", r"warm|love|tender|together|reconcil|home|kind|embrace|forgive"),
    ("hopeful", r"hope|resol|dawn|triumph|courage|new start|light(?:s|ed)?\b"),  # not "lighthouse"
    ("calm", r"calm|quiet|peace|still|rest(?:s|ing|ful)?\b"),  # not "restless"
)
BED_DB = -41.0  # a scene's ambience bed (generator.sound.AmbienceBed's default: lines stand >= 6 dB over it)
INDOOR_WEATHER_DB = -49.0  # the weather heard through walls, under the bed level


@dataclass(frozen=True)
class SceneSpan:
    scene: Scene | None
    start_s: float
    end_s: float


def mood_for(intent: str, pacing: str | None) -> Mood:
    text = intent.lower()
    for mood, pattern in MOOD_WORDS:
        if re.search(rf"\b(?:{pattern})", text):
            return mood
    return "tense" if pacing == "fast" else "calm"


def bed_for(location: Location | None, scene: Scene | None) -> tuple[AmbienceKind, float]:
    """The bed's kind and level for a scene's location (see the module doc)."""
    words = " ".join(x for x in ((location.name + " " + location.description) if location else "",
                                 scene.location if scene else "", scene.heading if scene else "") if x)  # fmt: skip
    interior = location.interior if location is not None else None
    if interior is None and scene is not None and scene.heading[:4].upper() in ("INT.", "EXT."):
        interior = scene.heading[:4].upper() == "INT."
    outside = kind_for_location(words, interior=False)
    if interior:
        return ("room", BED_DB) if outside == "wind" and not re.search(r"\bwind", words.lower()) else (outside, INDOOR_WEATHER_DB)
    return kind_for_location(words, interior=interior), BED_DB


def time_speech(
    rows: ProjectRows, edit: EditList, cache: VoiceCache, names: dict[str, str], notes: list[str]
) -> tuple[EditList, dict[str, list[ShotSpeech]]]:
    """The edit list with every clip's lines voiced and timed (a clip held longer where a line needs it),
    and each shot's voiced lines."""
    characters = {c.key: c for c in rows.characters}
    shots = {shot.key: shot for _, shot in rows.shots}
    clips: list[EditClip] = []
    speech: dict[str, list[ShotSpeech]] = {}
    previous_scene = None
    for clip in edit.clips:
        shot: Shot = shots[clip.shot_id]
        head = SCENE_HEAD_S if shot.scene_id != previous_scene else 0.0
        previous_scene = shot.scene_id
        lines = lay_out(shot, characters, cache, offset_s=LEAD_S + head)
        speech[clip.shot_id] = lines
        if not lines:
            clips.append(clip)
            continue
        duration = clip.duration_s
        need = needed_s(lines)
        if need > duration:
            notes.append(f"shot {clip.shot_id}: held {need - duration:.2f} s longer for its lines ({need:.2f} s)")
            duration = round(need + 0.005, 2)
        dialogue = tuple(
            DialogueLine(character=names.get(line.character, line.character), text=line.line, start_s=line.start_s, end_s=line.end_s)
            for line in lines
        )
        clips.append(clip.model_copy(update={"duration_s": duration, "dialogue": dialogue}))
    return edit.model_copy(update={"clips": tuple(clips)}), speech


def build_soundtrack(rows: ProjectRows, edit: EditList, speech: dict[str, list[ShotSpeech]], cache: VoiceCache,
                     out_dir: Path, *, ffmpeg: str | None, notes: list[str]) -> Soundtrack:  # fmt: skip
    """Mix the film's sound for the timed ``edit`` into ``out_dir`` (mix.wav and the stems); see the module doc."""
    plan = plan_cut(edit)
    shots = {shot.key: shot for _, shot in rows.shots}
    scenes = {scene.id: scene for scene in rows.scenes}
    names = {c.key: (c.name or c.key) for c in rows.characters}
    cues: list[DialogueCue] = []
    spans: list[SceneSpan] = []
    for item in plan.items:
        if item.clip is None:
            continue
        shot = shots[item.clip.shot_id]
        start, end = item.start / plan.fps, item.end / plan.fps
        if spans and spans[-1].scene is scenes.get(shot.scene_id):
            spans[-1] = SceneSpan(spans[-1].scene, spans[-1].start_s, end)
        else:
            spans.append(SceneSpan(scenes.get(shot.scene_id), start, end))
        for line in speech.get(shot.key, []):
            cues.append(DialogueCue(start_s=round(start + line.start_s, 4), line=line.line, voice=line.voice,
                                    note=line.note, character=names.get(line.character, line.character)))  # fmt: skip
    beds, music = _beds_and_music(rows, spans)
    duration = plan.duration_s
    key = _sound_key(cues, beds, music, duration)
    stamp = out_dir / ".cache" / "sound.json"
    stems = {name: out_dir / f"{name}.wav" for name in STEMS}
    if _stamp_matches(stamp, key, [out_dir / "mix.wav", *stems.values()]):
        notes.append("sound unchanged: the mix was kept")
        return Soundtrack(mix=out_dir / "mix.wav", stems=stems, key=key)
    result = mix_film(cues, ambience=beds, music=music, duration_s=duration, out_dir=out_dir, voices=cache, ffmpeg=ffmpeg)
    findings = listen(result.stems["dialogue"], result.mix, result.lines, ffmpeg=ffmpeg)
    bad = failing_lines(findings, result.lines)
    if bad:  # the critic's ladder for sound: re-voice the failing lines once, then report what still fails
        notes.append(f"critic: {len(bad)} line(s) not heard in their cue, re-voiced: " + "; ".join(line.line[:40] for line in bad))
        revoice(cache, bad)
        result = mix_film(cues, ambience=beds, music=music, duration_s=duration, out_dir=out_dir, voices=cache, ffmpeg=ffmpeg)
        findings = listen(result.stems["dialogue"], result.mix, result.lines, ffmpeg=ffmpeg)
    notes += [f"critic ({f.check}): {f.message}" for f in findings if f.fails]
    voiced = sum(not line.reused for line in result.lines)
    notes.append(f"sound: {len(result.lines)} line(s) ({voiced} voiced now), {len(beds)} ambience bed(s), "
                 f"{len(music)} music cue(s); {result.loudness.integrated:.1f} LUFS, {result.loudness.true_peak:.1f} dBTP")  # fmt: skip
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"key": key, "files": _prints([result.mix, *result.stems.values()])}), encoding="utf-8")
    return Soundtrack(mix=result.mix, stems=dict(result.stems), key=key)


def _beds_and_music(rows: ProjectRows, spans: Sequence[SceneSpan]) -> tuple[list[AmbienceBed], list[MusicCue]]:
    locations = {loc.key: loc for loc in rows.locations} | {loc.name.lower(): loc for loc in rows.locations if loc.name}
    beds: list[AmbienceBed] = []
    music: list[MusicCue] = []
    for index, span in enumerate(spans):
        scene = span.scene
        place = (scene.location if scene else "").strip()
        location = locations.get(place) or locations.get(place.lower())
        kind, level = bed_for(location, scene)
        beds.append(AmbienceBed(kind=kind, start_s=span.start_s, end_s=span.end_s, level_db=level, seed=index))
        direction = scene.notes.get("director") if scene is not None else None
        direction = direction if isinstance(direction, dict) else {}
        pacing = direction.get("pacing") if isinstance(direction.get("pacing"), str) else None
        intent = str(direction.get("intent") or (scene.summary if scene else ""))
        music.append(MusicCue(
            mood=mood_for(intent, pacing), tempo_bpm=PACING_TEMPO.get(str(pacing), 92.0), start_s=span.start_s,
            end_s=span.end_s, fade_in_s=min(1.0, (span.end_s - span.start_s) / 4), fade_out_s=min(1.5, (span.end_s - span.start_s) / 4),
            seed=index,
        ))  # fmt: skip
    return beds, music


def _sound_key(cues: Sequence[DialogueCue], beds: Sequence[AmbienceBed], music: Sequence[MusicCue], duration: float) -> str:
    data = {"cues": [c.model_dump(mode="json") for c in cues], "beds": [b.model_dump(mode="json") for b in beds],
            "music": [m.model_dump(mode="json") for m in music], "duration": round(duration, 4), "v": VOICING_VERSION}  # fmt: skip
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _prints(paths: Sequence[Path]) -> dict[str, list[int]]:
    return {str(p): [p.stat().st_size, p.stat().st_mtime_ns] for p in paths}


def _stamp_matches(stamp: Path, key: str, paths: Sequence[Path]) -> bool:
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
        return bool(data.get("key") == key and all(p.is_file() for p in paths) and data.get("files") == _prints(paths))
    except (OSError, ValueError):
        return False
