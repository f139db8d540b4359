"""Id patterns the roles' schemas use, so an LLM can only produce ids that are safe as keys and file names."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

CHARACTER_ID = r"^[a-z][a-z0-9_]{0,15}$"
SCENE_ID = r"^s[0-9]{1,3}$"
SHOT_ID = r"^s[0-9]{1,3}-[0-9]{2,3}[a-z]?$"

CharacterId = Annotated[str, Field(pattern=CHARACTER_ID, description="Lower-case id, e.g. 'mara'.")]
SceneId = Annotated[str, Field(pattern=SCENE_ID, description="Scene id, e.g. 's1'.")]
