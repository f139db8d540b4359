"""Jump-forward decoding: forced tokens are written without a decoding step, and the answer is unchanged in kind."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from agents.llm.answers import json_schema_of
from agents.llm.jump_forward import decode
from agents.llm.transformers_backend import bounded


class Forced(BaseModel):
    """Every character of the answer is forced: the keys and a one-value enum."""

    scene_identifier: Literal["s1"]
    transition_in: Literal["dissolve"]


class Chosen(BaseModel):
    pacing: Literal["slow", "medium", "fast"]
    opening_move: Literal["static", "dolly_in"]
    intent: str = Field(max_length=12)


def _prompt(backend, text: str = "Answer:"):  # type: ignore[no-untyped-def]
    return backend._encode([{"role": "user", "content": text}])["input_ids"]


def test_a_fully_forced_answer_takes_one_forward_pass(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    grammar = tiny_backend.local.grammar(bounded(json_schema_of(Forced)))
    out = decode(tiny_backend.local.model, _prompt(tiny_backend), grammar, max_tokens=200, stop_ids=tiny_backend._eos_ids())
    text = tiny_backend.local.tokenizer.decode(out.tokens)
    assert json.loads(text) == {"scene_identifier": "s1", "transition_in": "dissolve"}
    assert out.finished and out.forward_passes <= 2 < len(out.tokens) and out.forced >= len(out.tokens) - 2


@pytest.mark.parametrize("fixture", ["tiny_backend", "random_tiny_backend"])
def test_jump_forward_and_step_by_step_both_answer_valid_json_and_jumping_takes_fewer_passes(fixture, request) -> None:  # type: ignore[no-untyped-def]
    backend = request.getfixturevalue(fixture)
    messages = [{"role": "user", "content": "Plan the scene."}]
    answers, passes = {}, {}
    for jump in (False, True):
        backend.jump_forward = jump
        try:
            answers[jump] = backend.structured(messages, Chosen, max_tokens=120)
        finally:
            backend.jump_forward = True
        passes[jump] = (backend.last.forward_passes, backend.last.new_tokens)
    assert all(isinstance(a, Chosen) for a in answers.values())
    assert passes[False][0] == passes[False][1]  # transformers' generate: one step per token
    assert passes[True][0] < passes[True][1] / 2  # most of this answer is keys and enum tails


def test_the_token_budget_holds_while_jumping(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    grammar = tiny_backend.local.grammar(bounded(json_schema_of(Forced)))
    out = decode(tiny_backend.local.model, _prompt(tiny_backend), grammar, max_tokens=5, stop_ids=tiny_backend._eos_ids())
    assert len(out.tokens) == 5 and not out.finished


def test_free_text_keeps_the_repetition_guard(tiny_backend) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []

    def spy(ids, scores):  # type: ignore[no-untyped-def]
        seen.append(int(ids.shape[1]))
        return scores

    grammar = tiny_backend.local.grammar(bounded(json_schema_of(Chosen)))
    prompt = _prompt(tiny_backend)
    out = decode(tiny_backend.local.model, prompt, grammar, max_tokens=120, stop_ids=tiny_backend._eos_ids(), processors=[spy])
    assert len(seen) == out.forward_passes and seen[0] > prompt.shape[1]  # called on the whole sequence, forced opening included
