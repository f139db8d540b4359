"""The backend protocol: a ``RenderRequest`` goes in, a ``RenderedTake`` (a video file plus what made it) comes out.

Why a plain request and not a database row: ``generator`` is a leaf package. The agents compile a shot
(character sheets, wardrobe, staging) into this request (``agents/shots/requests.py``); any backend —
the CPU animatic, a diffusers video model, later a remote service — renders it without knowing where it
came from. Renders are idempotent and content-addressed (``generator/takes.py``): the file name comes from
``request.key()``, so asking twice for the same shot costs one render.

Adding a backend: a class with ``name``, ``check(request)`` and ``render(request, out_dir, progress)``,
plus one line in ``generator/registry.py``. The contract test runs every backend that can run on a CPU.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from generator.errors import BadRequest

#: Shot sizes, widest to tightest (the shot-list spec's values; INSERT is an object detail).
SHOT_SIZES: tuple[str, ...] = ("EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT")
ShotSize = Literal["EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU", "INSERT"]
Facing = Literal["left", "right", "camera", "away"]
#: Camera moves a backend understands; anything else is refused by the request, not guessed.
CAMERA_MOVES: tuple[str, ...] = (
    "static", "pan_left", "pan_right", "tilt_up", "tilt_down", "dolly_in", "dolly_out",
    "zoom_in", "zoom_out", "truck_left", "truck_right", "arc_left", "arc_right", "handheld",
)  # fmt: skip
CameraMove = Literal[
    "static", "pan_left", "pan_right", "tilt_up", "tilt_down", "dolly_in", "dolly_out",
    "zoom_in", "zoom_out", "truck_left", "truck_right", "arc_left", "arc_right", "handheld",
]  # fmt: skip

#: Camera heights, lowest first: "low" looks up at the subject, "high" looks down on it.
CAMERA_HEIGHTS: tuple[str, ...] = ("ground", "low", "eye", "high", "overhead")
CameraHeight = Literal["ground", "low", "eye", "high", "overhead"]

#: A progress callback: fraction done in 0…1 and a short message ("step 3/30", "encoding").
Progress = Callable[[float, str], None]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StagedCharacter(_Frozen):
    """One character's place in the frame."""

    id: str = Field(
        min_length=1, description="Character id; keys ``references`` and seeds the figure's look."
    )
    name: str = Field("", description="Label drawn under the figure; defaults to the id.")
    x: float = Field(
        0.5, ge=0.0, le=1.0, description="Horizontal position on screen, 0 left edge … 1 right edge."
    )
    facing: Facing = Field("camera", description="Which way the character looks on screen.")
    colour: str | None = Field(
        None, description="Colour hint, e.g. 'red' or '#c0392b' (from wardrobe); None = derived from the id."
    )
    description: str = Field(
        "", description="The character sheet and wardrobe, verbatim: what a casting portrait shows."
    )


class SpokenLine(_Frozen):
    """One line heard in the shot, as a picture needs it: who says it, and how open their mouth is per frame.

    Why per frame and not the audio: the generator is a leaf and renders pictures; the agents measure the
    voiced line (``generator.voice.envelope``) at the request's fps and send only the openness, so the
    request stays small and its hash changes exactly when the voicing does (a re-voice re-renders).
    """

    character: str = Field(
        min_length=1, description="Id of the speaker; a speaker not staged in the shot is heard, not drawn."
    )
    start_frame: int = Field(ge=0, description="Frame of the shot in which the line's first sample sounds.")
    mouth: tuple[Annotated[float, Field(ge=0.0, le=1.0)], ...] = Field(
        description="Mouth openness per frame from ``start_frame``: 0 closed … 1 wide open (the speech envelope)."
    )


class Slate(_Frozen):
    """Scene, shot and take labels burnt into the corner of a preview."""

    scene: str = ""
    shot: str = ""
    take: int = Field(1, ge=1)


class RenderRequest(_Frozen):
    """Everything a backend needs to render one take of one shot.

    Give ``frames`` for an exact count (a backend whose model needs e.g. 4k+1 frames refuses other
    counts), or ``duration_s`` and let the backend pick the nearest count its model accepts.
    ``steps``/``guidance`` left ``None`` take the backend preset's defaults.
    """

    prompt: str = Field(description="What the shot shows, in words; the character sheets are in it verbatim.")
    negative_prompt: str = ""
    references: dict[str, str] = Field(
        default_factory=dict, description="Character id → reference image path."
    )
    staging: tuple[StagedCharacter, ...] = ()
    shot_size: ShotSize = "MS"
    camera_move: CameraMove = "static"
    camera_height: CameraHeight = Field(
        "eye", description="Where the camera stands: ground, low (looking up), eye, high (looking down), overhead."
    )
    time_of_day: str = Field(
        "day", description="day, night, dawn, dusk, … (free text; unknown words draw as day)."
    )
    location: str = ""
    caption: str = Field("", description="Dialogue shown as a caption.")
    props: tuple[str, ...] = Field(
        (), description="Objects the story tracks in this shot, with their state ('lamp: cracked glass'); the animatic labels them."
    )
    speech: tuple[SpokenLine, ...] = Field(
        (), description="The lines heard in the shot with their speakers' mouth openness per frame; the animatic draws it."
    )
    slate: Slate = Field(default_factory=Slate)
    width: int = Field(640, ge=16, le=4096)
    height: int = Field(360, ge=16, le=4096)
    frames: int | None = Field(None, ge=1, le=10_000)
    duration_s: float | None = Field(None, gt=0, le=600)
    fps: float = Field(24.0, gt=0, le=120)
    seed: int = Field(0, ge=0, lt=2**63)
    steps: int | None = Field(None, ge=1, le=1000)
    guidance: float | None = Field(None, ge=0, le=50)
    options: dict[str, Any] = Field(
        default_factory=dict, description="Backend-specific options that change pixels."
    )

    @model_validator(mode="after")
    def _length_given(self) -> RenderRequest:
        if self.frames is None and self.duration_s is None:
            raise ValueError("give frames or duration_s")
        return self

    @classmethod
    def build(cls, **fields: Any) -> RenderRequest:
        """Validate ``fields`` into a request; a validation failure becomes ``BadRequest`` naming the fields."""
        try:
            return cls(**fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'request'}: {e['msg']}" for e in exc.errors()
            )
            raise BadRequest(f"bad render request: {problems}") from exc

    def frame_count(self) -> int:
        """Frames asked for: ``frames`` if given, else ``round(duration_s × fps)`` (at least 1)."""
        if self.frames is not None:
            return self.frames
        assert self.duration_s is not None
        return max(1, round(self.duration_s * self.fps))

    def key(self) -> str:
        """sha256 of the canonical JSON of every field that affects the pixels.

        Reference images count by content (their bytes' digest), not only by path, so replacing a
        portrait re-renders the shots that use it.
        """
        data = self.model_dump(mode="json")
        if not data["props"]:  # added later: left out when empty, so takes rendered before keep their names
            del data["props"]
        if not data["speech"]:  # the same for speech: a shot without lines keeps the name it had
            del data["speech"]
        if data["camera_height"] == "eye":  # the same for the camera's height: an eye-level shot keeps its name
            del data["camera_height"]
        data["references"] = {cid: _file_digest(path) for cid, path in sorted(self.references.items())}
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _file_digest(path: str) -> str:
    p = Path(path)
    try:
        return "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError:
        return "missing:" + path


class RenderedTake(BaseModel):
    """One rendered video file and what made it (written beside the file as ``<name>.json``)."""

    model_config = ConfigDict(extra="allow")

    path: Path
    request_hash: str
    seed: int
    backend: str = Field(
        description="Registry spec of the backend, e.g. 'animatic' or 'diffusers:wan2.1-t2v-1.3b'."
    )
    model: str = Field(description="What drew the pixels: a hub id, or 'animatic/1'.")
    frame_count: int
    width: int
    height: int
    fps: float
    timings: dict[str, float] = Field(
        default_factory=dict, description="Seconds per phase: load, denoise, decode, encode, total."
    )
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Settings actually used: steps, guidance, dtype, compile, cache…"
    )
    reused: bool = Field(False, description="True when an existing file was returned instead of rendering.")

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, declared by the backend, so callers ask instead of recognising it by name.

    The critic reads these to decide which checks mean what (``agents/review/take_review.py``); the crew
    reads ``longest_clip_s`` to keep every planned shot renderable in one clip.
    """

    #: Longest clip one render can produce, in seconds.
    longest_clip_s: float = 10.0
    #: Figures are drawn at their staged x in known colours, so the critic can locate each character.
    draws_staging_marks: bool = False
    #: A static shot is drawn as a still picture: a frozen stretch is the plan, not a defect.
    static_is_still: bool = False
    #: The speaker's mouth follows ``RenderRequest.speech``; backends without it are sent no speech, so
    #: a re-voiced line does not re-render their takes.
    draws_speech: bool = False
    #: Renders spend GPU time, which counts against the film's GPU budget.
    uses_gpu: bool = True


@runtime_checkable
class Generator(Protocol):
    """A video backend. ``render`` is idempotent: the same request returns the existing take."""

    name: str
    #: What it can do (see ``Capabilities``).
    capabilities: Capabilities

    def check(self, request: RenderRequest) -> None:
        """Raise ``BadRequest`` if this backend cannot render ``request`` as asked (nothing is written)."""
        ...

    def render(self, request: RenderRequest, out_dir: Path, progress: Progress | None = None) -> RenderedTake:
        """Render ``request`` into ``out_dir`` (file name from the request's hash) and describe the result."""
        ...
