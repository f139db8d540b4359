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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Generic, Literal, TypeVar, get_args

import jinja2
from pydantic import BaseModel

from agents.crew.answer_shape import describe
from agents.crew.fidelity import Provenance
from agents.crew.grounding import record
from agents.errors import PromptError
from agents.llm.base import LLM
from agents.llm.errors import LLMConfigError
from agents.settings import Settings
from memory.store import Store

PROMPTS = Path(__file__).with_name("prompts")
Out = TypeVar("Out", bound=BaseModel)

#: Where a role works. The graph's stage nodes run the registered roles of their stage in registry order:
#: ``develop`` (premise → story), ``write`` (screenplay), ``direct`` (staging), ``shotlist`` (the shots; run
#: again with the continuity findings), ``continuity`` (the fact ledger, once per plan), ``plan`` (once the
#: shot list is final, before the creator sees it), ``edit`` (after the takes are approved, before the cut).
#: Two stages are not graph nodes: ``chat`` (once per creator message, by the studio) and ``review`` (once
#: per take, by the take critic).
Stage = Literal["chat", "develop", "write", "direct", "shotlist", "continuity", "plan", "review", "edit"]
STAGES: tuple[Stage, ...] = get_args(Stage)


@dataclass
class Deps:
    """What a role may use: the story memory, the LLM (None where no role will ask it), the settings."""

    store: Store
    llm: LLM | None
    settings: Settings


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
    #: Where it works (see ``Stage``): the graph runs it in that stage's node, in registry order.
    stage: ClassVar[Stage]
    #: Upper bound of generated tokens for this role's answer (small models ramble).
    max_tokens: ClassVar[int] = 512
    #: Who wrote each field of the last answer, set by roles that check their answers field by field
    #: (``agents.crew.fidelity``); ``run`` keeps it in the plan and says every fallback in the chat.
    provenance: Provenance | None = None

    @classmethod
    def for_step(cls, state: Mapping[str, Any]) -> Role[Any]:
        """The role as its stage's graph node builds it from the run's state: ``cls()`` unless the role
        needs something only the run knows (the cinematographer takes the continuity findings)."""
        return cls()

    def inputs(self, deps: Deps, project: str) -> dict[str, Any]:
        """The variables its prompt needs, read from memory."""
        raise NotImplementedError

    def apply(self, deps: Deps, project: str, out: Out) -> None:
        """Write the typed answer back to memory."""
        raise NotImplementedError

    def example(self) -> Out:
        """A valid answer: used by the registry's contract test and the scripted test crew, never shown.

        A small model copies any concrete example (every premise came back as the example's story, every
        title card as "THE KEEPER"), so a prompt shows either an example its role built from the project
        itself (``inputs`` give ``"example"``) or the answer's shape described from the schema
        (``agents.crew.answer_shape``). By convention the role's module defines ``example()`` next to the class.
        """
        return sys.modules[type(self).__module__].example()  # type: ignore[no-any-return]

    def messages(self, deps: Deps, project: str) -> list[dict[str, str]]:
        variables = {"goal": self.goal, "example": describe(self.output), **self.inputs(deps, project)}
        return render_prompt(self.name, variables, self.prompt_dir)

    def requests(self, deps: Deps, project: str) -> list[list[dict[str, str]]]:
        """Every request's messages, as ``ask`` sends them: one, unless the role asks a long film in parts."""
        return [self.messages(deps, project)]

    def ask(self, deps: Deps, project: str) -> Out:
        if deps.llm is None:
            raise LLMConfigError(f"the {self.name} needs an LLM and none was given (Deps.llm is None)")
        answer = deps.llm.structured(self.messages(deps, project), self.output, max_tokens=self.max_tokens)
        return answer  # type: ignore[return-value]  # an instance of ``self.output``, which is ``Out``

    def run(self, deps: Deps, project: str) -> Out:
        """Ask the LLM and write the answer to memory; returns the answer."""
        self.provenance = None
        out = self.ask(deps, project)
        self.apply(deps, project, out)
        if self.provenance is not None:
            record(deps.store, project, self.provenance)
        return out
