"""The cut as an editable timeline: OpenTimelineIO, and through its adapters FCP XML, FCP X XML and EDL.

Why OTIO: it is the interchange model that editing tools and pipelines share (Pixar/ASWF); one
``Timeline`` object is written as ``.otio`` by OTIO itself and, where the adapter plug-ins are
installed (``otio-cmx3600-adapter``, ``otio-fcp-adapter``, ``otio-fcpx-xml-adapter``, all dependencies
of Dailies), as ``.edl``, ``.xml`` and ``.fcpxml``, so a person can keep cutting in their own editor.

The timeline mirrors the film frame for frame (``plan.py``): one video track with the title card,
one clip per shot and the credits. Each shot clip points at the original take (not the conformed
copy) and its source range is the part of the take on screen between cut points. A dissolve is an
OTIO ``SMPTE_Dissolve`` transition centred on the cut point: the clips are trimmed to the cut point
and the transition's offsets reach into their handles, so the track's length equals the film's. A
fade to black has no OTIO schema: it is kept in the clips' metadata (``dailies.transition_in``).
Every shot clip carries a marker named after the shot with the critic's scores in its metadata.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio

from generator.assembly.plan import CutPlan
from generator.ffmpeg_tools import temp_path_for

#: OTIO adapter name → file suffix of the extra exports written when the adapter is installed.
EXTRA_EXPORTS: dict[str, str] = {"cmx_3600": ".edl", "fcp_xml": ".xml", "fcpx_xml": ".fcpxml"}


@dataclass(frozen=True)
class Media:
    """The file a timeline clip points at and how long it is (seconds)."""

    path: Path
    duration_s: float


def _json_safe(value: Any) -> Any:
    """OTIO metadata must be plain JSON values; anything else becomes its text."""
    return json.loads(json.dumps(value, default=str))


def build_timeline(
    plan: CutPlan, media: Mapping[str, Media], *, title: str, stems: Mapping[str, Path] | None = None
) -> otio.schema.Timeline:
    """The OTIO timeline of ``plan``; ``media`` maps item names (shot ids, 'title', 'credits') to files.

    ``stems`` (name → WAV as long as the film) become one audio track each (A1 dialogue, A2 ambience,
    A3 music), so an editor can remix the sound the film was made with.
    """
    rate = float(plan.fps)

    def frames(count: float) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(count, rate)

    timeline = otio.schema.Timeline(name=title or "Dailies cut", global_start_time=frames(0))
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for index, item in enumerate(plan.items):
        head = item.overlap_in // 2 if item.overlap_in else 0
        tail = plan.overlap_out(index) - plan.overlap_out(index) // 2
        if item.overlap_in:
            track.append(otio.schema.Transition(
                name=f"dissolve into {item.name}", transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                in_offset=frames(item.overlap_in // 2), out_offset=frames(item.overlap_in - item.overlap_in // 2),
            ))  # fmt: skip
        source = media[item.name]
        reference = otio.schema.ExternalReference(
            target_url=source.path.resolve().as_uri(),
            available_range=otio.opentime.TimeRange(frames(0), frames(round(source.duration_s * rate))),
        )
        source_range = otio.opentime.TimeRange(frames(head), frames(item.frames - head - tail))
        info: dict[str, Any] = {
            "kind": item.kind,
            "planned_s": item.planned_s,
            "film_start_frame": item.start,
        }
        clip_meta = item.clip
        if clip_meta is not None:
            info.update(
                shot_id=clip_meta.shot_id, scene_id=clip_meta.scene_id, label=clip_meta.label,
                scores=_json_safe(clip_meta.scores), transition_in=clip_meta.transition_in.model_dump(),
                dialogue=[d.model_dump() for d in clip_meta.dialogue],
            )  # fmt: skip
        clip = otio.schema.Clip(
            name=item.name, media_reference=reference, source_range=source_range, metadata={"dailies": info}
        )
        if clip_meta is not None:
            scores = _json_safe(clip_meta.scores)
            clip.markers.append(otio.schema.Marker(
                name=clip_meta.shot_id, marked_range=otio.opentime.TimeRange(source_range.start_time, frames(0)),
                color=otio.schema.MarkerColor.GREEN, comment=_score_text(scores),
                metadata={"dailies": {"shot_id": clip_meta.shot_id, "scene_id": clip_meta.scene_id, "scores": scores}},
            ))  # fmt: skip
        track.append(clip)
    for number, (name, path) in enumerate((stems or {}).items(), start=1):
        whole = otio.opentime.TimeRange(frames(0), frames(plan.total_frames))
        audio = otio.schema.Track(name=f"A{number} {name}", kind=otio.schema.TrackKind.Audio)
        audio.append(otio.schema.Clip(
            name=name, source_range=whole, metadata={"dailies": {"stem": name}},
            media_reference=otio.schema.ExternalReference(target_url=Path(path).resolve().as_uri(), available_range=whole),
        ))  # fmt: skip
        timeline.tracks.append(audio)
    return timeline


def _score_text(scores: Mapping[str, Any]) -> str:
    parts = [
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in scores.items()
        if not isinstance(v, dict | list)
    ]
    return ", ".join(parts)[:200]


def write_timeline(timeline: otio.schema.Timeline, path: Path, adapter: str = "otio_json") -> Path:
    """Write ``timeline`` with an OTIO adapter to a temporary file beside ``path``; return that temp file.

    The caller renames it into place with the other outputs, so all of a cut appears together.
    """
    tmp = temp_path_for(path)
    otio.adapters.write_to_file(timeline, str(tmp), adapter_name=adapter)
    return tmp


def available_exports() -> dict[str, str]:
    """The extra exports whose adapters are installed here (adapter name → suffix)."""
    names = set(otio.adapters.available_adapter_names())
    return {name: suffix for name, suffix in EXTRA_EXPORTS.items() if name in names}


def discard(paths: Mapping[str, Path] | list[Path]) -> None:
    for path in paths.values() if isinstance(paths, Mapping) else paths:
        Path(path).unlink(missing_ok=True)
