"""How the graph ends a step: invalid LLM output is a recorded, visible failure the creator can resume from;
transport trouble is retried by the node's retry policy; validation errors are never retried."""

from __future__ import annotations

from typing import Any

import pytest
from doubles import CountingGenerator, crew_answers

from agents.errors import NotPending
from agents.llm.errors import LLMOutputInvalid, LLMTimeout
from agents.llm.scripted import ScriptedLLM
from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio


class FlakyLLM:
    """Wraps a scripted LLM: raises ``errors`` (in order) on the first calls for ``schema``, then answers."""

    def __init__(self, inner: ScriptedLLM, schema: str, errors: list[Exception]) -> None:
        self.inner, self.schema, self.errors, self.attempts = inner, schema, list(errors), 0

    def structured(self, messages: Any, schema: type, **kwargs: Any) -> Any:
        if schema.__name__ == self.schema:
            self.attempts += 1
            if self.errors:
                raise self.errors.pop(0)
        return self.inner.structured(messages, schema, **kwargs)


def studio_with(llm: Any, tmp_path) -> Studio:
    return Studio(settings=load_settings(), llm=llm, generator=CountingGenerator(tmp_path / "renders.log"))


def test_invalid_output_ends_the_run_visibly_and_resume_retries_the_step(tmp_path) -> None:
    # The director's answer (the screenwriter asks a failed request again scene by scene, see test_fidelity).
    invalid = LLMOutputInvalid("direction is not valid", raw="{}", errors=["scenes: field required"])
    llm = FlakyLLM(ScriptedLLM(crew_answers()), "Direction", [invalid])
    studio = studio_with(llm, tmp_path)
    project = studio.new("A keeper and her son", runtime_s=8).id

    events = list(studio.advance(project))
    failures = [e for e in events if e.kind == "failed"]
    assert [f.step for f in failures] == ["director"] and "scenes: field required" in failures[0].message
    assert llm.attempts == 1, "a validation error must not be retried by the node's retry policy"
    assert studio.store.project(project).status == "failed"
    assert any(m.role == "crew" and m.data.get("failure") == "director" for m in studio.messages(project))
    assert studio.store.shots(project) == [] and studio.pending(project) is None
    with pytest.raises(NotPending):
        studio.decide_all(project, CreatorDecision(kind="approve_plan"))

    # resuming re-enters at the failed step; the writer's and screenwriter's earlier work is kept, not redone
    done = {schema: sum(1 for c in llm.inner.calls if c.schema == schema) for schema in ("StoryDevelopment", "Screenplay")}
    step = studio.failed_at(project)
    assert step is not None, "the failure records the graph node to resume at"
    pending = studio.run(project, reenter=step)
    assert pending is not None and pending.what == "plan"
    assert {schema: sum(1 for c in llm.inner.calls if c.schema == schema) for schema in done} == done
    assert [s.key for s in studio.store.scenes(project)] == ["s1", "s2"] and studio.store.shots(project)


def test_timeouts_are_retried_by_the_node_policy(tmp_path) -> None:
    llm = FlakyLLM(ScriptedLLM(crew_answers()), "Direction", [LLMTimeout("slow"), LLMTimeout("slow again")])
    studio = studio_with(llm, tmp_path)
    project = studio.new("A keeper and her son", runtime_s=8).id
    pending = studio.run(project)
    assert pending is not None and pending.what == "plan"
    assert llm.attempts == 3
    assert "director" in studio.store.scene(project, "s1").notes


def test_timeouts_beyond_the_retry_budget_stop_the_run_with_a_message(tmp_path) -> None:
    llm = FlakyLLM(ScriptedLLM(crew_answers()), "Direction", [LLMTimeout("slow")] * 3)
    studio = studio_with(llm, tmp_path)
    project = studio.new("A keeper and her son", runtime_s=8).id
    events = list(studio.advance(project))
    assert [e.step for e in events if e.kind == "failed"] == ["transient"]
    assert llm.attempts == 3
    assert studio.pending(project) is None
    # the checkpoint kept the run: advancing again continues at the director (the LLM now answers)
    pending = studio.run(project)
    assert pending is not None and pending.what == "plan"
