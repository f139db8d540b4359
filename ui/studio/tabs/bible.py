"""The bible tab: characters (description, wardrobe per scene, reference images) and locations, and the
three changes a person makes here — a new look, a new outfit in one scene, a reference image. Each
change re-shoots only the shots it touches (``Studio`` decides which)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from agents import ProjectView
from ui.studio.desk import Desk, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.page import Page


@owned_or(list[dict[str, Any]])
def bible_characters(desk: Desk, user: str | None, project: ProjectView) -> list[dict[str, Any]]:
    """Characters with description, wardrobe per scene and reference images (existing files only)."""
    return [
        {"key": c.key, "name": c.name, "description": c.description, "wardrobe": dict(c.wardrobe),
         "references": [p for p in c.reference_images if Path(p).is_file()]}
        for c in desk.studio.board(project.id).characters
    ]


@owned_or(str)
def bible_markdown(desk: Desk, user: str | None, project: ProjectView) -> str:
    parts = []
    for c in bible_characters(desk, user, project.id):
        wardrobe = "\n".join(f"  - *{scene}*: {outfit}" for scene, outfit in c["wardrobe"].items())
        parts.append(f"**{c['name']}** (`{c['key']}`) — {c['description']}\n\n- wardrobe:\n{wardrobe or '  - (none)'}\n- reference images: {len(c['references'])}")
    locations = desk.studio.board(project.id).locations
    if locations:
        parts.append("#### Locations\n" + "\n".join(f"- **{loc.name}** (`{loc.key}`): {loc.description}" for loc in locations))
    return "\n\n".join(parts) or "*No characters yet.*"


def character_choices(desk: Desk, user: str | None, project_id: str | None) -> list[tuple[str, str]]:
    return [(c["name"], c["key"]) for c in bible_characters(desk, user, project_id)]


@owned_or(list[tuple[str, str]])
def scene_choices(desk: Desk, user: str | None, project: ProjectView) -> list[tuple[str, str]]:
    return [(f"{s.key} · {s.heading or s.location}", s.key) for s in desk.studio.board(project.id).scenes]


def _character(desk: Desk, project: str, character: str | None) -> str:
    if not character or character not in {c.key for c in desk.studio.board(project).characters}:
        raise BadInput("pick a character")
    return character


@owned
def change_look(desk: Desk, user: str | None, project: ProjectView, character: str | None, change: str) -> str:
    """A new look for a character: their shots get new prompts and are shot again (only theirs)."""
    who = _character(desk, project.id, character)
    change = (change or "").strip()
    if not change or len(change) > 200:
        raise BadInput("describe the change in a few words (under 200 characters)")
    desk.crew_job(project.id, f"restage {who}", lambda: desk.studio.change_look(project.id, who, change))
    return f"queued: restage {who}"


@owned
def change_wardrobe(desk: Desk, user: str | None, project: ProjectView, character: str | None, scene: str | None, outfit: str) -> str:
    """What a character wears in one scene: their shots in it are re-dressed and shot again (only those)."""
    who = _character(desk, project.id, character)
    if not scene or scene not in {s.key for s in desk.studio.board(project.id).scenes}:
        raise BadInput("pick a scene")
    where = scene
    outfit = (outfit or "").strip()
    if not outfit or len(outfit) > 100:
        raise BadInput("describe the outfit in a few words (under 100 characters)")
    label = f"re-dress {who} in {where}"
    desk.crew_job(project.id, label, lambda: desk.studio.change_wardrobe(project.id, who, where, outfit))
    return f"queued: {label}"


@owned
def upload_reference(desk: Desk, user: str | None, project: ProjectView, character: str | None, image: str | None) -> str:
    """Store an uploaded photo or drawing as a character's reference image; returns its stored path."""
    who = _character(desk, project.id, character)
    if not image:
        raise BadInput("choose an image to upload")
    return str(desk.studio.set_reference_image(project.id, who, Path(image)))


def build(desk: Desk, page: Page) -> None:
    def references(user: str | None, project: str | None) -> list[tuple[str, str]]:
        return [(path, c["name"]) for c in bible_characters(desk, user, project) for path in c["references"]]

    def show(project: str | None, request: gr.Request):
        user = user_of(request)
        characters, scenes = character_choices(desk, user, project), scene_choices(desk, user, project)
        return (
            bible_markdown(desk, user, project),
            gr.update(choices=characters, value=characters[0][1] if characters else None),
            references(user, project),
            gr.update(choices=scenes, value=scenes[0][1] if scenes else None),
        )

    @shown
    def restage(project: str | None, character: str | None, change: str, request: gr.Request):
        return change_look(desk, user_of(request), project, character, change), ""

    @shown
    def redress(project: str | None, character: str | None, scene: str | None, outfit: str, request: gr.Request):
        return change_wardrobe(desk, user_of(request), project, character, scene, outfit), ""

    @shown
    def upload(project: str | None, character: str | None, image: str | None, request: gr.Request):
        user = user_of(request)
        stored = upload_reference(desk, user, project, character, image)
        return f"saved {Path(stored).name}", references(user, project), None

    with gr.Tab("Bible", id="bible", elem_id="tab-bible"):
        bible = gr.Markdown(elem_id="bible")
        with gr.Row():
            character = gr.Dropdown(label="Character", choices=[], interactive=True)
            look = gr.Textbox(label="Change their look (their shots are re-shot)", placeholder="her scarf is blue")
            look_btn = gr.Button("Restage")
        with gr.Row():
            scene = gr.Dropdown(label="Scene", choices=[], interactive=True)
            outfit = gr.Textbox(label="What they wear in it (their shots there are re-shot)", placeholder="a blue raincoat")
            outfit_btn = gr.Button("Re-dress")
        with gr.Row():
            reference = gr.Image(label="Upload a reference photo or drawing", type="filepath", sources=["upload"], height=200, elem_id="reference-upload")
            gallery = gr.Gallery(label="Reference images", height=200, columns=4, elem_id="references")
        said = gr.Markdown(elem_id="bible-message")

    page.plan.change(show, [page.picker], [bible, character, gallery, scene], api_visibility="private", show_progress="hidden")
    look_btn.click(restage, [page.picker, character, look], [said, look], api_visibility="private")
    outfit_btn.click(redress, [page.picker, character, scene, outfit], [said, outfit], api_visibility="private")
    reference.upload(upload, [page.picker, character, reference], [said, gallery, reference], api_visibility="private")
