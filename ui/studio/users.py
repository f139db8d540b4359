"""The studio's users file: one ``user:HASH`` per line, where HASH is an argon2id hash.

Why hashes only: the file sits on a shared machine beside the data folder; a copy of it (a backup, a
screen share, a wrong permission) must not hand out every password. A plain-text entry is refused with
the command that writes a hash (``dailies user add NAME``) instead of being accepted "for now".

Gradio takes a callable for ``auth``: ``Logins`` is that callable, checking a typed password against the
stored hash (argon2's verify runs in constant time for a given hash; an unknown user costs a verify
against a dummy hash too, so the reply time does not reveal which names exist).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ui.studio.errors import BadInput

HASHER = PasswordHasher()
#: Every hash argon2-cffi writes starts with this; anything else in the password column is plain text.
HASH_PREFIX = "$argon2"
#: Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$verImLCX4EytyKqyhzBNZQ$Fr+XK8zR9dvVrliZ6JH4zpf/EEz8qSrTyRc93gDytrk"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (random salt), in the PHC string form the users file stores."""
    if not password:
        raise BadInput("the password is empty")
    return HASHER.hash(password)


class Logins:
    """The users Gradio may let in: ``Logins({"alice": HASH})("alice", "typed") -> bool``."""

    def __init__(self, hashes: dict[str, str]) -> None:
        self.hashes = dict(hashes)

    @classmethod
    def plain(cls, pairs: list[tuple[str, str]]) -> Logins:
        """Logins given on the command line (``--auth user:pass``): hashed in memory, never written."""
        return cls({user: hash_password(password) for user, password in pairs})

    def names(self) -> list[str]:
        return list(self.hashes)

    def __call__(self, user: str, password: str) -> bool:
        stored = self.hashes.get(user)
        try:
            return HASHER.verify(stored or _DUMMY, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def _parse(path: Path, lines: list[str]) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, sep, secret = line.strip().partition(":")
        user = user.strip()
        if not sep or not user or not secret:
            raise BadInput(f"{path}:{number}: expected user:HASH")
        if not secret.startswith(HASH_PREFIX):
            raise BadInput(
                f"{path}:{number}: the password of {user!r} is in plain text; only hashes are accepted — "
                f"remove the line and run `dailies user add {user}`"
            )
        if user in hashes:
            raise BadInput(f"the users file {path} names {user!r} twice")
        hashes[user] = secret
    return hashes


def load_users(path: Path) -> Logins:
    """Read a users file; one error naming the line for a plain-text password or a malformed line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput(f"cannot read the users file {path}: {reason}") from exc
    hashes = _parse(Path(path), lines)
    if not hashes:
        raise BadInput(f"the users file {path} names no user")
    return Logins(hashes)


def add_user(path: Path, user: str, password: str) -> bool:
    """Write ``user``'s hash into the users file (created 0600); returns True when it replaced one.

    Other lines (comments, other users) are kept as they are; the file is replaced atomically so a crash
    never leaves half a users file. An existing plain-text line for another user is left for its owner to
    re-add (``load_users`` names it).
    """
    user = user.strip()
    if not user or ":" in user or any(ch.isspace() for ch in user):
        raise BadInput("a user name is non-empty, without ':' or spaces")
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read the users file {path}: {exc}") from exc
    entry = f"{user}:{hash_password(password)}"
    kept = [line for line in lines if line.strip().partition(":")[0].strip() != user]
    replaced = len(kept) != len(lines)
    text = "\n".join([*kept, entry]) + "\n"
    folder = path.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=".users.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(f"cannot write the users file {path}: {exc.strerror or exc}") from exc
    return replaced
