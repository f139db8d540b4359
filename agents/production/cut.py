"""The editor's deterministic half: read the approved takes from story memory and cut the film.

``cut_project`` turns a project's rows into a plain ``generator.assembly.EditList`` and hands it to
``generator.assembly.assemble`` (the generator never sees a database row). What it reads:

- **Which take**: per shot (film order: scene position, then shot position) the newest take whose
  status is ``approved``. Shots without one stop the cut with ``ShotsNotApproved`` listing them all —
  unless ``allow_unapproved=True``, which uses the newest ``done`` take instead (a rough cut) and says so.
- **Length**: ``Shot.duration_s`` (the planned length; a take is trimmed or held on its last frame).
- **Subtitles**: ``Shot.dialogue`` (``{"character": key, "line": text}``, the shot-list format), with
  the speaker's name from the project's characters (the key when the character is unknown).
- **Transitions**: the director's note on a scene decides how the scene's *first* shot comes in:
  ``Scene.notes["director"]["transition_in"]`` is ``"cut"``, ``"dissolve"`` or ``"fade"`` (written by
  ``agents/crew/director.py``). Its length comes from ``Scene.notes["director"]["transition_s"]`` when the
  director gave one, else from the scene's pacing (slow 1.0 s, medium 0.75 s, fast 0.5 s). Shots inside
  a scene are joined by cuts. A dissolve too long for the shots it joins is shortened to fit, with a note.
- **Scores**: the critic's latest review of the take (its ``scores`` plus ``verdict``), carried by the
  timeline's markers.
- **Title and credits**: as long as ``generator.assembly.card_lengths`` gives for the project's target
  runtime (part of it: a 12 s film has 0.8 s + 1.2 s of cards, a film of 30 s or more 2 s + 3 s). The
  editor's title card (``Project.extra["editor"]["title_card"]``, else the project's title), then
  credits: the editor's end card, the creator, one line per crew role (the ``crew`` argument, default
  ``CREDIT_LINES``'s roles — the crew of ``agents.crew.registry.ROLES``, a test keeps the two in step),
  and the models that rendered the takes.

- **Sound** (``cut_with_settings``, or ``voices=``): the lines voiced in each character's voice and placed
  in their shots (the subtitles follow the speech), an ambience bed per scene's location and a music cue per
  scene from the director's intent and pacing, mixed to −16 LUFS (``agents.production.soundtrack``);
  ``mix.wav``, ``dialogue.wav``, ``ambience.wav`` and ``music.wav`` beside the film, the mix as its audio, the
  stems as the ``.otio``'s audio tracks.

Output: ``OUT_DIR/NAME.mp4`` with ``NAME.srt``, ``NAME.vtt`` and ``NAME.otio`` (plus ``.edl``, ``.xml``,
``.fcpxml`` where the OTIO adapters are installed) beside it; ``NAME`` is the project id made file-name
safe. Conformed takes are cached in ``OUT_DIR/.cache`` so a re-cut re-encodes only changed takes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.crew.voices import cast_voices
from agents.errors import ShotsNotApproved
from agents.production.soundtrack import build_soundtrack, time_speech
from agents.production.voicing import voice_cache
from agents.settings import Settings
from generator.assembly import (
    AssemblyResult,
    DialogueLine,
    EditClip,
    EditList,
    Transition,
    assemble,
    card_lengths,
)
from generator.base import Progress
from generator.voice import VoiceCache
from memory.models import Character, Review, Scene, Shot, Take
from memory.project_rows import ProjectRows
from memory.store import Store

#: Transition length by the director's pacing, when the director gave no explicit ``transition_s``.
PACING_TRANSITION_S: dict[str, float] = {"slow": 1.0, "medium": 0.75, "fast": 0.5}
DEFAULT_TRANSITION_S = 0.75
DISSOLVE_SHARE = 0.45
#: How each crew role is credited, in the registry's order; a role missing here is credited by its name.
CREDIT_LINES: dict[str, str] = {
    "producer": "Produced by the producer",
    "writer": "Story by the writer",
    "screenwriter": "Screenplay by the screenwriter",
    "director": "Directed by the director",
    "cinematographer": "Photographed by the cinematographer",
    "continuity": "Continuity by the continuity supervisor",
    "critic": "Dailies reviewed by the critic",
    "editor": "Edited by the editor",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class CutShot:
    """Which take of a shot went into the cut."""

    shot_id: str
    take_id: int
    take_number: int
    approved: bool
    path: Path
    #: How long the shot holds in the film: its planned length, or longer when its voiced lines need it.
    duration_s: float = 0.0


@dataclass(frozen=True)
class CutResult:
    """The finished cut of a project: its files and what went into it."""

    project_id: str
    video: Path
    srt: Path
    vtt: Path
    otio: Path
    exports: dict[str, Path]
    duration_s: float
    shots: tuple[CutShot, ...]
    normalised: tuple[str, ...]
    reused: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    cut_reused: bool = False
    """Nothing had changed since the last cut: the existing film and sidecars were kept as they were."""

    @property
    def unapproved(self) -> tuple[str, ...]:
        """Shots cut with a take nobody approved (only with ``allow_unapproved``)."""
        return tuple(s.shot_id for s in self.shots if not s.approved)


def film_name(project_id: str) -> str:
    """A safe file name stem for the project's film: letters, digits, '-' and '_' only."""
    return _UNSAFE.sub("-", project_id).strip("-_") or "film"


def cut_project(
    store: Store,
    project_id: str,
    *,
    out_dir: Path,
    ffmpeg: str | None = None,
    progress: Progress | None = None,
    allow_unapproved: bool = False,
    burn_in: bool = False,
    width: int = 640,
    height: int = 360,
    fps: int = 24,
    takes_dir: Path | None = None,
    creator: str | None = None,
    crew: Sequence[str] | None = None,
    voices: VoiceCache | None = None,
    tier: str = "draft",
) -> CutResult:
    """Cut ``project_id`` into ``out_dir/NAME.mp4`` (+ ``.srt``, ``.vtt``, ``.otio``); see the module doc.

    With ``voices`` the film speaks: every line voiced (cached), timed, mixed over ambience and music
    (``agents.production.soundtrack``), ``mix.wav`` and the stems written beside the film; without, the
    takes' own audio is kept.

    ``tier`` picks the takes: ``draft`` cuts the production's own takes; ``final`` cuts each shot's promoted
    final take and, for a shot not promoted yet, its approved draft (said in the notes).

    ``takes_dir`` resolves take paths stored relative. Raises ``ShotsNotApproved``, the store's
    ``NotFound``, and the assembly's ``TakeMissing``/``TakeUnreadable``/``AssemblyError`` (naming the shot).
    When every shot had an approved take the project's status becomes ``cut``.
    """
    rows = store.dump_project(project_id)
    if voices is not None and any(c.voice is None for c in rows.characters):  # a project from before voices
        cast_voices(store, project_id)
        rows = store.dump_project(project_id)
    chosen = choose_takes(rows, allow_unapproved=allow_unapproved, tier=tier)
    notes: list[str] = []
    if tier == "final" and (drafts := [shot.key for shot, take in chosen if take.tier != "final"]):
        notes.append(f"final cut: not promoted yet, draft take used for {', '.join(drafts)}")
    edit = build_edit_list(
        rows,
        chosen,
        width=width,
        height=height,
        fps=fps,
        takes_dir=takes_dir,
        creator=creator,
        crew=crew,
        notes=notes,
    )
    out_dir = Path(out_dir)
    if voices is not None:
        edit, speech = time_speech(rows, edit, voices, _character_names(rows.characters), notes)
        soundtrack = build_soundtrack(rows, edit, speech, voices, out_dir, ffmpeg=ffmpeg, notes=notes)
        edit = edit.model_copy(update={"soundtrack": soundtrack})
    result: AssemblyResult = assemble(
        edit, out_dir / f"{film_name(project_id)}.mp4", ffmpeg=ffmpeg, cache_dir=out_dir / ".cache",
        burn_in=burn_in, progress=progress,
    )  # fmt: skip
    held = {clip.shot_id: clip.duration_s for clip in edit.clips}
    shots = tuple(
        CutShot(
            shot.key, int(take.id or 0), take.number, take.status == "approved", _take_path(take, takes_dir),
            held.get(shot.key, float(shot.duration_s)),
        )
        for shot, take in chosen
    )
    unapproved = [s.shot_id for s in shots if not s.approved]
    if unapproved:
        notes.append(f"rough cut: no approved take for {', '.join(unapproved)} (newest done take used)")
    elif rows.project.status != "cut":
        store.update_project(project_id, status="cut")
    return CutResult(
        project_id=project_id, video=result.video, srt=result.srt, vtt=result.vtt, otio=result.otio,
        exports=dict(result.exports), duration_s=result.duration_s, shots=shots, normalised=result.normalised,
        reused=result.reused, notes=(*notes, *result.notes), cut_reused=result.cut_reused,
    )  # fmt: skip


def choose_takes(rows: ProjectRows, *, allow_unapproved: bool = False, tier: str = "draft") -> list[tuple[Shot, Take]]:
    """The take of every shot, in film order; ``ShotsNotApproved`` lists shots without an approved one.

    ``tier="final"``: a shot's newest approved final take when it was promoted, else as for ``draft``."""
    if tier not in ("draft", "final"):
        raise ValueError(f"tier: 'draft' or 'final', not {tier!r}")
    by_shot: dict[str, list[Take]] = {}
    finals: dict[str, Take] = {}
    for row in rows.takes:
        if row.take.tier == "final":
            if row.take.status == "approved" and (row.shot_key not in finals or (row.take.id or 0) > (finals[row.shot_key].id or 0)):
                finals[row.shot_key] = row.take
            continue
        by_shot.setdefault(row.shot_key, []).append(row.take)
    chosen: list[tuple[Shot, Take]] = []
    missing: list[str] = []
    for _, shot in rows.shots:
        takes = sorted(by_shot.get(shot.key, []), key=lambda t: t.id or 0)
        approved = [t for t in takes if t.status == "approved"]
        fallback = [t for t in takes if t.status == "done"] if allow_unapproved else []
        candidates = approved or fallback
        if tier == "final" and shot.key in finals:
            chosen.append((shot, finals[shot.key]))
        elif not candidates:
            missing.append(shot.key)
        else:
            chosen.append((shot, candidates[-1]))
    if not rows.shots:
        raise ShotsNotApproved(f"project {rows.project.id!r} has no shots to cut yet", [])
    if missing:
        hint = "approve a take of each (or cut with --allow-unapproved for a rough cut)"
        if allow_unapproved:
            hint = "they have no finished take: shoot them first"
        raise ShotsNotApproved(
            f"project {rows.project.id!r}: {len(missing)} shot(s) without an approved take: {', '.join(missing)}; {hint}",
            missing,
        )
    return chosen


def build_edit_list(
    rows: ProjectRows,
    chosen: Sequence[tuple[Shot, Take]],
    *,
    width: int,
    height: int,
    fps: int,
    takes_dir: Path | None = None,
    creator: str | None = None,
    crew: Sequence[str] | None = None,
    notes: list[str] | None = None,
) -> EditList:
    """The plain edit list of a project's cut (see the module doc for where each field comes from)."""
    notes = notes if notes is not None else []
    names = _character_names(rows.characters)
    scenes = {scene.id: scene for scene in rows.scenes}
    latest_review = _latest_reviews(rows)
    clips: list[EditClip] = []
    previous_scene: int | None = None
    title_s, credits_s = card_lengths(rows.project.target_runtime_s)  # the cards are part of the running time
    previous_duration = title_s  # the title card comes first
    for shot, take in chosen:
        transition = Transition()
        if shot.scene_id != previous_scene:
            transition = scene_transition(scenes.get(shot.scene_id), shot, previous_duration, notes)
        review = latest_review.get(take.id or 0)
        scores: dict[str, Any] = dict(review.scores) if review else {}
        if review is not None and review.verdict:
            scores.setdefault("verdict", review.verdict)
        scene = scenes.get(shot.scene_id)
        clips.append(EditClip(
            shot_id=shot.key, path=_take_path(take, takes_dir), duration_s=float(shot.duration_s),
            transition_in=transition, dialogue=tuple(_dialogue(shot, names)), scores=scores,
            scene_id=scene.key if scene else "", label=f"take {take.number}",
        ))  # fmt: skip
        previous_scene, previous_duration = shot.scene_id, float(shot.duration_s)
    project = rows.project
    found = project.extra.get("editor")
    editor: dict[str, Any] = found if isinstance(found, dict) else {}
    title = str(editor.get("title_card") or project.title or project.premise[:60] or project.id)
    return EditList(
        title=title, credits=tuple(credit_lines(rows, chosen, creator=creator, crew=crew, end_card=str(editor.get("end_card") or ""))),
        clips=tuple(clips), width=width, height=height, fps=fps, title_s=title_s, credits_s=credits_s,
    )  # fmt: skip


def credit_lines(
    rows: ProjectRows,
    chosen: Sequence[tuple[Shot, Take]],
    *,
    creator: str | None,
    crew: Sequence[str] | None = None,
    end_card: str = "",
) -> list[str]:
    """The end credits: the editor's end card, the creator, the crew roles, the render models."""
    lines = [end_card] if end_card.strip() else []
    lines.append(f"Created by {creator or rows.project.owner or 'the creator'}")
    names = list(crew) if crew is not None else list(CREDIT_LINES)
    lines += [CREDIT_LINES.get(name, f"{name.replace('_', ' ').capitalize()}: the {name}") for name in names]
    models = sorted({take.model or take.backend for _, take in chosen if take.model or take.backend})
    if models:
        lines.append(f"Rendered with {', '.join(models)}")
    lines.append("Made with Dailies")
    return lines


def scene_transition(scene: Scene | None, shot: Shot, previous_s: float, notes: list[str]) -> Transition:
    """How the first shot of ``scene`` comes in, from the director's note (see the module doc)."""
    direction = scene.notes.get("director") if scene is not None else None
    if not isinstance(direction, dict):
        return Transition()
    kind = direction.get("transition_in", "cut")
    if kind not in ("cut", "dissolve", "fade"):
        notes.append(
            f"scene {scene.key if scene else '?'}: unknown transition {kind!r} ignored (cut instead)"
        )
        return Transition()
    if kind == "cut":
        return Transition()
    length = direction.get("transition_s")
    if not isinstance(length, int | float) or isinstance(length, bool) or not 0 < length <= 10:
        length = PACING_TRANSITION_S.get(str(direction.get("pacing")), DEFAULT_TRANSITION_S)
    length = float(length)
    if kind == "dissolve":
        # At most 45 % of either shot, so a shot's incoming and outgoing dissolves never meet.
        fit = round(DISSOLVE_SHARE * min(previous_s, float(shot.duration_s)), 3)
        if length > fit:
            notes.append(
                f"shot {shot.key}: dissolve shortened from {length:g} s to {fit:g} s to fit the shots it joins"
            )
            length = fit
    return Transition(kind=kind, duration_s=length)


def _dialogue(shot: Shot, names: dict[str, str]) -> list[DialogueLine]:
    lines: list[DialogueLine] = []
    for entry in shot.dialogue or []:
        if not isinstance(entry, dict):
            continue
        text = entry.get("line") or entry.get("text") or ""
        if not isinstance(text, str) or not text.strip():
            continue
        key = str(entry.get("character") or "")
        lines.append(DialogueLine(character=names.get(key, key), text=text))
    return lines


def _character_names(characters: Sequence[Character]) -> dict[str, str]:
    return {c.key: (c.name or c.key) for c in characters}


def _latest_reviews(rows: ProjectRows) -> dict[int, Review]:
    """Take id → its newest critic review (reviews come in id order)."""
    latest: dict[int, Review] = {}
    for row in rows.reviews:
        take = rows.takes[row.take_index].take
        if row.review.reviewer == "critic" or (take.id or 0) not in latest:
            latest[take.id or 0] = row.review
    return latest


def _take_path(take: Take, takes_dir: Path | None) -> Path:
    path = Path(take.path)
    if not path.is_absolute() and takes_dir is not None:
        path = Path(takes_dir) / path
    return path


def cut_with_settings(
    store: Store, settings: Settings, project_id: str, *, out_dir: Path | None = None, allow_unapproved: bool = False,
    burn_in: bool = False, progress: Progress | None = None, tier: str = "draft",
) -> CutResult:
    """``cut_project`` with the installation's size, frame rate, ffmpeg and folders (``cuts/NAME/`` by default;
    ``cuts/NAME/final/`` for the final tier, so both cuts are kept)."""
    default_dir = settings.cuts_dir / film_name(project_id) / ("final" if tier == "final" else "")
    return cut_project(
        store, project_id, out_dir=out_dir or default_dir, ffmpeg=settings.ffmpeg, tier=tier,
        progress=progress, allow_unapproved=allow_unapproved, burn_in=burn_in, width=settings.width,
        height=settings.height, fps=settings.fps, takes_dir=settings.takes_dir, voices=voice_cache(settings),
    )
