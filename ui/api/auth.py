"""Who is calling: the user of the bearer key, or a 401 (no key, a malformed header, an unknown or wrong key).

Why one dependency: every endpoint takes ``user: User``; a route without it cannot exist by accident, and
ownership (a project of another user is a 404, as if it did not exist) is checked in one place
(``routes.owned``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ui.api.errors import ApiError


def user_of(request: Request) -> str:
    """The key's user; ``ApiError(401)`` otherwise (the same answer whatever was wrong with the key)."""
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(401, "missing API key: send 'Authorization: Bearer KEY' (create one with `dailies api-key create USER`)")
    user = request.app.state.studio.user_for_api_key(key.strip())
    if user is None:
        raise ApiError(401, "invalid API key")
    return str(user)


User = Annotated[str, Depends(user_of)]
