"""Benchmark: every importer on a hostile set, through the command line's own import path (issue 18).

Each case is a file an attacker (or an unlucky editor) could hand to ``dailies import`` — nested 200,000
levels deep, over the size cap (a sparse file: the cap is checked before a byte is read), a file of junk
just under the size cap, and one just under the count of values, ``1e400``/``NaN`` or a 5,000-digit integer, random binary, the wrong shape, an id used
twice, ids or media paths that leave the project (or name another project's folder), a screenplay of
thousands of scene headings, a symlink to ``/dev/zero``, a FIFO — for each importer: story bible (``.json``), shot list (``.shots.json``), Fountain
screenplay (``.fountain``) and reference image (``Studio.set_reference_image``, which the studio's upload
calls; there is no import command for images).

For each case it asserts what the issue asks — a non-zero exit, exactly one ``error:`` line, nothing
written (the project list is unchanged) — and times the whole command in-process (Typer's ``CliRunner``,
so the interpreter's start-up is not counted). A case that hangs is cut off by a per-case alarm and
reported as such. The target: each refused in under a second of wall time (``seconds``, what ``ok`` checks).
``cpu_seconds`` is this process's CPU time for the case: on the shared machine the wall time also holds the
time other jobs had the cores (``load_1min`` beside it), the CPU time is what the refusal itself cost.

Prints one JSON line per case, with the machine and its load average at the start and end.
Run: ``.venv/bin/python bench/hostile.py > bench/results/hostile.jsonl``
"""

from __future__ import annotations

import json
import os
import platform
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine, uptime  # noqa: E402

TIMEOUT_S = 20


class Alarm(BaseException):
    """The per-case time limit (a BaseException, so no ``except Exception`` in the code under test eats it)."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Alarm


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


def cases(folder: Path, base_bible: dict[str, Any], base_shots: dict[str, Any], other: str) -> list[tuple[str, str, Path]]:
    """(importer, case, file) for the whole hostile set; ``other`` is another project in the same home."""
    from memory.exchange import FOUNTAIN_MAX_BYTES, MAX_BYTES
    from memory.shotlist_file import MAX_BYTES as SHOTS_MAX

    rng = random.Random(18)
    out: list[tuple[str, str, Path]] = []

    def write(name: str, text: str | bytes) -> Path:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path

    def fifo(name: str) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    def zero(name: str) -> Path:
        path = folder / name
        path.symlink_to("/dev/zero")
        return path

    binary = bytes(rng.getrandbits(8) for _ in range(64_000))
    bible_text = json.dumps(base_bible)
    shots_text = json.dumps(base_shots)
    deep = 200_000

    # story bible
    out += [
        ("bible", "deep_200000", write("deep.json", '{"format": "dailies.bible", "version": 2, "project": ' + "[" * deep + "]" * deep + "}")),
        ("bible", "huge_over_cap", sparse(folder / "huge.json", MAX_BYTES + 1)),
        ("bible", "non_finite_1e400", write("inf.json", bible_text.replace('"target_runtime_s": 10.0', '"target_runtime_s": 1e400'))),
        ("bible", "nan", write("nan.json", bible_text.replace('"target_runtime_s": 10.0', '"target_runtime_s": NaN'))),
        ("bible", "int_5000_digits", write("digits.json", bible_text.replace('"target_runtime_s": 10.0', '"target_runtime_s": 1' + "0" * 5000))),
        ("bible", "binary", write("binary.json", binary)),
        ("bible", "traversal_reference", write("traversal.json", _with_reference(base_bible, "../../../etc/passwd"))),
        ("bible", "absolute_reference", write("absolute.json", _with_reference(base_bible, "/etc/shadow"))),
        ("bible", "other_projects_take", write("other.json", _with_take_path(base_bible, f"{other}/s1-01/1.mp4"))),
        ("bible", "junk_under_cap", write("junk.json", _junk(MAX_BYTES, '{"format": "dailies.bible", "version": 2, "scenes": [', "]}"))),
        ("bible", "junk_under_value_cap", write("junk2.json", _values('{"format": "dailies.bible", "version": 2, "scenes": [', "]}"))),
        ("bible", "wrong_shape", write("shape.json", json.dumps({**base_bible, "characters": "mara"}))),
        ("bible", "duplicate_ids", write("twice.json", json.dumps({**base_bible, "characters": base_bible["characters"] * 2}))),
        ("bible", "symlink_dev_zero", zero("zero.json")),
        ("bible", "fifo", fifo("pipe.json")),
    ]
    # shot list
    evil = json.loads(shots_text)
    evil["scenes"][0]["shots"][0]["id"] = "../../etc/evil"
    nul = json.loads(shots_text)
    nul["scenes"][0]["shots"][0]["id"] = "a\u0000b"
    twice = json.loads(shots_text)
    twice["scenes"][0]["shots"] *= 2
    out += [
        ("shotlist", "deep_200000", write("deep.shots.json", '{"format": "dailies.shotlist/1", "scenes": ' + "[" * deep + "]" * deep + "}")),
        ("shotlist", "huge_over_cap", sparse(folder / "huge.shots.json", SHOTS_MAX + 1)),
        ("shotlist", "non_finite_1e400", write("inf.shots.json", shots_text.replace('"duration_s": 3.0', '"duration_s": 1e400', 1))),
        ("shotlist", "nan", write("nan.shots.json", shots_text.replace('"duration_s": 3.0', '"duration_s": NaN', 1))),
        ("shotlist", "int_5000_digits", write("digits.shots.json", shots_text.replace('"duration_s": 3.0', '"duration_s": 1' + "0" * 5000, 1))),
        ("shotlist", "junk_under_cap", write("junk.shots.json", _junk(SHOTS_MAX, '{"format": "dailies.shotlist/1", "scenes": [', "]}"))),
        ("shotlist", "junk_under_value_cap", write("junk2.shots.json", _values('{"format": "dailies.shotlist/1", "scenes": [', "]}"))),
        ("shotlist", "wrong_shape", write("shape.shots.json", json.dumps({**base_shots, "scenes": {"s1": 1}}))),
        ("shotlist", "duplicate_ids", write("twice.shots.json", json.dumps(twice))),
        ("shotlist", "binary", write("binary.shots.json", binary)),
        ("shotlist", "traversal_id", write("evil.shots.json", json.dumps(evil))),
        ("shotlist", "nul_id", write("nul.shots.json", json.dumps(nul))),
        ("shotlist", "symlink_dev_zero", zero("zero.shots.json")),
        ("shotlist", "fifo", fifo("pipe.shots.json")),
    ]
    # Fountain screenplay
    out += [
        ("fountain", "huge_over_cap", sparse(folder / "huge.fountain", FOUNTAIN_MAX_BYTES + 1)),
        ("fountain", "many_scene_headings", write("many.fountain", "".join(f"INT. ROOM {n} - DAY\n\nx\n\n" for n in range(60_000))[: FOUNTAIN_MAX_BYTES - 100])),
        ("fountain", "binary", write("binary.fountain", binary)),
        ("fountain", "symlink_dev_zero", zero("zero.fountain")),
        ("fountain", "fifo", fifo("pipe.fountain")),
    ]
    # reference images
    real = folder / "real.png"
    Image.new("RGB", (8, 8), "blue").save(real)
    link = folder / "link.png"
    link.symlink_to(real)
    out += [
        ("reference", "huge_over_cap", sparse(folder / "huge.png", 25_000_001)),
        ("reference", "binary", write("binary.png", binary)),
        ("reference", "symlink_to_real_image", link),
        ("reference", "symlink_dev_zero", zero("zero.png")),
        ("reference", "fifo", fifo("pipe.png")),
    ]
    return out


def _junk(cap: int, head: str, tail: str) -> str:
    """Valid JSON that fills a file to just under ``cap``: a long list of zeros where objects belong (an
    unknown key would not do for a shot list, whose format keeps unknown fields)."""
    count = (cap - len(head) - len(tail) - 64) // 2
    return head + ",".join(["0"] * count) + tail


def _values(head: str, tail: str) -> str:
    """Just under the count of values a JSON import may hold: the most work a file can ask of the parser."""
    from memory.safe_read import MAX_VALUES

    return head + ",".join(["0"] * (MAX_VALUES - 10)) + tail


def _with_take_path(document: dict[str, Any], path: str) -> str:
    changed = json.loads(json.dumps(document))
    changed["takes"] = [{**changed["takes"][0], "path": path}] if changed["takes"] else []
    assert changed["takes"], "the base bible has a take whose path the case changes"
    return json.dumps(changed)


def _with_reference(document: dict[str, Any], path: str) -> str:
    changed = json.loads(json.dumps(document))
    changed["characters"][0]["reference_images"] = [path]
    return json.dumps(changed)


def run_case(importer: str, path: Path, invoke: Callable[[list[str]], Any], reference: Callable[[Path], None]) -> dict[str, Any]:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT_S)
    started, cpu_started = time.perf_counter(), time.process_time()
    hung = False
    try:
        if importer == "reference":
            try:
                reference(path)
                code, stderr = 0, ""
            except Exception as exc:  # the studio shows str(exc) as one line
                code, stderr = 1, f"error: {exc}\n"
        else:
            result = invoke(["import", str(path)])
            if isinstance(result.exception, Alarm):  # the runner caught the alarm: the command was cut off
                raise result.exception
            code, stderr = result.exit_code, result.stderr
    except Alarm:
        code, stderr, hung = -1, "", True
    finally:
        signal.alarm(0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    lines = [line for line in stderr.splitlines() if line.strip()]
    return {"exit_code": code, "seconds": round(elapsed, 4), "cpu_seconds": round(cpu, 4), "hung": hung,
            "error_lines": len(lines), "error": lines[0][:160] if lines else None, "load_1min": round(os.getloadavg()[0], 2)}


def main() -> None:
    from agents import Studio
    from ui.cli import app

    with tempfile.TemporaryDirectory(prefix="dailies-hostile-") as tmp:
        home = Path(tmp) / "home"
        os.environ["DAILIES_HOME"] = str(home)
        os.environ["DAILIES_CONFIG"] = str(home / "config.toml")
        os.environ["LANGGRAPH_STRICT_MSGPACK"] = "true"
        runner = CliRunner()

        def invoke(args: list[str]) -> Any:
            return runner.invoke(app, args)

        pid = invoke(["new", "A keeper and her son in a storm", "--runtime", "10"]).stdout.strip().splitlines()[-1]
        other = invoke(["new", "Another film in the same home", "--runtime", "10"]).stdout.strip().splitlines()[-1]
        studio = Studio()
        studio.store.upsert_character(pid, "mara", name="Mara", description="keeper")
        studio.store.upsert_scene(pid, "s1", heading="INT. LAMP ROOM - NIGHT")
        studio.store.upsert_shot(pid, "s1", "s1-01", description="Mara trims the lamp.", duration_s=3.0)
        studio.store.add_take(pid, "s1-01", request_hash="0123abcd", path=f"{pid}/s1-01/1.mp4", seed=1, backend="animatic", model="none")
        folder = Path(tmp) / "files"
        folder.mkdir()
        exported = invoke(["export", pid, "--bible", str(folder / "base.json"), "--shots", str(folder / "base.shots.json")])
        assert exported.exit_code == 0, exported.output
        base_bible = json.loads((folder / "base.json").read_text())
        base_shots = json.loads((folder / "base.shots.json").read_text())
        assert '"target_runtime_s": 10.0' in json.dumps(base_bible), "the bible's runtime is where the cases edit it"

        def reference(path: Path) -> None:
            studio.set_reference_image(pid, "mara", path)

        env = {"machine": machine(), "python": platform.python_version(), "uptime_start": uptime()}
        failures = 0
        for importer, case, path in cases(folder, base_bible, base_shots, other):
            before = [p.id for p in studio.store.projects()]  # per case: one case's write never marks the next
            refs_before = studio.store.character(pid, "mara").reference_images
            row = {"bench": "hostile", "importer": importer, "case": case, **run_case(importer, path, invoke, reference)}
            written = [p.id for p in studio.store.projects()] != before or studio.store.character(pid, "mara").reference_images != refs_before
            row["nothing_written"] = not written
            row["ok"] = row["exit_code"] not in (0, -1) and row["error_lines"] == 1 and not written and row["seconds"] < 1.0
            failures += not row["ok"]
            print(json.dumps({**row, **env}), flush=True)
        print(json.dumps({"bench": "hostile", "summary": True, "failures": failures, "uptime_end": uptime(), **env}), flush=True)
        studio.close()
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
