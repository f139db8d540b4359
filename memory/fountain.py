"""Fountain screenplay import: scenes, characters and dialogue lines into the story memory.

Why a library: Fountain (https://fountain.io, the plain-text format of Highland, Slugline, Final Draft's
import) has many small rules — forced headings (``.HEADING``), forced characters (``@McCLANE``), dual
dialogue (``^``), notes (``[[ ]]``), boneyard (``/* */``), centered text (``> <``), lyrics (``~``),
sections (``#``), synopses (``=``), a title page, escapes and emphasis. ``fountain-py`` handles all of
them (tested in ``tests/memory/test_fountain.py`` on the screenplays in ``tests/memory/data/``); this
module only turns its elements into our rows. See the README's design notes for the comparison.

What is stored, per scene (``Scene``): the heading; the location and time of day parsed from it
(``CONTINUOUS``/``LATER``/``SAME`` inherit the previous scene's time); a synopsis right after the heading
as the summary; the scene's screenplay as clean Fountain text (boneyard and structure removed) in
``Scene.screenplay``; its dialogue as typed lines in ``Scene.dialogue`` (``SpokenLine``: character key,
line, parenthetical, ``extension`` like ``"V.O."``, ``dual``) and its speakers in ``Scene.cast``; the
section path it sits under in ``Scene.extra["sections"]`` (a Fountain-only field kept for round trips). Characters come from dialogue
cues with extensions (``(V.O.)``, ``(CONT'D)``) and the dual-dialogue caret stripped. How dialogue maps
to shots is the planning roles' job, not memory's.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any, Final

import fountain as fountain_py

from memory.errors import FormatError
from memory.models import Character, Location, Project, Scene
from memory.project_rows import ProjectRows
from memory.store import Store, check_key, slugify
from memory.story import SpokenLine

#: Largest screenplay accepted (a feature film is ~200 KB and 100–250 scenes). Both caps are checked
#: before fountain-py parses: 5 MB of scene headings took it a minute and 66,000 scenes.
MAX_CHARS: Final = 2_000_000
MAX_SCENES: Final = 2_000
#: A line that may be a scene heading (an upper bound of the scene count, counted before parsing).
_HEADING_LIKE = re.compile(r"^[ \t]*(?:\.(?=[^.\s])|(?:INT|EXT|EST|I\s*/\s*E|E\s*/\s*I)[\s./])", re.IGNORECASE | re.MULTILINE)

_PREFIX = re.compile(r"^(?:INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|INT|EXT|EST|I\s*/\s*E|E\s*/\s*I)(?:\.\s*|\s+)", re.IGNORECASE)
_PART_SEPARATOR = re.compile(r"\s+[-–—]+\s+")
TIMES_OF_DAY: Final = (
    "day", "night", "dawn", "dusk", "morning", "afternoon", "evening", "sunrise", "sunset", "noon",
    "midnight", "twilight", "magic hour", "early morning", "late night", "late afternoon", "early evening",
)
#: Heading words that mean "same time as the scene before".
CONTINUITY_WORDS: Final = (
    "continuous", "later", "moments later", "a moment later", "seconds later", "minutes later", "same",
    "same time", "simultaneous",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_EMPHASIS = re.compile(r"(?<!\\)[*_]")
_EXTENSION = re.compile(r"\s*\(([^()]*)\)\s*$")

_E = fountain_py.ElementType


@dataclass
class FountainScene:
    key: str
    heading: str
    location: str
    time_of_day: str | None
    summary: str = ""
    screenplay: str = ""
    dialogue: list[dict[str, Any]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    scene_number: str | None = None


@dataclass
class FountainScript:
    title: str
    title_page: dict[str, str]
    scenes: list[FountainScene]
    #: character key → display name, in order of first appearance.
    characters: dict[str, str]
    synopsis: str = ""


def parse_fountain(text: str) -> FountainScript:
    """Parse Fountain text; raises ``FormatError`` for what is not a screenplay."""
    if not isinstance(text, str):
        raise FormatError(f"a Fountain screenplay must be text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise FormatError(f"screenplay is {len(text):,} characters; the limit is {MAX_CHARS:,}")
    # fountain-py mis-reads CRLF files (a blank "\r\n" line is not blank to it): normalise line endings first.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise FormatError(f"not a Fountain screenplay: control character {bad.group()!r} on line {line} (a binary file?)")
    headings = sum(1 for _ in _HEADING_LIKE.finditer(text))
    if headings > MAX_SCENES:
        raise FormatError(f"screenplay has about {headings:,} scene headings; the limit is {MAX_SCENES:,} scenes")
    try:
        document = fountain_py.FountainParser().parse(text)
    except Exception as exc:  # the library's own errors are not typed; name the failure at our boundary
        raise FormatError(f"cannot parse the screenplay: {exc}") from exc
    return _Builder(document).build()


def import_fountain(store: Store, text: str, *, project_id: str | None = None, owner: str | None = None, name: str = "") -> Project:
    """Make a new project from a Fountain screenplay, all or nothing; returns it.

    ``name`` (e.g. the file's stem) titles the project when the screenplay has no title page.
    """
    return store.load_project(fountain_rows(parse_fountain(text), project_id=project_id, owner=owner, name=name))


def fountain_rows(script: FountainScript, *, project_id: str | None = None, owner: str | None = None, name: str = "") -> ProjectRows:
    title = script.title or name.strip()
    pid = check_key("project", project_id) if project_id else f"{slugify(title or 'screenplay')}-{secrets.token_hex(2)}"
    premise = script.title_page.get("logline") or script.synopsis or f"{title or 'A screenplay'}, imported from Fountain"
    project = Project(id=pid, title=title, premise=premise, owner=owner, status="developing", extra={"title_page": script.title_page})
    rows = ProjectRows(project=project)
    rows.characters = [Character(key=key, name=display) for key, display in script.characters.items()]
    locations: dict[str, str] = {}
    for position, scene in enumerate(script.scenes):
        if scene.location:
            locations.setdefault(slugify(scene.location, limit=64), scene.location)
        extra: dict[str, Any] = {}
        if scene.sections:
            extra["sections"] = scene.sections
        if scene.scene_number:
            extra["scene_number"] = scene.scene_number
        rows.scenes.append(Scene(
            key=scene.key, position=position, heading=scene.heading, location=scene.location,
            time_of_day=scene.time_of_day, summary=scene.summary, screenplay=scene.screenplay, extra=extra,
            dialogue=[SpokenLine.model_validate(line) for line in scene.dialogue],
            cast=list(dict.fromkeys(line["character"] for line in scene.dialogue)),
        ))
    rows.locations = [Location(key=key, name=display) for key, display in locations.items()]
    return rows


def parse_heading(heading: str, previous_time: str | None = None) -> tuple[str, str | None]:
    """``"INT. LAMP ROOM - NIGHT"`` → ``("lamp room", "night")``; continuity words take ``previous_time``."""
    rest = _PREFIX.sub("", heading.strip(), count=1).strip()
    parts = [p.strip() for p in _PART_SEPARATOR.split(rest) if p.strip()]
    place, time_of_day, continuous = [], None, False
    for index, part in enumerate(parts):
        word = re.sub(r"[^a-z ]", "", part.lower()).strip()
        if index > 0 and word in TIMES_OF_DAY and time_of_day is None:
            time_of_day = word
        elif index > 0 and word in CONTINUITY_WORDS:
            continuous = True
        elif time_of_day is None:
            place.append(part)
    if time_of_day is None and continuous:
        time_of_day = previous_time
    return " - ".join(place).lower(), time_of_day


def character_name(cue: str) -> tuple[str, list[str]]:
    """A dialogue cue without its caret and extensions: ``"MARA (V.O.) (CONT'D) ^"`` → ``("MARA", ["V.O.", "CONT'D"])``."""
    name = cue.strip().removesuffix("^").strip().removeprefix("@").strip()
    extensions: list[str] = []
    while (match := _EXTENSION.search(name)) is not None:
        extensions.insert(0, match.group(1).strip())
        name = name[: match.start()].strip()
    return name, extensions


def display_name(name: str) -> str:
    """``MRS. O'HARA`` → ``Mrs. O'Hara``; a name in mixed case (a forced ``@McCLANE``) is kept."""
    return name.title() if name.isupper() else name


class _Builder:
    """Walks the parser's elements once, cutting them into scenes."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.scenes: list[FountainScene] = []
        self.characters: dict[str, str] = {}
        self.sections: list[tuple[int, str]] = []
        self.synopsis = ""
        self.blocks: list[str] = []
        self.after_heading = False
        self.last_kind: Any = None
        self.speaker: dict[str, Any] | None = None

    def build(self) -> FountainScript:
        for element in self.document.elements:
            self._element(element)
        self._close_scene()
        if not self.scenes:
            raise FormatError("no scenes found: a Fountain screenplay needs at least one scene heading (e.g. 'INT. HOUSE - DAY')")
        title_page = {str(k).lower(): _plain(str(v)) for k, v in (self.document.metadata or {}).items()}
        title = " ".join(title_page.get("title", "").split())
        return FountainScript(title=title, title_page=title_page, scenes=self.scenes, characters=self.characters, synopsis=self.synopsis)

    # ------------------------------------------------------------------ elements
    def _element(self, el: Any) -> None:
        try:
            self._one(el)
        finally:
            self.last_kind = el.type

    def _one(self, el: Any) -> None:
        kind, text = el.type, el.text
        if kind == _E.SCENE_HEADING:
            self._close_scene()
            previous = self.scenes[-1].time_of_day if self.scenes else None
            location, time_of_day = parse_heading(text, previous)
            number = el.metadata.get("scene_number")
            self.scenes.append(FountainScene(
                key=f"s{len(self.scenes) + 1}", heading=text.strip(), location=location, time_of_day=time_of_day,
                sections=[title for _, title in self.sections], scene_number=str(number) if number else None,
            ))
            self.blocks = [("." + text) if el.metadata.get("forced") else text]
            self.after_heading = True
            return
        if kind == _E.SYNOPSIS:
            if self.after_heading and self.scenes:
                scene = self.scenes[-1]
                scene.summary = f"{scene.summary} {text}".strip()
            elif not self.synopsis:
                self.synopsis = text.strip()
            return
        self.after_heading = False
        if kind == _E.SECTION:
            level = int(el.metadata.get("level", 1))
            self.sections = [(lv, t) for lv, t in self.sections if lv < level] + [(level, text.strip())]
            return
        if kind in (_E.BONEYARD, _E.TITLE_PAGE, _E.PAGE_BREAK):
            return
        if not self.scenes and kind in (_E.ACTION, _E.CHARACTER, _E.DUAL_DIALOGUE, _E.CENTERED, _E.LYRICS):
            # Content before the first heading (a cold open): give it a scene of its own.
            self.scenes.append(FountainScene(key="s1", heading="", location="", time_of_day=None,
                                             sections=[t for _, t in self.sections]))
            self.blocks = []
        if not self.scenes:
            return
        if kind == _E.CHARACTER:
            self._cue(el, dual=False)
        elif kind in (_E.PARENTHETICAL, _E.DIALOGUE):
            self._speech(el)
        elif kind == _E.DUAL_DIALOGUE:
            meta = el.metadata
            self._cue(meta["left_character"], dual=False)
            for item in meta.get("left_dialogue", []):
                self._speech(item)
            self._cue(meta["right_character"], dual=True)
            for item in meta.get("right_dialogue", []):
                self._speech(item)
        elif kind == _E.TRANSITION:
            self.blocks.append(("> " + text) if el.metadata.get("forced") or not text.upper().endswith("TO:") else text)
        elif kind == _E.CENTERED:
            self.blocks.append(f"> {text} <")
        elif kind == _E.LYRICS:
            if self.last_kind == _E.LYRICS:
                self.blocks[-1] += f"\n~{text}"
            else:
                self.blocks.append(f"~{text}")
        elif kind == _E.ACTION:
            self.blocks.append(("!" + text) if el.metadata.get("forced") else text)
        elif kind == _E.NOTE:
            self.blocks.append(text)

    def _cue(self, el: Any, *, dual: bool) -> None:
        name, extensions = character_name(el.text)
        extension = el.metadata.get("extension")
        if extension and not extensions:
            extensions = [e.strip() for e in re.split(r"\)\s*\(", str(extension)) if e.strip()]
        key = slugify(name, limit=64)
        self.characters.setdefault(key, display_name(name))
        cue = (name if name.isupper() else "@" + name) + "".join(f" ({e})" for e in extensions) + (" ^" if dual else "")
        self.blocks.append(cue)
        self.speaker = {"key": key, "extensions": extensions, "dual": dual, "parenthetical": None, "open": None}

    def _speech(self, el: Any) -> None:
        speaker = self.speaker
        if speaker is None:
            return
        self.blocks[-1] += "\n" + el.text
        if el.type == _E.PARENTHETICAL:
            speaker["parenthetical"] = el.text.strip().removeprefix("(").removesuffix(")").strip()
            speaker["open"] = None
            return
        open_line = speaker["open"]
        if open_line is not None:
            open_line["line"] += "\n" + el.text
            return
        line: dict[str, Any] = {"character": speaker["key"], "line": el.text, "parenthetical": speaker["parenthetical"]}
        if speaker["extensions"]:
            line["extension"] = ", ".join(speaker["extensions"])
        if speaker["dual"]:
            line["dual"] = True
        self.scenes[-1].dialogue.append(line)
        speaker["open"], speaker["parenthetical"] = line, None

    def _close_scene(self) -> None:
        if self.scenes:
            self.scenes[-1].screenplay = "\n\n".join(self.blocks).strip() + "\n" if self.blocks else ""
        self.blocks = []
        self.speaker = None


def _plain(value: str) -> str:
    """Title-page values without emphasis markup, lines kept."""
    return "\n".join(_EMPHASIS.sub("", line).strip() for line in value.splitlines()).strip()
