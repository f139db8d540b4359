"""The producer's desk as ``Studio`` methods: promotion to the final tier, usage and quotas, API keys.

Why a module of its own: ``Studio`` is the one facade, but each group of its calls is a thin door onto one
package (here ``agents.desk``); keeping the groups in their own files keeps the facade readable. The
methods only delegate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from agents.production.board import TakeView
from agents.settings import Settings
from memory.store import Store

if TYPE_CHECKING:
    from agents.desk import Estimate
    from agents.desk.quota import Balance
    from generator.base import Generator


class DeskCalls:
    """Mixed into ``Studio``; uses its store, settings, lock and final-tier generator."""

    store: Store
    settings: Settings
    final_generator: Generator | None
    _lock: Callable[[str], AbstractContextManager[None]]

    def promote(
        self, project: str, *, shots: Iterable[str] = (), scene: str | None = None, whole: bool = False,
        progress: Callable[[str, float], None] | None = None,
    ) -> list[TakeView]:
        """Render approved draft shots again at the final tier (``agents.desk.tiers``): named ``shots``, one
        ``scene`` or the ``whole`` film. ``QuotaExceeded`` before anything renders when the user's final-tier
        minutes would run out; ``ShotsNotApproved`` when a shot has no approved draft."""
        from agents.desk.tiers import promote, shots_to_promote

        with self._lock(project):
            keys = shots_to_promote(self.store, project, shots=shots, scene=scene, whole=whole)
            if self.final_generator is None:
                from agents.shots.clip_limit import generator_options
                from generator.registry import get

                final = self.settings.model_copy(update={"backend": self.settings.final_backend})
                self.final_generator = get(final.backend, **generator_options(final))
            takes = promote(self.store, self.settings, self.final_generator, project, keys, progress=progress)
        return [
            TakeView(id=int(t.id or 0), number=t.number, status=t.status, path=t.path, tier=t.tier) for t in takes
        ]

    def promotion_estimate(
        self, project: str, *, shots: Iterable[str] = (), scene: str | None = None, whole: bool = False, gpus: int = 1,
    ) -> Estimate:
        """What promoting these shots to the final tier will cost, before it runs (``settings.final_backend``)."""
        from agents.desk.tiers import promotion_estimate, shots_to_promote

        keys = shots_to_promote(self.store, project, shots=shots, scene=scene, whole=whole)
        return promotion_estimate(self.store, self.settings, project, keys, gpus=gpus)

    def usage(self, user: str | None, month: str | None = None) -> list[Balance]:
        """``user``'s rendered output seconds and quota this month, per tier (``None``/``''`` = the local user)."""
        from agents.desk.quota import balances

        return balances(self.store, self.settings, user or "", month)

    def usage_by_user(self, month: str | None = None) -> dict[str, list[Balance]]:
        """Every user who rendered in ``month`` (default: this one), for an operator."""
        from agents.desk.quota import balances, this_month

        month = month or this_month()
        users = sorted({user for user, _tier in self.store.usage(None, month)})
        return {user: balances(self.store, self.settings, user, month) for user in users}

    def create_api_key(self, user: str) -> str:
        """A new public-API key for ``user``, returned once (only its hash is kept: ``agents.desk.api_keys``)."""
        from agents.desk.api_keys import create_key

        return create_key(self.store, user)

    def check_promotion(self, project: str, *, shots: Iterable[str] = (), scene: str | None = None, whole: bool = False) -> None:
        """Whether the promotion may start: ``QuotaExceeded`` (saying what is left) when it would pass the owner's
        final-tier quota, ``ShotsNotApproved`` without approved drafts. ``promote`` checks again when it runs."""
        from agents.desk.tiers import check_promotion, shots_to_promote

        check_promotion(self.store, self.settings, project, shots_to_promote(self.store, project, shots=shots, scene=scene, whole=whole))

    def film_path(self, project: str, tier: Literal["draft", "final"] = "draft") -> Path | None:
        """The film last cut at ``tier`` (None until there is one)."""
        from agents.production.cut import film_name

        folder = self.settings.cuts_dir / film_name(project) / ("final" if tier == "final" else "")
        path = folder / f"{film_name(project)}.mp4"
        return path if path.is_file() else None

    def user_for_api_key(self, key: str) -> str | None:
        """Whose key this is; None for a wrong, unknown or malformed key."""
        from agents.desk.api_keys import user_for_key

        return user_for_key(self.store, key)
