"""What a routed chat message does: one action per producer intent (``ROUTES``).

Why a table: the producer decides what a message *means* (``agents.crew.producer``); what each meaning
*does* to the production is fixed here, one small function per intent, so the studio only looks the
intent up and runs its action. Actions work through a ``Desk`` — the operations of ``agents.Studio`` they
need (what is pending, record a decision, enter the graph again) — so this module never imports the
facade above it.

- ``approve``: approve the plan, or the named (else the first) waiting shot;
- ``reshoot``: reshoot the named shot with the message as its note (a finished shot is restaged);
- ``shot_note``: a waiting shot is reshot with the note; otherwise the note is kept on the shot;
- ``character_look``: the character's sheet changes and only their shots are shot again; a request about
  their voice ("give Tom a deeper voice", ``agents.production.voicing.voice_change``) changes the voice
  instead, re-voices only their lines and shoots again the shots whose takes that outdated;
- ``runtime``: the project's running time changes and the crew re-plans from the screenplay;
- ``story_change``: the crew re-plans from the screenplay;
- ``new_idea``: the premise changes and the crew starts again from development;
- ``question``: nothing changes; the producer's reply (already in the chat) is the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from agents.crew.producer import Intent, Routing
from agents.production.decisions import CreatorDecision, Reentry
from agents.production.events import Event
from agents.production.pending import Pending
from agents.production.voicing import voice_change
from agents.shots.edits import shots_to_reshoot
from agents.shots.restaging import restage_character, restage_shots
from memory.store import Store
from memory.story import CharacterVoice


class Desk(Protocol):
    """The production operations an action may use (``agents.Studio`` provides them)."""

    store: Store

    def pending(self, project: str) -> Pending | None: ...

    def decide(self, project: str, decision: CreatorDecision, *, interrupt_id: str | None = None) -> Iterator[Event]: ...

    def reenter(self, project: str, at: Reentry, restage: list[str] | None = None) -> Iterator[Event]: ...

    def set_voice(self, project: str, character: str, *, pitch_by: float = 0.0, rate_by: float = 1.0) -> CharacterVoice: ...


Action = Callable[[Desk, str, Routing, str], Iterator[Event]]


def approve(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    pending = desk.pending(project)
    if pending is None:
        return
    if pending.what == "plan":
        yield from desk.decide(project, CreatorDecision(kind="approve_plan"))
    else:
        shot = routing.target if routing.target in pending.shots else pending.shots[0]
        yield from desk.decide(project, CreatorDecision(kind="approve", shot=shot))


def reshoot(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    pending, shot, note = desk.pending(project), routing.target, routing.change or message
    if pending is not None and pending.what == "shots" and shot in pending.shots:
        yield from desk.decide(project, CreatorDecision(kind="reshoot", shot=shot, note=note))
    elif shot in {s.key for s in desk.store.shots(project)}:
        desk.store.annotate(project, shot, role="creator", data=note)
        restage_shots(desk.store, project, [shot], reason=f"the creator asked for a reshoot: {note}")
        yield from desk.reenter(project, "dispatch", [shot])


def shot_note(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    pending = desk.pending(project)
    if pending is not None and pending.what == "shots" and routing.target in pending.shots:
        yield from reshoot(desk, project, routing, message)
    elif routing.target:
        desk.store.annotate(project, routing.target, role="creator", data=routing.change or message)


def character_look(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    character = _character_key(desk.store, project, routing.target)
    if character is None:
        names = ", ".join(c.key for c in desk.store.characters(project)) or "none yet"
        desk.store.add_message(project, "producer", f"I could not tell whose look changes ({routing.target!r}); the characters: {names}.")
        return
    change = voice_change(routing.change or message) or voice_change(message)
    if change is not None:  # "give Tom a deeper voice": a voice, not a look (no 'voice' intent of its own)
        voice = desk.set_voice(project, character, pitch_by=change[0], rate_by=change[1])
        name = desk.store.character(project, character).name or character
        again = shots_to_reshoot(desk.store, project)  # their takes that showed the old voicing went stale
        shooting = f"; shooting {', '.join(again)} again" if again else ""
        desk.store.add_message(project, "producer", f"{name}'s voice is now {voice.pitch:+g} semitones at rate {voice.rate:g}; only their lines were voiced again{shooting}.")
        if again:
            yield from desk.reenter(project, "dispatch", again)
        return
    shots = restage_character(desk.store, project, character, routing.change or message)
    if shots:
        yield from desk.reenter(project, "dispatch", shots)


def runtime(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    if routing.runtime_s:
        desk.store.update_project(project, target_runtime_s=float(routing.runtime_s))
        yield from desk.reenter(project, "write")


def story_change(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    yield from desk.reenter(project, "write")


def new_idea(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    """The premise becomes the idea: the message from where the producer's reading of it starts ("New idea:
    a snail racing a turtle" → "a snail racing a turtle"); the whole message when the change is a paraphrase."""
    start = message.find(routing.change) if routing.change else -1
    desk.store.update_project(project, premise=message[start:] if start >= 0 else message)
    yield from desk.reenter(project, "develop")


def question(desk: Desk, project: str, routing: Routing, message: str) -> Iterator[Event]:
    """A question changes nothing: the producer's reply, already in the chat, is the answer."""
    yield from ()


ROUTES: dict[Intent, Action] = {
    "approve": approve,
    "reshoot": reshoot,
    "shot_note": shot_note,
    "character_look": character_look,
    "runtime": runtime,
    "story_change": story_change,
    "new_idea": new_idea,
    "question": question,
}


def _character_key(store: Store, project: str, target: str) -> str | None:
    """The character a routing names, by id or by name (a model may answer 'Mara' for 'mara')."""
    wanted = target.strip().lower()
    for character in store.characters(project):
        if wanted and wanted in {character.key.lower(), character.name.lower()}:
            return character.key
    return None
