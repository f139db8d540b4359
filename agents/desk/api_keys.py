"""Public-API keys: ``dk_<id>_<secret>``, shown once, stored as an argon2id hash of the secret.

Why an id in the key: argon2 hashes are salted, so a key cannot be looked up by its hash; the short
public ``id`` finds the one stored row and a single ``verify`` checks the secret (a constant cost per
request, whatever the number of keys). The secret has 256 bits from ``secrets``; the store never sees it.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from memory.store import Store, check_key

PREFIX = "dk_"
_HASHER = PasswordHasher()


def create_key(store: Store, user: str) -> str:
    """A new key for ``user`` (a studio login name); the only time the full key exists outside its owner."""
    check_key("user", user)
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    store.add_api_key(user, key_id, _HASHER.hash(secret))
    return f"{PREFIX}{key_id}_{secret}"


def user_for_key(store: Store, key: str) -> str | None:
    """The user a key belongs to; None for a malformed, unknown or wrong key (callers answer all alike)."""
    if not key.startswith(PREFIX) or key.count("_") < 2:
        return None
    key_id, _, secret = key.removeprefix(PREFIX).partition("_")
    row = store.api_key(key_id)
    if row is None:
        return None
    try:
        _HASHER.verify(row.secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return None
    return row.user
