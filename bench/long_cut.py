"""Benchmark: the cut of a ten-minute film alone — ``dailies cut`` on a 600 s plan, with its peak memory.

Why beside ``bench/longform.py``: the whole make takes an hour here, most of it the bundled model planning;
the cut is the stage that peaked at 4.6 GB (issue 15). This builds the same shape of film in minutes: 30
scenes of five 4-second shots (150 shots, 600 s), two characters with a line in every shot (20 distinct
lines, voiced by piper through the voice cache), a location per scene (so 30 ambience beds and 30 music
cues), and a distinct take per shot (ffmpeg's ``testsrc2`` at the settings' size and rate), each approved.
Then it runs the real command, ``dailies cut PROJECT --json``, as a child process in a fresh data folder and
samples the resident memory of the whole process tree (the CLI and the ffmpeg it starts) every 0.2 s.

Printed (one JSON line): seconds, the film's length, the sampled tree peak and when it was sampled (with how
many processes the tree had then), and the exact peak of the largest single process (``RUSAGE_CHILDREN``:
the CLI or one ffmpeg it ran). Not measured here: the bundled model, which ``dailies make`` keeps loaded in
the same process (the CLI held ~1.8 GB before the cut in the second run of ``bench/results/longform.jsonl``);
add it to compare with that file's ``peak_rss_mb``.

Run: ``nice -n 10 .venv/bin/python bench/long_cut.py --note "load: $(uptime)" >> bench/results/long_cut.jsonl``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/memory.py would shadow the ``memory`` package: import the project's packages, not the bench scripts.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCENES, SHOTS_PER_SCENE, SHOT_S = 30, 5, 4.0
LINES = (
    "Who is out there on the rocks tonight?", "The tide came in faster than I thought.",
    "Keep the lamp lit until I come back.", "There is a message inside this bottle.",
    "Nobody has rowed out here in years.", "Listen. Can you hear the bell buoy?",
    "The glass is cracked again, look at it.", "We follow the current to the north.",
    "I found the map under the floorboards.", "Your father kept every logbook here.",
    "The storm will reach the harbour by dawn.", "Hold the rope and do not let go.",
    "Someone wrote this a long time ago.", "The gulls are flying inland today.",
    "I am not afraid of the dark water.", "Bring the oil up from the cellar.",
    "We leave at first light, then.", "The compass needle will not settle.",
    "Tell me what the letter says.", "The lighthouse is the only home I have.",
)  # fmt: skip
PLACES = ("lamp room", "harbour", "rocky shore", "kitchen", "open sea", "village street")


def _load_longform() -> object:
    spec = importlib.util.spec_from_file_location("bench_longform", Path(__file__).with_name("longform.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plan() -> dict[str, object]:
    """The shot list of a ten-minute film (the shape the bundled crew planned: 30 scenes, ~150 shots)."""
    scenes = []
    for n in range(1, SCENES + 1):
        shots = []
        for k in range(1, SHOTS_PER_SCENE + 1):
            who = "mara" if (n + k) % 2 else "tom"
            shots.append({
                "id": f"s{n}-{k:02d}", "size": "MS", "duration_s": SHOT_S,
                "characters": [{"id": who, "x": 0.5, "facing": "right"}],
                "description": f"{who.capitalize()} in the {PLACES[n % len(PLACES)]}.",
                "dialogue": [{"character": who, "line": LINES[(5 * n + k) % len(LINES)]}],
            })  # fmt: skip
        scenes.append(
            {"id": f"s{n}", "location": PLACES[n % len(PLACES)], "time_of_day": "night", "shots": shots}
        )
    return {
        "title": "A message in a bottle",
        "characters": [
            {"id": "mara", "name": "Mara", "description": "lighthouse keeper"},
            {"id": "tom", "name": "Tom", "description": "her son"},
        ],
        "scenes": scenes,
    }


def make_takes(
    folder: Path, shots: list[str], width: int, height: int, fps: int, ffmpeg: str
) -> dict[str, Path]:
    """A distinct 4-second take per shot (a test pattern turned by the shot's number, with a tone)."""
    folder.mkdir(parents=True, exist_ok=True)
    takes = {}
    for index, shot in enumerate(shots):
        path = folder / f"{shot}.mp4"
        takes[shot] = path
        if path.is_file():  # a rerun with the same --home keeps the takes it made
            continue
        subprocess.run(
            [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r={fps}:d={SHOT_S},hue=h={index * 7}",
             "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)],
            check=True,
        )  # fmt: skip
    return takes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, default=None, help="Data folder (default: a fresh temporary one)."
    )
    parser.add_argument(
        "--note", default="", help="Free text recorded with the results (e.g. the machine's load)."
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="dailies-longcut-"))
    os.environ["DAILIES_HOME"] = str(home)

    from agents.settings import load_settings
    from bench.machine import machine, uptime  # type: ignore[import-not-found]
    from generator.ffmpeg_tools import find_ffmpeg, probe
    from memory.shotlist_io import create_project_from_shotlist
    from memory.store import Store

    settings = load_settings()
    store = Store(settings.store_url)
    project = create_project_from_shotlist(store, plan()).id
    shots = [s.key for s in store.shots(project)]
    t0 = time.perf_counter()
    takes = make_takes(
        home / "bench-takes",
        shots,
        settings.width,
        settings.height,
        settings.fps,
        find_ffmpeg(settings.ffmpeg),
    )
    made_s = time.perf_counter() - t0
    for shot, path in takes.items():
        store.add_take(
            project, shot, path=str(path), backend="testsrc2", status="approved", request_hash=f"bench-{shot}"
        )
    store.close()

    longform = _load_longform()
    load_before = uptime()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/dailies"), "cut", project, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ},
    )  # fmt: skip
    rss = longform.PeakRss(proc.pid, every_s=0.2)  # type: ignore[attr-defined]
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    rss.stop()
    result: dict[str, object] = {
        "bench": "long_cut", "machine": machine(), "note": args.note, "load_before": load_before, "load_after": uptime(),
        "exit_code": proc.returncode, "shots": len(shots), "planned_s": len(shots) * SHOT_S, "takes_made_s": round(made_s, 1),
        "cut_s": round(seconds, 1), "peak_rss_tree_mb": round(rss.peak / 2**20), "peak_rss_at": rss.peak_at(),
        "peak_rss_one_process_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }  # fmt: skip
    if proc.returncode == 0:
        cut = json.loads(out)
        video = cut.get("video") or cut.get("film")
        result["film_s"] = probe(Path(video)).duration_s if video else None
        result["notes"] = [n for n in cut.get("notes", []) if n.startswith(("sound:", "critic"))][:4]
    else:
        result["stderr_tail"] = err[-800:]
    result["under_4gb"] = rss.peak < 4 * 2**30
    print(json.dumps(result))


if __name__ == "__main__":
    main()
