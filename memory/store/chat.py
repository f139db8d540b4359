"""The project's chat and its story facts (continuity notes such as "Mara has a scar since s2")."""

from __future__ import annotations

from typing import Any

from memory.errors import InvalidValue
from memory.models import ChatMessage, StoryFact
from memory.store.base import StoreBase
from memory.store.fields import checked


class ChatStore(StoreBase):
    def add_message(self, project_id: str, role: str, content: str, *, data: dict[str, Any] | None = None) -> ChatMessage:
        """Append to the project's chat; ``data`` carries a role's structured answer beside its text."""
        if not isinstance(role, str) or not role:
            raise InvalidValue("chat message role must be non-empty text")
        fields = checked(ChatMessage, {"data": {} if data is None else data}, "chat message")
        with self.session() as s:
            self._project(s, project_id)
            message = ChatMessage(project_id=project_id, role=role, content=str(content), data=dict(fields["data"]))
            s.add(message)
            return message

    def messages(self, project_id: str) -> list[ChatMessage]:
        return self._rows(ChatMessage, project_id, ChatMessage.id)

    def add_fact(self, project_id: str, subject: str, fact: str, *, since_scene: str | None = None, until_scene: str | None = None) -> StoryFact:
        if not subject or not fact:
            raise InvalidValue("a story fact needs a subject and a fact")
        fields = checked(StoryFact, {"subject": subject, "fact": fact, "since_scene": since_scene, "until_scene": until_scene}, "story fact")
        with self.session() as s:
            self._project(s, project_id)
            row = StoryFact(project_id=project_id, **fields)
            s.add(row)
            return row

    def facts(self, project_id: str) -> list[StoryFact]:
        return self._rows(StoryFact, project_id, StoryFact.id)
