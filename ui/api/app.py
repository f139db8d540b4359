"""``build_api(studio, jobs)``: the ``/api/v1`` FastAPI application, mounted into the studio's server.

Why a sub-application: it has its own OpenAPI document and docs (``/api/v1/docs``), its own error handlers
and its own authentication (bearer keys, not the studio's login cookie), and it is mounted at ``/api/v1`` of
the app Gradio launches (``ui.studio.app.launch``), so one process serves the page and the API, on one job
runner. Tests serve it alone with uvicorn.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.routing import Mount

from agents import Studio
from ui.api import errors
from ui.api.routes import router
from ui.studio.jobs import JobRunner

VERSION = "v1"
PREFIX = f"/api/{VERSION}"


def build_api(studio: Studio, jobs: JobRunner | None = None) -> FastAPI:
    """The API over ``studio``; ``jobs`` is the studio page's runner when both are served together."""
    api = FastAPI(
        title="Dailies public API", version=VERSION, docs_url="/docs", openapi_url="/openapi.json", redoc_url=None,
        description="Projects, plans, decisions, chat, estimates, promotions, takes, films and usage. "
                    "Send `Authorization: Bearer KEY` (`dailies api-key create USER`).",
    )  # fmt: skip
    api.state.studio = studio
    api.state.jobs = jobs or JobRunner()
    errors.install(api)
    api.include_router(router)
    return api


def api_alone(studio: Studio, jobs: JobRunner | None = None) -> Starlette:
    """The API mounted at ``/api/v1`` with nothing else (tests, and a server that wants no page)."""
    return Starlette(routes=[Mount(PREFIX, app=build_api(studio, jobs))])
