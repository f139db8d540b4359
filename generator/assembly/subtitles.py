"""Subtitles from the screenplay's dialogue, timed to the shots of the cut: ``.srt`` and ``.vtt``.

Timing rule (there is no recorded speech to align to yet): the lines of a shot share the part of the
shot that is on screen alone — from the middle of its incoming dissolve to the middle of its outgoing
one — in proportion to their length in characters plus a constant, so a one-word line still stays up
long enough to read. Cues of consecutive shots therefore never overlap, and a cue never outlives its
shot. Times are in milliseconds, derived from the frame-snapped plan (``plan.py``).

All text is untrusted: control characters and line breaks are flattened, ``-->`` (the cue separator of
both formats) is defused, and WebVTT's markup characters are escaped. Lines wrap at ~42 characters
(two lines at most per cue where possible), the usual subtitle width.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.assembly.plan import CutPlan

#: Characters a short line is credited with, so "No." is readable (~0.4 s of extra time at reading speed).
MIN_WEIGHT = 12
WRAP = 42
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start_ms`` to ``end_ms``, spoken in ``shot_id``."""

    start_ms: int
    end_ms: int
    text: str
    shot_id: str


def clean_text(text: str) -> str:
    """One line of plain text: no control characters, no line breaks, no cue separator."""
    flat = " ".join(_CONTROL.sub(" ", str(text)).split())
    return flat.replace("-->", "->")


def cue_text(character: str, text: str, *, speaker_labels: bool) -> str:
    line = clean_text(text)
    who = clean_text(character)
    full = f"{who.upper()}: {line}" if speaker_labels and who else line
    return "\n".join(textwrap.wrap(full, WRAP)) or full


def build_cues(plan: CutPlan, *, speaker_labels: bool = True) -> list[Cue]:
    """Cues for every dialogue line of every shot, in film order."""
    cues: list[Cue] = []
    for index, item in enumerate(plan.items):
        if item.clip is None or not item.clip.dialogue:
            continue
        lines = [(d.character, d.text) for d in item.clip.dialogue if clean_text(d.text)]
        if not lines:
            continue
        timed = [d for d in item.clip.dialogue if clean_text(d.text)]
        if all(d.start_s is not None and d.end_s is not None for d in timed):
            # Voiced: each cue is where its line is heard (the editor placed the speech in the clip).
            for d in timed:
                at = item.start / plan.fps
                cues.append(Cue(
                    start_ms=round((at + float(d.start_s or 0.0)) * 1000), end_ms=round((at + float(d.end_s or 0.0)) * 1000),
                    text=cue_text(d.character, d.text, speaker_labels=speaker_labels), shot_id=item.name,
                ))  # fmt: skip
            continue
        window_start = (item.start + item.overlap_in / 2) / plan.fps
        window_end = (item.end - plan.overlap_out(index) / 2) / plan.fps
        weights = [len(clean_text(text)) + MIN_WEIGHT for _, text in lines]
        total = sum(weights)
        edges = [window_start]
        for weight in weights:
            edges.append(edges[-1] + (window_end - window_start) * weight / total)
        for (character, text), start, end in zip(lines, edges, edges[1:], strict=False):
            cues.append(Cue(
                start_ms=round(start * 1000), end_ms=round(end * 1000),
                text=cue_text(character, text, speaker_labels=speaker_labels), shot_id=item.name,
            ))  # fmt: skip
    return cues


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(cues: Iterable[Cue]) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm`` times."""
    blocks = [
        f"{number}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}\n"
        for number, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT: a ``WEBVTT`` header, ``HH:MM:SS.mmm`` times, markup escaped, cue ids = shot ids."""
    blocks = ["WEBVTT\n"]
    for number, c in enumerate(cues, start=1):
        ident = f"{number} {clean_text(c.shot_id)}"
        blocks.append(
            f"{ident}\n{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n{_vtt_escape(c.text)}\n"
        )
    return "\n".join(blocks)


_SRT_TIME = re.compile(r"(\d+):(\d\d):(\d\d)[,.](\d{3}) --> (\d+):(\d\d):(\d\d)[,.](\d{3})")


def parse_times(text: str) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of every cue in an ``.srt`` or ``.vtt`` text: for checks and tests."""

    def ms(h: str, m: str, s: str, f: str) -> int:
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)

    return [(ms(*m.groups()[:4]), ms(*m.groups()[4:])) for m in _SRT_TIME.finditer(text)]
