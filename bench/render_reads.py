"""Render-node reads: the shooting subgraph's ``render`` node, per shot, on a 10-shot and a 300-shot film.

The render node reads the one shot it renders (``memory.shot_context.shot_plan``: the shot, its scene, its
characters), looks for an existing take, and records the new take. Before, it exported the whole plan for
every shot, so a film's reads grew with the square of its shots. This bench runs the real node
(``agents.production.nodes.shooting.render``) on a real SQLite store for every shot of each film, with an
instant generator (it writes no video: what is timed is the node's own work — the database reads and
writes and compiling the request — not the picture), and prints one JSON line per film size plus one for
the ratio: medians per shot of the database time (every statement SQLAlchemy executes, timed by engine
events) and the number of statements, and of the whole node in wall and CPU seconds. For comparison it also times the old whole-plan read
(``export_shotlist``) once per shot at each size.

Target (issue 12): the render node's database time per shot at 300 shots within 1.2× of the time at 10 shots.

Usage: ``python bench/render_reads.py [--sizes 10 300] [--out bench/results/render_reads.jsonl]``
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event
from sqlalchemy.engine import Engine

from agents.crew.role import Deps
from agents.production.nodes import shooting
from agents.production.state import Crew, ShotJob
from agents.settings import load_settings
from generator.base import Capabilities, Progress, RenderedTake, RenderRequest
from memory.shotlist_io import create_project_from_shotlist, export_shotlist
from memory.store import Store

MACHINE = "x86_64 2-core, no GPU (shared with four other jobs running tests at the same time)"
SHOTS_PER_SCENE = 5


def synthetic_shotlist(shots: int) -> dict[str, Any]:
    """A film of ``shots`` shots in scenes of five, two of six characters in each shot, one line each."""
    characters = [{"id": f"c{i}", "name": f"Character {i}", "description": "a person in their 40s, short grey hair",
                   "wardrobe": {"default": "grey wool coat"}} for i in range(6)]  # fmt: skip
    scenes = []
    for s in range(shots // SHOTS_PER_SCENE):
        a, b = f"c{s % 6}", f"c{(s + 1) % 6}"
        scenes.append({
            "id": f"s{s + 1}", "heading": f"INT. ROOM {s + 1} - NIGHT", "location": f"room {s + 1}", "time_of_day": "night",
            "shots": [{
                "id": f"s{s + 1}-{k + 1:02d}", "size": "MS", "duration_s": 3.0, "framing": "two_shot",
                "characters": [{"id": a, "x": 0.3, "facing": "right"}, {"id": b, "x": 0.7, "facing": "left"}],
                "camera": {"angle_deg": 0, "height": "eye", "move": "static"},
                "dialogue": [{"character": a, "line": f"Line {k} of scene {s}."}],
                "description": f"Shot {k} of scene {s}: {a} and {b} talk by the window.",
            } for k in range(SHOTS_PER_SCENE)],
        })  # fmt: skip
    return {"format": "dailies.shotlist/1", "title": f"Bench {shots}", "target_runtime_s": 3.0 * shots,
            "characters": characters, "scenes": scenes}


class InstantGenerator:
    """Returns a take description at once and writes nothing: the bench times the node, not a render."""

    name = "bench"
    capabilities = Capabilities(uses_gpu=False)

    def check(self, request: RenderRequest) -> None:
        return None

    def render(self, request: RenderRequest, out_dir: Path, progress: Progress | None = None) -> RenderedTake:
        return RenderedTake(path=out_dir / f"{request.key()}.mp4", request_hash=request.key(), seed=request.seed, backend=self.name,
                    model="none", frame_count=request.frame_count(), width=request.width, height=request.height, fps=request.fps)


@dataclass
class Runtime:
    context: Crew


class StatementClock:
    """Sums the time SQLAlchemy spends executing statements (every engine: reads and writes), and counts them."""

    def __init__(self) -> None:
        self.seconds, self.statements, self._started = 0.0, 0, 0.0
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    def _before(self, *_: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, *_: Any) -> None:
        self.seconds += time.perf_counter() - self._started
        self.statements += 1

    def reset(self) -> None:
        self.seconds, self.statements = 0.0, 0


CLOCK = StatementClock()


def measure(shots: int, folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    store = Store.at(folder / f"film-{shots}.db")
    project = create_project_from_shotlist(store, synthetic_shotlist(shots)).id
    settings = load_settings()
    runtime = Runtime(Crew(deps=Deps(store=store, llm=None, settings=settings), generator=InstantGenerator()))
    keys = [s.key for s in store.shots(project)]
    wall, cpu, db, statements, whole = [], [], [], [], []
    for key in keys:
        job = ShotJob(film=project, shot=key, base_take=0, attempt=0, knobs={}, reasons=[])
        CLOCK.reset()
        w, c = time.perf_counter(), time.process_time()
        shooting.render(job, runtime)  # type: ignore[arg-type]  # a Runtime with only ``context``, as nodes use it
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        db.append(CLOCK.seconds)
        statements.append(CLOCK.statements)
    for _ in keys[:: max(1, len(keys) // 30)]:  # the old per-shot read (the same for every shot), sampled
        w = time.perf_counter()
        export_shotlist(store, project)
        whole.append(time.perf_counter() - w)
    store.close()
    return {
        "shots": shots, "renders_timed": len(keys),
        "db_median_s": round(statistics.median(db), 6), "db_statements_median": statistics.median(statements),
        "node_median_s": round(statistics.median(wall), 6), "node_cpu_median_s": round(statistics.median(cpu), 6),
        "old_whole_plan_read_median_s": round(statistics.median(whole), 6),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=(10, 300), metavar=("SMALL", "BIG"))
    parser.add_argument("--out", type=Path, default=None, help="also append the JSON lines to this file")
    args = parser.parse_args()
    common = {"machine": MACHINE, "load_average_1min": round(os.getloadavg()[0], 2), "python": platform.python_version(),
              "date": time.strftime("%Y-%m-%d")}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DAILIES_HOME", tmp)
        measure(args.sizes[0], Path(tmp) / "warm-up")  # imports, template and engine caches: not part of either size
        small, big = (measure(n, Path(tmp)) for n in args.sizes)
    lines = [{"bench": "render_reads", **small, **common}, {"bench": "render_reads", **big, **common}]
    lines.append({
        "bench": "render_reads", "op": "ratio_big_to_small", "sizes": list(args.sizes),
        "db_ratio": round(big["db_median_s"] / small["db_median_s"], 3),
        "node_wall_ratio": round(big["node_median_s"] / small["node_median_s"], 3),
        "node_cpu_ratio": round(big["node_cpu_median_s"] / small["node_cpu_median_s"], 3),
        "old_whole_plan_read_ratio": round(big["old_whole_plan_read_median_s"] / small["old_whole_plan_read_median_s"], 3),
        "target": "db ratio <= 1.2", **common,
    })
    text = "\n".join(json.dumps(line) for line in lines)
    print(text)
    if args.out:
        with args.out.open("a") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
