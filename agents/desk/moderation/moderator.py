"""The moderator: the layers in order, a refusal as a typed error, and its record.

Layers run cheapest first and stop at the first refusal: the rules (always), the LLM judge (when a capable
LLM is configured, ``judge.capable``), the endpoint (when ``moderation_url`` is set). Each layer's time is
kept, so ``bench/moderation.py`` can say what each one adds.

A refusal is recorded without the refused text: in the project's chat as a producer message whose data
names the category, the layer and what was refused; a refused premise has no project yet, so it goes to
the installation's ``HOME/moderation/refusals.jsonl``. Then ``ContentRefused`` is raised.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from agents.desk.moderation.endpoint import ModerationEndpoint
from agents.desk.moderation.judge import Judge, capable
from agents.desk.moderation.policy import Layer, Verdict, What, refusal_message
from agents.desk.moderation.rules import check_rules
from agents.errors import ContentRefused
from agents.llm.base import LLM
from agents.settings import Settings
from memory.store import Store


class Checker(Protocol):
    def check(self, text: str) -> Verdict: ...


@dataclass(frozen=True)
class Review:
    """The verdict on one text and the seconds each layer that ran took."""

    verdict: Verdict
    seconds: dict[Layer, float]


@dataclass
class Moderator:
    """Rules, then the optional judge, then the optional endpoint."""

    judge: Judge | None = None
    endpoint: ModerationEndpoint | None = None
    layers: tuple[Layer, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.layers = ("rules", *(("judge",) if self.judge else ()), *(("endpoint",) if self.endpoint else ()))

    @classmethod
    def from_settings(cls, settings: Settings, llm: LLM | None = None) -> Moderator:
        """The layers this installation has: the judge only with a capable LLM, the endpoint only when set."""
        judge = Judge(llm) if llm is not None and capable(settings.llm) else None
        endpoint = ModerationEndpoint(settings.moderation_url) if settings.moderation_url else None
        return cls(judge=judge, endpoint=endpoint)

    def review(self, text: str, what: What) -> Review:
        seconds: dict[Layer, float] = {}
        verdict = Verdict(allowed=True, layer="rules")
        for layer in self.layers:
            started = time.perf_counter()
            if layer == "rules":
                verdict = check_rules(text)
            elif layer == "judge" and self.judge is not None:
                verdict = self.judge.check(text, what)
            elif layer == "endpoint" and self.endpoint is not None:
                verdict = self.endpoint.check(text)
            seconds[layer] = time.perf_counter() - started
            if not verdict.allowed:
                break
        return Review(verdict=verdict, seconds=seconds)

    def enforce(self, text: str, what: What, *, store: Store, project: str | None, home: Path) -> None:
        """Raise ``ContentRefused`` (after recording it) when ``text`` is refused; return when it may go on."""
        verdict = self.review(text, what).verdict
        if verdict.allowed:
            return
        record = {"refused": what, "category": verdict.category, "layer": verdict.layer}
        if project is not None:
            store.add_message(project, "producer", refusal_message(verdict, what, with_reason=False), data={"moderation": record})
        else:
            log = home / "moderation" / "refusals.jsonl"
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps({**record, "at": datetime.now(UTC).isoformat()}) + "\n")
        raise ContentRefused(refusal_message(verdict, what), category=str(verdict.category), layer=verdict.layer, what=what)


def moderator_for(settings: Settings, llm: Callable[[], LLM | None]) -> Moderator:
    """The installation's moderator. ``llm`` is called only when the configured LLM may judge (``capable``),
    so a studio on the bundled model never loads it for moderation."""
    return Moderator.from_settings(settings, llm() if capable(settings.llm) else None)
