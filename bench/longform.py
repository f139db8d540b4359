"""Benchmark: a ten-minute film end to end — ``dailies make "PREMISE" --runtime 600 --yes`` on the embedded defaults.

Runs the real command (bundled LLM, CPU animatic) in a fresh data folder as a child process, timestamps
every progress line it prints, samples the resident memory of the whole process tree (the CLI and the
ffmpeg it starts) every half second, then reads the finished project from its database and prints one
JSON line with: total time and time per stage, peak RSS, the cut's length, scenes, shots, average and
longest shot, grammar findings, continuity facts honoured across acts, and the GPU estimate of the same
plan on each calibrated preset (``agents.desk``; GPU-seconds per minute of film, to compare with the
seed's claim of 12 minutes of 8×H100 per minute of 1080p film).

Targets (issue 15): under 30 minutes, peak RSS under 4 GB, length 600 s ± 2 %, at least 8 scenes and
100 shots, no grammar errors. The bench reports them; it does not assert them.

The bundled model's converted copy (``$DAILIES_HOME/models``) is copied from the user's data folder when
there is one, so the run measures the film, not the one-time conversion (``model_copied`` says which).

Run: ``nice .venv/bin/python bench/longform.py --note "load: $(uptime)" >> bench/results/longform.jsonl``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

MACHINE = f"{platform.machine()} {os.cpu_count()}-core {round(psutil.virtual_memory().total / 2**30)} GB, no GPU"
ROOT = Path(__file__).resolve().parent.parent
# bench/memory.py would shadow the ``memory`` package: import the project's packages, not the bench scripts.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

class PeakRss:
    """Samples the RSS of a process and its children; keeps the peak of the sum.

    A child whose command line is still its parent's has not called ``exec`` yet (Python starts every ffmpeg
    by ``vfork``): it shares the parent's memory, and /proc reports the parent's whole RSS as its own, so it
    is left out. Counted, it made a process holding the model and cutting a film sample 3276 MB with two
    processes when neither ever held more than 1757 MB (``ru_maxrss``). A forked worker that never execs
    would be left out too; the CLI starts none.
    """

    def __init__(self, pid: int, every_s: float = 0.5) -> None:
        self.pid, self.every_s, self.peak = pid, every_s, 0
        self.t0 = time.perf_counter()
        self.samples: list[tuple[float, int, int]] = []  # (seconds since start, tree RSS, processes in the tree)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = root.memory_info().rss
                children = root.children(recursive=True)
                for child in children:
                    with contextlib.suppress(psutil.Error):
                        if child.cmdline() != psutil.Process(child.ppid()).cmdline():  # not between fork and exec
                            total += child.memory_info().rss
                self.peak = max(self.peak, total)
                self.samples.append((time.perf_counter() - self.t0, total, 1 + len(children)))
            except psutil.Error:
                return
            self._stop.wait(self.every_s)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak

    def peak_at(self) -> dict[str, float]:
        """When the peak was sampled (seconds from the start) and how many processes the tree had then."""
        if not self.samples:
            return {}
        t, rss, procs = max(self.samples, key=lambda s: s[1])
        return {"t_s": round(t, 1), "rss_mb": round(rss / 2**20), "processes": procs}

    def peak_between(self, start_s: float, end_s: float) -> int:
        """Peak tree RSS (MB) sampled between two times (a stage's first and last progress line)."""
        inside = [rss for t, rss, _ in self.samples if start_s <= t <= end_s]
        return round(max(inside, default=0) / 2**20)


def stage_of(line: str) -> str | None:
    """The stage a progress line of ``dailies make`` belongs to (see ``ui.cli.make_commands.EventPrinter``)."""
    from agents.crew.registry import ROLES

    if (m := re.match(r"(\w+) (?:is working|\w+:)", line)) and m.group(1) in {r.name for r in ROLES}:
        return f"role:{m.group(1)}"
    if line.startswith("take ready"):
        return "shoot"
    if line.startswith("critic on"):
        return "critic"
    if line.startswith("cut:"):
        return "cut"
    if line.startswith("plan:"):
        return "plan_shown"
    return None


def make(premise: str, runtime: float, home: Path, log: Path) -> tuple[dict[str, list[float]], float, PeakRss, int, str]:
    """Run the CLI; returns (stage → times seen, total seconds, the RSS sampler, exit code, stdout)."""
    env = {**os.environ, "DAILIES_HOME": str(home), "COLUMNS": "200"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/dailies"), "make", premise, "--runtime", f"{runtime:g}", "--yes"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    rss = PeakRss(proc.pid)
    marks: dict[str, list[float]] = {}
    assert proc.stderr is not None and proc.stdout is not None
    with log.open("w") as out:
        for line in proc.stderr:
            now = time.perf_counter() - t0
            out.write(f"{now:9.2f} {line}")
            out.flush()
            if (stage := stage_of(line.strip())) is not None:
                marks.setdefault(stage, []).append(now)
    stdout = proc.stdout.read()
    code = proc.wait()
    rss.stop()
    return marks, time.perf_counter() - t0, rss, code, stdout


def cut_window(marks: dict[str, list[float]]) -> tuple[float, float] | None:
    """The cut's span: from the last line before it (the editor's, or the last take's) to its own last line.

    Why: ``dailies make`` prints one ``cut:`` line, at the end, so the cut stage's own span is a point; the
    voicing, the mix, the critic's listening and the encode all run in the silence before it.
    """
    if "cut" not in marks:
        return None
    end = max(marks["cut"])
    before = [t for stage, times in marks.items() if stage != "cut" for t in times if t < end]
    return (max(before, default=0.0), end)


def facts_across_acts(store: object, project: str) -> dict[str, object]:
    """Ledger facts set in act one and, for the act-three shots, three counts that tell the causes apart:

    - ``act3_shots_showing``: shots that show an act-one fact's subject by the plan alone (``facts_for_shot``
      over the whole ledger, no search): 0 means the story never brings the subject back on screen;
    - ``act3_shots_concerned``: the same found as the compiler finds them (the scene's full-text search of the
      ledger, then the per-shot rule): fewer than ``showing`` means the search missed facts;
    - ``act3_shots_honouring``: those whose compiled prompt (what the generator reads) carries every such fact.

    ``facts`` lists the act-one facts themselves, so a reader sees what the supervisor wrote."""
    from agents.crew.outline import outline_for
    from agents.shots.ledger import facts_for_shot, ledger_facts, ledger_for_scene
    from memory.shotlist_io import export_shotlist
    from memory.store import Store

    assert isinstance(store, Store)
    plan = export_shotlist(store, project)
    outline = outline_for([s.id for s in plan.scenes], list(store.project(project).beats))
    if len(outline.acts) < 3:
        return {"facts_act1": 0, "act3_shots_showing": 0, "act3_shots_concerned": 0, "act3_shots_honouring": 0}
    first, last = set(outline.acts[0].scenes), set(outline.acts[-1].scenes)
    ledger = ledger_facts(store.facts(project))
    act_one = [f for f in ledger if (f.since_scene or plan.scenes[0].id) in first]
    in_act_one = {(f.subject, f.fact) for f in act_one}
    prompts = {s.key: (s.prompt or "") for s in store.shots(project)}
    showing = concerned = honoured = 0
    for scene in plan.scenes:
        if scene.id not in last:
            continue
        found = [f for f in ledger_for_scene(store, project, plan, scene) if (f.subject, f.fact) in in_act_one]
        for shot in scene.shots:
            showing += bool(facts_for_shot(act_one, plan, scene, shot))
            chosen = facts_for_shot(found, plan, scene, shot)
            if chosen:
                concerned += 1
                honoured += all(f.fact.casefold() in prompts.get(shot.id, "").casefold() for f in chosen)
    return {
        "facts_act1": len(in_act_one), "act3_shots_showing": showing, "act3_shots_concerned": concerned,
        "act3_shots_honouring": honoured, "ledger_facts": len(ledger),
        "facts": [{"subject": f.subject, "fact": f.fact, "since": f.since_scene, "until": f.until_scene} for f in act_one],
    }  # fmt: skip


def gpu_estimates(store: object, project: str) -> dict[str, dict[str, float] | str]:
    """GPU-seconds of the same plan at 1080p on each calibrated diffusers preset (or why none)."""
    from agents.desk.calibration import ROWS
    from agents.desk.estimate import estimate_project
    from agents.errors import EstimateUnavailable
    from memory.store import Store

    assert isinstance(store, Store)
    out: dict[str, dict[str, float] | str] = {}
    for preset in ROWS:
        for label, (w, h) in (("1080p", (1920, 1080)), ("480p", (832, 480))):
            try:
                est = estimate_project(store, project, backend=f"diffusers:{preset}", width=w, height=h, fps=24.0, gpus=8)
            except EstimateUnavailable as exc:
                out[f"{preset}@{label}"] = str(exc)[:160]
                continue
            film_min = max(1e-9, sum(s.duration_s for s in est.shots) / 60)
            out[f"{preset}@{label}"] = {
                "gpu_s": round(est.gpu_seconds), "wall_s_on_8": round(est.wall_seconds),
                "gpu_min_per_film_min": round(est.gpu_seconds / 60 / film_min, 1),
                "wall_min_on_8_per_film_min": round(est.wall_seconds / 60 / film_min, 1),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", type=float, default=600.0)
    parser.add_argument("--premise", default="A lighthouse keeper finds a message in a bottle and follows it across the sea")
    parser.add_argument("--home", type=Path, default=None, help="Data folder (default: a fresh temporary one).")
    parser.add_argument("--note", default="", help="Free text recorded with the results (e.g. the machine's load).")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="dailies-longform-"))
    home.mkdir(parents=True, exist_ok=True)
    cached = Path(os.environ.get("DAILIES_MODEL_CACHE", Path.home() / ".local/share/dailies/models"))
    copied = cached.is_dir() and not (home / "models").exists()
    if copied:
        shutil.copytree(cached, home / "models")
    load_before = os.getloadavg()
    marks, total, rss, code, stdout = make(args.premise, args.runtime, home, home / "make.log")
    peak = rss.peak
    load_after = os.getloadavg()

    os.environ["DAILIES_HOME"] = str(home)
    from agents.grammar.rules import check
    from agents.settings import load_settings
    from generator.ffmpeg_tools import probe
    from memory.shotlist_io import export_shotlist
    from memory.store import Store

    store = Store(load_settings().store_url)
    projects = store.projects()
    result: dict[str, object] = {
        "bench": "longform", "machine": MACHINE, "note": args.note, "python": sys.version.split()[0],
        "load_avg_before": [round(x, 2) for x in load_before], "load_avg_after": [round(x, 2) for x in load_after],
        "runtime_target_s": args.runtime, "exit_code": code, "total_s": round(total, 1), "peak_rss_mb": round(peak / 2**20),
        "model_copied": copied, "home": str(home),
        "stages": {k: {"first_s": round(min(v), 1), "last_s": round(max(v), 1), "span_s": round(max(v) - min(v), 1),
                       "peak_rss_mb": rss.peak_between(min(v), max(v) + 0.5)}
                   for k, v in marks.items()},
        "peak_rss_at": rss.peak_at(),
        # Exact, not sampled: the largest resident size any one waited-for descendant reached (the CLI, or one
        # ffmpeg it ran); the sampled tree peak above adds up processes alive at the same moment.
        "peak_rss_one_process_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    cut_peak_mb = None
    if (window := cut_window(marks)) is not None:
        result["cut_peak_rss_mb"] = cut_peak_mb = rss.peak_between(*window)
        result["cut_window_s"] = [round(window[0], 1), round(window[1], 1)]
    if projects:
        project = projects[-1].id
        plan = export_shotlist(store, project)
        durations = [s.duration_s for _, s in plan.shots()]
        findings = check(plan)
        cut = next((m.data["cut"] for m in reversed(store.messages(project)) if "cut" in m.data), None)
        result.update({
            "project": project, "status": store.project(project).status, "title": store.project(project).title,
            "scenes": len(plan.scenes), "shots": len(durations), "planned_s": round(sum(durations), 2),
            "avg_shot_s": round(sum(durations) / len(durations), 2) if durations else None,
            "longest_shot_s": max(durations, default=None),
            "grammar_errors": sum(f.severity == "error" for f in findings),
            "grammar_warnings": sum(f.severity != "error" for f in findings),
            "cut_s": probe(Path(cut)).duration_s if cut else None,
            "continuity": facts_across_acts(store, project),
            "gpu_estimate": gpu_estimates(store, project),
        })
        cut_s = result["cut_s"]
        result["targets"] = {
            "under_30_min": total < 1800, "rss_under_4gb": peak < 4 * 2**30,
            "cut_rss_under_4gb": cut_peak_mb is not None and cut_peak_mb < 4096,
            "length_within_2pct": isinstance(cut_s, float) and abs(cut_s - args.runtime) <= 0.02 * args.runtime,
            "scenes_ge_8": len(plan.scenes) >= 8, "shots_ge_100": len(durations) >= 100,
            "no_grammar_errors": result["grammar_errors"] == 0,
        }
    if code != 0:
        result["stdout_tail"] = stdout[-400:]
        result["log_tail"] = (home / "make.log").read_text()[-800:]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
