"""The public HTTP API, ``/api/v1/…``: the studio's work for programs, served by the studio's own process.

    api/
    ├── app.py       ``build_api(studio, jobs)``: the FastAPI sub-application (docs at ``/api/v1/docs``)
    ├── auth.py      ``Authorization: Bearer KEY`` → the key's user (``Studio.user_for_api_key``)
    ├── errors.py    the agents' errors as JSON with their status codes (401/403/404/409/422/429)
    ├── schemas.py   request and response bodies
    └── routes.py    the endpoints: projects (with the running job's progress), the activity log, plan and
                     outline, pending, decide, chat, estimate, promote, takes, the film, usage

Like the studio page, the API calls only ``agents``' public surface (import-linter), and long work (planning,
shooting, promotion, cutting) runs on the studio's job runner: an endpoint that starts it answers 201/202 at
once, and ``GET /api/v1/projects/{id}`` says when the crew is done (``busy``), how far it is (``progress``, as the
page's header shows it) and what waits (``pending``).
"""

from ui.api.app import PREFIX, api_alone, build_api

__all__ = ["PREFIX", "api_alone", "build_api"]
