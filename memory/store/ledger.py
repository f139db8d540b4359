"""The usage ledger and the public API's keys: what each user rendered, and how they prove who they are.

Why in memory: quotas are checked against the ledger before a render starts, and an operator reads it
(``dailies usage``); both must survive restarts and be shared by every process on the database. Keys are
kept only as hashes (the hashing itself is the caller's: ``agents.desk.api_keys``), found by a short
public id so a request costs one hash verification, not one per stored key.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from memory.errors import InvalidValue
from memory.models import TIERS, ApiKey, UsageEntry
from memory.store.base import StoreBase
from memory.store.fields import one_of


class LedgerStore(StoreBase):
    def add_usage(self, user: str, month: str, tier: str, seconds: float, *, project_id: str = "", shot_key: str = "") -> UsageEntry:
        """Record ``seconds`` of output rendered by ``user`` (``''`` = local) in ``month`` ('YYYY-MM') at ``tier``."""
        one_of("tier", tier, TIERS)
        if not (len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit()):
            raise InvalidValue(f"month: expected 'YYYY-MM', got {month!r}")
        if not seconds >= 0:
            raise InvalidValue(f"seconds: a render's output length is 0 or more, got {seconds!r}")
        with self.session() as s:
            entry = UsageEntry(user=user, month=month, tier=tier, seconds=float(seconds), project_id=project_id, shot_key=shot_key)
            s.add(entry)
            return entry

    def usage(self, user: str | None, month: str) -> dict[tuple[str, str], float]:
        """Seconds rendered in ``month`` by (user, tier); only ``user``'s rows when given."""
        with self.session(write=False) as s:
            query = select(UsageEntry.user, UsageEntry.tier, func.sum(UsageEntry.seconds)).where(UsageEntry.month == month)
            if user is not None:
                query = query.where(UsageEntry.user == user)
            rows = s.exec(query.group_by(UsageEntry.user, UsageEntry.tier)).all()
            return {(str(u), str(t)): float(total or 0.0) for u, t, total in rows}

    def add_api_key(self, user: str, key_id: str, secret_hash: str) -> ApiKey:
        if not user:
            raise InvalidValue("user: an API key belongs to a named user")
        with self.session() as s:
            key = ApiKey(user=user, key_id=key_id, secret_hash=secret_hash)
            s.add(key)
            return key

    def api_key(self, key_id: str) -> ApiKey | None:
        with self.session(write=False) as s:
            return s.exec(select(ApiKey).where(col(ApiKey.key_id) == key_id)).first()

    def api_keys(self, user: str) -> list[ApiKey]:
        with self.session(write=False) as s:
            return list(s.exec(select(ApiKey).where(ApiKey.user == user).order_by(col(ApiKey.id))).all())
