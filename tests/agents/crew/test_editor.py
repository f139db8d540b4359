"""The editor's cards are this film's: another film's title card or end card never reaches the cut."""

from __future__ import annotations

from pathlib import Path

from agents.crew.editor import Editor
from agents.crew.role import Deps
from agents.llm.scripted import ScriptedLLM
from agents.settings import load_settings
from memory.store import Store

PREMISE = "Two kids build a raft to cross a flooded village after a storm"


def _run(tmp: Path, cards: dict[str, str]) -> tuple[Deps, str]:
    deps = Deps(store=Store.at(tmp / "memory.db"), llm=ScriptedLLM({"CutNotes": [cards]}), settings=load_settings())
    project = deps.store.create_project(PREMISE, target_runtime_s=30).id
    deps.store.update_project(project, title="The Raft", logline="Two kids build a raft to cross their flooded village.")
    Editor().run(deps, project)
    return deps, project


def test_the_old_example_cards_are_replaced_by_the_films_title_and_said(tmp_path: Path) -> None:
    deps, project = _run(tmp_path, {"title_card": "THE KEEPER", "end_card": "The light stays on."})
    cards = deps.store.project(project).extra["editor"]
    assert cards == {"title_card": "The Raft", "end_card": ""}
    chat = " ".join(m.content for m in deps.store.messages(project) if m.role == "crew")
    assert "the editor's title card came from the premise template" in chat
    assert "the editor's end card was removed" in chat


def test_the_models_own_cards_are_kept(tmp_path: Path) -> None:
    deps, project = _run(tmp_path, {"title_card": "THE RAFT", "end_card": "The water went down by morning."})
    assert deps.store.project(project).extra["editor"] == {"title_card": "THE RAFT", "end_card": "The water went down by morning."}
    assert deps.store.project(project).extra["provenance"]["editor"]["model_share"] == 1.0


def test_the_prompt_shows_the_answers_shape_not_another_films_cards(tmp_path: Path) -> None:
    deps, project = _run(tmp_path, {"title_card": "THE RAFT", "end_card": ""})
    prompt = " ".join(m["content"] for m in Editor().messages(deps, project))
    assert "KEEPER" not in prompt and "light stays on" not in prompt
    assert '"title_card": "<text, at most 60 characters' in prompt


def test_an_end_card_that_only_repeats_the_title_is_left_out_and_said(tmp_path: Path) -> None:
    deps, project = _run(tmp_path, {"title_card": "The Raft", "end_card": "THE RAFT."})
    assert deps.store.project(project).extra["editor"] == {"title_card": "The Raft", "end_card": ""}
    chat = " ".join(m.content for m in deps.store.messages(project) if m.role == "crew")
    assert "the editor's end card was removed (it only repeated the title)" in chat
