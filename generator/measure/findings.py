"""What a measurement reports: a ``Finding`` names one check that a take did not pass.

A finding is a fact about frames (which check, which frames, the measured value and the threshold it
crossed), not an opinion: the critic's policy (``agents.review.policy``) turns findings into a verdict.
Check ids are stable strings: the CLI's JSON, the Review rows in memory and the policy's prompt notes all
key on them, so renaming one is a breaking change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CheckId = Literal["duration", "black_frames", "blown_out", "frozen", "flicker", "color_jump", "identity", "prompt_adherence"]

#: Every check id, in the order the checks run and findings are listed.
CHECK_IDS: tuple[CheckId, ...] = (
    "duration", "black_frames", "blown_out", "frozen", "flicker", "color_jump", "identity", "prompt_adherence",
)  # fmt: skip

Severity = Literal["fail", "warn"]


class Finding(BaseModel):
    """One check that a take did not pass, located in its frames."""

    model_config = {"frozen": True}

    check: CheckId = Field(description="Stable id of the check, e.g. 'flicker'.")
    severity: Severity = Field(description="'fail' rejects the take; 'warn' is shown but does not reject it.")
    frames: tuple[int, int] = Field(description="First and last frame (0-based, inclusive) the finding covers.")
    value: float = Field(description="The measured value (units per check; see the README's table).")
    threshold: float = Field(description="The threshold the value crossed.")
    message: str = Field(description="One sentence for people: what is wrong, where, by how much.")

    @property
    def fails(self) -> bool:
        return self.severity == "fail"


def fails_take(findings: list[Finding]) -> bool:
    """True when at least one finding rejects the take."""
    return any(f.fails for f in findings)


def frame_runs(mask: list[bool] | tuple[bool, ...], *, max_gap: int = 0) -> list[tuple[int, int]]:
    """Runs of True in ``mask`` as (first, last) pairs, joining runs separated by at most ``max_gap`` False."""
    runs: list[tuple[int, int]] = []
    for i, flagged in enumerate(mask):
        if not flagged:
            continue
        if runs and i - runs[-1][1] - 1 <= max_gap:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
