"""``assemble``: an ``EditList`` in, a finished film with subtitles and an editable timeline out.

The steps, each in its own module: check every take exists (``normalise.check_take``), snap the cut to
frames (``plan``), conform each take once (``normalise``, cached), draw the title and credits cards
(``cards``), time the subtitles (``subtitles``), join everything in one ffmpeg run (``compose``), and
describe the cut as an OpenTimelineIO timeline (``timeline``).

All or nothing: every output is written under a temporary name beside its final one and renamed into
place only when all of them are complete and the film has the planned number of frames. Any error —
a missing take, an unreadable one, ffmpeg failing — leaves an earlier cut at the same path untouched.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from generator.assembly import cards, fonts
from generator.assembly.compose import compose_args, run_with_progress
from generator.assembly.edit_list import EditList
from generator.assembly.edl_audio import CHANNELS, add_audio_events
from generator.assembly.normalise import Conform, check_take, normalise_take
from generator.assembly.plan import CutPlan, frames_needed, plan_cut
from generator.assembly.stamp import cut_key, read_stamp, stamp_path, write_stamp
from generator.assembly.subtitles import Cue, build_cues, to_srt, to_vtt
from generator.assembly.timeline import Media, available_exports, build_timeline, discard, write_timeline
from generator.base import Progress
from generator.errors import AssemblyError, GeneratorError
from generator.faults import crash_point
from generator.ffmpeg_tools import find_ffmpeg, probe, temp_path_for
from generator.takes import remove_orphaned_parts

#: Share of the progress bar each phase takes: conforming takes, then the final encode, then the rest.
_NORMALISE_SHARE, _COMPOSE_SHARE = 0.45, 0.5


@dataclass(frozen=True)
class AssemblyResult:
    """What ``assemble`` wrote and how it went."""

    video: Path
    srt: Path
    vtt: Path
    otio: Path
    exports: dict[str, Path]
    duration_s: float
    frames: int
    normalised: tuple[str, ...]
    reused: tuple[str, ...]
    cues: tuple[Cue, ...]
    burn_in: str | None
    notes: tuple[str, ...]
    cut_reused: bool = False
    """True when nothing had changed since the last cut at this path: the existing files were kept."""


def sidecar_paths(video: Path) -> dict[str, Path]:
    """Where the subtitles and timeline of the film at ``video`` go: beside it, same name."""
    return {
        "srt": video.with_suffix(".srt"),
        "vtt": video.with_suffix(".vtt"),
        "otio": video.with_suffix(".otio"),
    }


def assemble(
    edit: EditList,
    out_path: Path,
    *,
    ffmpeg: str | None = None,
    cache_dir: Path | None = None,
    burn_in: bool = False,
    speaker_labels: bool = True,
    progress: Progress | None = None,
) -> AssemblyResult:
    """Cut ``edit`` into ``out_path`` (an ``.mp4``) with ``.srt``, ``.vtt``, ``.otio`` (and EDL/FCP XML) beside it.

    ``cache_dir`` holds conformed takes (default: ``.cache`` beside the film). ``burn_in`` also draws the
    subtitles into the picture. Raises ``TakeMissing``/``TakeUnreadable``/``AssemblyError`` naming the shot.
    """
    report = progress or (lambda _fraction, _message: None)
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".mp4":
        raise AssemblyError(f"the film must be an .mp4 file, got {out_path.name!r}")
    for clip in edit.clips:
        check_take(clip.shot_id, Path(clip.path))
    plan = plan_cut(edit)
    exe = find_ffmpeg(ffmpeg)
    cache = Path(cache_dir) if cache_dir is not None else out_path.parent / ".cache"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    for folder in (out_path.parent, cache):  # what a cut killed mid-way left (its process is gone)
        remove_orphaned_parts(folder)
    font = fonts.find_font(cache)
    notes: list[str] = []

    report(0.0, "conforming takes")
    conformed = _conform_all(plan, edit, cache, exe, font, report)
    inputs, media, encoded, reused = conformed.inputs, conformed.media, conformed.encoded, conformed.reused

    cues = build_cues(plan, speaker_labels=speaker_labels)
    sidecars = sidecar_paths(out_path)
    options = {
        "burn_in": bool(burn_in and cues), "speaker_labels": speaker_labels, "exports": sorted(available_exports()),
        "font": [str(font.path), font.family] if burn_in and cues else None,
    }  # fmt: skip
    key, stamp = cut_key(edit, inputs, options), stamp_path(cache, out_path)
    done_before = read_stamp(stamp, key)
    if done_before is not None:
        report(1.0, f"nothing changed since the last cut of {out_path.name}")
        recorded = done_before["result"]
        return AssemblyResult(
            video=out_path, srt=sidecars["srt"], vtt=sidecars["vtt"], otio=sidecars["otio"],
            exports={name: Path(path) for name, path in recorded["exports"].items()},
            duration_s=int(recorded["frames"]) / edit.fps, frames=int(recorded["frames"]), normalised=tuple(encoded),
            reused=tuple(reused), cues=tuple(cues), burn_in=recorded["burn_in"], notes=tuple(recorded["notes"]),
            cut_reused=True,
        )  # fmt: skip
    temps: dict[str, Path] = {}
    try:
        temps["srt"] = _write_text(sidecars["srt"], to_srt(cues))
        temps["vtt"] = _write_text(sidecars["vtt"], to_vtt(cues))
        temps["video"] = temp_path_for(out_path)
        burnt = _compose(
            plan, inputs, temps, edit, exe, font, cues, burn_in=burn_in, notes=notes, report=report
        )
        report(_NORMALISE_SHARE + _COMPOSE_SHARE, "checking the cut")
        frames = _check_frames(temps["video"], plan, exe)
        timeline = build_timeline(
            plan, media, title=edit.title, stems=edit.soundtrack.stems if edit.soundtrack is not None else None
        )
        temps["otio"] = write_timeline(timeline, sidecars["otio"])
        stems = edit.soundtrack.stems if edit.soundtrack is not None else {}
        exports = _extra_exports(timeline, out_path, temps, notes, stems=stems, plan=plan)
        for output, final in [*sidecars.items(), *exports.items()]:
            os.replace(temps.pop(output), final)
        crash_point("during_cut_rename")  # tests: a kill between the sidecars and the film (generator.faults)
        os.replace(temps.pop("video"), out_path)
    finally:
        discard(temps)
    recorded = {
        "frames": frames,
        "burn_in": burnt,
        "notes": notes,
        "exports": {k: str(v) for k, v in exports.items()},
    }
    write_stamp(stamp, key, [out_path, *sidecars.values(), *exports.values()], recorded)
    report(1.0, f"cut {out_path.name}: {frames / edit.fps:.2f} s")
    return AssemblyResult(
        video=out_path, srt=sidecars["srt"], vtt=sidecars["vtt"], otio=sidecars["otio"], exports=exports,
        duration_s=frames / edit.fps, frames=frames, normalised=tuple(encoded), reused=tuple(reused),
        cues=tuple(cues), burn_in=burnt, notes=tuple(notes),
    )  # fmt: skip


@dataclass
class _Conformed:
    """Every item of the plan in the common format: the files to join and what the timeline points at."""

    inputs: dict[str, Path]
    media: dict[str, Media]
    encoded: list[str]
    reused: list[str]


def _conform_all(
    plan: CutPlan, edit: EditList, cache: Path, exe: str, font: fonts.FontChoice, report: Progress
) -> _Conformed:
    """Conform each take (cached) and draw the cards, reporting progress per item."""
    done = _Conformed({}, {}, [], [])
    conform = Conform(edit.width, edit.height, edit.fps, edit.sample_rate)
    for number, item in enumerate(plan.items, start=1):
        frames = frames_needed(item.planned_s, edit.fps)
        fraction = _NORMALISE_SHARE * number / len(plan.items)
        if item.clip is not None:
            take = normalise_take(item.name, Path(item.clip.path), frames, conform, cache, ffmpeg_exe=exe)
            done.inputs[item.name] = take.path
            done.media[item.name] = Media(Path(item.clip.path), take.source_duration_s)
            (done.encoded if take.encoded else done.reused).append(item.name)
            report(fraction, f"{'conformed' if take.encoded else 'reused'} shot {item.name}")
            continue
        lines = [edit.title] if item.kind == "title" else list(edit.credits)
        card, _ = cards.card_clip(
            item.kind, lines, frames, conform, cache, font=font, headline=item.kind == "title", ffmpeg_exe=exe
        )
        done.inputs[item.name] = card
        done.media[item.name] = Media(card, frames / edit.fps)
        report(fraction, f"drew the {item.kind} card")
    return done


def _write_text(final: Path, text: str) -> Path:
    tmp = temp_path_for(final)
    tmp.write_text(text, encoding="utf-8")
    return tmp


def _compose(
    plan: CutPlan, inputs: dict[str, Path], temps: dict[str, Path], edit: EditList, exe: str,
    font: fonts.FontChoice, cues: list[Cue], *, burn_in: bool, notes: list[str], report: Progress,
) -> str | None:  # fmt: skip
    """Run the final encode into ``temps['video']``; return how subtitles were burnt in (None: they were not)."""
    with tempfile.TemporaryDirectory(prefix="dailies-cut-") as scratch:
        work = Path(scratch)
        burn: dict[str, str] | None = None
        how: str | None = None
        if burn_in and cues:
            shutil.copyfile(temps["srt"], work / "subs.srt")
            (work / "fonts").mkdir()
            shutil.copyfile(font.path, work / "fonts" / font.path.name)
            # libass sizes text in script units of a 288-line frame (PlayResY of a converted .srt), not pixels.
            burn = {
                "filename": "subs.srt", "fontsdir": "fonts",
                "force_style": f"FontName={font.family},FontSize=16,Outline=1,Shadow=0,MarginV=12",
            }  # fmt: skip
            how = (
                f"libass with {'Pillow’s bundled font ' if font.bundled else 'the system font '}{font.family}"
            )
            if font.bundled:
                notes.append(
                    f"no system font found: subtitles burnt in with Pillow's bundled font {font.family}"
                )
        elif burn_in:
            notes.append("nothing to burn in: the edit list has no dialogue")
        if not cues:
            notes.append("no dialogue: the film has no subtitle stream")
        args = compose_args(
            plan, inputs, temps["video"], subtitles=str(temps["srt"]) if cues else None, burn_in=burn,
            title=edit.title, language=edit.language,
            soundtrack=str(edit.soundtrack.mix) if edit.soundtrack is not None else None,
        )  # fmt: skip
        report(_NORMALISE_SHARE, "cutting the film")
        run_with_progress(
            args, ffmpeg_exe=exe, total_s=plan.duration_s, cwd=work,
            on_progress=lambda f: report(_NORMALISE_SHARE + _COMPOSE_SHARE * f, "cutting the film"),
        )  # fmt: skip
        return how


def _check_frames(video: Path, plan: CutPlan, exe: str) -> int:
    """The film's frame count; an ``AssemblyError`` if it is not the planned one (a bug, never shipped)."""
    try:
        info = probe(video, ffmpeg=exe)
    except GeneratorError as exc:
        raise AssemblyError(f"the cut could not be read back: {exc}") from exc
    if info.frames != plan.total_frames:
        raise AssemblyError(
            f"the cut has {info.frames} frames but {plan.total_frames} were planned; nothing was replaced"
        )
    return info.frames


def _extra_exports(
    timeline: object,
    out_path: Path,
    temps: dict[str, Path],
    notes: list[str],
    *,
    stems: Mapping[str, Path],
    plan: CutPlan,
) -> dict[str, Path]:
    """EDL / FCP XML / FCP X XML through whichever OTIO adapters are installed; a failing one is noted, not fatal.

    Why not fatal: these are conveniences written by third-party plug-ins; the ``.otio`` (always
    written) holds the same timeline, and a plug-in's bug must not cost the creator the film.
    """
    written: dict[str, Path] = {}
    for adapter, suffix in available_exports().items():
        final = out_path.with_suffix(suffix)
        fitted = _fit_audio_tracks(timeline, adapter, notes)
        try:
            temps[adapter] = write_timeline(fitted, final, adapter)  # type: ignore[arg-type]
            if adapter == "cmx_3600" and stems:  # the adapter writes no audio events: ours follow its picture
                add_audio_events(temps[adapter], stems, frames=plan.total_frames, fps=plan.fps)
        except Exception as exc:  # plug-in code raises anything; see the docstring
            discard([temp_path_for(final)])
            notes.append(f"{adapter} export skipped: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        written[adapter] = final
    return written


#: Audio tracks an adapter can write; adapters not named take them all. OTIO's CMX 3600 writer refuses more
#: than two and writes no audio events for those it accepts: the EDL gets the stems from ``edl_audio``.
MAX_AUDIO_TRACKS: dict[str, int] = {"cmx_3600": 0}


def _fit_audio_tracks(timeline: object, adapter: str, notes: list[str]) -> object:
    """``timeline``, or a copy with only the audio tracks ``adapter`` can write (the first ones)."""
    limit = MAX_AUDIO_TRACKS.get(adapter)
    tracks = getattr(timeline, "tracks", None)
    audio = [t for t in tracks or [] if t.kind == otio.schema.TrackKind.Audio]
    if limit is None or len(audio) <= limit:
        return timeline
    fitted = copy.deepcopy(timeline)
    for track in [t for t in fitted.tracks if t.kind == otio.schema.TrackKind.Audio][limit:]:  # type: ignore[attr-defined]
        fitted.tracks.remove(track)  # type: ignore[attr-defined]
    if adapter == "cmx_3600":
        channels = ", ".join(CHANNELS[: len(audio)])
        notes.append(
            f"{adapter} export: the sound's {len(audio)} stems are audio events (channels {channels}) after the picture"
        )
    else:
        notes.append(
            f"{adapter} export has {limit} of the sound's {len(audio)} audio tracks; all are in the .otio"
        )
    return fitted
