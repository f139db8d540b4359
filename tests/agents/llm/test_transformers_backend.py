"""The transformers backend on tiny random-weight Llamas: xgrammar alone makes every answer schema-valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from agents.llm.errors import LLMOutputInvalid, LLMUnavailable
from agents.llm.transformers_backend import load_local_model
from tests.agents.llm.conftest import ExamplePlan, ShotSize


class Mood(BaseModel):
    size: ShotSize
    count: int = Field(ge=0, le=99)
    tags: list[str] = Field(max_length=3)
    note: str = Field(max_length=12)
    final: bool


def test_a_model_with_random_weights_still_answers_schema_valid_json(random_tiny_backend) -> None:  # type: ignore[no-untyped-def]
    answer = random_tiny_backend.structured([{"role": "user", "content": "How does it feel?"}], Mood, max_tokens=400)
    assert isinstance(answer, Mood)
    assert random_tiny_backend.last.finished


def test_the_same_grammar_is_compiled_once_and_reused(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    tiny_backend.structured([{"role": "user", "content": "a"}], Mood, max_tokens=200)
    count = len(tiny_backend.local._grammars)
    tiny_backend.structured([{"role": "user", "content": "b"}], Mood, max_tokens=200)
    assert len(tiny_backend.local._grammars) == count


def test_properties_are_written_in_schema_order(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    from agents.llm.answers import json_schema_of
    from agents.llm.transformers_backend import bounded

    grammar = tiny_backend.local.grammar(bounded(json_schema_of(ExamplePlan)))
    text = tiny_backend.generate([{"role": "user", "content": "plan"}], max_tokens=600, grammar=grammar)
    assert text.index('"title"') < text.index('"characters"') < text.index('"shots"')


def test_running_out_of_tokens_ends_in_a_typed_error_not_a_nested_fragment(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LLMOutputInvalid, match="cut off") as info:
        tiny_backend.structured([{"role": "user", "content": "plan"}], ExamplePlan, max_tokens=20)
    assert info.value.raw.startswith("{")
    assert not tiny_backend.last.finished


def test_chat_streams_text(random_tiny_backend) -> None:  # type: ignore[no-untyped-def]
    random_tiny_backend.chat_max_tokens = 12
    pieces = list(random_tiny_backend.chat([{"role": "user", "content": "Say something."}]))
    assert pieces and all(isinstance(p, str) for p in pieces)


def test_a_missing_model_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match="cannot load"):
        load_local_model(tmp_path / "no-model")


def test_a_saved_folder_loads_once_per_process(tmp_path: Path) -> None:
    from tests.agents.llm.conftest import tiny_model, tiny_tokenizer

    tok = tiny_tokenizer()
    tiny_model(len(tok), tie_logits=True).save_pretrained(tmp_path / "m")
    tok.save_pretrained(tmp_path / "m")
    first = load_local_model(tmp_path / "m", device="cpu")
    assert load_local_model(tmp_path / "m", device="cpu") is first
    assert first.model.dtype.is_floating_point


def test_fitted_bounds_make_the_longest_answer_fit_the_budget() -> None:
    from agents.llm.answers import json_schema_of
    from agents.llm.transformers_backend import bounded, fitted

    schema = bounded(json_schema_of(ExamplePlan))
    small = fitted(schema, 120)
    assert small["properties"]["title"]["maxLength"] < schema["properties"]["title"]["maxLength"]
    assert small["$defs"]["Character"]["properties"]["description"]["maxLength"] >= 4
    assert small["$defs"]["Shot"]["properties"]["id"] == schema["$defs"]["Shot"]["properties"]["id"]  # patterns untouched
    assert fitted(schema, 100_000) == schema


def test_a_cut_off_answer_is_reasked_under_fitted_bounds(tiny_backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    grammars: list[dict[str, object]] = []
    original = tiny_backend.local.grammar

    def spy(schema):  # type: ignore[no-untyped-def]
        grammars.append(schema)
        return original(schema)

    monkeypatch.setattr(tiny_backend.local, "grammar", spy)
    with pytest.raises(LLMOutputInvalid):
        tiny_backend.structured([{"role": "user", "content": "plan"}], ExamplePlan, max_tokens=20)
    assert len(grammars) == 2 and grammars[1] != grammars[0]


def test_a_model_under_a_billion_parameters_says_it_is_asked_small_questions(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    from agents.llm.base import SMALL_MODEL_PARAMETERS, asks_small_questions

    assert 0 < tiny_backend.local.parameters < SMALL_MODEL_PARAMETERS
    assert tiny_backend.small_model and asks_small_questions(tiny_backend)
    assert not asks_small_questions(object())  # a backend that does not say (a server) is asked whole answers
