"""Story-memory benchmark: a synthetic 1,000-scene / 10,000-shot project on a SQLite file.

Prints one JSON line per measurement (medians of repeated runs, measured side by side in one process):
  create      bulk-create the project from a shot list (one transaction)
  load_shots  ``store.shots(project)`` — every shot row, film order          target: < 0.5 s
  export_shotlist  the same as a ``memory.shotlist.ShotList`` document
  reimport_shotlist  ``import_shotlist`` of the same document again (every row matched and updated)
  update_shot one ``store.update_shot`` in the big project
  export_bible the whole project as story-bible JSON text
  single-shot ops (get, update, annotate, add take, add+delete) at 1,000 vs 10,000 shots, with their ratio
  (size-independent means a ratio near 1).

Usage: ``python bench/memory.py [--scenes 1000] [--shots-per-scene 10] [--out bench/results/memory.jsonl]``
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from memory.bible import export_bible
from memory.shotlist_io import create_project_from_shotlist, export_shotlist, import_shotlist
from memory.store import Store

MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"
SIZES = ("EWS", "WS", "FS", "MWS", "MS", "MCU", "CU", "ECU")


def synthetic_shotlist(scenes: int, shots_per_scene: int, title: str) -> dict[str, Any]:
    characters = [{"id": f"c{i}", "name": f"Character {i}", "description": "a person, 40s",
                   "wardrobe": {"default": "grey coat"}} for i in range(20)]
    document: dict[str, Any] = {"format": "dailies.shotlist/1", "title": title, "target_runtime_s": 5400.0,
                                "characters": characters, "scenes": []}
    for s in range(scenes):
        shots = []
        for k in range(shots_per_scene):
            a, b = f"c{s % 20}", f"c{(s + 1) % 20}"
            shots.append({
                "id": f"s{s}-{k:02d}", "size": SIZES[k % len(SIZES)], "duration_s": 3.0, "framing": "two_shot",
                "characters": [{"id": a, "x": 0.3, "facing": "right"}, {"id": b, "x": 0.7, "facing": "left"}],
                "camera": {"angle_deg": (k * 35) % 180, "height": "eye", "move": "static"},
                "dialogue": [{"character": a, "line": f"Line {k} of scene {s}."}],
                "description": f"Shot {k} of scene {s}: {a} and {b} talk by the window.",
            })
        document["scenes"].append({"id": f"s{s}", "heading": f"INT. ROOM {s} - NIGHT", "location": f"room {s}",
                                   "time_of_day": "night", "day": 1 + s // 50, "shots": shots})
    return document


class Times(list[float]):
    """Wall-clock seconds per run, with the process's CPU seconds per run beside them (``cpu``).

    On a machine shared with other jobs the wall clock includes time spent waiting for a core; the
    CPU time is what the operation itself costs. Both are reported.
    """

    cpu: list[float]


def timed(fn: Callable[[], Any], runs: int) -> Times:
    times, cpu = Times(), []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    times.cpu = cpu
    return times


def line(op: str, times: Times, **extra: Any) -> dict[str, Any]:
    record = {"bench": "memory", "op": op, "median_s": round(statistics.median(times), 6), "min_s": round(min(times), 6),
              "cpu_median_s": round(statistics.median(times.cpu), 6), "runs": len(times), **extra,
              "machine": MACHINE, "load_average_1min": round(os.getloadavg()[0], 1), "python": platform.python_version(),
              "date": time.strftime("%Y-%m-%d", time.gmtime())}
    print(json.dumps(record), flush=True)
    return record


def single_shot_ops(store: Store, project: str, shots: int, scenes: int, runs: int) -> dict[str, Times]:
    """Each op touches one shot picked across the project, so no cache favours the small one."""
    picks = [f"s{(i * 7919) % scenes}-{i % (shots // scenes):02d}" for i in range(runs)]
    it = iter(range(10**9))
    ops: dict[str, Callable[[], Any]] = {
        "get_shot": lambda: store.shot(project, picks[next(it) % runs]),
        "update_shot": lambda: store.update_shot(project, picks[next(it) % runs], description="edited"),
        "annotate_shot": lambda: store.annotate(project, picks[next(it) % runs], role="bench", data=[1, 2, 3]),
        "add_take": lambda: store.add_take(project, picks[next(it) % runs], request_hash="h", seed=1),
        "add_and_delete_shot": lambda: (store.upsert_shot(project, "s0", "bench-new"), store.delete_shot(project, "bench-new")),
    }
    return {name: timed(fn, runs) for name, fn in ops.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, default=1000)
    parser.add_argument("--shots-per-scene", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5, help="repeats of each whole-project measurement")
    parser.add_argument("--single-runs", type=int, default=60, help="repeats of each single-shot operation")
    parser.add_argument("--out", type=Path, help="also append the JSON lines to this file")
    args = parser.parse_args()
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.at(Path(tmp) / "bench.db")
        big_doc = synthetic_shotlist(args.scenes, args.shots_per_scene, "Big")
        n_shots = args.scenes * args.shots_per_scene
        small_scenes = max(1, args.scenes // 10)
        small_doc = synthetic_shotlist(small_scenes, args.shots_per_scene, "Small")
        created: list[str] = []
        records.append(line("create", timed(lambda: created.append(create_project_from_shotlist(store, big_doc).id), 1),
                            scenes=args.scenes, shots=n_shots))
        big = created[0]
        small = create_project_from_shotlist(store, small_doc).id

        records.append(line("load_shots", timed(lambda: store.shots(big), args.runs), shots=n_shots, target_s=0.5))
        records.append(line("export_shotlist", timed(lambda: export_shotlist(store, big), args.runs), shots=n_shots, target_s=0.5))
        records.append(line("reimport_shotlist", timed(lambda: import_shotlist(store, big, big_doc), 3), shots=n_shots))
        records.append(line("update_shot", timed(lambda: store.update_shot(big, "s500-05", size="CU"), args.single_runs), shots=n_shots))
        records.append(line("export_bible", timed(lambda: json.dumps(export_bible(store, big)), args.runs), shots=n_shots))

        small_ops = single_shot_ops(store, small, small_scenes * args.shots_per_scene, small_scenes, args.single_runs)
        big_ops = single_shot_ops(store, big, n_shots, args.scenes, args.single_runs)
        for name in small_ops:
            small_median, big_median = statistics.median(small_ops[name].cpu), statistics.median(big_ops[name].cpu)
            records.append(line(
                f"single:{name}", big_ops[name], shots=n_shots,
                small_project_shots=small_scenes * args.shots_per_scene, small_cpu_median_s=round(small_median, 6),
                cpu_ratio_big_to_small=round(big_median / small_median, 3),
            ))
        store.close()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
