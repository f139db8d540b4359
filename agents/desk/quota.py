"""The usage ledger and the monthly quota: what each user rendered, and whether a render may start.

Why output seconds (not GPU-seconds): that is what a person asks for and can plan with ("10 final-tier
minutes a month", the seed service's free tier), and it is known *before* a render — the planned shots'
durations — so the check runs before anything is spent. The ledger (``memory.models.UsageEntry``) is
written after each render that made a new take; a reused take costs nothing.

Users: a project's ``owner``; ``''`` is the local single user (a project without an owner). The quota
setting ``quota_final_minutes`` (None = unlimited, the default for a local installation) applies to each
user separately; the draft tier is recorded, not limited.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from agents.errors import QuotaExceeded
from agents.settings import Settings
from memory.models import TIERS
from memory.store import Store


class Balance(BaseModel):
    """One user's month at one tier."""

    user: str = Field(description="'' is the local single user.")
    month: str = Field(description="UTC month, 'YYYY-MM'.")
    tier: str
    used_s: float = Field(description="Output seconds rendered this month at this tier.")
    limit_s: float | None = Field(description="The monthly quota in seconds; None = unlimited.")
    remaining_s: float | None = Field(description="What is left this month; None = unlimited.")

    def line(self) -> str:
        left = "unlimited" if self.remaining_s is None or self.limit_s is None else f"{self.remaining_s / 60:.2f} of {self.limit_s / 60:g} min left"
        return f"{self.tier}: {self.used_s / 60:.2f} min rendered in {self.month} ({left})"


def this_month(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m")


def limit_s(settings: Settings, tier: str) -> float | None:
    """The monthly quota of ``tier`` in seconds (None = unlimited)."""
    return settings.quota_final_minutes * 60 if tier == "final" and settings.quota_final_minutes is not None else None


def balances(store: Store, settings: Settings, user: str, month: str | None = None) -> list[Balance]:
    """``user``'s month, one ``Balance`` per tier."""
    month = month or this_month()
    used = store.usage(user, month)
    result = []
    for tier in TIERS:
        spent, cap = used.get((user, tier), 0.0), limit_s(settings, tier)
        result.append(Balance(
            user=user, month=month, tier=tier, used_s=round(spent, 3), limit_s=cap,
            remaining_s=None if cap is None else round(max(0.0, cap - spent), 3),
        ))
    return result


def check_quota(store: Store, settings: Settings, user: str, tier: str, needed_s: float) -> Balance:
    """Raise ``QuotaExceeded`` (saying what is left) when rendering ``needed_s`` output seconds at ``tier``
    would pass ``user``'s quota this month; return the balance before the render otherwise."""
    balance = next(b for b in balances(store, settings, user) if b.tier == tier)
    if balance.limit_s is not None and balance.used_s + needed_s > balance.limit_s + 1e-6:
        who = f"user {user!r}" if user else "this installation"
        raise QuotaExceeded(
            f"over quota: this {tier} render needs {needed_s / 60:.2f} min but {who} has "
            f"{(balance.remaining_s or 0.0) / 60:.2f} of {balance.limit_s / 60:g} {tier}-tier minutes left in {balance.month}",
            user=user, tier=tier, limit_s=balance.limit_s, used_s=balance.used_s, needed_s=needed_s,
        )
    return balance


def record(store: Store, user: str | None, tier: str, seconds: float, *, project: str, shot: str) -> None:
    """Add one render to the ledger (output seconds, this month)."""
    store.add_usage(user or "", this_month(), tier, seconds, project_id=project, shot_key=shot)
