"""Background jobs: the crew's long work (planning, rendering, cutting) runs outside Gradio's workers.

Why: a Gradio handler that runs the graph would hold a worker for minutes, and ``cancels=`` cannot stop
a running function (gradio #3758). Here every request that runs the graph (advance, a decision, a chat
message) becomes a *job* on its project's queue: one thread per project with work, jobs run in the
order they were asked for, and each job's events go into the project's *event log*, which the page
polls with a ``gr.Timer``. Nothing here waits for a person: a waiting graph simply ends its job, and
an approval is a new job.

Cancelling sets a flag the runner checks between events; the graph's generator is then closed, which
stops it at its last checkpoint (``durability="sync"``), so ``advance`` later resumes where it stopped.
The log lives in this process only; everything that matters survives in memory and checkpoints.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from agents import Event, FailureEvent, RenderEvent, RoleEvent, TakeEvent, VerdictEvent, WaitingEvent
from ui.studio.steps import Step

log = logging.getLogger(__name__)

#: How many log entries a project keeps (oldest dropped first).
LOG_LIMIT = 400

Work = Callable[[], Iterable[Event | Step]]


@dataclass(frozen=True)
class LogEntry:
    """One line of a project's activity: what happened, said for a person, and which role said it."""

    seq: int
    job: int
    role: str
    text: str
    kind: str
    shot: str = ""
    fraction: float | None = None
    at: float = field(default_factory=time.time)
    step: str = ""
    """The long step (``steps.Step``) this line is about: "the crew's model", "the cut"."""


@dataclass
class Job:
    id: int
    project: str
    label: str
    work: Work
    state: str = "queued"  # queued, running, done, failed, cancelled
    error: str = ""


@dataclass
class _Project:
    queue: deque[Job] = field(default_factory=deque)
    log: deque[LogEntry] = field(default_factory=lambda: deque(maxlen=LOG_LIMIT))
    current: Job | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: dict[str, float] = field(default_factory=dict)
    step: Step | None = None
    thread: threading.Thread | None = None


class JobRunner:
    """Runs each project's jobs in order on one background thread per busy project."""

    def __init__(self, *, expected: tuple[type[BaseException], ...] = (Exception,)) -> None:
        #: Errors a job may end with that are reported in its log instead of crashing the thread.
        self.expected = expected
        self._projects: dict[str, _Project] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)

    def _slot(self, project: str) -> _Project:
        return self._projects.setdefault(project, _Project())

    # ------------------------------------------------------------------ asking for work
    def submit(self, project: str, label: str, work: Work, *, once: bool = False) -> Job:
        """Queue ``work`` (a callable returning the graph's event iterator) on ``project``; returns at once.

        ``once``: when a job with the same label is already queued or running, return it instead of queueing
        another — a double click (or a click the browser sent twice under load) must not reshoot a shot twice,
        which the graph alone cannot tell apart once the first reshoot has made the shot wait again.
        """
        with self._lock:
            slot = self._slot(project)
            if once:
                same = [j for j in (slot.current, *slot.queue) if j is not None and j.label == label]
                if same:
                    return same[0]
            job = Job(id=next(self._ids), project=project, label=label, work=work)
            slot.queue.append(job)
            self._note(slot, job, "studio", f"queued: {label}", "queued")
            if slot.thread is None:
                slot.cancel.clear()
                slot.thread = threading.Thread(target=self._drain, args=(project,), name=f"dailies-job-{project}", daemon=True)
                slot.thread.start()
            return job

    def cancel(self, project: str) -> bool:
        """Stop the running job at its next event and drop queued ones; True if there was anything to stop."""
        with self._lock:
            slot = self._projects.get(project)
            if slot is None or (slot.current is None and not slot.queue):
                return False
            for job in slot.queue:
                job.state = "cancelled"
                self._note(slot, job, "studio", f"cancelled: {job.label}", "cancelled")
            slot.queue.clear()
            if slot.current is not None:
                slot.cancel.set()
            return True

    def forget(self, project: str) -> None:
        """Drop a project's log (after it was deleted)."""
        with self._lock:
            self._projects.pop(project, None)

    # ------------------------------------------------------------------ reading
    def busy(self, project: str) -> bool:
        with self._lock:
            slot = self._projects.get(project)
            return bool(slot and (slot.current is not None or slot.queue))

    def running(self, project: str) -> str:
        """The label of the job running now on ``project`` ('' when idle)."""
        with self._lock:
            slot = self._projects.get(project)
            return slot.current.label if slot and slot.current else ""

    def log(self, project: str, since: int = 0) -> list[LogEntry]:
        with self._lock:
            slot = self._projects.get(project)
            return [e for e in slot.log if e.seq > since] if slot else []

    def progress(self, project: str) -> dict[str, float]:
        """Render progress (0…1) of the shots rendering in the running job."""
        with self._lock:
            slot = self._projects.get(project)
            return dict(slot.progress) if slot else {}

    def step(self, project: str) -> Step | None:
        """The long step the running job is in (loading the model, cutting), ticking once a second; None otherwise."""
        with self._lock:
            slot = self._projects.get(project)
            return slot.step if slot else None

    def wait(self, project: str, timeout_s: float = 60.0) -> bool:
        """Block until ``project`` has no queued or running job (for tests and the command line)."""
        deadline = time.monotonic() + timeout_s
        while self.busy(project) and time.monotonic() < deadline:
            with self._lock:
                slot = self._projects.get(project)
                thread = slot.thread if slot else None
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
            else:
                time.sleep(0.01)
        return not self.busy(project)

    # ------------------------------------------------------------------ the worker
    def _drain(self, project: str) -> None:
        while True:
            with self._lock:
                slot = self._projects.get(project)
                if slot is None or not slot.queue:
                    if slot is not None:
                        # under the lock, so a submit from now on starts a new thread
                        slot.current, slot.thread = None, None
                    return
                job = slot.queue.popleft()
                slot.current, job.state = job, "running"
                slot.progress.clear()
                slot.step = None
                self._note(slot, job, "studio", f"started: {job.label}", "started")
            try:
                self._run(slot, job)
            finally:
                with self._lock:
                    slot.current = None
                    slot.progress.clear()
                    slot.step = None

    def _run(self, slot: _Project, job: Job) -> None:
        events = None
        try:
            events = iter(job.work())
            for event in events:
                if slot.cancel.is_set():
                    job.state = "cancelled"
                    break
                with self._lock:
                    self._record(slot, job, event)
            else:
                job.state = "done"
        except self.expected as exc:
            job.state, job.error = "failed", str(exc)
        except Exception as exc:  # a bug must not leave the project busy for ever: log it, end the job
            log.exception("job %r on %s failed", job.label, job.project)
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()  # stops the graph at its last checkpoint when cancelled
        with self._lock:
            if job.state == "failed":
                self._note(slot, job, "studio", f"could not finish {job.label}: {job.error}", "failed")
            elif job.state == "cancelled":
                self._note(slot, job, "studio", f"stopped: {job.label}", "cancelled")
                slot.cancel.clear()
            else:
                self._note(slot, job, "studio", f"finished: {job.label}", "finished")

    def _record(self, slot: _Project, job: Job, event: Event | Step) -> None:
        if isinstance(event, Step):
            slot.step = None if event.done else event
            if event.said or event.done:  # the once-a-second ticks change the header, not the log
                self._note(slot, job, "studio", event.said_line, "step", fraction=event.fraction, step=event.step)
            return
        role, text, shot, fraction = describe(event)
        if isinstance(event, RenderEvent):
            slot.progress[event.shot] = event.fraction
        elif isinstance(event, TakeEvent):
            slot.progress.pop(event.shot, None)
        self._note(slot, job, role, text, event.kind, shot=shot, fraction=fraction)

    def _note(self, slot: _Project, job: Job, role: str, text: str, kind: str, **extra: Any) -> None:
        slot.log.append(LogEntry(seq=next(self._seq), job=job.id, role=role, text=text, kind=kind, **extra))


def describe(event: Event) -> tuple[str, str, str, float | None]:
    """(role, sentence, shot, fraction) for one graph event, as the chat shows it."""
    if isinstance(event, RoleEvent):
        verb = {"started": "is working…", "finished": "finished", "failed": "failed"}[event.status]
        return event.role, f"{event.role} {verb}" + (f": {event.summary}" if event.summary else ""), "", None
    if isinstance(event, RenderEvent):
        return "camera", f"rendering {event.shot}: {event.fraction:.0%} {event.message}".rstrip(), event.shot, event.fraction
    if isinstance(event, TakeEvent):
        how = "reused an identical take" if event.reused else "new take"
        return "camera", f"{event.shot}: {how} (take #{event.number})", event.shot, 1.0
    if isinstance(event, VerdictEvent):
        why = f" ({'; '.join(event.reasons)})" if event.reasons else ""
        return "critic", f"{event.shot}: {event.verdict}{why}", event.shot, None
    if isinstance(event, WaitingEvent):
        if event.what == "plan":
            return "producer", "the plan waits for your approval", "", None
        return "producer", f"shots wait for your decision: {', '.join(event.items)}", "", None
    if isinstance(event, FailureEvent):
        return "crew", f"{event.step} failed: {event.message}", "", None
    return "editor", f"the film is cut: {PurePath(event.path).name} (watch and download it in the Final cut tab)", "", None
