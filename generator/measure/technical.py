"""Technical checks of one take: duration, black and blown-out frames, frozen stretches, flicker.

Pure functions over decoded frames (T×H×W×3 uint8 RGB) and the frame rate; each returns findings and
never reads a file. The frame statistics they share are computed once (``FrameStats``) because luma over
every pixel is the expensive part.

Why flicker is "departure from a rolling median of mean luma": a camera move or a light coming on changes
the picture's mean brightness smoothly or once and for good, and the median of a window centred on each
frame follows both; a flicker burst (brightness that jumps and comes back within a fraction of a second)
is exactly what a median ignores, so the departure from it isolates flicker. Black and blown-out frames
are left out of that series: they are their own findings. Structure flicker (a frame whose picture
'pops' while its brightness does not) is caught by comparing each frame with both neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generator.measure.colour import luma
from generator.measure.findings import Finding, frame_runs
from generator.measure.thresholds import Thresholds


@dataclass(frozen=True)
class FrameStats:
    """Per-frame numbers every technical check reads."""

    mean_luma: np.ndarray  # (T,) mean BT.709 luma, 0–255 (float64)
    dark_ratio: np.ndarray  # (T,) fraction of pixels darker than the black threshold
    clipped_ratio: np.ndarray  # (T,) fraction of pixels brighter than the blown-out threshold
    changed_ratio: np.ndarray  # (T,) fraction of pixels that moved since the previous frame; [0] = 1.0
    pop_diff: np.ndarray  # (T,) smaller of the mean |Δluma| to the previous and to the next frame; 0 at the ends
    pop_ratio: np.ndarray  # (T,) pop_diff / (mean |Δluma| between the previous and the next frame + 0.5)


#: Frames converted to luma at a time: small enough that a chunk's temporaries stay in cache-sized memory
#: (a whole full-resolution take's int16 differences are ~100 MB), large enough that numpy's per-call cost
#: is negligible. Per-frame results do not depend on it: every sum is an exact integer sum over one frame.
_CHUNK = 16


def frame_stats(frames: np.ndarray, t: Thresholds) -> FrameStats:
    count = len(frames)
    pixels = float(np.prod(frames.shape[1:3])) if count else 1.0
    mean_luma, dark, clipped = np.zeros(count), np.zeros(count), np.zeros(count)
    changed = np.ones(count, dtype=np.float64)
    step_sum = np.zeros(count, dtype=np.int64)  # [k] = Σ|y[k] − y[k−1]|, k ≥ 1
    skip_sum = np.zeros(count, dtype=np.int64)  # [k] = Σ|y[k] − y[k−2]|, k ≥ 2
    before = np.zeros((0, 0), dtype=np.int16)  # the last two luma frames of the previous chunk
    for start in range(0, count, _CHUNK):
        stop = min(count, start + _CHUNK)
        flat = luma(frames[start:stop]).reshape(stop - start, -1)
        mean_luma[start:stop] = flat.sum(axis=1, dtype=np.int64) / pixels
        dark[start:stop] = np.count_nonzero(flat < t.black_pixel_luma, axis=1) / pixels
        clipped[start:stop] = np.count_nonzero(flat > t.blown_pixel_luma, axis=1) / pixels
        joined = np.concatenate([before, flat]) if len(before) else flat
        first = start - len(before)  # frame index of joined[0]
        if len(joined) > 1:
            step = np.abs(np.diff(joined, axis=0))  # step[j] is frame first + j + 1 against the one before
            lo = max(1, start) - first - 1
            changed[first + 1 + lo : stop] = np.count_nonzero(step[lo:] > t.frozen_pixel_delta, axis=1) / pixels
            step_sum[first + 1 + lo : stop] = step[lo:].sum(axis=1, dtype=np.int64)
        if len(joined) > 2:
            lo = max(2, start) - first - 2
            skip = np.abs(joined[2 + lo :] - joined[lo:-2])
            skip_sum[first + 2 + lo : stop] = skip.sum(axis=1, dtype=np.int64)
        before = joined[-2:]
    pop_diff, pop_ratio = np.zeros(count), np.zeros(count)
    if count > 2:
        step_mean = step_sum[1:] / pixels
        pop_diff[1:-1] = np.minimum(step_mean[:-1], step_mean[1:])
        pop_ratio[1:-1] = pop_diff[1:-1] / (skip_sum[2:] / pixels + 0.5)
    return FrameStats(
        mean_luma=mean_luma,
        dark_ratio=dark,
        clipped_ratio=clipped,
        changed_ratio=changed,
        pop_diff=pop_diff,
        pop_ratio=pop_ratio,
    )


def black_mask(stats: FrameStats, t: Thresholds) -> np.ndarray:
    return stats.dark_ratio >= t.black_ratio


def blown_mask(stats: FrameStats, t: Thresholds) -> np.ndarray:
    return stats.clipped_ratio >= t.blown_ratio


def check_duration(frame_count: int, fps: float, planned_s: float, t: Thresholds) -> list[Finding]:
    """The take must last the planned duration, give or take ``duration_tolerance_frames``.

    ``frames`` of the finding is the span of extra frames (too long) or of missing ones (too short,
    numbered where they would have been).
    """
    planned_frames = round(planned_s * fps)
    off = frame_count - planned_frames
    if abs(off) <= t.duration_tolerance_frames:
        return []
    span = (min(frame_count, planned_frames), max(frame_count, planned_frames) - 1)
    what = "too long" if off > 0 else "too short"
    return [
        Finding(
            check="duration", severity="fail", frames=span, value=round(frame_count / fps, 4), threshold=planned_s,
            message=f"take lasts {frame_count / fps:.3f} s ({frame_count} frames), {what} for the planned "
            f"{planned_s:g} s ({planned_frames} frames ±{t.duration_tolerance_frames})",
        )
    ]  # fmt: skip


def check_black(stats: FrameStats, t: Thresholds) -> list[Finding]:
    """Frames that are (nearly) all black: a run of them is one finding."""
    mask = black_mask(stats, t)
    return [
        Finding(
            check="black_frames", severity="fail", frames=(a, b), value=round(float(stats.dark_ratio[a : b + 1].max()), 4),
            threshold=t.black_ratio,
            message=f"frames {a}–{b} are black ({stats.dark_ratio[a : b + 1].max():.1%} of pixels darker than luma {t.black_pixel_luma:g})",
        )
        for a, b in frame_runs(mask.tolist())
    ]  # fmt: skip


def check_blown(stats: FrameStats, t: Thresholds) -> list[Finding]:
    """Frames that are (nearly) all clipped white."""
    mask = blown_mask(stats, t)
    return [
        Finding(
            check="blown_out", severity="fail", frames=(a, b), value=round(float(stats.clipped_ratio[a : b + 1].max()), 4),
            threshold=t.blown_ratio,
            message=f"frames {a}–{b} are blown out ({stats.clipped_ratio[a : b + 1].max():.1%} of pixels brighter than luma {t.blown_pixel_luma:g})",
        )
        for a, b in frame_runs(mask.tolist())
    ]  # fmt: skip


def check_frozen(stats: FrameStats, fps: float, t: Thresholds) -> list[Finding]:
    """Stretches where the picture does not change for ``frozen_seconds`` or longer.

    A frame is 'still' when almost no pixel moved since the frame before; a run of still frames plus the
    frame they repeat is a frozen stretch. Black and blown-out frames are not counted (their own findings).
    """
    excluded = black_mask(stats, t) | blown_mask(stats, t)
    still = (stats.changed_ratio < t.frozen_changed_ratio) & ~excluded
    still[1:] &= ~excluded[:-1]
    findings = []
    for a, b in frame_runs(still.tolist()):
        first = max(0, a - 1)  # the frame that is repeated
        seconds = (b - first + 1) / fps
        if seconds + 1e-9 < t.frozen_seconds:
            continue
        findings.append(
            Finding(
                check="frozen", severity="fail", frames=(first, b), value=round(seconds, 4), threshold=t.frozen_seconds,
                message=f"picture frozen for {seconds:.2f} s (frames {first}–{b})",
            )
        )  # fmt: skip
    return findings


def _rolling_median(series: np.ndarray, half: int) -> np.ndarray:
    """Median over a centred window of ``2·half+1``; the ends are padded by odd reflection, so a straight
    ramp (a steady camera move) has zero departure right up to the first and last frame."""
    n = len(series)
    if n == 0 or half == 0:
        return series.copy()
    h = min(half, n - 1)
    if h == 0:
        return series.copy()
    head = 2 * series[0] - series[h:0:-1]
    tail = 2 * series[-1] - series[-2 : -h - 2 : -1]
    padded = np.concatenate([head, series, tail])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * h + 1)
    return np.median(windows, axis=1)


def flicker_departure(stats: FrameStats, fps: float, t: Thresholds) -> np.ndarray:
    """|mean luma − rolling median| per frame (0 for black/blown frames, which are left out of the series)."""
    keep = ~(black_mask(stats, t) | blown_mask(stats, t))
    departure = np.zeros(len(stats.mean_luma))
    series = stats.mean_luma[keep]
    if len(series) >= 3:
        half = max(1, round(t.flicker_window_s * fps / 2))
        departure[keep] = np.abs(series - _rolling_median(series, half))
    return departure


def pop_mask(stats: FrameStats, t: Thresholds) -> np.ndarray:
    """Frames whose picture 'pops': unlike both neighbours, while the neighbours are alike.

    Motion explains a frame that differs from the one before: then the frames on either side of it
    differ from each other at least as much (about twice, for a steady move). A frame that differs
    from both neighbours far more than they differ from each other is a structural glitch, whatever
    the camera does. Black and blown-out frames (and their neighbours' view of them) are left out.
    """
    excluded = black_mask(stats, t) | blown_mask(stats, t)
    near_excluded = excluded.copy()
    near_excluded[1:] |= excluded[:-1]
    near_excluded[:-1] |= excluded[1:]
    return (stats.pop_ratio > t.flicker_pop_ratio) & (stats.pop_diff > t.flicker_pop_luma) & ~near_excluded


def check_flicker(stats: FrameStats, fps: float, t: Thresholds) -> list[Finding]:
    """Bursts of frames whose brightness jumps away from the local baseline and back, and single frames
    whose picture pops (``pop_mask``) outside such a burst.

    Flagged frames less than a quarter second apart are one burst; the finding spans the burst and its
    value is the largest departure (luma levels). A pop's value is its ratio (see ``flicker_pop_ratio``).
    """
    departure = flicker_departure(stats, fps, t)
    flagged = departure > t.flicker_luma
    gap = max(1, round(fps / 4))
    bursts = frame_runs(flagged.tolist(), max_gap=gap)
    findings = [
        Finding(
            check="flicker", severity="fail", frames=(a, b), value=round(float(departure[a : b + 1].max()), 3),
            threshold=t.flicker_luma,
            message=f"brightness flickers in frames {a}–{b} (mean luma departs up to {departure[a : b + 1].max():.1f} levels from its local baseline)",
        )
        for a, b in bursts
    ]  # fmt: skip
    in_burst = np.zeros(len(flagged), dtype=bool)
    for a, b in bursts:
        in_burst[a : b + 1] = True
    for a, b in frame_runs((pop_mask(stats, t) & ~in_burst).tolist(), max_gap=gap):
        ratio = float(stats.pop_ratio[a : b + 1].max())
        findings.append(
            Finding(
                check="flicker", severity="fail", frames=(a, b), value=round(ratio, 3), threshold=t.flicker_pop_ratio,
                message=f"the picture pops in frames {a}–{b}: a frame differs from both neighbours {ratio:.1f}× more "
                "than they differ from each other (not explained by motion)",
            )
        )  # fmt: skip
    return sorted(findings, key=lambda f: f.frames)


def technical_findings(
    frames: np.ndarray, fps: float, *, planned_duration: float | None = None, thresholds: Thresholds | None = None
) -> tuple[list[Finding], FrameStats]:
    """All technical checks that ``thresholds.skip`` does not turn off, in check-id order."""
    t = thresholds or Thresholds()
    stats = frame_stats(frames, t)
    findings: list[Finding] = []
    if planned_duration is not None and "duration" not in t.skip:
        findings += check_duration(len(frames), fps, planned_duration, t)
    if "black_frames" not in t.skip:
        findings += check_black(stats, t)
    if "blown_out" not in t.skip:
        findings += check_blown(stats, t)
    if "frozen" not in t.skip:
        findings += check_frozen(stats, fps, t)
    if "flicker" not in t.skip:
        findings += check_flicker(stats, fps, t)
    return findings, stats
