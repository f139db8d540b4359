"""The contract every crew role keeps: its prompt renders with its inputs, and its answer round-trips through memory."""

from __future__ import annotations

import pytest

from agents.crew.registry import ROLES, role
from agents.crew.role import Deps, Role, render_prompt
from agents.errors import PromptError


def make(cls: type[Role], deps: Deps, project: str) -> Role:
    if cls.name == "producer":
        return cls("make Mara's scarf blue")  # type: ignore[call-arg]
    if cls.name == "critic":
        return cls(shot=deps.store.shots(project)[0].key, findings=[{"check": "frozen", "message": "frozen for 1.2 s"}])  # type: ignore[call-arg]
    return cls()


@pytest.mark.parametrize("cls", ROLES, ids=lambda c: c.name)
def test_prompt_renders_with_the_roles_inputs(cls: type[Role], deps: Deps, planned: str) -> None:
    messages = make(cls, deps, planned).messages(deps, planned)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert all(m["content"].strip() for m in messages)
    assert "{{" not in messages[1]["content"] and "{%" not in messages[1]["content"]


@pytest.mark.parametrize("cls", ROLES, ids=lambda c: c.name)
def test_answer_round_trips_through_memory(cls: type[Role], deps: Deps, planned: str) -> None:
    r = make(cls, deps, planned)
    answer = r.example()
    r.apply(deps, planned, answer)
    assert r.recall(deps, planned) == answer  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", ROLES, ids=lambda c: c.name)
def test_output_schema_is_bounded_for_small_models(cls: type[Role]) -> None:
    """Every list and string in an answer has an upper bound, so a small model cannot ramble forever."""
    schema = cls.output.model_json_schema()

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                assert "maxItems" in node, f"{cls.name}: {path} has no maxItems"
            if node.get("type") == "string" and "enum" not in node and "const" not in node:
                assert "maxLength" in node or "pattern" in node, f"{cls.name}: {path} has no maxLength"
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{path}[{n}]")

    walk(schema, cls.name)


def test_role_names_are_unique_and_have_prompt_files() -> None:
    names = [cls.name for cls in ROLES]
    assert len(names) == len(set(names))
    for name in names:
        assert role(name).name == name
    with pytest.raises(KeyError, match="no role 'gaffer'"):
        role("gaffer")


def test_a_missing_prompt_variable_is_a_prompt_error() -> None:
    with pytest.raises(PromptError, match="premise"):
        render_prompt("writer", {"goal": "x", "example": "{}", "runtime_s": 30, "beats": 2, "style": "", "notes": []})


def test_premise_text_cannot_inject_template_code(deps: Deps) -> None:
    project = deps.store.create_project("{{ 7 * 7 }} {% for x in range(3) %}boom{% endfor %}").id
    text = role("writer")().messages(deps, project)[1]["content"]
    assert "{{ 7 * 7 }}" in text and "49" not in text and "boomboom" not in text
