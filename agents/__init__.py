"""The crew's public surface: everything ``ui`` may import from ``agents``.

``ui`` (the Gradio studio, the CLI, the HTTP API) imports only names listed in ``__all__``; an
import-linter contract in ``pyproject.toml`` keeps it so. Inside, the package is grouped by job:

    agents/
    ├── studio.py      the facade (``Studio``): it wires and delegates, it does not decide
    ├── graph.py       the production graph's topology
    ├── production/    nodes, state, events, decisions, locks, checkpoints, the cut
    ├── review/        the take critic and its verdict policy
    ├── crew/          the ``Role`` base, the registry, one file per role, ``prompts/``
    ├── shots/         coverage planning, prompt compiling, render requests, restaging
    ├── grammar/       the shot-list grammar: rules, fixes, coverage helpers
    └── llm/           LLM backends behind one ``structured(messages, schema)`` call
"""

from __future__ import annotations

from agents.errors import AgentError, NotPending, ProjectBusy, PromptError, ShotsNotApproved
from agents.grammar import apply_fixes, check
from agents.grammar.findings import Finding, one_line
from agents.llm import LLMError, build_llm
from agents.llm.bundled import ensure_converted
from agents.llm.vllm_server import start_vllm_server
from agents.production.board import (
    Board,
    CharacterView,
    LocationView,
    ProjectView,
    ReviewFinding,
    SceneView,
    ShotView,
    StagedCharacter,
    TakeView,
    current_take,
)
from agents.production.cut import film_name
from agents.production.decisions import CreatorDecision
from agents.production.events import (
    CutEvent,
    Event,
    FailureEvent,
    RenderEvent,
    RoleEvent,
    TakeEvent,
    VerdictEvent,
    WaitingEvent,
)
from agents.production.film_files import FilmFiles
from agents.settings import Settings, config_file, load_settings
from agents.shots.requests import request_for_shot
from agents.studio import Pending, Studio
from memory.errors import StoryMemoryError
from memory.shotlist import FACINGS, SIZES

__all__ = [
    "FACINGS",
    "SIZES",
    "AgentError",
    "Board",
    "CharacterView",
    "CreatorDecision",
    "CutEvent",
    "Event",
    "FailureEvent",
    "FilmFiles",
    "Finding",
    "LLMError",
    "LocationView",
    "NotPending",
    "Pending",
    "ProjectBusy",
    "ProjectView",
    "PromptError",
    "RenderEvent",
    "ReviewFinding",
    "RoleEvent",
    "SceneView",
    "Settings",
    "ShotView",
    "ShotsNotApproved",
    "StagedCharacter",
    "StoryMemoryError",
    "Studio",
    "TakeEvent",
    "TakeView",
    "VerdictEvent",
    "WaitingEvent",
    "apply_fixes",
    "build_llm",
    "check",
    "config_file",
    "current_take",
    "ensure_converted",
    "film_name",
    "load_settings",
    "one_line",
    "request_for_shot",
    "start_vllm_server",
]
