"""Answer extraction and validation: what counts as the model's JSON, and how failures are described."""

from __future__ import annotations

import pytest

from agents.llm.answers import AnswerProblem, extract_json, json_schema_of, parse_answer, validated_answer
from agents.llm.errors import LLMOutputInvalid
from agents.llm.transformers_backend import bounded
from tests.agents.llm.conftest import ExamplePlan

VALID = '{"title":"T","characters":[{"id":"ann","name":"Ann","description":"tall"}],"shots":[{"id":"s01","size":"wide","duration_s":3,"characters":["ann"],"action":"walks"}]}'


@pytest.mark.parametrize(
    "text",
    [
        VALID,
        f"<think>I should plan {{a film}} [carefully]</think>{VALID}",
        f"Sure! Here is the plan:\n```json\n{VALID}\n```\nHope it helps {{:}}",
        f"<THINK>x</THINK>\n{VALID}",
        f"prose with {{braces}} that are not JSON, then {VALID}",
    ],
)
def test_the_first_json_value_is_taken_from_around_reasoning_and_prose(text: str) -> None:
    assert parse_answer(text, ExamplePlan).shots[0].id == "s01"


def test_no_json_at_all_is_a_problem_quoting_the_text() -> None:
    with pytest.raises(AnswerProblem, match="no complete JSON"):
        extract_json("I cannot help with that.")


def test_a_cut_off_answer_is_reported_as_cut_off_not_as_its_first_nested_object() -> None:
    with pytest.raises(AnswerProblem, match="cut off"):
        extract_json(VALID[:-20])


def test_schema_errors_name_the_field() -> None:
    with pytest.raises(AnswerProblem) as info:
        parse_answer(VALID.replace('"wide"', '"extreme"'), ExamplePlan)
    assert any(line.startswith("shots.0.size") for line in info.value.errors)


def test_one_reask_carries_the_errors_then_a_typed_error() -> None:
    seen: list[list[dict[str, str]]] = []

    def generate(messages):  # type: ignore[no-untyped-def]
        seen.append(messages)
        return '{"title": 5}'

    with pytest.raises(LLMOutputInvalid) as info:
        validated_answer(generate, [{"role": "user", "content": "plan"}], ExamplePlan, backend="t")
    assert len(seen) == 2
    assert seen[1][-2] == {"role": "assistant", "content": '{"title": 5}'}
    assert "title" in seen[1][-1]["content"]
    assert info.value.raw == '{"title": 5}' and info.value.schema == "ExamplePlan"
    assert any("title" in e for e in info.value.errors)


def test_a_good_second_answer_is_accepted() -> None:
    answers = iter(["nonsense", VALID])
    plan = validated_answer(lambda _m: next(answers), [{"role": "user", "content": "plan"}], ExamplePlan, backend="t")
    assert plan.title == "T"


def test_json_schema_closes_objects_and_bounded_caps_unbounded_strings_and_arrays() -> None:
    schema = json_schema_of(ExamplePlan)
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values() if "properties" in d)
    capped = bounded({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "string", "enum": ["x"]}}}})
    assert capped["properties"]["a"]["maxLength"] > 0 and capped["properties"]["b"]["maxItems"] > 0
    assert "maxLength" not in capped["properties"]["b"]["items"]
    assert bounded({"type": "string", "maxLength": 7})["maxLength"] == 7
