"""Bounds a JSON schema's strings and arrays, so a looping model's answer still ends inside its token budget.

Why: a small model loops inside a string ("l-l-l-…", "I was soaked. I was soaked. …") until ``max_tokens``
cuts the answer off, and a cut-off answer does not parse. Every backend that constrains decoding by a
schema (the local transformers one through xgrammar, an OpenAI-compatible server's ``json_schema``
response format) sends ``bounded`` schemas, and a re-ask after a cut-off sends ``fitted`` ones.
Validation afterwards uses the schema as written.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from agents.llm.answers import schema_nodes

#: Where a schema sets no bound, the grammar still stops strings and arrays here.
DEFAULT_STRING_MAX = 240
DEFAULT_ARRAY_MAX = 32


def bounded(schema: dict[str, Any], *, string_max: int = DEFAULT_STRING_MAX, array_max: int = DEFAULT_ARRAY_MAX) -> dict[str, Any]:
    """A copy of ``schema`` where every unbounded string and array gets the default upper bound."""
    document = copy.deepcopy(schema)

    for node in schema_nodes(document):
        kind = node.get("type")
        # Not beside a pattern: xgrammar cannot combine the two (locally a warning, through vLLM an HTTP 400).
        if kind == "string" and not {"enum", "const", "format", "pattern"} & node.keys():
            node.setdefault("maxLength", string_max)
        if kind == "array":
            node.setdefault("maxItems", array_max)
    return document


def fitted(schema: dict[str, Any], max_tokens: int, *, chars_per_token: float = 1.0, floor: int = 4) -> dict[str, Any]:
    """A copy of ``schema`` whose lists and strings are bounded so a worst-case answer fits ``max_tokens``.

    Used for the re-ask after a cut-off answer: small models loop inside strings ("l-l-l-…") at one or
    two characters a token. At one character a token (no token of ASCII text is shorter) the longest
    answer the grammar allows fits the budget, so the re-ask is not cut off again: terse beats invalid.
    Lists shrink to the fewest items the schema allows, then strings share what room is left.
    """
    document = copy.deepcopy(schema)
    definitions = document.get("$defs", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref", "")
        return definitions.get(ref.rsplit("/", 1)[-1], node) if ref.startswith("#/$defs/") else node

    def worst(node: Any, depth: int = 0) -> tuple[float, float]:
        """(characters inside free strings, other characters) of the longest answer."""
        if not isinstance(node, dict) or depth > 20:
            return 0.0, 8.0
        node = resolve(node)
        if "anyOf" in node:
            options = [worst(option, depth + 1) for option in node["anyOf"]]
            return max(options, key=sum)
        if "enum" in node or "const" in node:
            return 0.0, max((len(json.dumps(v)) for v in node.get("enum", [node.get("const")])), default=4)
        kind = node.get("type")
        if kind == "string":
            return (float(node["maxLength"]), 2.0) if "maxLength" in node and "pattern" not in node else (0.0, 24.0)
        if kind == "array":
            inner = worst(node.get("items", {}), depth + 1)
            count = node.get("maxItems", DEFAULT_ARRAY_MAX)
            return inner[0] * count, inner[1] * count + count + 2
        if kind == "object":
            strings, other = 0.0, 2.0
            for key, value in node.get("properties", {}).items():
                inner = worst(value, depth + 1)
                strings, other = strings + inner[0], other + inner[1] + len(key) + 4
            return strings, other
        return 0.0, 12.0

    strings, other = worst(document)
    if strings + other <= max_tokens * chars_per_token:
        return document

    for node in schema_nodes(document):  # lists as short as the schema allows (at least one item)
        if node.get("type") == "array":
            node["maxItems"] = max(node.get("minItems", 0), 1)
    strings, other = worst(document)
    room = max_tokens * chars_per_token - other
    factor = 1.0 if strings <= 0 else min(1.0, max(room, 0.0) / strings)
    if factor >= 1.0:
        return document

    for node in schema_nodes(document):
        if node.get("type") == "string" and "maxLength" in node and "pattern" not in node:
            node["maxLength"] = max(min(floor, node["maxLength"]), int(node["maxLength"] * factor))
    return document
