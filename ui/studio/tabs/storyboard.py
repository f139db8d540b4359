"""The storyboard tab: one card per shot with its state, its current take (by number), the critic's verdict
and measured numbers, the take history, and — for shots waiting for a decision — Approve, Reshoot (with a
note) and *Revert & approve*; an approved shot can be reopened. The board draws again when a take changes
and when the plan changes (an edited duration shows at once)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from agents import ProjectView, ShotView, TakeView
from ui.studio.desk import Desk, owned, owned_or, shown, user_of
from ui.studio.errors import BadInput
from ui.studio.page import Page
from ui.studio.tabs.crew import decide


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
    state: str = "planned"
    """planned, rendering, needs you, shot, approved, stale or failed (``ShotView.state`` plus what the job
    runner and the graph know)."""
    take_number: int | None = None
    stale_reason: str = ""
    measured: str = ""
    changed: str = ""
    """What the creator's last reshoot note changed in the shot ("size MS→MCU, tom faces right")."""
    compare: tuple[tuple[int, str], tuple[int, str]] | None = None
    """The two newest playable takes as (number, file), older first: the card's side-by-side compare view."""
    rung: str = ""
    """The critic's reshoot-ladder rung that made the current take ("revised prompt"); "" for a first take."""

    @property
    def revert_choices(self) -> list[tuple[str, int]]:
        return [(f"take {n} ({status})", tid) for tid, n, status, _ in self.history if tid != self.take_id and status != "failed"]

    @property
    def decidable(self) -> bool:
        """Whether the card offers a note and Approve/Reshoot: a shot with a take that is not approved. They stay
        on the card while the crew works (disabled), so a note typed into one card survives another card's click."""
        return self.take_id is not None and self.state not in ("approved", "planned")


@owned_or(list[ShotCard])
def storyboard(desk: Desk, user: str | None, project: ProjectView) -> list[ShotCard]:
    """The cards from one read of the project (``Studio.board``), whatever the number of shots and takes."""
    pending = None if desk.jobs.busy(project.id) else desk.studio.pending(project.id)
    waiting = set(pending.shots) if pending else set()
    progress = desk.jobs.progress(project.id)
    return [_card(shot, shot.key in waiting, progress.get(shot.key)) for shot in desk.studio.board(project.id).shots]


@owned_or(str)
def cards_fingerprint(desk: Desk, user: str | None, project: ProjectView) -> str:
    """Changes exactly when a card would draw differently (its state, take, verdict, progress, plan fields)."""
    text = repr(storyboard(desk, user, project.id))
    return project.id + ":" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _card(shot: ShotView, waiting: bool, progress: float | None) -> ShotCard:
    current = shot.current
    state = "rendering" if progress is not None and progress < 1 else "needs you" if waiting else shot.state
    return ShotCard(
        shot=shot.key, scene=shot.scene, size=shot.size, duration_s=shot.duration_s, description=shot.description,
        video=current.path if current and current.path and Path(current.path).is_file() else None,
        take_id=current.id if current else None, take_status=current.status if current else "not shot",
        verdict=current.verdict if current else "", scores=_scores(current) if current and current.verdict else "",
        history=[(t.id, t.number, t.status, t.verdict) for t in shot.takes], waiting=waiting, progress=progress,
        state=state, take_number=current.number if current else None,
        stale_reason=current.stale_reason if current else "",
        measured=", ".join(f"{k} {v:.3g}" for k, v in current.measured) if current else "",
        changed=", ".join(shot.note_changes), compare=_compare(shot),
        rung=current.rung.replace("_", " ") if current else "",
    )  # fmt: skip


def _compare(shot: ShotView) -> tuple[tuple[int, str], tuple[int, str]] | None:
    """The shot's two newest takes that have a file (older first), or None with fewer than two."""
    playable = [(t.number, t.path) for t in shot.takes if t.path and t.status != "failed" and Path(t.path).is_file()]
    return (playable[-2], playable[-1]) if len(playable) >= 2 else None


def _scores(take: TakeView) -> str:
    """The critic's measurements in one line: each finding's check, value and threshold, or a clean bill."""
    parts = [f"{f.check} {f.value:.2f} (limit {f.threshold:.2f}, {f.severity})" for f in take.findings]
    said = "; ".join(parts[:6]) or "every measured check passed"
    return f"{said} — {take.notes}" if take.notes and parts else said


@owned
def reopen(desk: Desk, user: str | None, project: ProjectView, shot: str) -> str:
    """Take back an approval (the card's *Reopen*): the shot waits for a decision again, the film is out of date."""
    if desk.studio.board(project.id).shot(shot) is None:
        raise BadInput(f"no shot {shot!r} in this project")
    desk.crew_job(project.id, f"reopen {shot}", lambda: desk.studio.reopen(project.id, shot))
    return f"queued: reopen {shot} (it waits for your decision again; the film is out of date until it is re-cut)"


def card_text(card: ShotCard) -> str:
    """The card's words: the shot, its state, the current take by number, the critic's verdict and numbers."""
    take = f"Take #{card.take_number}" if card.take_number else "Take"
    lines = [
        f"**{card.shot}** · {card.scene} · {card.size} · {card.duration_s:g} s · <span class='state state-{card.state.replace(' ', '-')}'>{card.state}</span>",
        card.description,
        f"{take}: **{card.take_status}**" + (f" · critic: **{card.verdict}**" if card.verdict else ""),
    ]
    if card.stale_reason:
        lines.append(f"*out of date: {card.stale_reason}*")
    if card.rung:
        lines.append(f"*made by the critic's reshoot ladder: {card.rung}*")
    if card.changed:
        lines.append(f"**Your note changed:** {card.changed}")
    if card.scores:
        lines.append(f"<small>{card.scores}</small>")
    if card.measured:
        lines.append(f"<small>measured: {card.measured}</small>")
    if card.progress is not None and card.progress < 1:
        lines.append(f"rendering {card.progress:.0%} <progress max='1' value='{card.progress:.3f}'></progress>")
    return "\n\n".join(line for line in lines if line)


def build(desk: Desk, page: Page) -> None:
    def decider(kind: str, shot: str) -> Callable[..., str]:
        """The click handler of one card's Approve or Reshoot button."""

        @shown
        def click(project: str | None, note: str, request: gr.Request) -> str:
            return decide(desk, user_of(request), project, kind, shot, note if kind == "reshoot" else "")

        return click

    def reverter(shot: str) -> Callable[..., str]:
        @shown
        def click(project: str | None, take_id: int | None, request: gr.Request) -> str:
            return decide(desk, user_of(request), project, "revert", shot, take_id=take_id)

        return click

    def reopener(shot: str) -> Callable[..., str]:
        @shown
        def click(project: str | None, request: gr.Request) -> str:
            return reopen(desk, user_of(request), project, shot)

        return click

    def shot_card(card: ShotCard) -> None:
        classes = ["shot-card", "waiting"] if card.waiting else ["shot-card"]
        with gr.Column(elem_classes=classes, elem_id=f"card-{card.shot}", min_width=260):
            gr.Markdown(card_text(card), key=f"md-{card.shot}", elem_id=f"card-text-{card.shot}")
            if card.video:
                gr.Video(card.video, label=f"{card.shot} take", height=180, autoplay=False, loop=True, key=f"video-{card.shot}-{card.take_id}", elem_id=f"video-{card.shot}")
            if card.compare:
                (old_n, old), (new_n, new) = card.compare
                title = f"Compare take #{old_n} and #{new_n}"
                with gr.Accordion(title, open=False, elem_id=f"compare-{card.shot}", key=f"compare-{card.shot}"), gr.Row():
                    gr.Video(old, label=f"take #{old_n}", height=140, autoplay=False, key=f"cmp-old-{card.shot}-{old_n}", elem_id=f"compare-old-{card.shot}")
                    gr.Video(new, label=f"take #{new_n}", height=140, autoplay=False, key=f"cmp-new-{card.shot}-{new_n}", elem_id=f"compare-new-{card.shot}")
            if card.history:
                gr.Markdown(
                    "<small>History: " + ", ".join(f"#{n} {s}" + (f" ({v})" if v else "") for _, n, s, v in card.history) + "</small>",
                    key=f"hist-{card.shot}",
                )
            if card.state == "approved":
                again = gr.Button("Reopen", size="sm", key=f"reopen-{card.shot}", elem_id=f"reopen-{card.shot}")
                again.click(reopener(card.shot), [page.picker], [page.notice], api_visibility="private")
                return
            if not card.decidable:
                return
            # Always drawn for an undecided shot (disabled while the crew works), keyed: a note typed here
            # survives the board drawing again after a click on another card.
            note = gr.Textbox(placeholder="Reshoot note, e.g. 'slower, she looks at him'", show_label=False, key=f"note-{card.shot}", elem_id=f"note-{card.shot}")
            with gr.Row():
                approve = gr.Button("Approve", variant="primary", size="sm", key=f"approve-{card.shot}", elem_id=f"approve-{card.shot}", interactive=card.waiting)
                reshoot = gr.Button("Reshoot", size="sm", key=f"reshoot-{card.shot}", elem_id=f"reshoot-{card.shot}", interactive=card.waiting)
            approve.click(decider("approve", card.shot), [page.picker, note], [page.notice], api_visibility="private")
            reshoot.click(decider("reshoot", card.shot), [page.picker, note], [page.notice], api_visibility="private")
            choices = card.revert_choices
            if choices and card.waiting:
                with gr.Row():
                    older = gr.Dropdown(choices=choices, value=choices[-1][1], show_label=False, key=f"revert-to-{card.shot}", scale=2)
                    revert = gr.Button("Revert & approve", size="sm", key=f"revert-{card.shot}", scale=1, elem_id=f"revert-{card.shot}")
                revert.click(reverter(card.shot), [page.picker, older], [page.notice], api_visibility="private")

    with gr.Tab("Storyboard", id="board", elem_id="tab-board"):

        @gr.render(inputs=[page.picker, page.cards])
        def board(project: str | None, _cards: str, request: gr.Request) -> None:
            cards = storyboard(desk, user_of(request), project)
            if not cards:
                gr.Markdown("*No shots yet.*")
                return
            for row_start in range(0, len(cards), 3):
                row = cards[row_start:row_start + 3]
                with gr.Row(equal_height=False):
                    for card in row:
                        shot_card(card)
                    for _ in range(3 - len(row)):  # empty places keep a short last row's cards card-wide
                        gr.Column(min_width=260)
