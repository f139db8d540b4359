"""What an edit to a shot invalidates, and re-opening an approved shot.

Why here: a take is a picture of the shot as it was when it was rendered. Once the creator changes the
shot (its duration, prompt, size, staging…) that take no longer shows the shot, so it must not stay
current — let alone approved — and a film cut from it is out of date. ``take_edited`` marks the shot's
current takes stale with a reason that names the change ("s1-02 edited: duration 3→4 s"), and
``film_out_of_date`` moves a cut project back to ``review``; the graph then shoots the stale shots again
(``Studio.reshoot_stale`` re-enters at ``dispatch``), and each one waits for approval at the shot gate.
``reopen_shot`` takes an approval back without changing the shot (the take stays, un-approved).
The last cut film stays on disk until a new one is cut (``FilmFiles.current`` says whether it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from agents.errors import NotPending
from memory.models import CURRENT_TAKE_STATUSES, Shot
from memory.store import Store

#: Fields whose change alters what a take shows (everything an edit of the shot list can reach).
PICTURE_FIELDS = ("size", "duration_s", "prompt", "characters", "camera", "movement", "framing", "lighting", "wardrobe",
                  "dialogue", "description", "negative_prompt", "time_of_day")


def changes(before: Shot, after: Shot) -> list[str]:
    """What differs between two versions of a shot, one short phrase per changed field."""
    said = []
    for name in PICTURE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name == "duration_s":
            said.append(f"duration {old:g}→{new:g} s")
        elif name == "size":
            said.append(f"size {old}→{new}")
        elif name == "characters":
            said.append("staging")
        else:
            said.append(name.replace("_", " "))
    return said


def take_edited(store: Store, project: str, before: Shot) -> list[str]:
    """After ``before`` was edited: mark its current takes stale and the film out of date; returns the changes
    (empty when the edit changed nothing a take shows — then nothing is marked)."""
    after = store.shot(project, before.key)
    said = changes(before, after)
    if not said:
        return []
    stale_takes(store, project, [before.key], reason=f"{before.key} edited: {', '.join(said)}")
    return said


def stale_takes(store: Store, project: str, shots: Iterable[str], *, reason: str) -> list[str]:
    """Mark the current takes of ``shots`` stale with ``reason`` and, when any was, the film out of date;
    returns the shots whose takes went stale (those never shot have none, and stay as they are)."""
    staled: list[str] = []
    for key in shots:
        for take in store.takes(project, key):
            if take.status in CURRENT_TAKE_STATUSES:
                store.set_take_status(int(take.id or 0), "stale", reason=reason)
                if key not in staled:
                    staled.append(key)
    if staled:
        film_out_of_date(store, project)
    return staled


def reopen_shot(store: Store, project: str, shot: str) -> int:
    """Take back the approval of ``shot``'s approved take (it stays as the current take, waiting for a decision
    again); returns that take's id. Raises ``NotPending`` when the shot has no approved take."""
    approved = [t for t in store.takes(project, shot) if t.status == "approved"]
    if not approved:
        raise NotPending(f"shot {shot} has no approved take to reopen")
    for take in approved:
        store.set_take_status(int(take.id or 0), "done")
    film_out_of_date(store, project)
    return int(approved[-1].id or 0)


def film_out_of_date(store: Store, project: str) -> None:
    """The film no longer matches its shots: a cut project goes back to ``review`` (its last film stays)."""
    if store.project(project).status == "cut":
        store.update_project(project, status="review")


def shots_to_reshoot(store: Store, project: str) -> list[str]:
    """Shots whose takes are all stale, rejected or failed though they were shot at least once — a changed
    shot that needs a new take (shots never shot are the first dispatch's business)."""
    takes: dict[int, list[Any]] = {}
    for take in store.takes(project):
        takes.setdefault(take.shot_id, []).append(take)
    return [
        s.key for s in store.shots(project)
        if s.id in takes and any(t.status == "stale" for t in takes[s.id])
        and not any(t.status in CURRENT_TAKE_STATUSES for t in takes[s.id])
    ]
