"""The running job's progress in one line for the header: which planning role works, shots shot of N, an ETA.

Why from the job log and the board only: both are what the page already reads each poll; the log says when the
job started, which roles started and finished and which takes came in, the board says which shots still have no
usable take. The ETA is the job's own pace (seconds per take so far × shots left), so it needs one finished take
first and says nothing before. (A whole-film progress/ETA read model for long films is being built in ``agents``
by another helper; this line is the page's view of the running job only.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from agents import ShotView
from ui.studio.jobs import LogEntry
from ui.studio.steps import duration_text

#: The shot states that still need a take.
UNSHOT = ("planned", "stale", "failed")


@dataclass(frozen=True)
class JobProgress:
    roles_done: tuple[str, ...]
    working: str
    takes: int
    left: int
    eta_s: float | None

    @property
    def line(self) -> str:
        parts = []
        if self.working:
            parts.append(f"{self.working} is working" + (f" (done: {', '.join(self.roles_done)})" if self.roles_done else ""))
        if self.takes or (self.left and not self.working):
            parts.append(f"{self.takes} of {self.takes + self.left} shots shot")
        if self.eta_s is not None and self.left:
            parts.append(f"about {duration_text(max(1.0, self.eta_s))} left")
        return " · ".join(parts)


def job_progress(log: list[LogEntry], shots: tuple[ShotView, ...], *, now: float | None = None) -> JobProgress | None:
    """The progress of the newest started job in ``log`` (None when no job has started)."""
    start = next((e for e in reversed(log) if e.kind == "started"), None)
    if start is None:
        return None
    mine = [e for e in log if e.job == start.job and e.seq >= start.seq]
    roles: dict[str, str] = {}
    for entry in mine:
        if entry.kind == "role":
            roles[entry.role] = "working" if entry.text.endswith("is working…") else "done"
    takes = len({e.shot for e in mine if e.kind == "take"})
    left = sum(s.state in UNSHOT for s in shots)
    eta = None
    if takes:
        elapsed = (now if now is not None else time.time()) - start.at
        eta = elapsed / takes * left
    working = next((r for r, state in reversed(list(roles.items())) if state == "working"), "")
    return JobProgress(tuple(r for r, s in roles.items() if s == "done"), working, takes, left if takes or left else 0, eta)

