"""Every setting checked at start-up, before anything is created: a wrong one is one clear error.

Why a module of its own: ``Settings`` validates each value alone (ranges, types), but whether
``DAILIES_BACKEND``, ``DAILIES_LLM`` or ``DAILIES_DATABASE_URL`` names something that exists is known only
to the registries of the generator and the LLM layer and to SQLAlchemy's dialects. Checking them here,
when the studio opens, means ``DAILIES_BACKEND=nonsense`` stops ``dailies make`` before it creates a
project, instead of failing at the first render and leaving an orphan behind.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from agents.errors import SettingsError
from agents.llm.registry import FORMS, check_spec
from agents.settings import Settings, setting_label
from generator import registry as generators


def check_settings(settings: Settings) -> Settings:
    """Return ``settings`` when every spec in it names something usable; else raise ``SettingsError``."""
    problems = [
        problem
        for problem in (
            _backend_problem(settings.backend),
            _llm_problem(settings.llm),
            _url_problem("database_url", settings.database_url),
            _url_problem("checkpoint_url", settings.checkpoint_url),
        )
        if problem
    ]
    if problems:
        raise SettingsError("; ".join(problems))
    return settings


def _backend_problem(spec: str) -> str | None:
    name, variant = generators.parse_spec(spec)
    if name == "farm":  # farm:URL (generator/farm): any http(s) URL; whether a farm answers is known at the first render
        return None if (variant or "").startswith(("http://", "https://")) else f"{setting_label('backend', spec)} needs the farm's URL, e.g. farm:http://127.0.0.1:8000"
    known = generators.available()
    if name not in generators.BACKENDS or (variant is not None and f"{name}:{variant}" not in known):
        return f"{setting_label('backend', spec)} is not a generator backend; available: {', '.join(known)}"
    return None


def _llm_problem(spec: str) -> str | None:
    if check_spec(spec):
        return None
    return f"{setting_label('llm', spec)} is not an LLM setting; valid forms: {', '.join(FORMS)}"


def _url_problem(name: str, url: str | None) -> str | None:
    if url is None:
        return None
    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        return f"{setting_label(name, url)} is not a database URL SQLAlchemy can use ({exc}); e.g. sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
    return None
