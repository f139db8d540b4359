"""What a crew role is: a name, a typed output, the inputs its prompt needs, and how its answer lands in memory.

Why this shape (CrewAI's vocabulary, without its god class): a person adding a role writes one file with
a subclass, one prompt template in ``agents/crew/prompts/<name>.md`` and one line in ``agents/crew/registry.py``.
The base class does the rest the same way for every role: render the prompt (a template that fails on a
missing variable), ask the LLM for the typed output (schema-constrained; the LLM layer retries only at
that boundary and raises a typed error otherwise), then call ``apply`` to write the result to memory.

Prompt files hold a system part and a user part separated by a line ``---``. They are Jinja2 templates
rendered with ``StrictUndefined`` and autoescaping off; every value passed in is data (model and user
text included), never template source, so text from a premise cannot inject template code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import jinja2
from pydantic import BaseModel

from agents.errors import PromptError
from agents.settings import Settings
from memory.store import Store

PROMPTS = Path(__file__).with_name("prompts")
Out = TypeVar("Out", bound=BaseModel)


@dataclass
class Deps:
    """What a role may use: the story memory, the LLM, the settings (and whatever later roles need)."""

    store: Store
    llm: Any  # agents.llm.base.LLM; typed loosely so roles that need no LLM can be tested without one
    settings: Settings
    extras: dict[str, Any] = field(default_factory=dict)


@cache
def _environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson_compact"] = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return env


def render_prompt(name: str, variables: Mapping[str, Any], folder: Path = PROMPTS) -> list[dict[str, str]]:
    """Render ``<folder>/<name>.md`` into chat messages; a missing variable is a ``PromptError`` naming it."""
    try:
        text = _environment(str(folder)).get_template(f"{name}.md").render(**variables)
    except jinja2.TemplateNotFound as exc:
        raise PromptError(f"role {name!r} has no prompt file {folder / (name + '.md')}") from exc
    except jinja2.UndefinedError as exc:
        raise PromptError(f"prompt {name}.md needs a variable its role did not give: {exc.message}") from exc
    system, sep, user = text.partition("\n---\n")
    if not sep:
        raise PromptError(f"prompt {name}.md must have a system part and a user part separated by a line '---'")
    return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]


class Role(Generic[Out]):
    """A crew member. Subclasses set ``name``, ``output`` and ``goal`` and implement ``inputs`` and ``apply``."""

    name: ClassVar[str]
    output: ClassVar[type[BaseModel]]
    goal: ClassVar[str] = ""
    #: Where its prompt file lives (``<prompt_dir>/<name>.md``).
    prompt_dir: ClassVar[Path] = PROMPTS
    #: When the graph runs it by itself: ``"plan"`` = once the shot list is final, before the plan goes to
    #: the creator. ``None``: a core role that a graph node calls explicitly.
    stage: ClassVar[str | None] = None
    #: Upper bound of generated tokens for this role's answer (small models ramble).
    max_tokens: ClassVar[int] = 512

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        """The variables its prompt needs, read from memory."""
        raise NotImplementedError

    def apply(self, deps: Deps, project: str, out: Out) -> None:
        """Write the typed answer back to memory."""
        raise NotImplementedError

    def example(self) -> Out:
        """A valid answer: shown in the prompt as the shape to follow, and used by the registry's contract test.

        By convention the role's module defines a function ``example()`` next to the class.
        """
        return sys.modules[type(self).__module__].example()  # type: ignore[no-any-return]

    def messages(self, deps: Deps, project: str) -> list[dict[str, str]]:
        variables = {"goal": self.goal, "example": self.example().model_dump_json(), **self.inputs(deps, project)}
        return render_prompt(self.name, variables, self.prompt_dir)

    def ask(self, deps: Deps, project: str) -> Out:
        answer = deps.llm.structured(self.messages(deps, project), self.output, max_tokens=self.max_tokens)
        return answer  # type: ignore[no-any-return]

    def run(self, deps: Deps, project: str) -> Out:
        """Ask the LLM and write the answer to memory; returns the answer."""
        out = self.ask(deps, project)
        self.apply(deps, project, out)
        return out
