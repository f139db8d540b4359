"""Benchmark: how long ``dailies check`` takes on shot lists of 1,000 / 10,000 / 50,000 shots.

The target (issue 5): checking a 10,000-shot plan in under 1 s on this machine, with time growing
linearly in the number of shots. Plans are built with the coverage helpers (20-shot dialogue scenes of
a 3-person cast, realistic staging) with a mistake planted every fourth scene (a swapped two-shot, a
wardrobe slip, a time-of-day slip), so every rule does real work and reports findings.

Prints one JSON line per case (median of ``--repeats`` runs, measured side by side in one process):

- ``check``: all rules over an already-parsed ``ShotList`` (what the continuity supervisor calls);
- ``check_file``: ``read_shotlist`` + ``check`` on a compact file on disk, with the garbage collector
  paused for the whole call as ``dailies check FILE`` does (less the interpreter start-up); the size
  cap is raised for the 50,000 case (about 25 MB);
- ``check_file_collector_on``: the same call from a long-running process that leaves the collector on
  (``read_shotlist`` and ``check`` each pause it only for their own work, so the collector later walks
  the new objects once more);
- ``fix``: ``apply_fixes`` on the same plan (1,000 and 10,000 shots);
- ``growth``: per-shot time ratios between sizes (1.0 = perfectly linear).

Run: ``.venv/bin/python bench/check.py [--repeats 5] > bench/results/check.jsonl``
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script, bench/ is first on sys.path, and bench/memory.py would shadow the memory package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from agents.grammar import apply_fixes, check  # noqa: E402
from agents.grammar.coverage import Beat, plan_scene  # noqa: E402
from memory.shotlist import Character, Scene, ShotList  # noqa: E402
from memory.shotlist_file import collector_paused, read_shotlist  # noqa: E402

MACHINE = f"{platform.machine()} 2-core 24 GB, no GPU (shared with other jobs)"
SIZES = (1_000, 10_000, 50_000)
CAST = ("mara", "tom", "ned")
SHOTS_PER_SCENE = 20


def plan(n_shots: int) -> ShotList:
    """A plan of about ``n_shots`` shots: dialogue scenes from the coverage helpers, some with a planted mistake."""
    beats = [Beat(speaker=CAST[k % 2], line="Keep the lamp lit until the boats are in.") for k in range(SHOTS_PER_SCENE - 2)]
    beats.insert(7, Beat(characters=list(CAST), description="Ned comes in from the storm."))
    scenes = []
    for i in range(max(1, n_shots // SHOTS_PER_SCENE)):
        shots = plan_scene(f"s{i + 1}", beats, blocking=list(CAST), location=f"place {i % 7}", first_index=1)
        if i % 4 == 3:
            group = shots[8]
            group.characters[0].x, group.characters[2].x = group.characters[2].x, group.characters[0].x  # axis_180
            shots[5].wardrobe = {"mara": "yellow oilskin"}  # wardrobe slip
            shots[6].time_of_day = "day"  # time-of-day slip
        scenes.append(Scene(id=f"s{i + 1}", location=f"place {i % 7}", time_of_day="night", shots=shots))
    characters = [Character(id=c, name=c.title(), wardrobe={"default": "grey wool coat"}) for c in CAST]
    return ShotList(title="bench", target_runtime_s=3.0 * n_shots, characters=characters, scenes=scenes)


def median_seconds(fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def check_file(path: Path, size: int, paused: bool) -> int:
    if paused:
        with collector_paused():
            return len(check(read_shotlist(path, max_bytes=size)))
    found = len(check(read_shotlist(path, max_bytes=size)))
    gc.collect(0)  # what the next allocation would trigger anyway: the young objects are walked once
    return found


def emit(**fields: Any) -> None:
    print(json.dumps({**fields, "machine": MACHINE, "python": platform.python_version()}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per case; the median is reported")
    args = parser.parse_args(argv)
    per_shot: dict[str, dict[int, float]] = {"check": {}, "check_file": {}, "check_file_collector_on": {}}
    with tempfile.TemporaryDirectory() as folder:
        for n in SIZES:
            film = plan(n)
            shots = sum(len(s.shots) for s in film.scenes)
            findings = check(film)
            wall, cpu = median_seconds(lambda film=film: check(film), args.repeats)
            per_shot["check"][n] = cpu / shots
            emit(bench="check", shots=shots, median_s=round(wall, 4), cpu_median_s=round(cpu, 4), runs=args.repeats,
                 cpu_us_per_shot=round(1e6 * cpu / shots, 2), findings=len(findings),
                 errors=sum(f.severity == "error" for f in findings))
            path = Path(folder) / f"plan-{n}.shots.json"
            path.write_text(json.dumps(film.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
            size = path.stat().st_size
            for case, paused in (("check_file", True), ("check_file_collector_on", False)):
                wall, cpu = median_seconds(lambda path=path, size=size, paused=paused: check_file(path, size, paused), args.repeats)
                per_shot[case][n] = cpu / shots
                emit(bench=case, shots=shots, megabytes=round(size / 1e6, 1), median_s=round(wall, 4),
                     cpu_median_s=round(cpu, 4), runs=args.repeats, cpu_us_per_shot=round(1e6 * cpu / shots, 2))
            if n <= 10_000:
                runs = max(1, args.repeats // 2)
                wall, cpu = median_seconds(lambda film=film: apply_fixes(film), runs)
                fixed, changes = apply_fixes(film)
                emit(bench="fix", shots=shots, median_s=round(wall, 4), cpu_median_s=round(cpu, 4), runs=runs,
                     changes=len(changes), errors_after=sum(f.severity == "error" for f in check(fixed)))
    for what, times in per_shot.items():
        small, mid, big = (times[n] for n in SIZES)
        emit(bench="growth", case=what, cpu_per_shot_ratio_10k_vs_1k=round(mid / small, 2),
             cpu_per_shot_ratio_50k_vs_10k=round(big / mid, 2))


if __name__ == "__main__":
    sys.exit(main())
