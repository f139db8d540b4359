"""The scripted double: replays in order, validates like a model would, says clearly when it runs out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from agents.llm import LLMConfigError, LLMOutputInvalid, LLMScriptExhausted, ScriptedLLM, build_llm


class A(BaseModel):
    x: int


class B(BaseModel):
    y: str


def test_a_sequence_is_replayed_in_order_and_calls_are_recorded() -> None:
    llm = ScriptedLLM([{"x": 1}, '{"y": "two"}', A(x=3)])
    assert llm.structured([{"role": "user", "content": "1"}], A).x == 1
    assert llm.structured([{"role": "user", "content": "2"}], B).y == "two"
    assert llm.structured([{"role": "user", "content": "3"}], A, max_tokens=9).x == 3
    assert [c.schema for c in llm.calls] == ["A", "B", "A"]
    assert llm.calls[2].max_tokens == 9 and llm.calls[0].messages[0]["content"] == "1"
    with pytest.raises(LLMScriptExhausted, match="A request"):
        llm.structured([{"role": "user", "content": "4"}], A)


def test_queues_per_schema_name() -> None:
    llm = ScriptedLLM({"A": [{"x": 1}, {"x": 2}], "B": [{"y": "b"}]})
    assert llm.structured([{"role": "user", "content": "?"}], B).y == "b"
    assert [llm.structured([{"role": "user", "content": "?"}], A).x for _ in range(2)] == [1, 2]
    with pytest.raises(LLMScriptExhausted, match="B"):
        llm.structured([{"role": "user", "content": "?"}], B)


def test_a_wrong_scripted_answer_fails_like_a_wrong_model() -> None:
    with pytest.raises(LLMOutputInvalid) as info:
        ScriptedLLM([{"x": "many"}]).structured([{"role": "user", "content": "?"}], A)
    assert info.value.errors and info.value.errors[0].startswith("x")


def test_chat_replies_stream_in_pieces() -> None:
    llm = ScriptedLLM(chat=["Hello there, director."])
    assert "".join(llm.chat([{"role": "user", "content": "hi"}])) == "Hello there, director."
    with pytest.raises(LLMScriptExhausted):
        list(llm.chat([{"role": "user", "content": "again"}]))


def test_loaded_from_a_file_through_the_setting(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"answers": {"A": [{"x": 7}]}, "chat": ["ok"]}))
    llm = build_llm(f"scripted:{script}", home=tmp_path)
    assert llm.structured([{"role": "user", "content": "?"}], A).x == 7
    assert "".join(llm.chat([{"role": "user", "content": "?"}])) == "ok"


@pytest.mark.parametrize("content", ['{"answers": 3}', '{"other": []}', "not json"])
def test_a_malformed_script_file_is_a_config_error(tmp_path: Path, content: str) -> None:
    script = tmp_path / "bad.json"
    script.write_text(content)
    with pytest.raises(LLMConfigError, match=r"bad\.json"):
        ScriptedLLM.from_file(script)


def test_a_missing_script_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(LLMConfigError, match="not found"):
        build_llm(f"scripted:{tmp_path / 'none.json'}", home=tmp_path)
