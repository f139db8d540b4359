"""A long step that is not a graph event (loading the crew's model, cutting the film) as progress the page shows.

Why: loading the bundled model converts it on first use (about a minute on two busy CPU cores) and a cut voices,
mixes and encodes (tens of seconds); both were one silent "Working" line. ``run_step`` runs such a step on a thread
and yields a ``Step`` whenever it says what it does (with its fraction when it knows one) and once a second
between, with the seconds spent — so the job runner can show a ticking line and can stop the job between two
steps. The step's own work cannot be interrupted: a cancelled job lets it finish on its (daemon) thread.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from agents import Studio

T = TypeVar("T")

#: The long steps, as the header, the chat and ``/api/v1`` name them, and what the cut does before ffmpeg counts.
MODEL_STEP = "the crew's model"
CUT_STEP = "the cut"
CUT_FIRST = "voicing the lines and mixing the sound"

#: How often a running step reports the seconds spent when it says nothing new.
HEARTBEAT_S = 1.0

Report = Callable[[str, float | None], None]
"""What a step calls to say what it does now: (message, fraction 0…1 or None when unknown)."""


@dataclass(frozen=True)
class Step:
    """Where a long step stands: its name, what it does now, its fraction if known, the seconds spent."""

    step: str
    """What the step is, as a noun: "the crew's model", "the cut"."""
    message: str
    fraction: float | None = None
    elapsed_s: float = 0.0
    said: bool = True
    """True when the step says something new (the log keeps it); False for a tick: a second passed, or only the
    fraction moved."""
    done: bool = False
    kind: Literal["step"] = "step"

    @property
    def line(self) -> str:
        """The header's words: "converting the bundled model · 12 s", with the fraction when known."""
        if self.done:
            return f"{self.step}: done in {duration_text(self.elapsed_s)}"
        return f"{self.said_line} · {duration_text(self.elapsed_s)}"

    @property
    def said_line(self) -> str:
        """The log's words: what the step does now, without the seconds (they would be stale in the chat)."""
        if self.done:
            return self.line
        share = f" {self.fraction:.0%}" if self.fraction is not None else ""
        return f"{self.step}: {self.message}{share}"


def run_step(step: str, work: Callable[[Report], T], *, first: str = "") -> Generator[Step, None, T]:
    """Run ``work(report)`` on a thread, yielding ``Step``s as it reports and once every ``HEARTBEAT_S``;
    returns what ``work`` returned (``result = yield from run_step(…)``) or raises what it raised."""
    started = time.monotonic()
    said: queue.Queue[tuple[str, float | None]] = queue.Queue()
    outcome: dict[str, object] = {}

    def report(message: str, fraction: float | None = None) -> None:
        said.put((message, fraction))

    def target() -> None:
        try:
            outcome["value"] = work(report)
        except BaseException as exc:  # handed to the job's thread, which raises it there
            outcome["error"] = exc

    thread = threading.Thread(target=target, name=f"dailies-step-{step}", daemon=True)
    message, fraction = first or "starting", None
    yield Step(step, message, elapsed_s=0.0)
    thread.start()
    while thread.is_alive() or not said.empty():
        try:
            now, fraction = said.get(timeout=HEARTBEAT_S)
        except queue.Empty:
            now = message
        new, message = now != message, now
        yield Step(step, message, fraction, time.monotonic() - started, said=new)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    yield Step(step, "done", 1.0, time.monotonic() - started, done=True)
    return outcome["value"]  # type: ignore[return-value]


def duration_text(seconds: float) -> str:
    """Seconds as a person reads them: "12 s", "2 min 05 s"."""
    whole = max(0, round(seconds))
    return f"{whole} s" if whole < 90 else f"{whole // 60} min {whole % 60:02d} s"


def crew_work(studio: Studio, work: Callable[[], Iterable[T]]) -> Callable[[], Iterator[T | Step]]:
    """``work`` (the crew's events), preceded — when the crew's model and renderer are not loaded yet — by loading
    them as the ``MODEL_STEP`` step, with the loader's own words and count (``Studio.prepare``); without it the first
    role would load them in silence. The studio page's jobs and ``/api/v1``'s both start this way."""

    def run() -> Iterator[T | Step]:
        if not studio.prepared:
            yield from run_step(MODEL_STEP, studio.prepare)
        yield from work()

    return run
