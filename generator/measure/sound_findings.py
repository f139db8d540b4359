"""What the critic's listening checks report: a ``SoundFinding`` locates a problem in seconds, not frames.

Why a model beside ``findings.Finding``: a take's findings are located in video frames and their check ids
are a closed list the review policy keys on; the sound checks (``speech``, ``clipping``) run on the mix and
its stems, whose natural unit is the second. Folding these ids into ``CHECK_IDS`` (and the reshoot ladder's
"re-voice before re-render") is the integration step that follows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SoundCheckId = Literal["speech", "clipping"]

#: Every sound check id, in the order they run.
SOUND_CHECK_IDS: tuple[SoundCheckId, ...] = ("speech", "clipping")


class SoundFinding(BaseModel):
    """One sound check that did not pass, located in seconds."""

    model_config = {"frozen": True}

    check: SoundCheckId = Field(description="Stable id of the check: 'speech' or 'clipping'.")
    severity: Literal["fail", "warn"] = Field(
        description="'fail' rejects the mix or the voicing; 'warn' is shown only."
    )
    span_s: tuple[float, float] = Field(description="Start and end of the problem, seconds from the start.")
    value: float = Field(description="The measured value (units per check; see the README's Sound table).")
    threshold: float = Field(description="The threshold the value crossed.")
    message: str = Field(description="One sentence for people: what is wrong, where, by how much.")
    cue: int | None = Field(
        None, description="Index of the planned dialogue cue at fault, when there is one."
    )

    @property
    def fails(self) -> bool:
        return self.severity == "fail"
