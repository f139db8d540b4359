"""The crew's public surface: everything ``ui`` may import from ``agents``.

``ui`` (the Gradio studio, the CLI, the HTTP API) imports only names listed in ``__all__``; an
import-linter contract in ``pyproject.toml`` keeps it so. Inside, the package is grouped by job:

    agents/
    ├── studio.py      the facade (``Studio``): it wires and delegates, it does not decide
    ├── graph.py       the production graph's topology
    ├── production/    nodes, state, events, decisions, locks, checkpoints, the cut
    ├── review/        the take critic and its verdict policy
    ├── desk/          the producer's desk: estimates, tiers, quotas, moderation
    ├── crew/          the ``Role`` base, the registry, one file per role, ``prompts/``
    ├── shots/         coverage planning, prompt compiling, render requests, restaging
    ├── grammar/       the shot-list grammar: rules, fixes, coverage helpers
    └── llm/           LLM backends behind one ``structured(messages, schema)`` call

What ``ui`` gets: ``Studio`` and what it returns — the read models of ``agents.production.board``
(``Board``, ``ShotView``, ``TakeView``…) and ``FilmFiles`` — decisions, events and errors (memory's
``StoryMemoryError`` and the generator's ``GeneratorError`` tree re-exported, so ``ui`` never imports
those packages), the shot-list vocabulary (``SIZES``, ``FACINGS``, ``ShotList``, ``PlanScene``, ``PlanShot``,
``read_shotlist``), and the instruments the CLI runs outside a production as they are: ``get_generator``
(a backend by spec), ``measure_take``/``fails_take``/``TakeFinding`` (``dailies qc``), and the render farm's
``start_farm``/``farm_status``/``stop_farm`` (``dailies farm``).
"""

from __future__ import annotations

from agents.desk import Estimate, ShotEstimate, estimate_for
from agents.desk.quota import Balance
from agents.errors import (
    AgentError,
    ContentRefused,
    EstimateUnavailable,
    ModerationUnavailable,
    NotPending,
    ProjectBusy,
    PromptError,
    QuotaExceeded,
    SettingsError,
    ShotsNotApproved,
)
from agents.farm import FarmRecord, farm_status, start_farm, stop_farm
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
from agents.production.film_files import FilmFiles, preview_folder, project_folders
from agents.settings import Settings, config_file, load_settings
from agents.shots.requests import request_for_shot, shot_seed
from agents.studio import Pending, Studio
from generator.base import Generator, RenderedTake
from generator.errors import BackendUnavailable, GeneratorError, UnreadableMedia
from generator.measure import Finding as TakeFinding
from generator.measure import fails_take, measure_take
from generator.registry import get as get_generator
from memory.errors import StoryMemoryError
from memory.shotlist import FACINGS, SIZES, ShotList
from memory.shotlist import Scene as PlanScene
from memory.shotlist import Shot as PlanShot
from memory.shotlist_file import collector_paused, read_shotlist

__all__ = [
    "FACINGS",
    "SIZES",
    "AgentError",
    "BackendUnavailable",
    "Balance",
    "Board",
    "CharacterView",
    "ContentRefused",
    "CreatorDecision",
    "CutEvent",
    "Estimate",
    "EstimateUnavailable",
    "Event",
    "FailureEvent",
    "FarmRecord",
    "FilmFiles",
    "Finding",
    "Generator",
    "GeneratorError",
    "LLMError",
    "LocationView",
    "ModerationUnavailable",
    "NotPending",
    "Pending",
    "PlanScene",
    "PlanShot",
    "ProjectBusy",
    "ProjectView",
    "PromptError",
    "QuotaExceeded",
    "RenderEvent",
    "RenderedTake",
    "ReviewFinding",
    "RoleEvent",
    "SceneView",
    "Settings",
    "SettingsError",
    "ShotEstimate",
    "ShotList",
    "ShotView",
    "ShotsNotApproved",
    "StagedCharacter",
    "StoryMemoryError",
    "Studio",
    "TakeEvent",
    "TakeFinding",
    "TakeView",
    "UnreadableMedia",
    "VerdictEvent",
    "WaitingEvent",
    "apply_fixes",
    "build_llm",
    "check",
    "collector_paused",
    "config_file",
    "current_take",
    "ensure_converted",
    "estimate_for",
    "fails_take",
    "farm_status",
    "film_name",
    "get_generator",
    "load_settings",
    "measure_take",
    "one_line",
    "preview_folder",
    "project_folders",
    "read_shotlist",
    "request_for_shot",
    "shot_seed",
    "start_farm",
    "start_vllm_server",
    "stop_farm",
]
