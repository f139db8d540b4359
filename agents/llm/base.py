"""The one interface every LLM backend implements, and the message type it takes.

Why a ``Protocol`` and not a base class: a backend is anything with these two methods (httpx's
one-narrow-extension-point idea), so a test double needs no inheritance and a new backend is one file
plus one line in ``agents/llm/registry.py``.

- ``structured(messages, schema)`` returns a validated instance of ``schema`` or raises a typed
  ``LLMError`` (see ``agents/llm/errors.py`` for what is retried, re-asked, or raised) — never free text.
- ``chat(messages)`` streams plain text, piece by piece, for conversation shown to a person.

Messages are plain ``{"role": ..., "content": ...}`` dicts (what role prompts render to) or ``Message``
models; ``as_dicts`` normalises either into the wire form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal, Protocol, TypedDict, TypeVar, runtime_checkable

from pydantic import BaseModel

from agents.llm.errors import LLMConfigError

Role = Literal["system", "user", "assistant"]
ROLES: tuple[str, ...] = ("system", "user", "assistant")
Schema = TypeVar("Schema", bound=BaseModel)

#: Upper bound of generated tokens when the caller gives none (small models ramble).
DEFAULT_MAX_TOKENS = 1024


class MessageDict(TypedDict):
    role: Role
    content: str


class Message(BaseModel):
    """One chat turn."""

    role: Role
    content: str


Messages = Sequence[Message | Mapping[str, str]]


@runtime_checkable
class LLM(Protocol):
    """A chat model that answers in typed objects or streamed text."""

    name: str

    def structured(self, messages: Messages, schema: type[Schema], *, max_tokens: int = DEFAULT_MAX_TOKENS,
                   temperature: float | None = None) -> Schema:
        """Answer with a valid instance of ``schema`` or raise an ``LLMError``.

        ``temperature``: None answers as the backend is set (greedy by default); above 0 the first try samples
        (the screenwriter's line question after a greedy miss: greedy decoding answers one question one way).
        """
        ...

    def chat(self, messages: Messages) -> Iterator[str]:
        """Answer in free text, yielded in pieces as it is generated."""
        ...


#: Below this many parameters a model answers in small questions (``asks_small_questions``): SmolLM2-135M, the
#: bundled model, recited the story's beats into every line of a whole-scene answer until its token budget ran
#: out (42 s of a 134 s plan, every line then refused); a one-sentence question it answers in about 2 s.
SMALL_MODEL_PARAMETERS = 1_000_000_000


def asks_small_questions(llm: object) -> bool:
    """Whether roles should ask ``llm`` for small parts (one line at a time) rather than whole answers.

    A backend says so with a ``small_model`` attribute (the local transformers backend measures its
    parameter count); one that does not say (a server, a test double) is asked whole answers, which a large
    model writes better: the scene's lines as one exchange, not one question each.
    """
    return bool(getattr(llm, "small_model", False))


def as_dicts(messages: Iterable[Message | Mapping[str, str]]) -> list[MessageDict]:
    """Normalise messages to ``{"role", "content"}`` dicts; a wrong role or a missing field is refused."""
    out: list[MessageDict] = []
    for i, message in enumerate(messages):
        item = message.model_dump() if isinstance(message, Message) else dict(message)
        role, content = item.get("role"), item.get("content")
        if role not in ROLES or not isinstance(content, str):
            raise LLMConfigError(
                f"message {i} must have role in {', '.join(ROLES)} and string content, got role={role!r}"
            )
        out.append({"role": role, "content": content})  # type: ignore[typeddict-item]
    if not out:
        raise LLMConfigError("no messages to send to the LLM")
    return out
