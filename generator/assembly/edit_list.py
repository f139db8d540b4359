"""The editor's plain request: an ``EditList`` says what the film is made of, in story order.

Why plain models: ``generator`` never sees database rows. The agents read the approved takes, the
screenplay's dialogue, the director's transitions and the critic's scores from story memory and copy
them into an ``EditList``; the assembly turns it into a film, subtitles and a timeline. Anything that
produces an ``EditList`` (a test, a script, a future web editor) can cut a film.

Time is planned in seconds here; ``plan.py`` snaps it to whole frames once, so every output (video,
subtitles, timeline) agrees to the frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TransitionKind = Literal["cut", "dissolve", "fade"]


#: The cards of a film of ``FULL_CARDS_FROM_S`` or more: a 2 s title, 3 s of credits (the crew, the creator, the models).
TITLE_S = 2.0
CREDITS_S = 3.0
#: From this running time on the cards have their full lengths; below it they shrink with the film.
FULL_CARDS_FROM_S = 30.0
#: The shortest title card (a flash of the title is still a title); a credits card shorter than
#: ``SHORTEST_CREDITS_S`` cannot be read, so a film that short has none.
SHORTEST_TITLE_S = 0.5
SHORTEST_CREDITS_S = 1.0


def card_lengths(runtime_s: float) -> tuple[float, float]:
    """The title card's and the credits card's lengths (seconds) of a film meant to run ``runtime_s``.

    Why one policy: the running time a creator asks for is the length of the film they get, and the cards
    are part of it. The planner gives the shots the runtime minus these cards (``shots_time_s``), the
    grammar's ``runtime`` rule and ``agents.production.runtime_fit`` count them, and the cut makes them this
    long; all four ask here, so they agree. (A 12 s film was cut at 16.3 s: 2 s + 3 s of cards on top.)

    Why these lengths: the full 2 s + 3 s are a sixth of a 30 s film; a shorter film keeps that share, so
    its cards shrink in proportion (12 s: 0.8 s + 1.2 s; 10 s: 0.67 s + 1 s) instead of eating a third of
    it. The title never goes under ``SHORTEST_TITLE_S``; a credits card under ``SHORTEST_CREDITS_S`` is
    dropped: a film under 10 s has a title and no credits, since a card of credit lines
    flashed for under a second is noise, not credit.
    """
    share = min(1.0, max(0.0, float(runtime_s)) / FULL_CARDS_FROM_S)
    title = round(max(SHORTEST_TITLE_S, TITLE_S * share), 2)
    credits = round(CREDITS_S * share, 2)
    return title, credits if credits >= SHORTEST_CREDITS_S else 0.0


def shots_time_s(runtime_s: float) -> float:
    """The seconds of a ``runtime_s``-second film that its shots share: the runtime minus its cards."""
    title, credits = card_lengths(runtime_s)
    return max(0.0, float(runtime_s) - title - credits)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Transition(_Model):
    """How a clip comes in after the one before it.

    - ``cut``: straight cut; ``duration_s`` is ignored (always 0).
    - ``dissolve``: the two clips overlap for ``duration_s`` and cross-fade (``xfade`` + ``acrossfade``);
      the film gets ``duration_s`` shorter.
    - ``fade``: dip to black: the outgoing clip fades out over the first half of ``duration_s`` and the
      incoming one fades in over the second half; nothing overlaps, the film keeps its length.

    A dissolve or fade into the first clip of the film (nothing before it) becomes a fade in from black.
    """

    kind: TransitionKind = "cut"
    duration_s: float = Field(
        0.0, ge=0.0, le=10.0, description="Length of the transition in seconds (0 for a cut)."
    )

    @model_validator(mode="after")
    def _cut_has_no_length(self) -> Transition:
        if self.kind == "cut" and self.duration_s:
            object.__setattr__(self, "duration_s", 0.0)
        return self


class DialogueLine(_Model):
    """One line spoken in a shot, for the subtitles (timed by the speech when it was voiced)."""

    character: str = Field("", description="Name of the speaker as the audience knows them ('' = no label).")
    text: str = Field(description="What is said.")
    start_s: float | None = Field(
        None, ge=0, description="Where the voiced line starts, seconds from the clip's first frame (None: not voiced)."
    )
    end_s: float | None = Field(None, gt=0, description="Where the voiced line ends, seconds from the clip's first frame.")


class Soundtrack(_Model):
    """The film's mixed sound (``generator.sound.mix_film``): the mix replaces the takes' own audio.

    ``key`` is a hash of the mix's content, so a changed mix makes a new cut even when its paths stay the same.
    """

    mix: Path = Field(description="The mix (a WAV as long as the film).")
    stems: dict[str, Path] = Field(default_factory=dict, description="Stem name → WAV (dialogue, ambience, music).")
    key: str = Field(min_length=1, description="Content hash of the mix.")


class EditClip(_Model):
    """One shot of the cut: which file, for how long, how it comes in, what is said in it."""

    shot_id: str = Field(min_length=1, description="The shot's id; errors, markers and clip names use it.")
    path: Path = Field(description="The take's video file (any size, frame rate or codec ffmpeg reads).")
    duration_s: float = Field(
        gt=0, le=600, description="Planned length; the take is trimmed or held on its last frame to it."
    )
    transition_in: Transition = Field(default_factory=Transition)
    dialogue: tuple[DialogueLine, ...] = ()
    scores: dict[str, Any] = Field(
        default_factory=dict, description="The critic's scores for this take (timeline markers carry them)."
    )
    scene_id: str = Field("", description="The shot's scene, for timeline markers.")
    label: str = Field("", description="Free text for the timeline (e.g. 'take 3'); not shown in the film.")


class EditList(_Model):
    """A whole film: title card, clips in story order, end credits, and the delivery format."""

    title: str = Field("", description="Shown on the opening title card; '' with title_s=0 for no card.")
    credits: tuple[str, ...] = Field((), description="Lines of the end credits card, top to bottom.")
    clips: tuple[EditClip, ...] = Field(min_length=1)
    width: int = Field(640, ge=16, le=4096, description="Frame width of the film (even).")
    height: int = Field(360, ge=16, le=4096, description="Frame height of the film (even).")
    fps: int = Field(24, ge=1, le=120)
    sample_rate: int = Field(48_000, ge=8_000, le=192_000)
    title_s: float = Field(
        TITLE_S, ge=0, le=30, description="Length of the title card; 0 = no title card (a film's own: ``card_lengths``)."
    )
    credits_s: float = Field(
        CREDITS_S, ge=0, le=60, description="Length of the credits card; 0 = no credits card (``card_lengths``)."
    )
    credits_transition: Transition = Field(
        default_factory=lambda: Transition(kind="fade", duration_s=1.0),
        description="How the credits come in after the last shot.",
    )
    language: str = Field(
        "eng", pattern=r"^[a-z]{3}$", description="ISO 639-2 code of the subtitles' language."
    )
    soundtrack: Soundtrack | None = Field(
        None, description="The film's mix and stems; None keeps the takes' own audio."
    )

    @model_validator(mode="after")
    def _even_size_unique_shots(self) -> EditList:
        if self.width % 2 or self.height % 2:
            raise ValueError(
                f"width and height must be even for H.264 yuv420p, got {self.width}x{self.height}"
            )
        seen: set[str] = set()
        for clip in self.clips:
            if clip.shot_id in seen:
                raise ValueError(f"shot {clip.shot_id!r} appears twice in the edit list")
            seen.add(clip.shot_id)
        return self
