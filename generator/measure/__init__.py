"""The critic's instruments: measurements of a take, as pure functions over decoded frames.

    from generator.measure import measure_take, Thresholds
    findings = measure_take("take.mp4", planned_duration=3.0, prev="previous.mp4")
    [f.check for f in findings if f.fails]        # e.g. ['flicker']

One module per family: ``technical`` (duration, black, blown-out, frozen, flicker), ``continuity``
(colour jump at a cut, in CIELAB), ``identity`` (reference similarity through a vision encoder, prompt
adherence, and the exact animatic colour check). ``take`` runs them all; ``findings`` and
``thresholds`` are the typed results and knobs; ``decode`` turns a file into frames.
"""

from __future__ import annotations

from generator.measure.decode import Clip, decode_clip
from generator.measure.encoder import DEFAULT_ENCODER, ImageEncoder, TransformersEncoder, load_encoder
from generator.measure.findings import CHECK_IDS, CheckId, Finding, Severity, fails_take
from generator.measure.identity import CharacterReference, ColourMark
from generator.measure.take import TakeReport, measure_frames, measure_report, measure_take
from generator.measure.thresholds import Thresholds

__all__ = [
    "CHECK_IDS",
    "DEFAULT_ENCODER",
    "CharacterReference",
    "CheckId",
    "Clip",
    "ColourMark",
    "Finding",
    "ImageEncoder",
    "Severity",
    "TakeReport",
    "Thresholds",
    "TransformersEncoder",
    "decode_clip",
    "fails_take",
    "load_encoder",
    "measure_frames",
    "measure_report",
    "measure_take",
]
