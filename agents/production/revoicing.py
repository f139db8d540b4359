"""A voice change: the character's lines voiced again, and exactly the takes that change outdates.

Why its own step: a take of a shot with the character's line shows the old voicing in two ways. A backend
that draws speech (``Capabilities.draws_speech``, the animatic) opened the speaker's mouth along the old
speech envelope, and the shot lasts as long as the old line needed. After the change the lines are voiced
again (only theirs: ``voice_plan(only=…)``), a shot the new line no longer fits is lengthened (the line plus a
breath, as at plan approval), and the current takes of those shots — lengthened, or drawn with the old
speech — go stale with a reason that names the change; the film is out of date until they are shot again
and cut (``agents.shots.edits``, as after an edit of the shot). Other characters' shots, and a take drawn
without speech whose shot still fits the line, are kept: the cut places the new voicing over them.
"""

from __future__ import annotations

from agents.production.voicing import voice_plan
from agents.review.take_review import capabilities_of
from agents.shots.edits import stale_takes
from generator.voice import VoiceCache
from memory.models import CURRENT_TAKE_STATUSES, Take
from memory.store import Store
from memory.story import CharacterVoice

#: Project statuses before shooting: lines are voiced and shots lengthened freely (there are no takes yet).
PLANNING = ("new", "developing", "planned")


def voice_difference(before: CharacterVoice, after: CharacterVoice) -> str:
    """What changed between two voices, in a few words ("pitch -1→-4 semitones, rate 1→1.15"); "" if nothing."""
    said = []
    if (before.backend, before.voice_id, before.speaker) != (after.backend, after.voice_id, after.speaker):
        said.append(f"voice {before.voice_id}→{after.voice_id}")
    if before.pitch != after.pitch:
        said.append(f"pitch {before.pitch:+g}→{after.pitch:+g} semitones")
    if before.rate != after.rate:
        said.append(f"rate {before.rate:g}→{after.rate:g}")
    return ", ".join(said)


def drew_speech(take: Take) -> bool:
    """Whether the take's picture follows its lines' voicing. A take recorded before backends declared
    capabilities may have: it counts as drawn (a stale take is shot again; an outdated one would be cut)."""
    if "capabilities" not in take.parameters:
        return True
    return capabilities_of(take.parameters).draws_speech


def revoice(store: Store, project: str, character: str, cache: VoiceCache, *, before: CharacterVoice) -> list[str]:
    """Voice ``character``'s lines again after their voice changed from ``before`` (the new one is stored),
    lengthen the shots the new lines no longer fit, and mark stale the current takes that showed the old
    voicing. Returns the shots whose takes went stale (in shot order). With no change, only missing voicings
    are made and nothing is marked (shots are lengthened only before shooting, as at plan approval)."""
    name = store.character(project, character).name or character
    after = store.character(project, character).voice
    change = voice_difference(before, after) if after is not None else ""
    planning = store.project(project).status in PLANNING
    report = voice_plan(store, project, cache, only={character}, lengthen=bool(change) or planning)
    if not change:
        return []
    outdated = [
        key for key in report.needs
        if key in report.lengthened
        or any(drew_speech(t) for t in store.takes(project, key) if t.status in CURRENT_TAKE_STATUSES)
    ]
    return stale_takes(store, project, outdated, reason=f"{name}'s voice changed: {change}")
