"""The README's "Adding a role" tutorial works as written: its code and prompt pass the role contract
and its role runs in the production graph's extra-roles step."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from agents.crew.registry import ROLES
from agents.crew.role import Deps
from agents.llm.scripted import ScriptedLLM

README = Path(__file__).resolve().parents[3] / "README.md"


def tutorial_blocks() -> tuple[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Adding a role", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    prompt = re.search(r"```markdown\n(.*?)```", section, re.S)
    assert code and prompt, "the tutorial lost its code or its prompt block"
    return code.group(1), prompt.group(1)


@pytest.fixture
def sound_designer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> type:
    code, prompt = tutorial_blocks()
    (tmp_path / "sound_designer.py").write_text(code)
    (tmp_path / "sound_designer.md").write_text(prompt)
    spec = importlib.util.spec_from_file_location("tutorial_sound_designer", tmp_path / "sound_designer.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    cls = module.SoundDesigner
    cls.prompt_dir = tmp_path
    return cls


def test_tutorial_role_keeps_the_contract(sound_designer: type, deps: Deps, planned: str) -> None:
    role = sound_designer()
    messages = role.messages(deps, planned)
    first_shot = deps.store.shots(planned)[0]
    assert first_shot.key in messages[1]["content"]
    answer = role.output.model_validate({"shots": [{"shot_id": first_shot.key, "cues": ["rain on glass"]}]})
    role.apply(deps, planned, answer)
    assert role.recall(deps, planned) == answer


def test_tutorial_role_runs_in_the_graph_once_registered(sound_designer: type, deps: Deps, planned: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.production.nodes import planning
    from agents.production.state import Crew

    monkeypatch.setattr("agents.crew.registry.ROLES", (*ROLES, sound_designer))
    shot = deps.store.shots(planned)[1].key
    llm = ScriptedLLM({"SoundPlan": [{"shots": [{"shot_id": shot, "cues": ["gulls", "surf"]}]}]})
    crew = Crew(deps=Deps(deps.store, llm, deps.settings), generator=None)

    class Runtime:
        context = crew

    assert planning.extras({"project": planned}, Runtime()) == {"failure": None}  # type: ignore[arg-type]
    assert deps.store.shot(planned, shot).notes["sound_designer"] == ["gulls", "surf"]
    assert [c.schema for c in llm.calls] == ["SoundPlan"]
