"""What the studio page does, as plain functions: each takes the ``Desk`` and the logged-in user.

Why plain functions: they are unit-tested without a browser or a server (``tests/ui/test_handlers.py``),
and ``app.py`` only wires them to components. Every function that takes a project id checks that the
user owns it first (``access.owned_project``). Nothing that matters lives in the page: what a page shows
is derived each time from story memory, the graph's pending question and the project's job log, so a
new tab or a restarted server shows the project exactly where it is.

Long work (running the graph, decisions, chat) is submitted to the ``JobRunner`` and returns at once.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gradio import ChatMessage
from gradio.components.chatbot import MetadataDict
from pydantic import ValidationError

from agents import CreatorDecision, Pending, Studio, check, film_name
from memory import exchange
from memory.errors import StoryMemoryError
from memory.models import Project, Shot, Take
from memory.shotlist import SIZES
from memory.shotlist_io import export_shotlist
from ui.studio.access import owned_project
from ui.studio.errors import BadInput, NoSuchProject, NotReady
from ui.studio.jobs import JobRunner, LogEntry

#: Takes that can be on screen for a shot (newest first wins).
CURRENT_TAKES = ("approved", "done")


@dataclass
class Desk:
    """Everything a handler needs: the studio facade, the job runner, and each user's last-opened project
    (kept in this process, keyed by user — never in the page's ``gr.State``)."""

    studio: Studio
    jobs: JobRunner = field(default_factory=JobRunner)
    opened: dict[str | None, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, user: str | None, project: str | None) -> None:
        with self._lock:
            if project:
                self.opened[user] = project
            else:
                self.opened.pop(user, None)


# ---------------------------------------------------------------------- projects
def project_choices(desk: Desk, user: str | None) -> list[tuple[str, str]]:
    """(label, id) of the user's projects, newest first."""
    return [(f"{p.title or p.premise[:40]} · {p.status} · {p.id}", p.id) for p in desk.studio.store.projects(owner=user)]


def initial_project(desk: Desk, user: str | None, requested: str | None = None) -> str | None:
    """The project a fresh page opens: ``?project=ID`` if the user owns it, else the last one opened, else the newest."""
    for candidate in (requested, desk.opened.get(user)):
        if candidate:
            try:
                return owned_project(desk.studio, user, candidate).id
            except NoSuchProject:
                continue
    projects = desk.studio.store.projects(owner=user)
    return projects[0].id if projects else None


def open_project(desk: Desk, user: str | None, project_id: str | None) -> Project:
    project = owned_project(desk.studio, user, project_id)
    desk.remember(user, project.id)
    return project


def create_project(desk: Desk, user: str | None, premise: str, runtime_s: float | None = 60, style: str = "") -> str:
    """Start a project from a premise and set the crew planning it; returns the new id at once."""
    if not (premise or "").strip():
        raise BadInput("write a premise: a sentence or two about the film")
    runtime = float(runtime_s or 60)
    if not 5 <= runtime <= 600:
        raise BadInput("the running time is between 5 and 600 seconds")
    project = desk.studio.new(premise.strip(), runtime_s=runtime, style=(style or "").strip(), owner=user)
    desk.remember(user, project.id)
    advance(desk, user, project.id)
    return project.id


def delete_project(desk: Desk, user: str | None, project_id: str | None, confirmed: bool) -> str:
    """Delete a project after the user confirmed; stops its jobs first."""
    project = owned_project(desk.studio, user, project_id)
    if not confirmed:
        raise BadInput("confirm the deletion first")
    desk.jobs.cancel(project.id)
    desk.jobs.wait(project.id, timeout_s=30)
    desk.studio.delete_project(project.id)
    desk.jobs.forget(project.id)
    if desk.opened.get(user) == project.id:
        desk.remember(user, None)
    return f"deleted {project.title or project.id}"


# ---------------------------------------------------------------------- running the crew
def advance(desk: Desk, user: str | None, project_id: str | None) -> str:
    """Run (or resume) the project's graph to its next stop, in the background."""
    project = owned_project(desk.studio, user, project_id)
    desk.jobs.submit(project.id, "the crew works on the film", lambda: desk.studio.advance(project.id))
    return "the crew is working"


def decide(
    desk: Desk, user: str | None, project_id: str | None, kind: str, shot: str | None = None,
    note: str = "", take_id: int | None = None, prompt: str | None = None,
) -> str:
    """Queue a decision (approve_plan, approve, reshoot, edit, revert); it runs after any job already queued."""
    project = owned_project(desk.studio, user, project_id)
    try:
        decision = CreatorDecision(
            kind=kind, shot=shot or None, note=(note or "").strip(), take_id=int(take_id) if take_id not in (None, "") else None,  # type: ignore[arg-type]
            prompt=prompt, by=user or "creator",
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise BadInput(_first_error(exc)) from exc
    if decision.kind == "change":
        raise BadInput("story changes go through the chat")
    if decision.take_id is not None:
        take = _take_of(desk, project.id, decision.take_id)
        if take is None or desk.studio.store.shot(project.id, decision.shot or "").id != take.shot_id:
            raise BadInput(f"take {decision.take_id} is not a take of {decision.shot}")
    label = {"approve_plan": "approve the plan", "approve": f"approve {shot}", "reshoot": f"reshoot {shot}",
             "edit": f"re-render {shot} with a new prompt", "revert": f"revert {shot} to take {take_id}"}[decision.kind]
    desk.jobs.submit(project.id, label, lambda: desk.studio.decide(project.id, decision))
    return f"queued: {label}"


def send_message(desk: Desk, user: str | None, project_id: str | None, text: str) -> str:
    """A note to the crew: the producer routes it (approve, reshoot, a new look, a story change…)."""
    project = owned_project(desk.studio, user, project_id)
    text = (text or "").strip()
    if not text:
        raise BadInput("the message is empty")
    if len(text) > 2000:
        raise BadInput("keep a message under 2000 characters")
    desk.jobs.submit(project.id, "the producer reads your note", lambda: desk.studio.send(project.id, text)[1])
    return "sent"


def cancel(desk: Desk, user: str | None, project_id: str | None) -> str:
    project = owned_project(desk.studio, user, project_id)
    return "stopping…" if desk.jobs.cancel(project.id) else "nothing is running"


def job_state(desk: Desk, user: str | None, project_id: str | None) -> dict[str, Any]:
    """What the page polls: whether the crew is busy, what waits for a person, and the project status."""
    project = owned_project(desk.studio, user, project_id)
    pending = desk.studio.pending(project.id)
    return {
        "busy": desk.jobs.busy(project.id),
        "running": desk.jobs.running(project.id),
        "status": project.status,
        "pending": pending.what if pending else None,
        "shots": list(pending.shots) if pending else [],
        "log": [entry.text for entry in desk.jobs.log(project.id) if entry.kind != "render"][-20:],
    }


def fingerprint(desk: Desk, user: str | None, project_id: str | None) -> str:
    """A short string that changes whenever anything the page shows changes (the timer re-draws on change)."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return ""
    store = desk.studio.store
    log = desk.jobs.log(project.id)
    takes = ",".join(f"{t.id}{t.status[0]}" for t in store.takes(project.id))
    pending = desk.studio.pending(project.id) if not desk.jobs.busy(project.id) else None
    progress = ",".join(f"{k}{v:.1f}" for k, v in sorted(desk.jobs.progress(project.id).items()))
    return "|".join([
        project.id, project.status, str(project.updated_at), str(len(store.messages(project.id))),
        str(log[-1].seq if log else 0), takes, pending.interrupt_id if pending else "-", progress,
    ])


# ---------------------------------------------------------------------- what the page shows
def header(desk: Desk, user: str | None, project_id: str | None) -> str:
    """The project's title line: status, running time, what waits for a person, what the crew is doing."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return "### No project open\nCreate one from a premise, or pick one from the list."
    running = desk.jobs.running(project.id)
    lines = [f"### {project.title or 'Untitled'}  ·  `{project.id}`",
             f"**Status:** {project.status} · **Target:** {project.target_runtime_s:g} s" + (f" · **Style:** {project.style_notes}" if project.style_notes else "")]
    if project.logline:
        lines.append(f"*{project.logline}*")
    if running:
        progress = desk.jobs.progress(project.id)
        done = f" — rendering {', '.join(f'{k} {v:.0%}' for k, v in sorted(progress.items()))}" if progress else ""
        lines.append(f"**Working:** {running}{done}")
    else:
        lines.append(_pending_line(desk.studio.pending(project.id)))
    return "\n\n".join(lines)


def _pending_line(pending: Pending | None) -> str:
    if pending is None:
        return "Nothing waits for you."
    if pending.what == "plan":
        extra = f" ({pending.errors} grammar error(s) left — see the shot list)" if pending.errors else ""
        return f"**→ The plan waits for your approval**{extra}: read the script and shot list, then *Approve the plan*."
    return f"**→ Shots wait for your decision:** {', '.join(pending.shots)} — see the storyboard."


def chat_messages(desk: Desk, user: str | None, project_id: str | None) -> list[ChatMessage]:
    """The project's chat plus this run's activity, in time order, every crew line titled by its role."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return []
    items: list[tuple[float, ChatMessage]] = []
    for m in desk.studio.messages(project.id):
        at = _timestamp(m.created_at)
        if m.role == "creator":
            items.append((at, ChatMessage(role="user", content=m.content)))
        else:
            items.append((at, ChatMessage(role="assistant", content=m.content, metadata={"title": m.role})))
    busy = desk.jobs.busy(project.id)
    for entry in _activity(desk.jobs.log(project.id)):
        working = busy and entry.kind == "role" and entry.text.endswith("is working…")
        # a title without a status shows open; "pending" adds a spinner ("done" would fold the text away)
        meta: MetadataDict = {"title": entry.role, "status": "pending"} if working else {"title": entry.role}
        items.append((entry.at, ChatMessage(role="assistant", content=entry.text, metadata=meta)))
    items.sort(key=lambda pair: pair[0])
    return [message for _, message in items]


def _activity(log: list[LogEntry]) -> list[LogEntry]:
    """The log as the chat shows it: no per-frame render progress, one line per role and job (its latest)."""
    shown: dict[tuple[Any, ...], LogEntry] = {}
    for entry in log:
        if entry.kind in {"render", "cut"} or (entry.role == "studio" and entry.kind not in {"failed", "cancelled"}):
            continue
        key: tuple[Any, ...] = (entry.job, entry.role) if entry.kind == "role" else (entry.seq,)
        first = shown.get(key)
        shown[key] = entry if first is None else LogEntry(**{**entry.__dict__, "at": first.at})
    return sorted(shown.values(), key=lambda e: e.at)


def _timestamp(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def script_markdown(desk: Desk, user: str | None, project_id: str | None) -> str:
    """The screenplay, scene by scene."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return ""
    scenes = desk.studio.store.scenes(project.id)
    if not scenes:
        return "*No script yet: the screenwriter has not written it.*"
    parts = [f"## {project.title or 'Untitled'}", f"*{project.logline}*" if project.logline else ""]
    for scene in scenes:
        parts.append(f"### {scene.key.upper()}. {scene.heading or scene.location}")
        if scene.summary:
            parts.append(f"*{scene.summary}*")
        parts.append(f"```\n{scene.screenplay.strip() or '(no screenplay text)'}\n```")
    return "\n\n".join(p for p in parts if p)


# ---------------------------------------------------------------------- the shot list
SHOT_COLUMNS = ["shot", "scene", "size", "duration_s", "staging", "prompt", "findings"]
EDITABLE = ("size", "duration_s", "staging", "prompt")


def shot_table(desk: Desk, user: str | None, project_id: str | None) -> list[list[Any]]:
    """One row per shot: id, scene, size, duration, staging (``id x facing; …``), prompt, grammar findings."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return []
    return _rows(desk, project.id, grammar_findings(desk, project.id))


def grammar_findings(desk: Desk, project: str) -> list[Any]:
    """The grammar engine's findings on the project's shot list as it is in memory (none before a plan)."""
    if not desk.studio.store.shots(project):
        return []
    try:
        return check(export_shotlist(desk.studio.store, project))
    except StoryMemoryError:
        return []


def plan_fingerprint(desk: Desk, user: str | None, project_id: str | None) -> str:
    """Changes when the script, shot list or bible change (not while takes render), so tables being
    edited are re-drawn only when the plan itself changed."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return ""
    store = desk.studio.store
    data = [
        [(s.key, s.screenplay) for s in store.scenes(project.id)],
        [(s.key, s.size, s.duration_s, s.characters, s.prompt) for s in store.shots(project.id)],
        [(c.key, c.description, c.wardrobe, c.reference_images) for c in store.characters(project.id)],
    ]
    return project.id + ":" + hashlib.sha256(as_json(data).encode()).hexdigest()[:16]


def _rows(desk: Desk, project: str, findings: list[Any]) -> list[list[Any]]:
    by_shot: dict[str, list[str]] = {}
    for f in findings:
        for shot in f.shots or ("(film)",):
            by_shot.setdefault(shot, []).append(f"{f.severity}: {f.message}")
    scenes = desk.studio.store.shot_scene_keys(project)
    return [
        [s.key, scenes.get(s.key, ""), s.size, float(s.duration_s), format_staging(s), s.prompt or "", "\n".join(by_shot.get(s.key, []))]
        for s in desk.studio.store.shots(project)
    ]


def format_staging(shot: Shot) -> str:
    return "; ".join(f"{c.get('id')} {float(c.get('x', 0.5)):.2f} {c.get('facing', 'camera')}" for c in shot.characters)


def parse_staging(text: str, shot: Shot) -> list[dict[str, Any]]:
    """``mara 0.30 right; tom 0.70 left`` → the shot's characters (other keys of each kept)."""
    before = {c.get("id"): c for c in shot.characters}
    staged: list[dict[str, Any]] = []
    for part in (p.strip() for p in str(text or "").split(";")):
        if not part:
            continue
        words = part.split()
        if len(words) not in (2, 3):
            raise BadInput(f"{shot.key}: staging '{part}' should read 'id x facing', e.g. 'mara 0.30 right'")
        try:
            x = float(words[1])
        except ValueError:
            raise BadInput(f"{shot.key}: '{words[1]}' is not a screen position between 0 and 1") from None
        if not 0 <= x <= 1:
            raise BadInput(f"{shot.key}: a screen position is between 0 (left) and 1 (right), not {x:g}")
        facing = words[2] if len(words) == 3 else "camera"
        if facing not in {"left", "right", "camera", "away"}:
            raise BadInput(f"{shot.key}: facing is left, right, camera or away, not '{facing}'")
        staged.append({**before.get(words[0], {}), "id": words[0], "x": x, "facing": facing})
    return staged


def save_shots(desk: Desk, user: str | None, project_id: str | None, rows: list[list[Any]]) -> tuple[list[list[Any]], str]:
    """Save edited cells (size, duration, staging, prompt) of the shot table; re-check the grammar.

    Returns the fresh table and a sentence saying what changed and what the grammar now finds. A shot
    that waits for a decision and got a new prompt is re-rendered (an ``edit`` decision)."""
    project = owned_project(desk.studio, user, project_id)
    store = desk.studio.store
    shots = {s.key: s for s in store.shots(project.id)}
    changes: dict[str, dict[str, Any]] = {}
    for row in rows or []:
        if not row or str(row[0]) not in shots:
            continue
        shot = shots[str(row[0])]
        size, duration, staging, prompt = (row[2], row[3], row[4], row[5]) if len(row) >= 6 else (None,) * 4
        fields: dict[str, Any] = {}
        if size is not None and str(size).strip().upper() != shot.size:
            if str(size).strip().upper() not in SIZES:
                raise BadInput(f"{shot.key}: size is one of {' '.join(SIZES)}, not '{size}'")
            fields["size"] = str(size).strip().upper()
        if duration not in (None, "") and abs(_seconds(shot.key, duration) - shot.duration_s) > 1e-6:
            fields["duration_s"] = _seconds(shot.key, duration)
        if staging is not None and str(staging) != format_staging(shot):
            fields["characters"] = parse_staging(str(staging), shot)
        if prompt is not None and str(prompt) != (shot.prompt or ""):
            if len(str(prompt)) > 4000:
                raise BadInput(f"{shot.key}: keep the prompt under 4000 characters")
            fields["prompt"] = str(prompt)
        if fields:
            changes[shot.key] = fields
    findings: list[Any] = []
    for key, fields in changes.items():
        findings = desk.studio.edit_shot(project.id, key, **fields)
    if not changes:
        findings = grammar_findings(desk, project.id)
    pending = desk.studio.pending(project.id)
    for key, fields in changes.items():
        if "prompt" in fields and pending is not None and key in pending.shots:
            decide(desk, user, project.id, "edit", key, prompt=fields["prompt"])
    errors = sum(1 for f in findings if f.severity == "error")
    said = f"saved {', '.join(changes)}" if changes else "nothing changed"
    return _rows(desk, project.id, findings), f"{said}; the grammar finds {errors} error(s), {len(findings) - errors} warning(s)"


def _seconds(shot: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{shot}: duration '{value}' is not a number of seconds") from None
    if not 0.5 <= seconds <= 60:
        raise BadInput(f"{shot}: a shot lasts between 0.5 and 60 seconds, not {seconds:g}")
    return seconds


# ---------------------------------------------------------------------- the storyboard
@dataclass(frozen=True)
class ShotCard:
    """One storyboard card: a shot, its current take, the critic's scores and the take history."""

    shot: str
    scene: str
    size: str
    duration_s: float
    description: str
    video: str | None
    take_id: int | None
    take_status: str
    verdict: str
    scores: str
    history: list[tuple[int, int, str, str]]  # (take id, number, status, verdict)
    waiting: bool
    progress: float | None

    @property
    def revert_choices(self) -> list[tuple[str, int]]:
        return [(f"take {n} ({status})", tid) for tid, n, status, _ in self.history if tid != self.take_id and status != "failed"]


def storyboard(desk: Desk, user: str | None, project_id: str | None) -> list[ShotCard]:
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return []
    store = desk.studio.store
    pending = None if desk.jobs.busy(project.id) else desk.studio.pending(project.id)
    waiting = set(pending.shots) if pending else set()
    progress = desk.jobs.progress(project.id)
    scenes = store.shot_scene_keys(project.id)
    cards = []
    for shot in store.shots(project.id):
        takes = store.takes(project.id, shot.key)
        current = current_take(takes)
        reviews = store.reviews(current.id) if current and current.id else []
        review = reviews[-1] if reviews else None
        history = []
        for t in takes:
            rs = store.reviews(t.id) if t.id else []
            history.append((int(t.id or 0), t.number, t.status, rs[-1].verdict if rs else ""))
        video = current.path if current and current.path and Path(current.path).is_file() else None
        cards.append(ShotCard(
            shot=shot.key, scene=scenes.get(shot.key, ""), size=shot.size, duration_s=float(shot.duration_s),
            description=shot.description, video=video, take_id=current.id if current else None,
            take_status=current.status if current else "not shot", verdict=review.verdict if review else "",
            scores=_scores(review) if review else "", history=history, waiting=shot.key in waiting,
            progress=progress.get(shot.key),
        ))
    return cards


def current_take(takes: list[Take]) -> Take | None:
    """The take on screen for a shot: the approved one, else the newest finished one, else the newest."""
    for status in CURRENT_TAKES:
        chosen = [t for t in takes if t.status == status]
        if chosen:
            return chosen[-1]
    return takes[-1] if takes else None


def _scores(review: Any) -> str:
    """The critic's measurements in one line: each finding's check, value and threshold, or a clean bill."""
    findings = review.scores.get("findings") or []
    parts = [
        f"{f.get('check')} {float(f.get('value', 0)):.2f} (limit {float(f.get('threshold', 0)):.2f}, {f.get('severity')})"
        for f in findings if isinstance(f, dict)
    ]
    said = "; ".join(parts[:6]) or "every measured check passed"
    return f"{said} — {review.notes}" if review.notes and parts else said


def _take_of(desk: Desk, project: str, take_id: int) -> Take | None:
    return next((t for t in desk.studio.store.takes(project) if t.id == take_id), None)


# ---------------------------------------------------------------------- the bible
def bible_characters(desk: Desk, user: str | None, project_id: str | None) -> list[dict[str, Any]]:
    """Characters with description, wardrobe per scene and reference images (existing files only)."""
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return []
    return [
        {"key": c.key, "name": c.name or c.key, "description": c.description, "wardrobe": dict(c.wardrobe),
         "references": [p for p in c.reference_images if Path(p).is_file()]}
        for c in desk.studio.store.characters(project.id)
    ]


def bible_markdown(desk: Desk, user: str | None, project_id: str | None) -> str:
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return ""
    parts = []
    for c in bible_characters(desk, user, project.id):
        wardrobe = "\n".join(f"  - *{scene}*: {outfit}" for scene, outfit in c["wardrobe"].items())
        parts.append(f"**{c['name']}** (`{c['key']}`) — {c['description']}\n\n- wardrobe:\n{wardrobe or '  - (none)'}\n- reference images: {len(c['references'])}")
    locations = desk.studio.store.locations(project.id)
    if locations:
        parts.append("#### Locations\n" + "\n".join(f"- **{loc.name or loc.key}** (`{loc.key}`): {loc.description}" for loc in locations))
    return "\n\n".join(parts) or "*No characters yet.*"


def character_choices(desk: Desk, user: str | None, project_id: str | None) -> list[tuple[str, str]]:
    return [(c["name"], c["key"]) for c in bible_characters(desk, user, project_id)]


def change_look(desk: Desk, user: str | None, project_id: str | None, character: str | None, change: str) -> str:
    """A new look for a character: their shots get new prompts and are shot again (only theirs)."""
    project = owned_project(desk.studio, user, project_id)
    if not character or character not in {c.key for c in desk.studio.store.characters(project.id)}:
        raise BadInput("pick a character")
    change = (change or "").strip()
    if not change or len(change) > 200:
        raise BadInput("describe the change in a few words (under 200 characters)")
    desk.jobs.submit(project.id, f"restage {character}", lambda: desk.studio.change_look(project.id, character, change))
    return f"queued: restage {character}"


def scene_choices(desk: Desk, user: str | None, project_id: str | None) -> list[tuple[str, str]]:
    try:
        project = owned_project(desk.studio, user, project_id)
    except NoSuchProject:
        return []
    return [(f"{s.key} · {s.heading or s.location}", s.key) for s in desk.studio.store.scenes(project.id)]


def change_wardrobe(desk: Desk, user: str | None, project_id: str | None, character: str | None, scene: str | None, outfit: str) -> str:
    """What a character wears in one scene: their shots in it are re-dressed and shot again (only those)."""
    project = owned_project(desk.studio, user, project_id)
    if not character or character not in {c.key for c in desk.studio.store.characters(project.id)}:
        raise BadInput("pick a character")
    if not scene or scene not in {s.key for s in desk.studio.store.scenes(project.id)}:
        raise BadInput("pick a scene")
    outfit = (outfit or "").strip()
    if not outfit or len(outfit) > 100:
        raise BadInput("describe the outfit in a few words (under 100 characters)")
    label = f"re-dress {character} in {scene}"
    desk.jobs.submit(project.id, label, lambda: desk.studio.change_wardrobe(project.id, character, scene, outfit))
    return f"queued: {label}"


def upload_reference(desk: Desk, user: str | None, project_id: str | None, character: str | None, image: str | None) -> str:
    """Store an uploaded photo or drawing as a character's reference image; returns its stored path."""
    project = owned_project(desk.studio, user, project_id)
    if not character or character not in {c.key for c in desk.studio.store.characters(project.id)}:
        raise BadInput("pick a character")
    if not image:
        raise BadInput("choose an image to upload")
    return str(desk.studio.set_reference_image(project.id, character, Path(image)))


# ---------------------------------------------------------------------- the final cut
@dataclass(frozen=True)
class FinalCut:
    video: str
    srt: str | None
    otio: str | None
    bible: str


def final_cut(desk: Desk, user: str | None, project_id: str | None, *, fresh: bool = True) -> FinalCut:
    """The cut film and its downloads (MP4, subtitles, OTIO timeline, the story bible as JSON).

    The bible is exported again when ``fresh`` (the Refresh button), else only when it is missing or
    older than the film (the page's polling must not rewrite it every time it draws)."""
    project = owned_project(desk.studio, user, project_id)
    folder = desk.studio.settings.cuts_dir / project.id
    video = folder / f"{film_name(project.id)}.mp4"
    if project.status != "cut" or not video.is_file():
        raise NotReady("the film is not cut yet: approve every shot")
    bible = folder / f"{film_name(project.id)}.bible.json"
    if fresh or not bible.is_file() or bible.stat().st_mtime < video.stat().st_mtime:
        bible = exchange.export_bible_file(desk.studio.store, project.id, bible, force=True)
    srt, otio = video.with_suffix(".srt"), video.with_suffix(".otio")
    return FinalCut(str(video), str(srt) if srt.is_file() else None, str(otio) if otio.is_file() else None, str(bible))


def final_cut_or_none(desk: Desk, user: str | None, project_id: str | None) -> FinalCut | None:
    try:
        return final_cut(desk, user, project_id, fresh=False)
    except (NotReady, NoSuchProject):
        return None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return str(first.get("msg", exc)).removeprefix("Value error, ")
    return str(exc)


def as_json(data: Any) -> str:
    return json.dumps(data, default=str, ensure_ascii=False)
