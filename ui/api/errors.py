"""The API's errors: one JSON shape, ``{"error": "…", …}``, with the status code that says what went wrong.

    401  no key, or a bad one                      403  another user's usage
    404  no such project (or another user's)       409  nothing pending / not approved yet / busy
    422  bad input, or a moderation refusal ({"error", "category"})
    429  over quota ({"error", "tier", "remaining_s", "limit_s", "used_s", "needed_s"})

Why handlers and not try/except in each endpoint: the agents raise typed errors (``agents.errors``); the
mapping is written once here and every endpoint gets it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from agents import (
    ContentRefused,
    EstimateUnavailable,
    NotPending,
    ProjectBusy,
    QuotaExceeded,
    ShotsNotApproved,
    StoryMemoryError,
)


class ApiError(Exception):
    """An answer the API gives on purpose: ``status`` and the JSON body's ``error`` (plus ``extra`` fields)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def _json(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Map every typed error to its status code on ``app``."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _json(exc.status, exc.message, **exc.extra)

    @app.exception_handler(ContentRefused)
    async def refused(_: Request, exc: ContentRefused) -> JSONResponse:
        return _json(422, str(exc), category=exc.category, what=exc.what)

    @app.exception_handler(QuotaExceeded)
    async def over_quota(_: Request, exc: QuotaExceeded) -> JSONResponse:
        return _json(429, str(exc), tier=exc.tier, remaining_s=round(exc.remaining_s, 3), limit_s=exc.limit_s,
                     used_s=round(exc.used_s, 3), needed_s=round(exc.needed_s, 3))  # fmt: skip

    @app.exception_handler(NotPending)
    async def not_pending(_: Request, exc: NotPending) -> JSONResponse:
        return _json(409, str(exc))

    @app.exception_handler(ShotsNotApproved)
    async def not_approved(_: Request, exc: ShotsNotApproved) -> JSONResponse:
        return _json(409, str(exc), shots=exc.shots)

    @app.exception_handler(ProjectBusy)
    async def busy(_: Request, exc: ProjectBusy) -> JSONResponse:
        return _json(409, str(exc))

    @app.exception_handler(EstimateUnavailable)
    async def no_estimate(_: Request, exc: EstimateUnavailable) -> JSONResponse:
        return _json(422, str(exc))

    @app.exception_handler(StoryMemoryError)
    async def bad_value(_: Request, exc: StoryMemoryError) -> JSONResponse:
        return _json(422, str(exc))  # a bad id or value, named by the store

    @app.exception_handler(RequestValidationError)
    async def bad_body(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
        return _json(422, problems)
