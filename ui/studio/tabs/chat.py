"""The chat tab: the project's conversation with the crew plus this run's activity, every crew line
titled by its role; a note sent here is routed by the producer (approve, reshoot, a new look…)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import gradio as gr
from gradio import ChatMessage
from gradio.components.chatbot import MetadataDict

from agents import ProjectView
from ui.studio.desk import SHOWN, Desk, hint, owned, owned_or, user_of
from ui.studio.errors import BadInput
from ui.studio.jobs import LogEntry
from ui.studio.page import Page


@owned
def send_message(desk: Desk, user: str | None, project: ProjectView, text: str) -> str:
    """A note to the crew: the producer routes it (approve, reshoot, a new look, a story change…)."""
    text = (text or "").strip()
    if not text:
        raise BadInput("the message is empty")
    if len(text) > 2000:
        raise BadInput("keep a message under 2000 characters")
    desk.crew_job(project.id, "the producer reads your note", lambda: desk.studio.send(project.id, text)[1])
    return "sent"


def send_from_form(desk: Desk, user: str | None, project: str | None, text: str) -> str:
    """The chat's Send: "" when the note went to the crew, else what is wrong, shown under the field (which
    keeps the typed note) rather than as an error badge over it."""
    try:
        send_message(desk, user, project, text)
    except SHOWN as exc:
        return str(exc)
    return ""


@owned_or(list[ChatMessage])
def chat_messages(desk: Desk, user: str | None, project: ProjectView) -> list[ChatMessage]:
    """The project's chat plus this run's activity, in time order: a stored crew message titled by its role, and
    each job's activity as one compact message titled by what the job does, a line per event named by its role
    (one bubble per job, not a nested bubble per line)."""
    items: list[tuple[float, ChatMessage]] = []
    log = desk.jobs.log(project.id)
    said = _role_lines(log)
    for m in desk.studio.messages(project.id):
        at = _timestamp(m.created_at)
        if m.role == "creator":
            items.append((at, ChatMessage(role="user", content=m.content)))
        elif not _told(said, m.role, m.content, at):
            items.append((at, ChatMessage(role="assistant", content=m.content, metadata={"title": m.role})))
    labels = {e.job: e.text.removeprefix("started: ") for e in log if e.kind == "started"}
    running = desk.jobs.running(project.id)
    jobs: dict[int, list[LogEntry]] = {}
    for entry in _activity(log):
        jobs.setdefault(entry.job, []).append(entry)
    for job, entries in jobs.items():
        label = labels.get(job, "")
        # a title without a status shows open; "pending" adds a spinner ("done" would fold the text away)
        meta: MetadataDict = {"title": f"crew · {label}"}
        if label and label == running and job == max(labels):
            meta["status"] = "pending"
        items.append((entries[0].at, ChatMessage(role="assistant", content="\n".join(_line(e) for e in entries), metadata=meta)))
    items.sort(key=lambda pair: pair[0])
    return [message for _, message in items]


#: How far apart a stored crew message and the job's line that says the same may be written (seconds).
SAME_MOMENT_S = 60.0


def _role_lines(log: list[LogEntry]) -> dict[str, list[float]]:
    """When each role line of this run's log was said ("continuity finished: round 1: …" → its times)."""
    said: dict[str, list[float]] = {}
    for entry in log:
        if entry.kind == "role":
            said.setdefault(entry.text, []).append(entry.at)
    return said


def _told(said: dict[str, list[float]], role: str, content: str, at: float) -> bool:
    """Whether a job's activity already shows this stored crew message (a role that both stores its summary and
    reports it, as continuity's "round 1: …" does): the chat then shows it once, in the job's message; after a
    restart the log is gone and the stored message shows."""
    return any(abs(when - at) <= SAME_MOMENT_S for when in said.get(f"{role} finished: {content}", ()))


def _line(entry: LogEntry) -> str:
    """One activity line, named by its role once ("**writer** finished: …", "**critic** s1-01: pass")."""
    return f"**{entry.role}** {entry.text.removeprefix(entry.role).lstrip()}"


def _activity(log: list[LogEntry]) -> list[LogEntry]:
    """The log as the chat shows it: no per-frame render progress, one line per role and job (its latest), one per
    long step and job (loading the model, the cut: its latest, "… done in 64 s"), and only the newest of the
    "… wait for your decision" lines."""
    shown_: dict[tuple[Any, ...], LogEntry] = {}
    waits = [e for e in log if e.kind == "waiting"]
    for entry in log:
        if entry.kind == "waiting" and entry is not waits[-1]:
            continue  # one "waits for you" line, the newest: the earlier ones only repeated it
        if entry.kind in {"render", "cut"} or (entry.role == "studio" and entry.kind not in {"failed", "cancelled", "step"}):
            continue
        key: tuple[Any, ...] = (
            (entry.job, entry.role) if entry.kind == "role" else (entry.job, "step", entry.step) if entry.kind == "step" else (entry.seq,)
        )
        first = shown_.get(key)
        shown_[key] = entry if first is None else LogEntry(**{**entry.__dict__, "at": first.at})
    return sorted(shown_.values(), key=lambda e: e.at)


def _timestamp(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def build(desk: Desk, page: Page) -> None:
    def send(project: str | None, text: str, request: gr.Request):
        wrong = send_from_form(desk, user_of(request), project, text)
        if wrong:
            return gr.skip(), gr.skip(), hint(wrong)
        return "", chat_messages(desk, user_of(request), project), ""

    def show(project: str | None, request: gr.Request) -> list[ChatMessage]:
        return chat_messages(desk, user_of(request), project)

    with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
        chatbot = gr.Chatbot(label="The crew", height=460, elem_id="chat", group_consecutive_messages=False)
        with gr.Row():
            message = gr.Textbox(placeholder="A note for the crew: 'make Tom's coat green', 'approve s1-02'…", show_label=False, scale=5, elem_id="chat-input")
            send_btn = gr.Button("Send", scale=1, elem_id="chat-send")
        note_hint = gr.Markdown(elem_id="chat-hint")

    page.board.change(show, [page.picker], [chatbot], api_visibility="private", show_progress="hidden")
    message.submit(send, [page.picker, message], [message, chatbot, note_hint], api_visibility="private")
    send_btn.click(send, [page.picker, message], [message, chatbot, note_hint], api_visibility="private")
