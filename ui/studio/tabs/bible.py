"""The bible tab: characters (description, wardrobe per scene, voice, reference images) and locations, and the
four changes a person makes here — a new look, a new outfit in one scene, a new voice, a reference image.
Each change redoes only what it touches (``Studio`` decides which): a look or an outfit re-shoots that
character's shots, a voice re-voices only that character's lines and shoots again the shots whose takes showed
the old voicing (a film already cut whose takes all hold is re-cut)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from agents import Event, ProjectView
from ui.studio.desk import Desk, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.page import Page
from ui.studio.steps import Step, crew_work, run_step

#: The bounds of a character's voice (``memory.story.CharacterVoice``), as the sliders offer them.
PITCH_RANGE = (-12.0, 12.0)
RATE_RANGE = (0.5, 2.0)
#: The long step of a voice change, as the header names it.
VOICE_STEP = "the voice"


@owned_or(list[dict[str, Any]])
def bible_characters(desk: Desk, user: str | None, project: ProjectView) -> list[dict[str, Any]]:
    """Characters with description, wardrobe per scene, voice and reference images (existing files only)."""
    return [
        {"key": c.key, "name": c.name, "description": c.description, "wardrobe": dict(c.wardrobe),
         "references": [p for p in c.reference_images if Path(p).is_file()],
         "voice": {"backend": c.voice.backend, "voice_id": c.voice.voice_id, "pitch": c.voice.pitch, "rate": c.voice.rate}
         if c.voice else None}
        for c in desk.studio.board(project.id).characters
    ]


@owned_or(str)
def bible_markdown(desk: Desk, user: str | None, project: ProjectView) -> str:
    parts = []
    for c in bible_characters(desk, user, project.id):
        wardrobe = "\n".join(f"  - *{scene}*: {outfit}" for scene, outfit in c["wardrobe"].items())
        parts.append(f"**{c['name']}** (`{c['key']}`) — {c['description']}\n\n- wardrobe:\n{wardrobe or '  - (none)'}\n"
                     f"- voice: {_voice_text(c['voice'])}\n- reference images: {len(c['references'])}")
    locations = desk.studio.board(project.id).locations
    if locations:
        parts.append("#### Locations\n" + "\n".join(f"- **{loc.name}** (`{loc.key}`): {loc.description}" for loc in locations))
    return "\n\n".join(parts) or "*No characters yet.*"


def _voice_text(voice: dict[str, Any] | None) -> str:
    if voice is None:
        return "(not cast yet)"
    return f"{voice['voice_id']} ({voice['backend']}), pitch {voice['pitch']:+g} semitones, rate {voice['rate']:g}"


def _no_voice() -> dict[str, Any] | None:
    return None


@owned_or(_no_voice)
def character_voice(desk: Desk, user: str | None, project: ProjectView, character: str | None) -> dict[str, Any] | None:
    """The voice the bible shows for ``character`` (voice id, pitch, rate), to fill the voice controls."""
    return next((c["voice"] for c in bible_characters(desk, user, project.id) if c["key"] == character), None)


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


def _number(value: object, field: str, bounds: tuple[float, float]) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise BadInput(f"{field}: give a number from {bounds[0]:g} to {bounds[1]:g}") from None
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        raise BadInput(f"{field}: give a number from {bounds[0]:g} to {bounds[1]:g}, not {number:g}")
    return number


@owned
def change_voice(desk: Desk, user: str | None, project: ProjectView, character: str | None, voice_id: str | None,
                 pitch: object, rate: object) -> str:  # fmt: skip
    """A new voice for a character (voice id, pitch in semitones, rate): only their lines are voiced again, and a
    film already cut is re-cut with them. Queued as a job; a voice id the backend cannot have fails it with a
    message naming the known ones, and the character keeps the voice they had."""
    who = _character(desk, project.id, character)
    voice_id = (voice_id or "").strip()
    if not voice_id or len(voice_id) > 200:
        raise BadInput("voice id: give one (e.g. en_US-joe-medium), under 200 characters")
    semitones, speed = _number(pitch, "pitch", PITCH_RANGE), _number(rate, "rate", RATE_RANGE)
    label = f"re-voice {who}"
    desk.jobs.submit(project.id, label, lambda: _revoice(desk, project.id, who, voice_id, semitones, speed), once=True)
    return f"queued: {label}"


def _revoice(desk: Desk, project: str, who: str, voice_id: str, pitch: float, rate: float) -> Iterator[Step | Event]:
    """The voice change as a step the header shows (re-voicing the lines, then a re-cut if the film was cut and
    every take still holds); the takes that showed the old voicing went stale (``Studio.set_voice``) and their
    shots are shot again, as after an edit in the shot table, each waiting for approval again."""
    yield from run_step(VOICE_STEP, lambda report: desk.studio.set_voice(project, who, voice_id=voice_id, pitch=pitch, rate=rate),
                        first=f"voicing {who}'s lines")  # fmt: skip
    if any(shot.state == "stale" for shot in desk.studio.board(project).shots):
        yield from crew_work(desk.studio, lambda: desk.studio.reshoot_stale(project))()


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
            *voice_fields(project, characters[0][1] if characters else None, request),
        )

    def voice_fields(project: str | None, character: str | None, request: gr.Request):
        voice = character_voice(desk, user_of(request), project, character)
        if voice is None:
            return gr.update(value=""), gr.update(value=0.0), gr.update(value=1.0)
        return gr.update(value=voice["voice_id"]), gr.update(value=voice["pitch"]), gr.update(value=voice["rate"])

    @shown
    def revoice(project: str | None, character: str | None, voice_id: str, pitch: float, rate: float, request: gr.Request):
        return change_voice(desk, user_of(request), project, character, voice_id, pitch, rate)

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
            voice_id = gr.Textbox(label="Voice (their lines are voiced again)", placeholder="en_US-joe-medium", elem_id="voice-id")
            pitch = gr.Slider(*PITCH_RANGE, value=0.0, step=0.5, label="Pitch (semitones)", elem_id="voice-pitch")
            rate = gr.Slider(*RATE_RANGE, value=1.0, step=0.05, label="Rate", elem_id="voice-rate")
            voice_btn = gr.Button("Re-voice", elem_id="revoice")
        with gr.Row():
            reference = gr.Image(label="Upload a reference photo or drawing", type="filepath", sources=["upload"], height=200, elem_id="reference-upload")
            gallery = gr.Gallery(label="Reference images", height=200, columns=4, elem_id="references")
        said = gr.Markdown(elem_id="bible-message")

    page.plan.change(show, [page.picker], [bible, character, gallery, scene, voice_id, pitch, rate], api_visibility="private", show_progress="hidden")
    character.change(voice_fields, [page.picker, character], [voice_id, pitch, rate], api_visibility="private", show_progress="hidden")
    voice_btn.click(revoice, [page.picker, character, voice_id, pitch, rate], [said], api_visibility="private")
    look_btn.click(restage, [page.picker, character, look], [said, look], api_visibility="private")
    outfit_btn.click(redress, [page.picker, character, scene, outfit], [said, outfit], api_visibility="private")
    reference.upload(upload, [page.picker, character, reference], [said, gallery, reference], api_visibility="private")
