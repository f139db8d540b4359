"""Benchmark: how long the critic takes to measure a 10-second 640×360 24 fps take.

Prints one JSON line per case (median of ``--repeats`` interleaved runs, side by side in one process) with the
seconds and the ratio to the take's running time (``realtime_ratio`` < 1 is faster than real time):

- ``decode``: ffmpeg decode, scaled to the analysis width (320);
- ``technical``: duration, black, blown-out, frozen and flicker on the decoded frames;
- ``continuity``: decoding the previous take's tail and the Lab colour-jump check;
- ``identity_tiny``: two characters and the prompt through a tiny random-weight CLIP (measures the
  pipeline's overhead, not a real encoder's cost);
- ``measure_take``: everything above end to end from the file (what ``dailies qc --prev`` does);
- ``measure_take_fullres``: the same at the take's full 640 width, to show what the scaling buys.

Run: ``.venv/bin/python bench/critic.py [--repeats 3] > bench/results/critic.jsonl``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "generator" / "measure"))  # the tiny CLIP used by the tests

from generator.ffmpeg_tools import write_mp4  # noqa: E402
from generator.measure import CharacterReference, Thresholds, decode_clip, measure_frames, measure_report  # noqa: E402
from generator.measure.continuity import check_color_jump  # noqa: E402
from generator.measure.identity import identity_findings, prompt_adherence  # noqa: E402
from generator.measure.technical import technical_findings  # noqa: E402

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 10.0
MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"


def synthetic_take(frames: int, *, seed: int) -> np.ndarray:
    """A textured world panned at 3 px/frame with two coloured figures walking across it."""
    rng = np.random.default_rng(seed)
    world_w = WIDTH + 3 * frames + 8
    yy, xx = np.mgrid[0:HEIGHT, 0:world_w].astype(np.float32)
    base = 60 + 100 * xx / world_w + 25 * np.sin(xx / 9.0) * np.cos(yy / 11.0)
    world = np.stack([base, base * 0.92, base * 0.8], axis=-1)
    for _ in range(120):
        cx, cy, r = rng.integers(0, world_w), rng.integers(0, HEIGHT), rng.integers(6, 30)
        world[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = rng.integers(20, 230, size=3)
    world = np.clip(world, 0, 255).astype(np.uint8)
    out = np.empty((frames, HEIGHT, WIDTH, 3), dtype=np.uint8)
    for t in range(frames):
        frame = world[:, 3 * t : 3 * t + WIDTH].copy()
        for x0, colour in ((120 + t, (200, 50, 60)), (460 - t, (50, 80, 200))):
            frame[110:320, x0 : x0 + 50] = colour
        out[t] = frame
    return out


def timed(cases: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds per case; the repeats are interleaved (case A, B, C, A, B, C…) so a burst of load
    from other jobs on the shared machine lands on every case alike."""
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            runs[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from measure_tiny_clip import tiny_clip_encoder

    frames_n = int(SECONDS * FPS)
    with tempfile.TemporaryDirectory() as tmp:
        take = write_mp4(iter(synthetic_take(frames_n, seed=1)), Path(tmp) / "take.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
        prev = write_mp4(iter(synthetic_take(48, seed=2)), Path(tmp) / "prev.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
        t = Thresholds()
        clip = decode_clip(take, max_width=t.analysis_width)
        prev_tail = decode_clip(prev, max_width=t.analysis_width, last_frames=t.color_jump_frames).frames
        encoder = tiny_clip_encoder()
        refs = [
            CharacterReference("mara", clip.frames[0][50:160, 60:85].copy(), x=0.25),
            CharacterReference("tom", clip.frames[0][50:160, 230:255].copy(), x=0.75),
        ]
        prompt = "a man walks in the street"
        report = measure_frames(clip.frames, clip.fps, planned_duration=SECONDS, prev_frames=prev_tail, thresholds=t)
        cases: dict[str, Callable[[], object]] = {
            "decode": lambda: decode_clip(take, max_width=t.analysis_width),
            "technical": lambda: technical_findings(clip.frames, clip.fps, planned_duration=SECONDS, thresholds=t),
            "continuity": lambda: check_color_jump(
                decode_clip(prev, max_width=t.analysis_width, last_frames=t.color_jump_frames).frames, clip.frames, t
            ),
            "identity_tiny": lambda: (identity_findings(clip.frames, refs, encoder, t), prompt_adherence(clip.frames, prompt, encoder, t)),
            "measure_take": lambda: measure_report(take, planned_duration=SECONDS, prev=prev, references=refs, prompt=prompt, encoder=encoder),
            "measure_take_fullres": lambda: measure_report(
                take, planned_duration=SECONDS, prev=prev, thresholds=Thresholds(analysis_width=WIDTH)
            ),
        }
        for name, seconds in timed(cases, args.repeats).items():
            print(json.dumps({
                "bench": "critic", "case": name, "seconds": round(seconds, 4),
                "realtime_ratio": round(seconds / SECONDS, 4),
                "take": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "seconds": SECONDS, "frames": frames_n},
                "analysis_width": WIDTH if name.endswith("fullres") else t.analysis_width,
                "repeats": args.repeats, "statistic": "median",
                "clean_take_findings": [f.check for f in report.findings],
                "machine": MACHINE, "load_avg_1m": round(os.getloadavg()[0], 2), "python": platform.python_version(),
            }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
