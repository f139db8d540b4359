"""The shape of a role's answer, described from its schema: what a prompt shows instead of a filled example.

Why: a small model copies any concrete example it is shown (the editor's "THE KEEPER" came back as every
film's title card). Roles whose answer cannot be built from the creator's own project show this instead:
each field's name, type and description, with nothing in it worth copying. A model that copies the shape
anyway writes ``<text: ...>``, which the fidelity checks refuse as a placeholder.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

JsonSchema = dict[str, object]


def describe(model: type[BaseModel]) -> str:
    """One JSON-like line per answer: ``{"title_card": "<text, at most 60 characters: …>"}``."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    assert isinstance(defs, dict)
    return json.dumps(_shape(schema, defs), ensure_ascii=False)


def _resolve(node: JsonSchema, defs: dict[str, JsonSchema]) -> JsonSchema:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return defs[ref.rsplit("/", 1)[-1]]
    any_of = node.get("anyOf")
    if isinstance(any_of, list):  # Optional[X]: describe X
        present = [n for n in any_of if isinstance(n, dict) and n.get("type") != "null"]
        if present:
            return {**_resolve(present[0], defs), **{k: v for k, v in node.items() if k in ("description",)}}
    return node


def _shape(node: JsonSchema, defs: dict[str, JsonSchema]) -> object:
    node = _resolve(node, defs)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        assert isinstance(props, dict)
        return {name: _shape(sub, defs) for name, sub in props.items()}
    if kind == "array":
        items = node.get("items", {})
        return [_shape(items if isinstance(items, dict) else {}, defs)]
    return f"<{_words(node)}>"


def _words(node: JsonSchema) -> str:
    kind = node.get("type")
    enum = node.get("enum")
    if isinstance(enum, list):
        text = "one of " + ", ".join(str(e) for e in enum)
    elif kind == "string":
        limit = node.get("maxLength")
        text = f"text, at most {limit} characters" if limit else "text"
    elif kind in ("integer", "number"):
        text = "a number"
    elif kind == "boolean":
        text = "true or false"
    else:
        text = "a value"
    description = node.get("description")
    return f"{text}: {description}" if description else text
