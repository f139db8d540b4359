"""Benchmark: the animatic renders a 60-second film (15 shots × 4 s) at 640×360, 24 fps.

Target: under 15 s for the whole film on the 2-core development machine. Besides wall-clock seconds
each run reports ``cpu_s``: CPU seconds of this process plus its ffmpeg children — what the film costs
when the machine is shared (wall time then depends on everyone else's load). Every shot renders into a
fresh folder (no reuse of earlier takes). The film mixes every shot size, every camera move (parallax
moves scale two layers per frame, the costliest path), four times of day, interiors and exteriors, and
dialogue captions. Prints one JSON line per shot, then one per run total, then a summary line with the
median of ``--repeats`` runs.

Run: ``.venv/bin/python bench/animatic.py [--repeats 3] > bench/results/animatic.jsonl``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.animatic import AnimaticBackend
from generator.base import CAMERA_MOVES, SHOT_SIZES, RenderRequest

MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"
TIMES = ("night", "day", "dusk", "dawn")
PLACES = ("lamp room", "harbour street", "kitchen", "cliff top")
LINES = ("You came back.", "The lamp went out in the storm.", "", "I kept it burning for you.", "")


def film(width: int, height: int, fps: int, shots: int, seconds: float) -> list[RenderRequest]:
    """The benchmark film: ``shots`` shots of ``seconds`` each, cycling sizes, moves, light and places."""
    requests = []
    for i in range(shots):
        staging = [
            {"id": "mara", "name": "Mara", "x": 0.3, "facing": "right"},
            {"id": "tom", "name": "Tom", "x": 0.7, "facing": "left"},
        ][: 1 + i % 2]
        requests.append(RenderRequest(
            prompt=f"shot {i + 1}", staging=staging, shot_size=SHOT_SIZES[i % 8], camera_move=CAMERA_MOVES[i % len(CAMERA_MOVES)],
            time_of_day=TIMES[i % 4], location=PLACES[(i // 2) % 4], caption=LINES[i % len(LINES)],
            slate={"scene": f"s{i // 4 + 1}", "shot": f"s{i // 4 + 1}-{i % 4 + 1:02d}", "take": 1},
            width=width, height=height, fps=fps, duration_s=seconds, seed=i,
        ))  # fmt: skip
    return requests


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its finished children (the ffmpeg encoders)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--shots", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    requests = film(args.width, args.height, args.fps, args.shots, args.seconds)
    backend = AnimaticBackend()
    totals, cpu = [], []
    for run in range(args.repeats):
        cpu_start = _cpu_seconds()
        with tempfile.TemporaryDirectory(prefix="dailies-bench-animatic-") as tmp:
            started = time.perf_counter()
            for n, request in enumerate(requests):
                t0 = time.perf_counter()
                take = backend.render(request, Path(tmp) / f"run{run}")
                assert not take.reused
                print(json.dumps({
                    "bench": "animatic", "run": run, "shot": n + 1, "size": request.shot_size, "move": request.camera_move,
                    "time_of_day": request.time_of_day, "frames": take.frame_count, "seconds": round(time.perf_counter() - t0, 3),
                }), flush=True)  # fmt: skip
            totals.append(time.perf_counter() - started)
        cpu.append(_cpu_seconds() - cpu_start)
        print(
            json.dumps(
                {"bench": "animatic", "run": run, "total_s": round(totals[-1], 3), "cpu_s": round(cpu[-1], 3)}
            ),
            flush=True,
        )
    frames = sum(r.frame_count() for r in requests)
    median = statistics.median(totals)
    print(json.dumps({
        "bench": "animatic", "summary": True, "film_s": round(frames / args.fps, 2), "shots": len(requests), "frames": frames,
        "width": args.width, "height": args.height, "fps": args.fps, "runs": len(totals),
        "total_s_median": round(median, 3), "total_s_all": [round(t, 3) for t in totals],
        "cpu_s_median": round(statistics.median(cpu), 3), "realtime_ratio": round(median / (frames / args.fps), 4), "frames_per_s": round(frames / median, 1),
        "target_s": 15.0, "meets_target": median < 15.0, "encoder": "libx264 ultrafast (imageio-ffmpeg 9.0.2)",
        "machine": MACHINE, "load_avg_1m_at_end": round(os.getloadavg()[0], 2), "python": platform.python_version(),
    }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
