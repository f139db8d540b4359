"""The shot-list tab: one editable row per shot (size, duration, staging, prompt) and the grammar's
findings on it. Saving stores the edited cells through ``Studio.edit_shot`` (which validates them
against the shot-list vocabulary) and shows what the grammar finds now."""

from __future__ import annotations

from typing import Any

import gradio as gr

from agents import FACINGS, SIZES, Finding, ProjectView, ShotView, StagedCharacter
from ui.studio.desk import Desk, as_rows, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.page import Page

SHOT_COLUMNS = ["shot", "scene", "size", "duration_s", "staging", "prompt", "findings"]


@owned_or(list[list[Any]])
def shot_table(desk: Desk, user: str | None, project: ProjectView) -> list[list[Any]]:
    """One row per shot: id, scene, size, duration, staging (``id x facing; …``), prompt, grammar findings."""
    return _rows(desk, project.id, desk.studio.findings(project.id))


def _rows(desk: Desk, project: str, findings: list[Finding]) -> list[list[Any]]:
    by_shot: dict[str, list[str]] = {}
    for f in findings:
        for shot in f.shots or ("(film)",):
            by_shot.setdefault(shot, []).append(f"{f.severity}: {f.message}")
    return [
        [s.key, s.scene, s.size, float(s.duration_s), format_staging(s), s.prompt, "\n".join(by_shot.get(s.key, []))]
        for s in desk.studio.board(project).shots
    ]


def format_staging(shot: ShotView) -> str:
    return "; ".join(f"{c.id} {c.x:.2f} {c.facing}" for c in shot.staging)


def parse_staging(text: str, shot: ShotView) -> list[StagedCharacter]:
    """``mara 0.30 right; tom 0.70 left`` → where each character stands (Studio keeps their other keys)."""
    staged: list[StagedCharacter] = []
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
        if facing not in FACINGS:
            raise BadInput(f"{shot.key}: facing is {', '.join(FACINGS[:-1])} or {FACINGS[-1]}, not '{facing}'")
        staged.append(StagedCharacter(words[0], x, facing))
    return staged


@owned
def save_shots(desk: Desk, user: str | None, project: ProjectView, rows: list[list[Any]]) -> tuple[list[list[Any]], str]:
    """Save edited cells (size, duration, staging, prompt) of the shot table; re-check the grammar.

    Returns the fresh table and a sentence saying what changed and what the grammar now finds. A shot that
    was shot and changed is shot again (its take went stale) and waits for approval again."""
    shots = {s.key: s for s in desk.studio.board(project.id).shots}
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
            fields["staging"] = parse_staging(str(staging), shot)
        if prompt is not None and str(prompt) != shot.prompt:
            if len(str(prompt)) > 4000:
                raise BadInput(f"{shot.key}: keep the prompt under 4000 characters")
            fields["prompt"] = str(prompt)
        if fields:
            changes[shot.key] = fields
    findings: list[Finding] = []
    for key, fields in changes.items():
        findings = desk.studio.edit_shot(project.id, key, **fields)
    if not changes:
        findings = desk.studio.findings(project.id)
    # an edit of a shot that was shot makes its take stale (``Studio.edit_shot``): shoot those again, and each
    # waits for approval again
    shot_again = [key for key in changes if shots[key].takes]
    if shot_again:
        desk.crew_job(project.id, f"shoot {', '.join(shot_again)} again after your edit", lambda: desk.studio.reshoot_stale(project.id))
    errors = sum(1 for f in findings if f.severity == "error")
    said = f"saved {', '.join(changes)}" if changes else "nothing changed"
    if shot_again:
        said += f" (shooting {', '.join(shot_again)} again; the film is out of date until it is re-cut)"
    return _rows(desk, project.id, findings), f"{said}; the grammar finds {errors} error(s), {len(findings) - errors} warning(s)"


def _seconds(shot: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"{shot}: duration '{value}' is not a number of seconds") from None
    if not 0.5 <= seconds <= 60:
        raise BadInput(f"{shot}: a shot lasts between 0.5 and 60 seconds, not {seconds:g}")
    return seconds


def build(desk: Desk, page: Page) -> None:
    def show(project: str | None, request: gr.Request) -> list[list[Any]]:
        return shot_table(desk, user_of(request), project)

    @shown
    def save(project: str | None, rows: Any, request: gr.Request):
        return save_shots(desk, user_of(request), project, as_rows(rows))

    with gr.Tab("Shot list", id="shots", elem_id="tab-shots"):
        gr.Markdown("Edit size, duration, staging (`id x facing; …`) or prompt, then **Save**: the grammar is checked again.")
        table = gr.Dataframe(
            headers=SHOT_COLUMNS, datatype=["str", "str", "str", "number", "str", "str", "str"],
            interactive=True, wrap=True, elem_id="shot-table", static_columns=[0, 1, 6],
        )
        with gr.Row():
            save_btn = gr.Button("Save shot list", variant="primary", elem_id="save-shots")
            said = gr.Markdown()

    page.plan.change(show, [page.picker], [table], api_visibility="private", show_progress="hidden")
    save_btn.click(save, [page.picker, table], [table, said], api_visibility="private")
