"""What a person can decide when the graph waits: the value the studio resumes an approval gate with."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

Reentry = Literal["develop", "write", "direct", "shotlist", "dispatch"]


class CreatorDecision(BaseModel):
    """One decision at an approval gate.

    - ``approve_plan``: the plan is good, start shooting.
    - ``approve`` a shot's newest take; ``reshoot`` it (with a note that goes into its prompt);
      ``edit`` its prompt and re-render; ``revert`` to an earlier take (``take_id``).
    - ``change``: the story or a look changed in chat; re-enter the graph at ``reenter``, re-shooting
      ``restage`` when re-entering at ``dispatch``.
    """

    kind: Literal["approve_plan", "approve", "reshoot", "edit", "revert", "change"]
    shot: str | None = None
    note: str = Field("", max_length=2000)
    prompt: str | None = Field(None, max_length=4000)
    take_id: int | None = None
    reenter: Reentry | None = None
    restage: list[str] = Field(default_factory=list)
    by: str = "creator"

    @model_validator(mode="after")
    def _complete(self) -> CreatorDecision:
        if self.kind in {"approve", "reshoot", "edit", "revert"} and not self.shot:
            raise ValueError(f"a {self.kind!r} decision names the shot it is about")
        if self.kind == "edit" and not (self.prompt and self.prompt.strip()):
            raise ValueError("an 'edit' decision carries the new prompt")
        if self.kind == "revert" and self.take_id is None:
            raise ValueError("a 'revert' decision names the take to go back to (take_id)")
        if self.kind == "change" and self.reenter is None:
            raise ValueError("a 'change' decision names where the crew picks up (reenter)")
        return self
