"""Takes, reviews and decisions: what was rendered for a shot, what the critic said, what the creator chose."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from memory.models import DECISION_KINDS, TAKE_STATUSES, TIERS, Decision, Review, Take
from memory.store.base import StoreBase
from memory.store.fields import checked, one_of


class TakeStore(StoreBase):
    def add_take(self, project_id: str, shot_key: str, **fields: Any) -> Take:
        fields = checked(Take, fields, "take")
        if "status" in fields:
            one_of("status", fields["status"], TAKE_STATUSES)
        if "tier" in fields:
            one_of("tier", fields["tier"], TIERS)
        with self.session() as s:
            shot = self._shot(s, project_id, shot_key)
            count = s.exec(select(func.count()).select_from(Take).where(Take.shot_id == shot.id)).one()
            take = Take(project_id=project_id, shot_id=shot.id, number=int(count) + 1, **fields)  # type: ignore[arg-type]
            s.add(take)
            return take

    def take(self, take_id: int) -> Take:
        with self.session(write=False) as s:
            return self._get(s, Take, take_id, "take")

    def takes(self, project_id: str, shot_key: str | None = None) -> list[Take]:
        with self.session(write=False) as s:
            query = select(Take).where(Take.project_id == project_id)
            if shot_key is not None:
                query = query.where(Take.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Take.id)).all())  # type: ignore[arg-type]

    def set_take_status(self, take_id: int, status: str, *, reason: str | None = None) -> Take:
        """Set a take's status; ``reason`` says why (kept as ``stale_reason`` when the status is 'stale', else cleared)."""
        one_of("status", status, TAKE_STATUSES)
        checked(Take, {"stale_reason": reason}, "take")
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            take.status = status
            take.stale_reason = reason if status == "stale" else None
            s.add(take)
            return take

    def add_review(self, take_id: int, *, reviewer: str, verdict: str, scores: dict[str, Any] | None = None, notes: str = "") -> Review:
        fields = checked(Review, {"reviewer": reviewer, "verdict": verdict, "scores": scores or {}, "notes": notes}, "review")
        with self.session() as s:
            take = self._get(s, Take, take_id, "take")
            review = Review(project_id=take.project_id, take_id=take_id, **fields)
            s.add(review)
            return review

    def reviews(self, take_id: int) -> list[Review]:
        with self.session(write=False) as s:
            self._get(s, Take, take_id, "take")
            return list(s.exec(select(Review).where(Review.take_id == take_id).order_by(Review.id)).all())  # type: ignore[arg-type]

    def add_decision(
        self, project_id: str, kind: str, *, shot_key: str | None = None, take_id: int | None = None, by: str = "creator", note: str = ""
    ) -> Decision:
        one_of("kind", kind, DECISION_KINDS)
        checked(Decision, {"by": by, "note": note}, "decision")
        with self.session() as s:
            self._project(s, project_id)
            shot_id = self._shot(s, project_id, shot_key).id if shot_key else None
            if take_id is not None:
                self._get(s, Take, take_id, "take")
            decision = Decision(project_id=project_id, shot_id=shot_id, take_id=take_id, kind=kind, by=by, note=note)
            s.add(decision)
            return decision

    def decisions(self, project_id: str, shot_key: str | None = None) -> list[Decision]:
        with self.session(write=False) as s:
            query = select(Decision).where(Decision.project_id == project_id)
            if shot_key is not None:
                query = query.where(Decision.shot_id == self._shot(s, project_id, shot_key).id)
            return list(s.exec(query.order_by(Decision.id)).all())  # type: ignore[arg-type]
