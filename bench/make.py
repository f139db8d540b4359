"""Benchmark: ``dailies make`` on the embedded defaults (bundled LLM, CPU animatic), time per stage.

Makes one film from a premise in a fresh data folder, approving everything (as ``--yes`` does), and
prints JSON lines: one per crew step (seconds from start to finish of each role, the shooting stage from
the first render event to the shot gate, the cut), then a summary line with the total, the film's
planned and cut duration, and the plan's grammar errors as ``dailies check`` counts them.
Target (issue 4): a 30-second film in under 5 minutes on the 2-core CPU machine, with a plan that has no
grammar errors.

Run: ``.venv/bin/python bench/make.py [--runtime 30] [--premise "…"] > bench/results/make.jsonl``
The first run in a fresh home also converts the bundled GGUF once (reported as ``model_cache``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

MACHINE = f"{platform.machine()} {os.cpu_count()}-core, no GPU"
# bench/memory.py would shadow the ``memory`` package: import the project's packages, not the bench scripts.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", type=float, default=30.0)
    parser.add_argument("--premise", default="A lighthouse keeper finds a message in a bottle")
    parser.add_argument("--home", type=Path, default=None, help="Data folder (default: a fresh temporary one).")
    parser.add_argument("--note", default="", help="Free text recorded with the results (e.g. machine load).")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="dailies-bench-"))
    os.environ["DAILIES_HOME"] = str(home)

    from agents.grammar.rules import check
    from agents.production.decisions import CreatorDecision
    from agents.studio import Studio
    from memory.shotlist_io import export_shotlist

    t0 = time.perf_counter()
    studio = Studio()
    project = studio.new(args.premise, runtime_s=args.runtime).id
    marks: dict[str, list[float]] = {}

    def on_event(event) -> None:  # type: ignore[no-untyped-def]
        now = time.perf_counter() - t0
        key = {"role": lambda: f"role:{event.role}", "render": lambda: "shoot", "take": lambda: "shoot",
               "verdict": lambda: "critic", "cut": lambda: "cut"}.get(event.kind, lambda: event.kind)()
        marks.setdefault(key, []).append(now)

    pending = studio.run(project, on_event=on_event)
    plan_done = time.perf_counter() - t0
    plan = export_shotlist(studio.store, project)
    errors = [f for f in check(plan) if f.severity == "error"]
    while pending is not None:
        if pending.what == "plan":
            decision = CreatorDecision(kind="approve_plan")
        else:
            decision = CreatorDecision(kind="approve", shot=pending.shots[0])
        for event in studio.decide(project, decision):
            on_event(event)
        pending = studio.pending(project)
    total = time.perf_counter() - t0

    base = {"bench": "make", "machine": MACHINE, "note": args.note, "python": sys.version.split()[0]}
    for key, times in marks.items():
        print(json.dumps({**base, "stage": key, "first_s": round(min(times), 2), "last_s": round(max(times), 2)}))
    cut = next((m.data["cut"] for m in studio.store.messages(project) if "cut" in m.data), None)
    from generator.ffmpeg_tools import probe

    cut_s = probe(Path(cut)).duration_s if cut else None
    print(json.dumps({
        **base, "stage": "total", "runtime_target_s": args.runtime, "plan_s": round(plan_done, 2), "total_s": round(total, 2),
        "shots": len(studio.store.shots(project)), "planned_s": round(sum(s.duration_s for _, s in plan.shots()), 2),
        "cut_s": cut_s, "plan_grammar_errors": len(errors), "status": studio.store.project(project).status,
        "title": studio.store.project(project).title,
    }))


if __name__ == "__main__":
    main()
