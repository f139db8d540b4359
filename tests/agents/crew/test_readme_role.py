"""The README's "Adding a role" tutorial works as written: its roles (one at the ``plan`` stage, one at the
``edit`` stage) pass the role contract, and once registered they run inside the real compiled production
graph — a ``Studio`` on a scripted LLM and the animatic, from premise to cut — at their stage and in
registry order."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from doubles import CountingGenerator, scripted_crew

from agents.crew.registry import ROLES
from agents.crew.role import Deps
from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio

README = Path(__file__).resolve().parents[3] / "README.md"


def tutorial_blocks() -> list[tuple[str, str]]:
    """(code, prompt) of each role in the tutorial, in the order it shows them."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Adding a role", 1)[1].split("\n## ", 1)[0]
    codes = re.findall(r"```python\n(.*?)```", section, re.S)
    prompts = re.findall(r"```markdown\n(.*?)```", section, re.S)
    assert len(codes) == len(prompts) == 2, "the tutorial shows two roles, each with its code and its prompt"
    return list(zip(codes, prompts, strict=True))


def load_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, prompt: str) -> type:
    name = re.search(r'name = "(\w+)"', code)
    assert name, "a tutorial role lost its name"
    folder = tmp_path / name[1]
    folder.mkdir()
    (folder / f"{name[1]}.py").write_text(code)
    (folder / f"{name[1]}.md").write_text(prompt)
    spec = importlib.util.spec_from_file_location(f"tutorial_{name[1]}", folder / f"{name[1]}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    cls = next(v for v in vars(module).values() if isinstance(v, type) and getattr(v, "name", None) == name[1])
    cls.prompt_dir = folder
    return cls


@pytest.fixture
def tutorial_roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[type, type]:
    sound, tagline = (load_role(tmp_path, monkeypatch, code, prompt) for code, prompt in tutorial_blocks())
    return sound, tagline


def test_tutorial_roles_keep_the_contract(tutorial_roles: tuple[type, type], deps: Deps, planned: str) -> None:
    sound, tagline = tutorial_roles
    assert (sound.stage, tagline.stage) == ("plan", "edit")
    role = sound()
    messages = role.messages(deps, planned)
    first_shot = deps.store.shots(planned)[0]
    assert first_shot.key in messages[1]["content"]
    answer = role.output.model_validate({"shots": [{"shot_id": first_shot.key, "cues": ["rain on glass"]}]})
    role.apply(deps, planned, answer)
    assert role.recall(deps, planned) == answer

    writer = tagline()
    assert deps.store.project(planned).title in writer.messages(deps, planned)[1]["content"]
    line = writer.output.model_validate({"tagline": "The light stays on."})
    writer.apply(deps, planned, line)
    assert writer.recall(deps, planned) == line


@pytest.mark.slow
def test_tutorial_roles_run_in_the_real_graph_once_registered(
    tutorial_roles: tuple[type, type], small_frames: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sound, tagline = tutorial_roles
    monkeypatch.setattr("agents.crew.registry.ROLES", (*ROLES, sound, tagline))  # the tutorial's registry lines
    llm = scripted_crew(
        SoundPlan=[{"shots": [{"shot_id": "s1-01", "cues": ["gulls", "surf"]}]}],
        Tagline=[{"tagline": "Some lights never go out."}],
    )
    studio = Studio(settings=load_settings(), llm=llm, generator=CountingGenerator(tmp_path / "renders.log"))
    project = studio.new("A keeper and her son in a storm", runtime_s=8).id

    pending = studio.run(project)
    assert pending is not None and pending.what == "plan"
    assert studio.store.shot(project, "s1-01").notes["sound_designer"] == ["gulls", "surf"]  # plan stage, before the gate
    schemas = [c.schema for c in llm.calls]
    assert schemas.index("SoundPlan") > schemas.index("Ledger")  # after the shot list is final
    assert "Tagline" not in schemas  # the edit stage has not come yet

    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    schemas = [c.schema for c in llm.calls]
    assert schemas[-2:] == ["CutNotes", "Tagline"]  # the edit stage, in registry order: the editor, then the tutorial's role
    assert [m.content for m in studio.store.messages(project) if m.role == "tagline_writer"] == ["Some lights never go out."]
    assert studio.store.project(project).status == "cut"
