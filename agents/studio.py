"""``Studio``: the one facade the user interfaces (Gradio, CLI) call to change a production.

Why a facade: the UI must not know about graphs, checkpoints or backends. It asks the studio to start
a project, send a chat message, list what waits for a person, record a decision, and cut the film;
the studio wires settings, story memory, the LLM and the generator together (composition root).
Reading for display may go to ``studio.store`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agents.settings import Settings, load_settings
from memory.models import Project
from memory.store import Store


@dataclass
class Studio:
    """A production studio over one story memory."""

    settings: Settings = field(default_factory=load_settings)
    store: Store = field(init=False)

    def __post_init__(self) -> None:
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.store_url)

    def new(self, premise: str, *, runtime_s: float = 60.0, style: str = "", title: str = "", owner: str | None = None) -> Project:
        """Start a project from a premise; the premise is the first message of its chat."""
        project = self.store.create_project(premise, title=title, target_runtime_s=runtime_s, style_notes=style, owner=owner)
        self.store.add_message(project.id, "creator", premise)
        return project

    def close(self) -> None:
        self.store.close()
