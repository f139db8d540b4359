"""What a grammar rule reports: a ``Finding`` in plain film language, with a fix a machine can apply.

A finding names its rule (the stable ids of ``docs/shotlist-format.md``), its severity, the shots it is
about (in film order), a message a creator understands without knowing the rule's name, and a fix in
words. ``action`` (and ``alternatives``) say the same fix as data, so the continuity supervisor can
apply it without an LLM (``agents.grammar.fixes``); rules that have no mechanical fix leave it empty.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """Text from a file, safe to print as one terminal line: newlines and control characters become spaces.

    Why: names, ids and costumes come from untrusted files; a newline in a character's name must not
    forge an extra finding line, and an escape sequence must not reach the terminal.
    """
    return _CONTROL.sub(" ", text)

ActionKind = Literal["mirror", "insert_crossing", "reframe", "set_time_of_day", "set_wardrobe", "set_prop", "split"]


class FixAction(BaseModel):
    """One mechanical edit of the shot list.

    - ``mirror``: flip ``shot`` left for right (every ``x`` → ``1 - x``, facings and movements swapped).
    - ``insert_crossing``: put a new shot marked ``crosses_axis`` before ``shot``, showing
      ``characters`` left to right in that order (a single character: a neutral, camera-facing shot).
    - ``reframe``: give ``shot`` the ``size`` and/or ``angle_deg`` named here.
    - ``set_time_of_day``: give ``shot`` the time of day ``value`` (its scene's).
    - ``set_wardrobe``: dress ``character`` in ``shot`` in ``value`` (what they wear in the scene).
    - ``set_prop``: in ``shot``, replace the entry naming the prop of ``value`` (``'lamp: cracked glass'``) by it.
    - ``split``: cut ``shot`` into ``pieces`` consecutive shots of coverage (``agents.grammar.length``).
    """

    model_config = ConfigDict(frozen=True)

    kind: ActionKind
    shot: str = Field(description="Id of the shot the edit applies to (insert_crossing: the new shot goes before it).")
    characters: tuple[str, ...] = Field((), description="insert_crossing: who the new shot shows, left to right.")
    size: str | None = Field(None, description="reframe: the new shot size.")
    angle_deg: float | None = Field(None, description="reframe: the new camera angle.")
    character: str | None = Field(None, description="set_wardrobe: whose costume.")
    value: str | None = Field(None, description="set_time_of_day / set_wardrobe / set_prop: the value to copy in.")
    pieces: int | None = Field(None, ge=2, description="split: how many shots the shot becomes.")


class Finding(BaseModel):
    """One problem in a shot list, explained for a film-maker."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="Stable rule id, e.g. 'axis_180'.")
    severity: Severity
    shots: tuple[str, ...] = Field((), description="Ids of the shots involved, in film order; empty for the whole film.")
    message: str = Field(description="What is wrong, in plain film language.")
    fix: str = Field(description="How to fix it, in words.")
    action: FixAction | None = Field(None, description="The suggested fix as an edit, when it is mechanical.")
    alternatives: tuple[FixAction, ...] = Field((), description="Other mechanical edits that would also fix it.")

    def actions(self) -> tuple[FixAction, ...]:
        """Every mechanical edit that could fix this, preferred first."""
        return ((self.action,) if self.action else ()) + self.alternatives

    def to_json(self) -> dict[str, Any]:
        """The finding as ``dailies check --json`` prints it (the spec's five keys)."""
        return {"rule": self.rule, "severity": self.severity, "shots": list(self.shots), "message": self.message, "fix": self.fix}

    def line(self) -> str:
        """The finding as one line of ``dailies check`` output."""
        where = ",".join(self.shots) if self.shots else "film"
        return one_line(f"{self.severity}: {self.rule} [{where}] {self.message} Fix: {self.fix}")
