"""What waits for a person in a production: the plan, or shots, and the interrupt that holds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Pending:
    """What waits for a person: the plan, or shots (by id), and the interrupt that holds it."""

    what: Literal["plan", "shots"]
    interrupt_id: str
    shots: tuple[str, ...] = ()
    errors: int = 0
