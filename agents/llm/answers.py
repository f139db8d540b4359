"""Turning a model's text into a schema instance: extract the JSON, validate it, explain what failed.

Why one module: every backend must treat answers alike. Models (and reasoning parsers that escape the
grammar, see vLLM #57726) wrap JSON in ``<think>…</think>`` blocks, prose or code fences, so the first
complete JSON value in the text is taken, never the whole text. Validation is pydantic's, always on
our side, even when the server promised a constrained answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from agents.llm.base import MessageDict, Schema
from agents.llm.errors import LLMOutputInvalid

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
# strict=False: control characters inside strings are accepted, because xgrammar's length-bounded string
# rule (``maxLength``) admits them although JSON does not; rejecting a grammar-valid answer helps no one.
_DECODER = json.JSONDecoder(strict=False)


class AnswerProblem(Exception):
    """Why an answer is not a schema instance (internal; backends turn it into a re-ask or ``LLMOutputInvalid``)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def extract_json(text: str) -> Any:
    """The first complete JSON object or array in ``text``, after dropping ``<think>`` blocks.

    Raises ``AnswerProblem`` when there is none.
    """
    cleaned = _THINK.sub("", text)
    if "<think>" in cleaned.lower():  # an unclosed reasoning block: the answer, if any, follows it
        cleaned = cleaned[cleaned.lower().rindex("<think>") + len("<think>") :]
    for match in re.finditer(r"[{\[]", cleaned):
        try:
            value, _ = _DECODER.raw_decode(cleaned, match.start())
        except json.JSONDecodeError:
            if _unclosed(cleaned, match.start()):  # cut off: every later bracket is nested inside it
                raise AnswerProblem(["the JSON answer is cut off before its end (too long for max_tokens); answer more briefly"]) from None
            continue
        return value
    snippet = text.strip().replace("\n", " ")[:120]
    raise AnswerProblem([f"the answer contains no complete JSON object: {snippet!r}"])


def _unclosed(text: str, start: int) -> bool:
    """True when the bracket opened at ``start`` is still open at the end of ``text`` (strings respected)."""
    depth, in_string, escaped = 0, False, False
    for char in text[start:]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return False
    return True


def parse_answer(text: str, schema: type[Schema]) -> Schema:
    """Extract and validate; raises ``AnswerProblem`` listing every validation error, one per line."""
    value = extract_json(text)
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        raise AnswerProblem(describe_errors(exc)) from exc


def describe_errors(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(part) for part in err["loc"]) or "(top level)"
        lines.append(f"{where}: {err['msg']}")
    return lines


def reask_messages(messages: list[MessageDict], raw: str, problem: AnswerProblem) -> list[MessageDict]:
    """The conversation plus the bad answer and a request to fix exactly what failed."""
    errors = "\n".join(f"- {line}" for line in problem.errors)
    fix = (
        "Your answer did not match the required JSON schema:\n"
        f"{errors}\n"
        "Reply again with only the corrected JSON object, nothing else."
    )
    return [*messages, {"role": "assistant", "content": raw}, {"role": "user", "content": fix}]


def json_schema_of(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to servers and grammar compilers: pydantic's, with closed objects.

    ``additionalProperties: false`` on every object keeps constrained decoders from inventing keys
    (and is required by strict ``json_schema`` response formats).
    """
    document = schema.model_json_schema()
    for node in schema_nodes(document):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
    return document


def schema_nodes(document: Any) -> Iterator[dict[str, Any]]:
    """Every object node of a JSON schema document, parents first; a caller may change a node it is given."""
    if isinstance(document, dict):
        yield document
        for value in list(document.values()):
            yield from schema_nodes(value)
    elif isinstance(document, list):
        for value in document:
            yield from schema_nodes(value)


def validated_answer(
    generate: Callable[[list[MessageDict]], str], messages: list[MessageDict], schema: type[Schema], *, backend: str
) -> Schema:
    """Ask, validate, and on failure re-ask once with the errors; then ``LLMOutputInvalid``.

    ``generate`` is the backend's own call (it retries transport errors itself, and raises
    ``LLMTimeout``/``LLMUnavailable`` as it must); this function owns the one re-ask.
    """
    raw = generate(messages)
    try:
        return parse_answer(raw, schema)
    except AnswerProblem as problem:
        first = problem
    raw_again = generate(reask_messages(messages, raw, first))
    try:
        return parse_answer(raw_again, schema)
    except AnswerProblem as problem:
        raise LLMOutputInvalid(
            f"{backend}: the answer is not a valid {schema.__name__} even after one re-ask: {problem}",
            raw=raw_again,
            errors=problem.errors,
            schema=schema.__name__,
        ) from None
