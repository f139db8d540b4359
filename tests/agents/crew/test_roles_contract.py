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


@pytest.mark.parametrize("cls", ROLES, ids=lambda c: c.name)
def test_every_role_declares_a_stage_the_production_runs(cls: type[Role]) -> None:
    """A role is wired by its stage and its registry line: the stage must be one the production runs."""
    from agents.crew.role import STAGES

    assert cls.stage in STAGES


def test_every_graph_stage_runs_its_registered_roles_in_registry_order() -> None:
    """The core planners are registry lines like any other role: each graph stage finds exactly its roles."""
    from agents.crew.registry import roles_at

    assert [c.name for c in roles_at("develop")] == ["writer"]
    assert [c.name for c in roles_at("write")] == ["screenwriter"]
    assert [c.name for c in roles_at("direct")] == ["director"]
    assert [c.name for c in roles_at("shotlist")] == ["cinematographer"]
    assert [c.name for c in roles_at("continuity")] == ["continuity"]
    assert [c.name for c in roles_at("edit")] == ["editor"]
    assert [c.name for c in roles_at("chat")] == ["producer"] and [c.name for c in roles_at("review")] == ["critic"]
    assert sum(len(roles_at(s)) for s in ("develop", "write", "direct", "shotlist", "continuity", "plan", "edit", "chat", "review")) == len(ROLES)


def test_the_cinematographer_is_built_with_the_continuity_findings() -> None:
    findings = [{"check": "axis", "severity": "error", "message": "crosses the line"}]
    assert role("cinematographer").for_step({"findings": findings}).findings == findings  # type: ignore[attr-defined]
    assert role("writer").for_step({"findings": findings}).name == "writer"
