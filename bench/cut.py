"""Benchmark: how long the editor takes to cut a one-minute 640×360 24 fps film, first and again.

Twenty 3-second takes (ffmpeg's ``testsrc2`` pattern with a tone; every fifth without sound, every
fourth at another size and frame rate so conforming has work to do), joined with cuts, a dissolve
and a fade per scene of five shots, title card, credits and dialogue subtitles. Prints one JSON line
per case (median of ``--repeats`` runs, side by side in one process):

- ``first_cut``: an empty cache: every take is conformed, then the film is encoded;
- ``recut_one_changed``: the cache is warm and one take was replaced (a reshoot): one take conformed;
- ``recut_unchanged``: nothing changed: the cache's stamp says the film is up to date (no encode at all).

``realtime_ratio`` is seconds of work per second of film (< 1 is faster than real time).

Run: ``.venv/bin/python bench/cut.py [--repeats 3] > bench/results/cut.jsonl``
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from generator.assembly import DialogueLine, EditClip, EditList, Transition, assemble
from generator.ffmpeg_tools import find_ffmpeg

WIDTH, HEIGHT, FPS, SHOTS, SHOT_S = 640, 360, 24, 20, 3.0
MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"


def make_take(path: Path, index: int, exe: str) -> Path:
    size, rate = ("480x360", 30) if index % 4 == 3 else (f"{WIDTH}x{HEIGHT}", FPS)
    args = [
        exe,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s={size}:r={rate}:d={SHOT_S},hue=h={index * 17}",
    ]
    if index % 5 != 4:
        args += ["-f", "lavfi", "-i", f"sine=f={220 + 40 * index}:d={SHOT_S}", "-c:a", "aac", "-shortest"]
    subprocess.run(
        [*args, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(path)], check=True
    )
    return path


def edit_list(takes: list[Path]) -> EditList:
    clips = []
    for index, path in enumerate(takes):
        transition = Transition()
        if index and index % 5 == 0:
            transition = Transition(kind="dissolve" if index % 10 else "fade", duration_s=0.75)
        clips.append(EditClip(
            shot_id=f"s{index // 5 + 1}-{index % 5 + 1:02d}", path=path, duration_s=SHOT_S, transition_in=transition,
            dialogue=(DialogueLine(character="Mara", text=f"Line number {index}, said in shot {index}."),),
            scores={"sharpness": 0.9},
        ))  # fmt: skip
    return EditList(
        title="Benchmark",
        credits=("Made with Dailies",),
        clips=tuple(clips),
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    exe = find_ffmpeg()
    times: dict[str, list[float]] = {"first_cut": [], "recut_one_changed": [], "recut_unchanged": []}
    duration = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        takes = [make_take(root / f"take{i:02d}.mp4", i, exe) for i in range(SHOTS)]
        spare = make_take(root / "spare.mp4", 27, exe)  # same size and sound as take 7, other pixels
        for repeat in range(args.repeats):
            out = root / f"run{repeat}" / "film.mp4"
            start = time.perf_counter()
            result = assemble(edit_list(takes), out, ffmpeg=exe)
            times["first_cut"].append(time.perf_counter() - start)
            assert len(result.normalised) == SHOTS
            duration = result.duration_s
            changed = list(takes)
            changed[7] = spare  # a reshoot of one shot
            start = time.perf_counter()
            result = assemble(edit_list(changed), out, ffmpeg=exe)
            times["recut_one_changed"].append(time.perf_counter() - start)
            assert result.normalised == ("s2-03",)
            start = time.perf_counter()
            result = assemble(edit_list(changed), out, ffmpeg=exe)
            times["recut_unchanged"].append(time.perf_counter() - start)
            assert result.normalised == ()
            shutil.rmtree(out.parent)
    for case, values in times.items():
        seconds = statistics.median(values)
        print(json.dumps({
            "bench": "cut", "case": case, "seconds": round(seconds, 3), "realtime_ratio": round(seconds / duration, 4),
            "film": {"width": WIDTH, "height": HEIGHT, "fps": FPS, "shots": SHOTS, "seconds": round(duration, 3)},
            "repeats": args.repeats, "statistic": "median", "machine": MACHINE, "python": platform.python_version(),
        }))  # fmt: skip


if __name__ == "__main__":
    main()
