"""A scripted LLM: replays given answers in order. For orchestration tests only.

Why our own double: langchain's fake chat models raise on structured output, and patching a real
backend hides what the crew asked. This one records every call (``calls``) and validates each
scripted answer against the schema asked for, so a wrong script fails the same way a wrong model does
(``LLMOutputInvalid``). Running out of answers is ``LLMScriptExhausted``, naming the schema asked for.

Answers are objects (dicts), JSON text or pydantic instances, either one sequence for every request,
or a queue per schema name (``{"StoryDevelopment": [...], "ShotPlan": [...]}``). Chat replies are a
separate list of strings. ``scripted:FILE.json`` loads the same shapes from a file:

    [ {...}, {...} ]                                      one sequence
    {"answers": {"StoryDevelopment": [{...}]}, "chat": ["Hello."]}   per schema, plus chat replies
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from agents.llm.answers import AnswerProblem, parse_answer
from agents.llm.base import DEFAULT_MAX_TOKENS, MessageDict, Messages, Schema, as_dicts
from agents.llm.errors import LLMConfigError, LLMOutputInvalid, LLMScriptExhausted

Answer = Mapping[str, Any] | Sequence[Any] | str | BaseModel


@dataclass(frozen=True)
class Call:
    """One request the double received."""

    messages: list[MessageDict]
    schema: str | None  # None for chat
    max_tokens: int | None
    temperature: float | None = None  # None: the backend's own setting


class ScriptedLLM:
    """Replays ``answers`` (one sequence, or a queue per schema name) and ``chat`` replies in order."""

    def __init__(self, answers: Sequence[Answer] | Mapping[str, Sequence[Answer]] = (), *, chat: Sequence[str] = ()) -> None:
        self.name = "scripted"
        self._sequence: deque[Answer] | None = None
        self._by_schema: dict[str, deque[Answer]] = {}
        if isinstance(answers, Mapping):
            self._by_schema = {str(name): deque(items) for name, items in answers.items()}
        else:
            self._sequence = deque(answers)
        self._chat: deque[str] = deque(chat)
        self.calls: list[Call] = []
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | Path) -> ScriptedLLM:
        path = Path(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise LLMConfigError(f"scripted LLM file not found: {path}") from exc
        except (OSError, ValueError) as exc:
            raise LLMConfigError(f"scripted LLM file {path} is not readable JSON: {exc}") from exc
        if isinstance(document, list):
            return cls(document)
        if isinstance(document, dict) and set(document) <= {"answers", "chat"}:
            answers = document.get("answers", [])
            chat = document.get("chat", [])
            if isinstance(answers, list | dict) and isinstance(chat, list) and all(isinstance(c, str) for c in chat):
                return cls(answers, chat=chat)
        raise LLMConfigError(
            f"scripted LLM file {path} must hold a JSON list of answers, or an object with 'answers' "
            "(a list, or lists keyed by schema name) and 'chat' (a list of strings)"
        )

    def remaining(self) -> int:
        queued = len(self._sequence) if self._sequence is not None else sum(len(q) for q in self._by_schema.values())
        return queued + len(self._chat)

    # -- the protocol ------------------------------------------------------------------------------

    def structured(self, messages: Messages, schema: type[Schema], *, max_tokens: int = DEFAULT_MAX_TOKENS,
                   temperature: float | None = None) -> Schema:
        with self._lock:
            self.calls.append(Call(as_dicts(messages), schema.__name__, max_tokens, temperature))
            queue = self._sequence if self._sequence is not None else self._by_schema.get(schema.__name__)
            if not queue:
                raise LLMScriptExhausted(f"the scripted LLM has no answer left for a {schema.__name__} request")
            answer = queue.popleft()
        raw = answer.model_dump_json() if isinstance(answer, BaseModel) else answer if isinstance(answer, str) else json.dumps(answer)
        try:
            return parse_answer(raw, schema)
        except AnswerProblem as problem:
            raise LLMOutputInvalid(
                f"scripted answer is not a valid {schema.__name__}: {problem}", raw=raw, errors=problem.errors, schema=schema.__name__
            ) from None

    def chat(self, messages: Messages) -> Iterator[str]:
        with self._lock:
            self.calls.append(Call(as_dicts(messages), None, None))
            if not self._chat:
                raise LLMScriptExhausted("the scripted LLM has no chat reply left")
            reply = self._chat.popleft()
        for i, word in enumerate(reply.split(" ")):
            yield word if i == 0 else " " + word
