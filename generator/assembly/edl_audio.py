"""The sound's stems as audio events of the EDL, so an editor who imports the EDL gets the sound too.

Why our own lines: OTIO's CMX 3600 writer accepts at most two audio tracks and writes no events for them
(it writes the first video track only), so the stems would be lost. After the picture events the adapter
wrote, each stem becomes one event on its own channel (``A``, ``A2``, ``A3``: the dialogue, ambience and
music), from the film's first frame to its last, with the adapter's comment lines (``FROM CLIP NAME``,
``FROM CLIP``) pointing at the WAV. Strict CMX 3600 has two audio channels; ``A3`` and up are the usual
extension (Avid, Resolve, and OTIO's own reader, which the tests read the EDL back with, accept them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import opentimelineio as otio

#: Channel code of each stem, in the order the stems come (A1 is written ``A``).
CHANNELS: tuple[str, ...] = ("A", "A2", "A3", "A4")
_EVENT = re.compile(r"^(\d{3,})\s", re.M)


def audio_events(stems: Mapping[str, Path], *, frames: int, fps: int, after: int) -> str:
    """EDL event lines for ``stems`` (name → WAV as long as the film), numbered from ``after + 1``."""
    if len(stems) > len(CHANNELS):
        raise ValueError(f"an EDL has room for {len(CHANNELS)} audio channels, not {len(stems)}")
    rate = float(fps)
    start = otio.opentime.to_timecode(otio.opentime.RationalTime(0, rate), rate)
    end = otio.opentime.to_timecode(otio.opentime.RationalTime(frames, rate), rate)
    lines: list[str] = []
    for number, ((name, path), channel) in enumerate(
        zip(stems.items(), CHANNELS, strict=False), start=after + 1
    ):
        reel = re.sub(r"[^A-Za-z0-9]", "", name)[:8] or "AX"
        lines += [
            f"{number:03d}  {reel:8} {channel:5} C        {start} {end} {start} {end}",
            f"* FROM CLIP NAME:  {name}",
            f"* FROM CLIP: {Path(path).resolve().as_uri()}",
        ]
    return "\n".join(lines) + "\n"


def add_audio_events(edl: Path, stems: Mapping[str, Path], *, frames: int, fps: int) -> None:
    """Append the stems' events to the EDL file ``edl`` written by the CMX 3600 adapter (picture only)."""
    text = edl.read_text(encoding="utf-8")
    numbers = [int(n) for n in _EVENT.findall(text)]
    events = audio_events(stems, frames=frames, fps=fps, after=max(numbers, default=0))
    edl.write_text(text.rstrip("\n") + "\n" + events, encoding="utf-8")
