"""Benchmark: how long the critic takes to measure a 10-second 640×360 24 fps take, end to end.

The headline is the **full-resolution end-to-end** time: from the take's file, every check the critic runs
(decode, duration, black, blown-out, frozen, flicker, the colour jump against the previous take's tail,
identity of two characters and prompt adherence) with frames measured at the take's full width, as a
real-time factor (``realtime_factor`` = seconds to measure / seconds the take plays; below 1 is faster
than real time). The same is timed at the default analysis width (320: ffmpeg scales while decoding).

Before and after side by side in one run: ``before`` is the measuring code of ``--baseline`` (a commit,
extracted with ``git archive`` into a temporary folder), ``after`` is this working tree. Each timed run is
a fresh process that builds its inputs, measures once to warm up, then measures once under the clock; the
runs are interleaved (before, after, before, after…) so bursts of load from other jobs on this shared
machine land on both alike; lines quote the median. Wall seconds are the headline (what a creator
waits); on this shared machine they swing several-fold with other jobs, so each line also gives the
median CPU seconds of the process and its ffmpeg children (``*_cpu_s``), which load disturbs far less.
Each line also says whether ``after`` produced exactly the same findings and scores as ``before`` in
every run.

Identity and prompt adherence use the tests' tiny random-weight CLIP: the lines measure the pipeline, not
a real encoder's cost.

Run: ``.venv/bin/python bench/critic.py [--repeats 5] [--baseline COMMIT] > bench/results/critic.jsonl``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine, uptime  # noqa: E402

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 10.0
#: A commit whose generator/measure is the code before the luma statistics were chunked and the colour
#: histograms counted with bincount (its last change to generator/measure, 7b7f8d7, was a docstring).
BASELINE = "a5543cc"


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


def measure_once(code_root: Path, width: int, take: Path, prev: Path) -> None:
    """In a fresh process: measure ``take`` with the code under ``code_root``; print seconds and the report."""
    import time

    sys.path.insert(0, str(code_root))
    sys.path.insert(1, str(ROOT / "tests" / "generator" / "measure"))  # the tiny CLIP used by the tests
    from measure_tiny_clip import tiny_clip_encoder

    from generator.measure import CharacterReference, Thresholds, decode_clip, measure_report

    encoder = tiny_clip_encoder()
    first = decode_clip(take, max_width=width).frames[0]
    s = width / WIDTH
    refs = [
        CharacterReference("mara", first[int(110 * s) : int(320 * s), int(120 * s) : int(170 * s)].copy(), x=0.25),
        CharacterReference("tom", first[int(110 * s) : int(320 * s), int(460 * s) : int(510 * s)].copy(), x=0.75),
    ]

    def run() -> object:
        return measure_report(
            take, planned_duration=SECONDS, prev=prev, thresholds=Thresholds(analysis_width=width),
            references=refs, prompt="a man walks in the street", encoder=encoder,
        )  # fmt: skip

    def cpu() -> float:  # this process (every thread) and its waited-for children (ffmpeg's decodes)
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    run()  # warm-up: imports, first-call costs, the file in the page cache
    cpu_start, start = cpu(), time.perf_counter()
    report = run()
    seconds, cpu_s = time.perf_counter() - start, cpu() - cpu_start
    print(json.dumps({"seconds": seconds, "cpu_s": cpu_s, "report": report.model_dump(mode="json")}))  # type: ignore[attr-defined]


def one_run(code_root: Path, width: int, take: Path, prev: Path) -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, CPU seconds, report) of one measured run in a fresh process."""
    cmd = [sys.executable, __file__, "--one", str(code_root), str(width), str(take), str(prev)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return float(result["seconds"]), float(result["cpu_s"]), result["report"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="Commit whose measuring code is 'before'.")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        root, width, take, prev = args.one
        measure_once(Path(root), int(width), Path(take), Path(prev))
        return

    from generator.ffmpeg_tools import write_mp4

    frames_n = int(SECONDS * FPS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        take = write_mp4(iter(synthetic_take(frames_n, seed=1)), folder / "take.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
        prev = write_mp4(iter(synthetic_take(48, seed=2)), folder / "prev.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
        before_root = folder / "before"
        before_root.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "generator"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(before_root)], input=archive.stdout, check=True)
        load_before = uptime()
        variants = {"before": before_root, "after": ROOT}
        times: dict[tuple[int, str], list[float]] = {}
        cpu_times: dict[tuple[int, str], list[float]] = {}
        reports: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for _ in range(args.repeats):
            for width in (WIDTH, 320):
                for name, code_root in variants.items():
                    seconds, cpu_s, report = one_run(code_root, width, take, prev)
                    times.setdefault((width, name), []).append(seconds)
                    cpu_times.setdefault((width, name), []).append(cpu_s)
                    reports.setdefault((width, name), []).append(report)
        for width in (WIDTH, 320):
            before = statistics.median(times[(width, "before")])
            after = statistics.median(times[(width, "after")])
            findings = reports[(width, "after")][0]["findings"]
            every = reports[(width, "before")] + reports[(width, "after")]
            print(json.dumps({
                "bench": "critic",
                "case": "measure_take_fullres" if width == WIDTH else "measure_take",
                "headline": width == WIDTH,
                "meaning": (
                    "seconds to measure one take end to end from its file (decode at analysis_width, every check: "
                    "technical, colour jump vs the previous take's tail, identity of 2 characters and prompt adherence "
                    "through a tiny random-weight CLIP); realtime_factor = seconds / the take's 10 s running time "
                    "(below 1 = faster than real time); median of interleaved fresh-process runs after one warm-up"
                ),
                "analysis_width": width,
                "take": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "seconds": SECONDS, "frames": frames_n},
                "before_commit": args.baseline,
                "before_s": round(before, 3),
                "after_s": round(after, 3),
                "before_realtime_factor": round(before / SECONDS, 3),
                "after_realtime_factor": round(after / SECONDS, 3),
                "speedup": round(before / after, 2),
                "before_runs_s": [round(v, 3) for v in times[(width, "before")]],
                "after_runs_s": [round(v, 3) for v in times[(width, "after")]],
                "before_cpu_s": round(statistics.median(cpu_times[(width, "before")]), 3),
                "after_cpu_s": round(statistics.median(cpu_times[(width, "after")]), 3),
                "cpu_speedup": round(statistics.median(cpu_times[(width, "before")]) / statistics.median(cpu_times[(width, "after")]), 2),
                "same_findings_and_scores": all(report == every[0] for report in every),  # every run, both sides
                "findings": [f["check"] for f in findings],
                "repeats": args.repeats,
                "statistic": "median",
                "machine": machine(),
                "uptime_before": load_before,
                "uptime": uptime(),
            }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
