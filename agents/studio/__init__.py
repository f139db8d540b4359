"""``Studio``: the one facade the user interfaces (Gradio, CLI) call to change a production.

Why a facade: the UI must not know about graphs, checkpoints or backends. It starts a project, sends a
chat message, asks what waits for a person, records a decision, and cuts the film; the studio wires
settings, story memory, the LLM, the generator and the critic together (composition root). Reading for
display may go to ``studio.store`` directly.

Every call that runs the graph holds the project's lock (``agents.production.locks``), validates a decision
against what is actually pending, and runs with ``durability="sync"``: a killed process resumes where it
stopped with ``advance(project)``, and a double-clicked Approve finds nothing pending the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langgraph.types import Command

from agents.crew.role import Deps
from agents.errors import NotPending
from agents.llm.load_report import LoadReport, no_report
from agents.preflight import check_settings
from agents.production.decisions import CreatorDecision, Reentry
from agents.production.events import Event, FailureEvent, WaitingEvent, parse_event
from agents.production.housekeeping import clean_at_start_up
from agents.production.locks import project_lock, remove_lock
from agents.production.pending import Pending
from agents.production.state import Crew, FilmState
from agents.settings import Settings, load_settings
from agents.studio.desk_calls import DeskCalls
from agents.studio.page_reads import PageReads
from memory import exchange
from memory.errors import InvalidValue, NotFound
from memory.models import ChatMessage, Project
from memory.store import Store
from memory.story import CharacterVoice

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from langchain_core.runnables import RunnableConfig
    from langgraph.graph.state import CompiledStateGraph

    from agents.crew.producer import Routing
    from agents.grammar.findings import Finding
    from agents.llm.base import LLM
    from agents.production.cut import CutResult
    from agents.review.take_review import TakeCritic
    from generator.base import Generator

__all__ = ["Pending", "Studio"]


@dataclass
class Studio(DeskCalls, PageReads):
    """A production studio over one story memory. Pass ``llm``/``generator``/``critic`` to override the settings."""

    settings: Settings = field(default_factory=load_settings)
    llm: LLM | None = None
    generator: Generator | None = None
    critic: TakeCritic | None = None
    final_generator: Generator | None = None
    """The final tier's renderer (``settings.final_backend`` unless given); see ``promote``."""
    store: Store = field(init=False)

    def __post_init__(self) -> None:
        check_settings(self.settings)  # a wrong backend/LLM/database setting stops here, before anything is made
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.store_url)
        clean_at_start_up(self.settings.home, self._data_roots(), self._exists)  # what deletions and crashes left

    def _data_roots(self) -> tuple[Path, ...]:
        """The folders that hold each project's files (takes, cuts, references, voicings)."""
        home = self.settings.home
        return (self.settings.takes_dir, self.settings.cuts_dir, home / "references", home / "voices")

    def _exists(self, project: str) -> bool:
        try:
            self.store.project(project)
        except (NotFound, InvalidValue):
            return False
        return True

    # ------------------------------------------------------------------ wiring
    def _llm(self, report: LoadReport | None = None) -> LLM:
        if self.llm is None:
            from agents.llm.registry import build_llm

            self.llm = build_llm(self.settings.llm, home=self.settings.home, report=report or no_report)
        return self.llm

    def _generator(self) -> Generator:
        if self.generator is None:
            from agents.shots.clip_limit import generator_options
            from generator.registry import get

            self.generator = get(self.settings.backend, **generator_options(self.settings))
        return self.generator

    def _critic(self) -> TakeCritic:
        if self.critic is None:
            from agents.review.take_review import TakeCritic

            self.critic = TakeCritic(self.store, self.settings, llm=self._llm() if self.settings.critic_llm else None)
        return self.critic

    @property
    def prepared(self) -> bool:
        """Whether the crew's LLM and renderer are loaded (``prepare`` would do nothing)."""
        return self.llm is not None and self.generator is not None

    def prepare(self, report: LoadReport | None = None) -> None:
        """Load the crew's LLM and renderer now unless they are loaded, saying first what that does (converting
        the bundled model on first use takes about a minute; ``agents.studio.warm_up``) and then what the loader
        says as it works — the conversion's step of four, and the share of tensors dequantised where it counts
        them (``agents.llm.bundled.convert_gguf``); the first run would otherwise load them in silence."""
        say = report or no_report
        if self.llm is None:
            from agents.studio.warm_up import loading_message

            say(loading_message(self.settings), None)
            self._llm(say)
        if self.generator is None:
            say(f"preparing the renderer ({self.settings.backend})", None)
            self._generator()

    def deps(self) -> Deps:
        return Deps(store=self.store, llm=self._llm(), settings=self.settings)

    def crew(self) -> Crew:
        return Crew(deps=self.deps(), generator=self._generator(), critic=self._critic())

    @cached_property
    def graph(self) -> CompiledStateGraph[FilmState, Crew, FilmState, FilmState]:
        # Imported here so that commands which only read memory (list, show) stay fast.
        from agents.graph import compile_graph
        from agents.production.checkpoints import open_checkpointer

        return compile_graph(open_checkpointer(self.settings.checkpoints_url))

    @staticmethod
    def _config(project: str) -> RunnableConfig:
        return {"configurable": {"thread_id": project}}

    def _lock(self, project: str) -> AbstractContextManager[None]:
        return project_lock(self.settings.home / "locks", project)

    # ------------------------------------------------------------------ projects
    def new(self, premise: str, *, runtime_s: float = 60.0, style: str = "", title: str = "", owner: str | None = None) -> Project:
        """Start a project from a premise; the premise is the first message of its chat. Nothing runs yet."""
        runtime_s = self.check_runtime(runtime_s)
        from agents.desk.moderation import moderator_for

        # the producer's desk reads the premise first: a refused premise makes no project (docs/moderation.md)
        moderator_for(self.settings, self._llm).enforce(premise, "premise", store=self.store, project=None, home=self.settings.home)
        project = self.store.create_project(premise, title=title, target_runtime_s=runtime_s, style_notes=style, owner=owner)
        self.store.add_message(project.id, "creator", premise)
        return project

    def messages(self, project: str) -> list[ChatMessage]:
        """The project's chat, every crew message labelled by its role."""
        return self.store.messages(project)

    # ------------------------------------------------------------------ running the graph
    def advance(self, project: str, *, reenter: Reentry | None = None) -> Iterator[Event]:
        """Run the project's graph until a person must decide or the film is cut, streaming events.

        A fresh project starts from the top; a run that was killed resumes where it stopped; a finished
        or waiting one does nothing unless ``reenter`` names where the crew should pick up again.
        """
        with self._lock(project):
            self.store.project(project)
            state = self.graph.get_state(self._config(project))
            if not state.values:
                yield from self._stream(project, {"project": project, "reenter": reenter})
            elif state.next and not state.interrupts:
                yield from self._stream(project, None)
            elif reenter is not None and state.interrupts:
                change = CreatorDecision(kind="change", reenter=reenter)
                yield from self._stream(project, Command(resume={state.interrupts[0].id: change.model_dump()}))
            elif reenter is not None:
                yield from self._stream(project, {"project": project, "reenter": reenter, "failure": None})
            yield from self._waiting(project)

    def run(self, project: str, *, reenter: Reentry | None = None, on_event: Callable[[Event], None] | None = None) -> Pending | None:
        """``advance`` to the next stop; returns what is then pending (None when nothing waits)."""
        for event in self.advance(project, reenter=reenter):
            if on_event is not None:
                on_event(event)
        return self.pending(project)

    def _stream(self, project: str, graph_input: Any) -> Iterator[Event]:
        from agents.production.nodes.step import TRANSIENT
        from agents.production.workers import render_workers

        # The shot branches (one Send per shot) run at most render_workers at a time.
        config: RunnableConfig = {**self._config(project), "max_concurrency": render_workers(self.settings)}
        try:
            for chunk in self.graph.stream(
                graph_input, config, context=self.crew(), stream_mode="custom", durability="sync", subgraphs=True
            ):
                _namespace, payload = chunk  # (namespace, the dict a node's stream writer sent)
                yield parse_event(payload)  # type: ignore[arg-type]  # stubs type stream chunks loosely
        except TRANSIENT as exc:
            message = f"the crew lost its connection to the model and stopped; run again to resume ({exc})"
            self.store.add_message(project, "crew", message, data={"failure": "transient"})
            yield FailureEvent(step="transient", message=message)

    def _waiting(self, project: str) -> Iterator[Event]:
        pending = self.pending(project)
        if pending is not None:
            yield WaitingEvent(what=pending.what, items=list(pending.shots))

    def failed_at(self, project: str) -> Reentry | None:
        """The graph node where the last run stopped on a recorded failure (None when it did not fail)."""
        values = self.graph.get_state(self._config(project)).values
        return (values.get("reenter") or "develop") if values.get("failure") else None

    def pending(self, project: str) -> Pending | None:
        """What waits for a person now (None when the graph is running, finished or never started)."""
        state = self.graph.get_state(self._config(project))
        if not state.interrupts:
            return None
        first = state.interrupts[0]
        value = first.value
        if value.get("what") == "plan":
            return Pending(what="plan", interrupt_id=first.id, errors=int(value.get("errors", 0)))
        return Pending(what="shots", interrupt_id=first.id, shots=tuple(value.get("shots", ())))

    def decide(self, project: str, decision: CreatorDecision, *, interrupt_id: str | None = None) -> Iterator[Event]:
        """Record a person's decision and run on to the next stop. ``NotPending`` if it answers nothing waiting."""
        with self._lock(project):
            pending = self.pending(project)
            self._check(pending, decision, interrupt_id)
            assert pending is not None
            yield from self._stream(project, Command(resume={pending.interrupt_id: decision.model_dump(mode="json")}))
            yield from self._waiting(project)

    def check_decision(self, project: str, decision: CreatorDecision) -> Pending:
        """What ``decision`` would answer now; ``NotPending`` when it answers nothing waiting (the API's 409
        before a job is queued: ``decide`` checks again when it runs)."""
        pending = self.pending(project)
        self._check(pending, decision, None)
        assert pending is not None
        return pending

    def decide_all(self, project: str, decision: CreatorDecision, **kwargs: Any) -> Pending | None:
        for _ in self.decide(project, decision, **kwargs):
            pass
        return self.pending(project)

    @staticmethod
    def _check(pending: Pending | None, decision: CreatorDecision, interrupt_id: str | None) -> None:
        if pending is None:
            raise NotPending("nothing waits for a decision on this project right now")
        if interrupt_id is not None and interrupt_id != pending.interrupt_id:
            raise NotPending("this decision answers a question that was already answered")
        if decision.kind == "change":
            return
        if pending.what == "plan" and decision.kind != "approve_plan":
            raise NotPending(f"the plan waits for approval; a {decision.kind!r} decision has nothing to act on yet")
        if pending.what == "shots":
            if decision.kind == "approve_plan":
                raise NotPending("the plan is already approved")
            if decision.shot not in pending.shots:
                raise NotPending(f"shot {decision.shot!r} is not waiting for a decision (waiting: {', '.join(pending.shots) or 'none'})")

    # ------------------------------------------------------------------ chat
    def send(self, project: str, message: str) -> tuple[Routing, list[Event]]:
        """A chat message from the creator: the producer routes it (``agents.crew.producer``), and the
        action of its intent acts on it (``agents.production.chat.ROUTES``)."""
        from agents.crew.producer import Producer
        from agents.desk.moderation import moderator_for
        from agents.production.chat import ROUTES

        # a refused note is neither stored nor routed; the refusal is recorded in the chat (docs/moderation.md)
        moderator_for(self.settings, self._llm).enforce(message, "note", store=self.store, project=project, home=self.settings.home)
        self.store.add_message(project, "creator", message)
        routing = Producer(message).run(self.deps(), project)
        events = list(ROUTES[routing.intent](self, project, routing, message))
        return routing, events

    def reenter(self, project: str, at: Reentry, restage: list[str] | None = None) -> Iterator[Event]:
        """Enter the graph again at ``at`` (from a gate, or after the film was finished)."""
        pending = self.pending(project)
        if pending is not None:
            yield from self.decide(project, CreatorDecision(kind="change", reenter=at, restage=restage or []))
        elif self.graph.get_state(self._config(project)).values:
            with self._lock(project):
                yield from self._stream(project, {"project": project, "reenter": at, "restage": restage or [], "failure": None})
                yield from self._waiting(project)

    # ------------------------------------------------------------------ the cut
    def cut(
        self, project: str, *, out_dir: Path | None = None, allow_unapproved: bool = False, burn_in: bool = False,
        progress: Callable[[float, str], None] | None = None, tier: Literal["draft", "final"] = "draft",
    ) -> CutResult:
        """(Re-)cut the film from the approved takes of ``tier`` (holding the project's lock); see ``agents.production.cut``."""
        from agents.production.cut import cut_with_settings

        with self._lock(project):
            return cut_with_settings(
                self.store, self.settings, project, out_dir=out_dir, allow_unapproved=allow_unapproved, burn_in=burn_in,
                progress=progress, tier=tier,
            )

    # ------------------------------------------------------------------ edits from the studio's pages
    def edit_shot(self, project: str, shot: str, **fields: Any) -> list[Finding]:
        """Save edited fields of one shot (prompt, duration_s, size, characters, or ``staging`` — a list of
        ``StagedCharacter`` placements that keep each character's other keys) and re-check the film's
        grammar; returns every finding (``agents.grammar.findings.Finding``) so the page can show them."""
        from agents.grammar.rules import check
        from agents.shots.edits import take_edited
        from agents.shots.staging import check_staging, restaged
        from memory.shotlist_io import export_shotlist

        if "staging" in fields:  # placements from the shot table: each character keeps its other keys
            placed = [(c.id, c.x, c.facing) for c in fields.pop("staging")]
            fields["characters"] = restaged(self.store.shot(project, shot).characters, placed)
        if "characters" in fields:
            check_staging(shot, fields["characters"])
        if fields:
            before = self.store.shot(project, shot)
            self.store.update_shot(project, shot, **fields)
            take_edited(self.store, project, before)  # its take is stale, the film out of date (agents.shots.edits)
        return check(export_shotlist(self.store, project))

    def reshoot_stale(self, project: str) -> Iterator[Event]:
        """Shoot again the shots whose takes went stale (an edit); each then waits for approval again."""
        from agents.shots.edits import shots_to_reshoot

        shots = shots_to_reshoot(self.store, project)
        if shots:
            yield from self.reenter(project, "dispatch", shots)

    def reopen(self, project: str, shot: str) -> Iterator[Event]:
        """Take back ``shot``'s approval (the board's *Reopen*): its take waits for a decision again and the film
        is out of date until it is cut again."""
        from agents.shots.edits import reopen_shot

        reopen_shot(self.store, project, shot)
        yield from self.reenter(project, "dispatch", [])

    def recut(self, project: str, *, progress: Callable[[float, str], None] | None = None) -> Path:
        """Cut the film again from the approved takes (the Final cut tab's *Re-cut*); the film is current again.
        Raises ``ShotsNotApproved`` while a shot waits for approval."""
        return Path(self.cut(project, progress=progress).video)  # the cut sets the project's status to cut

    def change_look(self, project: str, character: str, change: str) -> Iterator[Event]:
        """A character's look changed (the bible page): restage their shots and re-shoot only those."""
        from agents.shots.restaging import restage_character

        shots = restage_character(self.store, project, character, change)
        if shots:
            yield from self.reenter(project, "dispatch", shots)

    def change_wardrobe(self, project: str, character: str, scene: str, outfit: str) -> Iterator[Event]:
        """``character`` wears ``outfit`` in ``scene`` (the bible page): their shots in that scene are
        re-dressed, get new prompts, and only those are shot again."""
        from agents.shots.restaging import change_wardrobe

        keys = change_wardrobe(self.store, project, character, scene, outfit)
        if keys:
            yield from self.reenter(project, "dispatch", keys)

    def set_reference_image(self, project: str, character: str, image: Path) -> Path:
        """Copy a person's photo or drawing into the data folder as ``character``'s reference image
        (checked and named by its content: ``agents.production.references``)."""
        from agents.production.references import add_reference_image

        return add_reference_image(self.store, self.settings.home, project, character, image)

    def set_voice(
        self, project: str, character: str, *, backend: str | None = None, voice_id: str | None = None,
        pitch: float | None = None, rate: float | None = None, pitch_by: float = 0.0, rate_by: float = 1.0,
        recut: bool = True,
    ) -> CharacterVoice:
        """Change how ``character`` sounds (the bible page, or chat: "give Tom a deeper voice"); only their
        lines are voiced again, and the takes that showed the old voicing go stale with the film out of date
        (``agents.production.revoicing``; ``reshoot_stale`` shoots them again). A film already cut whose takes
        all still hold is re-cut with the new voice."""
        from agents.crew.voices import voice_of
        from agents.production.revoicing import revoice
        from agents.production.voicing import set_voice, voice_cache

        with self._lock(project):
            before = voice_of(self.store.character(project, character))
            voice = set_voice(self.store, project, character, backend=backend, voice_id=voice_id, pitch=pitch,
                              rate=rate, pitch_by=pitch_by, rate_by=rate_by)  # fmt: skip
            revoice(self.store, project, character, voice_cache(self.settings), before=before)
        if recut and self.store.project(project).status == "cut":
            self.cut(project)
        return voice

    def delete_project(self, project: str) -> None:
        """Delete a project: its memory, its graph checkpoints and its takes, cuts and references."""
        from agents.production.housekeeping import delete_project_folders

        with self._lock(project):
            self.store.project(project)
            self.graph.checkpointer.delete_thread(project)  # type: ignore[union-attr]
            self.store.delete_project(project)
            delete_project_folders(project, (self.settings.takes_dir, self.settings.cuts_dir, self.settings.home / "references"))
            remove_lock(self.settings.home / "locks", project)

    # ------------------------------------------------------------------ files
    def import_file(self, path: Path, *, project_id: str | None = None, owner: str | None = None) -> tuple[str, Project]:
        """A new project from a file: a ``.fountain`` screenplay, a story bible ``.json`` or a ``.shots.json``
        shot list. Returns the kind of file read and the project; all or nothing (see ``memory.exchange``)."""
        return exchange.import_path(self.store, path, project_id=project_id, owner=owner)

    def close(self) -> None:
        self.store.close()
