"""The shot-list file (`*.shots.json`, format ``dailies.shotlist/1``) as pydantic models.

This is the one interchange format for a film's plan (see ``docs/shotlist-format.md``): what
``dailies check`` reads, what ``dailies export --shots`` writes, and what a creator edits by hand.

Why these models are lenient: every file that satisfies the spec must be accepted and unknown extra
fields must be *kept*, so every model allows extras and round-trips them. Range checks (``x`` outside
0…1, a duration ≤ 0, an unknown ``size``) are deliberately *not* enforced here: they are findings of
the grammar rule ``bad_value``, which explains them in film language instead of refusing the file.
Only the shape is enforced here (a list where a list belongs, a number where a number belongs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Final

from pydantic import BaseModel, ConfigDict, FailFast, Field

from memory.story import CharacterVoice

FORMAT: Final = "dailies.shotlist/1"

#: Shot sizes, widest to tightest. INSERT is an object detail and sorts after ECU.
SIZES: Final[tuple[str, ...]] = ("EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT")
FRAMINGS: Final[tuple[str, ...]] = ("single", "two_shot", "group", "ots", "pov", "insert")
FACINGS: Final[tuple[str, ...]] = ("left", "right", "camera", "away")
DIRECTIONS: Final[tuple[str, ...]] = ("left_to_right", "right_to_left", "toward", "away")
CAMERA_MOVES: Final[tuple[str, ...]] = (
    "static", "pan_left", "pan_right", "tilt_up", "tilt_down", "dolly_in", "dolly_out",
    "zoom_in", "zoom_out", "truck_left", "truck_right", "arc_left", "arc_right", "handheld",
)
HEIGHTS: Final[tuple[str, ...]] = ("ground", "low", "eye", "high", "overhead")


class _Open(BaseModel):
    """Base for every shot-list model: unknown fields are kept and written back out."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Staging(_Open):
    """One character's place in a shot: where they stand on screen and which way they look."""

    id: str = Field(description="Character id, declared in the file's `characters`.")
    x: float = Field(0.5, description="Horizontal position on screen, 0.0 left edge … 1.0 right edge.")
    facing: str = Field("camera", description="Which way the character looks on screen: left, right, camera, away.")


class Camera(_Open):
    """Where the camera is and what it does."""

    angle_deg: float = Field(0.0, description="Horizontal position around the subject, -180…180; 0 = the scene's master angle.")
    height: str = Field("eye", description="Camera height: ground, low, eye, high, overhead.")
    move: str = Field("static", description="Camera move over the shot, e.g. static, pan_left, dolly_in, handheld.")
    lens_mm: float | None = Field(None, description="Focal length in millimetres (35 mm equivalent).")


class Movement(_Open):
    """Screen direction of one subject's movement within the shot."""

    character: str = Field(description="Character id of the moving subject.")
    direction: str = Field(description="left_to_right, right_to_left, toward or away.")


class DialogueLine(_Open):
    """One line spoken in the shot."""

    character: str = Field(description="Character id of the speaker.")
    line: str = Field(description="What is said.")
    parenthetical: str | None = Field(None, description="Delivery note, e.g. 'quietly'.")


class Shot(_Open):
    """One planned shot."""

    id: str = Field(description="Shot id, unique in the file, e.g. 's1-01'.")
    size: str = Field("MS", description="Shot size: EWS WS FS MWS MS MCU CU ECU INSERT.")
    duration_s: float = Field(3.0, description="Planned duration in seconds (> 0).")
    framing: str | None = Field(None, description="Coverage type: single, two_shot, group, ots, pov, insert.")
    characters: list[Staging] = Field(default_factory=list, description="Who is visible and where they stand.")
    camera: Camera = Field(default_factory=Camera)
    crosses_axis: bool = Field(False, description="This shot deliberately crosses the line of action; a new axis holds from here.")
    movement: Movement | None = Field(None, description="Screen direction of a subject's movement, if any.")
    time_of_day: str | None = Field(None, description="Override of the scene's time of day for this shot only.")
    wardrobe: dict[str, str] = Field(default_factory=dict, description="Per-character wardrobe override for this shot only.")
    props: list[str] = Field(
        default_factory=list,
        description="Objects the story tracks that this shot shows, with their state, e.g. 'lamp: cracked glass' (from the continuity ledger).",
    )
    dialogue: list[DialogueLine] = Field(default_factory=list)
    description: str = Field("", description="What happens in the shot, in plain words.")
    prompt: str | None = Field(None, description="The compiled generation prompt, when one has been made.")
    lighting: str | None = Field(None, description="Lighting note, e.g. 'warm practical lamp, hard rim light'.")


class Scene(_Open):
    """One scene: a place and a time, and its shots in order."""

    id: str = Field(description="Scene id, unique in the file, e.g. 's1'.")
    heading: str = Field("", description="Scene heading, e.g. 'INT. LAMP ROOM - NIGHT'.")
    location: str = Field("", description="Location name.")
    time_of_day: str | None = Field(None, description="e.g. day, night, dawn, dusk.")
    day: int | None = Field(None, description="Story day on which the scene takes place.")
    shots: Annotated[list[Shot], FailFast()] = Field(default_factory=list)


class Character(_Open):
    """A character as the camera sees them."""

    id: str = Field(description="Character id, unique in the file, e.g. 'mara'.")
    name: str = Field("", description="Display name.")
    description: str = Field("", description="Visual description precise enough to draw the same person every time.")
    wardrobe: dict[str, str] = Field(default_factory=dict, description="Scene id (or 'default') → what they wear there.")
    voice: CharacterVoice | None = Field(None, description="How the character sounds: backend, voice_id, pitch, rate.")

    def wardrobe_in(self, scene_id: str) -> str | None:
        """What this character wears in a scene: the scene's entry, else the default, else nothing."""
        return self.wardrobe.get(scene_id, self.wardrobe.get("default"))


class ShotList(_Open):
    """A whole film's plan."""

    format: str = Field(FORMAT, description=f"Always '{FORMAT}'.")
    title: str = Field("", description="Film title.")
    target_runtime_s: float | None = Field(None, description="Intended running time in seconds.")
    # FailFast: a list of junk is one problem at its first bad item, not millions of errors collected.
    characters: Annotated[list[Character], FailFast()] = Field(default_factory=list)
    scenes: Annotated[list[Scene], FailFast()] = Field(default_factory=list)

    def shots(self) -> list[tuple[Scene, Shot]]:
        """Every shot in film order, with its scene."""
        return [(scene, shot) for scene in self.scenes for shot in scene.shots]

    def character(self, character_id: str) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)

    def to_json(self) -> str:
        """The file's text: stable key order, extras kept, nothing dropped."""
        return json.dumps(self.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the shot-list file, generated from these models."""
    schema = ShotList.model_json_schema()
    schema["$id"] = "https://dailies.invalid/schema/shotlist-1.json"
    schema["title"] = "Dailies shot list (dailies.shotlist/1)"
    return schema


def schema_path() -> Path:
    """Where the generated schema ships inside the package."""
    return Path(__file__).with_name("shotlist.schema.json")
