"""Colours of an animatic: each character's look from its id, and a scene's light from place and time.

Why derived from the id with a hash: the same character must look the same in every shot and every run
without anyone storing a colour, and two characters should rarely look alike. A colour hint (from the
wardrobe, e.g. 'red' or '#c0392b') wins over the hash. Backgrounds are kept desaturated so the
saturated figures read at a glance — and so tests can find a figure by its colour in a decoded frame.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass

from PIL import ImageColor

RGB = tuple[int, int, int]

SKIN_TONES: tuple[RGB, ...] = ((241, 204, 170), (224, 172, 128), (198, 134, 94), (141, 85, 54), (92, 58, 38))
HAIR_COLOURS: tuple[RGB, ...] = ((40, 30, 25), (90, 60, 35), (170, 130, 70), (150, 150, 150), (120, 40, 25))

#: Words that mark a location as outdoors (anything else is drawn as an interior).
EXTERIOR_WORDS = (
    "ext", "beach", "street", "road", "forest", "wood", "field", "sea", "shore", "harbour", "harbor", "park",
    "garden", "roof", "cliff", "mountain", "desert", "city", "yard", "square", "bridge", "river", "lake",
    "outside", "exterior", "meadow", "dock", "pier", "alley", "courtyard",
    # Seen in a film: "the hillside farm" was drawn as a room with a door and a window. More outdoor places:
    "farm", "hill", "market", "village", "island", "valley", "jungle", "orchard", "vineyard", "stadium",
    "camp", "plaza", "ocean", "highway", "cemetery", "graveyard", "countryside", "tundra",
)  # fmt: skip


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _unit(text: str, salt: str) -> float:
    """A deterministic number in [0, 1) from ``text`` (stable across runs and machines)."""
    return int.from_bytes(_digest(f"{salt}:{text}")[:8], "big") / 2**64


def hsv(h: float, s: float, v: float) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return round(r * 255), round(g * 255), round(b * 255)


def character_colour(character_id: str, hint: str | None = None) -> RGB:
    """The body colour of a character: the hint if it names a colour, else a saturated hue from the id."""
    if hint:
        for word in [hint.strip(), *hint.replace(",", " ").split()]:
            try:
                return ImageColor.getrgb(word.lower() if not word.startswith("#") else word)[:3]
            except ValueError:
                continue
    return hsv(_unit(character_id, "hue"), 0.78, 0.88)


def skin_tone(character_id: str) -> RGB:
    return SKIN_TONES[int(_unit(character_id, "skin") * len(SKIN_TONES))]


def hair_colour(character_id: str) -> RGB:
    return HAIR_COLOURS[int(_unit(character_id, "hair") * len(HAIR_COLOURS))]


def variant(character_id: str, salt: str, choices: int) -> int:
    """A deterministic choice among ``choices`` variants (silhouette, hair style…) for a character."""
    return int(_unit(character_id, salt) * choices)


def spread(character_id: str, salt: str, low: float, high: float) -> float:
    """A deterministic number in [low, high) for a character (build, height)."""
    return low + (high - low) * _unit(character_id, salt)


@dataclass(frozen=True)
class ScenePalette:
    """The light of a scene: background colours and how bright the figures are lit."""

    exterior: bool
    sky_top: RGB
    sky_bottom: RGB
    ground: RGB
    wall: RGB
    floor: RGB
    accent: RGB  # sun, moon or lamp
    light: float  # multiplier applied to figure colours (1.0 = full daylight)
    stars: bool
    time_of_day: str


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _scale(c: RGB, k: float) -> RGB:
    return tuple(min(255, round(x * k)) for x in c)  # type: ignore[return-value]


def time_key(time_of_day: str) -> str:
    """Normalise free text to one of day, night, dawn, dusk (unknown words read as day)."""
    t = time_of_day.strip().lower()
    if any(w in t for w in ("night", "midnight")):
        return "night"
    if any(w in t for w in ("dawn", "sunrise", "morning twilight", "early morning")):
        return "dawn"
    if any(
        w in t for w in ("dusk", "sunset", "evening", "golden", "twilight", "magic hour", "late afternoon")
    ):
        return "dusk"
    return "day"


def is_exterior(location: str) -> bool:
    words = location.lower().replace(".", " ").replace("-", " ").split()
    return any(w.startswith(e) for w in words for e in EXTERIOR_WORDS)


def scene_palette(location: str, time_of_day: str) -> ScenePalette:
    """Background colours by location (indoors/outdoors, a tint from its name) and time of day."""
    when = time_key(time_of_day)
    outside = is_exterior(location)
    tint = hsv(_unit(location or "nowhere", "tint"), 0.18, 0.75)  # a gentle per-location colour cast
    if when == "night":
        sky_top, sky_bottom, light, accent = (8, 12, 32), (28, 36, 70), 0.5, (235, 235, 210)
    elif when == "dawn":
        sky_top, sky_bottom, light, accent = (96, 110, 170), (250, 170, 130), 0.85, (255, 200, 140)
    elif when == "dusk":
        sky_top, sky_bottom, light, accent = (70, 60, 120), (240, 130, 70), 0.8, (255, 150, 60)
    else:
        sky_top, sky_bottom, light, accent = (110, 160, 220), (200, 220, 240), 1.0, (255, 245, 200)
    ground = _scale(_mix((110, 120, 95), tint, 0.4), light)
    wall = _scale(_mix((185, 180, 170), tint, 0.45), light)
    floor = _scale(_mix((120, 100, 85), tint, 0.3), light)
    if when in ("dawn", "dusk"):  # warm cast indoors too
        wall = _mix(wall, (230, 150, 90), 0.25)
    return ScenePalette(
        exterior=outside, sky_top=sky_top, sky_bottom=sky_bottom, ground=ground, wall=wall, floor=floor,
        accent=accent, light=light, stars=when == "night" and outside, time_of_day=when,
    )  # fmt: skip


def lit(colour: RGB, palette: ScenePalette) -> RGB:
    """A figure colour as the scene's light shows it (darker at night, warmer at dawn and dusk)."""
    c = _scale(colour, palette.light)
    if palette.time_of_day in ("dawn", "dusk"):
        c = _mix(c, (255, 170, 100), 0.12)
    return c
