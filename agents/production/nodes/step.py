"""Running one crew role as a graph step: progress events, and failures that are recorded, not swallowed.

A role whose LLM keeps answering with invalid output (after the LLM layer's own re-ask) or refuses the
request ends the step in a *visible* failure: a chat message from the crew, the project's status set to
``failed``, a ``FailureEvent``, and the run stops at that step (the studio can retry it). Transport
trouble (timeouts, an unreachable endpoint) is re-raised so the node's retry policy can try again.
"""

from __future__ import annotations

from typing import Any

from langgraph.config import get_config, get_stream_writer

from agents.crew.role import Role
from agents.llm.errors import LLMError, LLMTimeout, LLMUnavailable
from agents.production.events import FailureEvent, RoleEvent
from agents.production.state import Crew

#: Errors a node's retry policy retries; everything else is final for that attempt.
TRANSIENT = (LLMTimeout, LLMUnavailable, TimeoutError, ConnectionError)


def emit(event: Any) -> None:
    """Send a typed event to whoever streams this run (a no-op outside a streamed run)."""
    try:
        writer = get_stream_writer()
    except RuntimeError:
        return
    writer(event.model_dump(mode="json"))


def run_role(role: Role, crew: Crew, project: str) -> Any:
    """Run a role; returns its answer, or a ``Failed`` update that ends the run with a recorded failure."""
    emit(RoleEvent(role=role.name, status="started"))
    try:
        out = role.run(crew.deps, project)
    except TRANSIENT:
        raise
    except LLMError as exc:
        details = "; ".join(getattr(exc, "errors", [])[:3])
        message = f"the {role.name} could not produce a usable answer: {exc}" + (f" ({details})" if details else "")
        return fail(crew, project, role.name, message)
    emit(RoleEvent(role=role.name, status="finished", summary=summary(out)))
    return out


class Failed(dict):  # type: ignore[type-arg]
    """The state update of a failed step: the graph's routers see ``failure`` and stop the run."""


def fail(crew: Crew, project: str, step: str, message: str) -> Failed:
    """Record a failed step; the run ends and re-enters at the same graph node when resumed."""
    crew.deps.store.add_message(project, "crew", message, data={"failure": step})
    crew.deps.store.update_project(project, status="failed")
    emit(FailureEvent(step=step, message=message))
    return Failed(failure=message, reenter=current_node() or step)


def current_node() -> str | None:
    """The graph node running now (None outside a graph run)."""
    try:
        return str(get_config()["metadata"]["langgraph_node"])
    except (RuntimeError, KeyError):
        return None


def summary(out: Any) -> str:
    """A one-line account of what a role decided, for the chat."""
    data = out.model_dump(mode="json") if hasattr(out, "model_dump") else out
    if isinstance(data, dict):
        parts = []
        for key, value in data.items():
            parts.append(f"{len(value)} {key}" if isinstance(value, list) else f"{key}: {str(value)[:60]}")
        return "; ".join(parts[:4])
    return str(data)[:120]
