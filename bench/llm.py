"""Benchmark: the bundled LLM (SmolLM2-135M-Instruct through transformers + xgrammar) on this machine.

Prints JSON lines: model load (first GGUF conversion and cached load), tokens/s constrained and
unconstrained (and one against two torch threads, side by side), the schema-valid rate over ``--n``
generations of each planning schema (premises vary; greedy decoding), and the time to plan a 60-second
film with the real crew (``Studio.new`` + ``Studio.run`` until the plan waits for approval).
Target: a 60-second film planned in under 2 minutes.

``--budget-s`` caps the valid-rate section: when it runs out, each schema gets fewer generations and
the line says how many (``n``). ``--gemma FILE.gguf`` adds the same measurements for a second GGUF
(the Gemma 3 270M candidate).

Run: ``.venv/bin/python bench/llm.py [--n 50] [--budget-s 1200] > bench/results/llm.jsonl``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import BaseModel

from bench.machine import machine, uptime

PREMISES = [
    "A lighthouse keeper finds a message in a bottle.",
    "Two strangers share an umbrella at a bus stop.",
    "A child teaches an old robot to dance.",
    "A baker's last loaf before the shop closes forever.",
    "A fisherman and a seal become unlikely friends.",
    "A night guard hears music in an empty museum.",
    "A girl chases her runaway kite across town.",
    "An astronaut waters a single plant on a space station.",
]


def emit(**fields: Any) -> None:
    print(json.dumps({"bench": "llm", "machine": machine(), "uptime": uptime(), **fields}, ensure_ascii=False), flush=True)


def planning_cases() -> list[tuple[type[BaseModel], int]]:
    from agents.crew.registry import ROLES

    seen: dict[type[BaseModel], int] = {}
    for role in ROLES:
        seen.setdefault(role.output, role.max_tokens)
    return list(seen.items())


def messages_for(schema: type[BaseModel], premise: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "You are a film crew planning a 60-second short film. Answer only in JSON."},
        {"role": "user", "content": f"Premise: {premise}\nWrite the {schema.__name__} for this film. Be brief and concrete."},
    ]


def cached_load_seconds(home: Path) -> float:
    """Load the converted model in a fresh process (the in-process cache would make this free)."""
    root = str(Path(__file__).resolve().parents[1])
    code = (
        f"import sys,time;sys.path.insert(0,{root!r});t=time.perf_counter();"
        f"from agents.llm.bundled import load_bundled;from pathlib import Path;load_bundled(Path({str(home)!r}));"
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def speed(backend: Any, schema: type[BaseModel], max_tokens: int, runs: int) -> dict[str, Any]:
    from agents.llm.answers import json_schema_of
    from agents.llm.transformers_backend import bounded

    grammar = backend.local.grammar(bounded(json_schema_of(schema)))
    result: dict[str, Any] = {}
    for label, g in (("constrained", grammar), ("unconstrained", None)):
        rates = []
        for i in range(runs):
            backend.generate(messages_for(schema, PREMISES[i % len(PREMISES)]), max_tokens=max_tokens, grammar=g)
            rates.append(backend.last.tokens_per_s)
        result[f"{label}_tokens_per_s"] = round(statistics.median(rates), 2)
    return result


def thread_comparison(backend: Any, schema: type[BaseModel]) -> dict[str, Any]:
    rates = {}
    for threads in (1, 2):
        backend.cpu_threads = threads
        backend.generate(messages_for(schema, PREMISES[0]), max_tokens=24)
        rates[f"threads_{threads}_tokens_per_s"] = round(backend.last.tokens_per_s, 2)
    backend.cpu_threads = 1
    return rates


SUBJECTS = [
    "A lighthouse keeper", "Two strangers at a bus stop", "A child and an old robot", "A retiring baker",
    "A fisherman", "A museum night guard", "A girl with a kite", "An astronaut", "A street violinist", "A grandmother",
]
SITUATIONS = [
    "finds a message in a bottle.", "shares an umbrella in a storm.", "learns to dance before sunrise.",
    "bakes one last loaf for a stranger.", "befriends a lost seal.",
]


def valid_rate_premises() -> list[str]:
    """Fifty distinct premises: decoding is greedy, so repeating a premise would repeat the generation."""
    return [f"{subject} {situation}" for situation in SITUATIONS for subject in SUBJECTS]


def schedule(n: int) -> list[tuple[int, str]]:
    """(generation index, schema) in round-robin order, so a run stopped early has even counts per schema."""
    return [(i, schema.__name__) for i in range(n) for schema, _ in planning_cases()]


def claim(raw: Path, k: int) -> bool:
    """Take schedule item ``k`` for this worker (False: another worker took it first).

    Workers take items in schedule order as they become free, so a worker that drew slow schemas does
    not leave the other idle (a fixed split put StoryDevelopment and Ledger, ~80 % of the time, on one).
    """
    try:
        os.close(os.open(raw.parent / f"claim-{k}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def valid_rate_worker(home: Path, n: int, worker: int, workers: int, raw: Path) -> None:
    """Take the next free item of the schedule until none is left; one raw JSON line per generation, appended as it finishes."""
    from agents.llm import bundled
    from agents.llm.errors import LLMError

    backend = bundled.load_bundled(home)
    cases = {schema.__name__: (schema, max_tokens) for schema, max_tokens in planning_cases()}
    premises = valid_rate_premises()
    original = backend.generate
    with raw.open("a", encoding="utf-8") as out:
        for k, (i, name) in enumerate(schedule(n)):
            if not claim(raw, k):
                continue
            schema, max_tokens = cases[name]
            generated: list[int] = []

            def counting(*args: Any, _generated: list[int] = generated, **kwargs: Any) -> str:
                text = original(*args, **kwargs)
                _generated.append(backend.last.new_tokens)
                return str(text)

            backend.generate = counting  # type: ignore[method-assign]
            error = None
            start = time.perf_counter()
            try:
                backend.structured(messages_for(schema, premises[i % len(premises)]), schema, max_tokens=max_tokens)
            except LLMError as exc:
                error = str(exc)[:200]
            finally:
                backend.generate = original  # type: ignore[method-assign]
            seconds = time.perf_counter() - start
            record = {"schema": name, "i": i, "max_tokens": max_tokens, "valid": error is None,
                      "first_try_valid": error is None and len(generated) == 1, "generations": len(generated),
                      "seconds": round(seconds, 3), "tokens": sum(generated), "error": error,
                      "at": round(time.time()), "load_1min": round(os.getloadavg()[0], 2)}  # fmt: skip
            out.write(json.dumps(record) + "\n")
            out.flush()


def summarise_valid_rates(raws: list[Path], n: int, note: str) -> None:
    """Per-schema lines and one summary line from the raw generation lines of every worker."""
    records = [json.loads(line) for raw in raws if raw.exists() for line in raw.read_text(encoding="utf-8").splitlines() if line]
    total = first = valid = 0
    for schema, max_tokens in planning_cases():
        mine = [r for r in records if r["schema"] == schema.__name__]
        if not mine:
            emit(metric="valid_rate", schema=schema.__name__, max_tokens=max_tokens, n=0, n_requested=n)
            continue
        total += len(mine)
        first += sum(r["first_try_valid"] for r in mine)
        valid += sum(r["valid"] for r in mine)
        emit(
            metric="valid_rate",
            meaning=(
                "n greedy generations of this schema (distinct premises, generic prompt, the role's max_tokens); "
                "first_try_valid_rate: the first answer parsed and validated, before any re-ask; valid_rate: valid "
                "after the client's one re-ask; median_s: wall seconds per structured() call, re-ask included"
            ),
            schema=schema.__name__,
            max_tokens=max_tokens,
            n=len(mine),
            n_requested=n,
            first_try_valid=sum(r["first_try_valid"] for r in mine),
            first_try_valid_rate=round(sum(r["first_try_valid"] for r in mine) / len(mine), 3),
            valid=sum(r["valid"] for r in mine),
            valid_rate=round(sum(r["valid"] for r in mine) / len(mine), 3),
            reasked=sum(r["generations"] > 1 for r in mine),
            median_s=round(statistics.median(r["seconds"] for r in mine), 2),
            median_tokens=int(statistics.median(r["tokens"] for r in mine)),
            errors=[r["error"] for r in mine if r["error"]][:2],
        )
    loads = [r["load_1min"] for r in records if "load_1min" in r]
    times = [r["at"] for r in records if "at" in r]
    emit(
        metric="valid_rate_summary",
        meaning="all schemas of one run together: generations, first-try valid rate (before re-ask) and final valid rate",
        generations=total,
        n_requested_per_schema=n,
        first_try_valid=first,
        first_try_valid_rate=round(first / total, 3) if total else None,
        valid=valid,
        valid_rate=round(valid / total, 3) if total else None,
        load_1min_range=[min(loads), max(loads)] if loads else None,
        wall_s=max(times) - min(times) if times else None,
        note=note,
    )


def valid_rates(home: Path, n: int, budget_s: float, workers: int, raw_dir: Path | None = None) -> None:
    """Run the schedule in ``workers`` processes (one torch thread each) until done or ``budget_s`` runs out.

    The raw lines go to ``raw_dir`` (a new temporary folder by default), one file per worker, flushed per
    generation: if this process dies, ``--summarise-raw DIR`` still summarises what finished.
    """
    raw_dir = raw_dir or Path(tempfile.mkdtemp(prefix="bench-llm-raw-"))
    raw_dir.mkdir(parents=True, exist_ok=True)
    raws = [raw_dir / f"worker{w}.jsonl" for w in range(workers)]
    script = str(Path(__file__).resolve())
    common = ["--workers", str(workers), "--n", str(n), "--home", str(home)]
    children = [subprocess.Popen([sys.executable, script, "--worker", str(w), *common, "--raw", str(raws[w])]) for w in range(workers)]
    print(f"raw generation lines: {raw_dir}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + budget_s
    while any(c.poll() is None for c in children) and time.monotonic() < deadline:
        time.sleep(5)
    stopped = [c for c in children if c.poll() is None]
    for child in stopped:
        child.terminate()
        child.wait()
    note = f"{workers} worker processes, one torch thread each, started together, each taking the next free generation"
    if stopped:
        note += f"; the {budget_s:.0f} s budget ran out before every generation finished (n below n_requested)"
    summarise_valid_rates(raws, n, note)


def plan_film(backend: Any, home: Path) -> None:
    """The real crew, with the bundled model, until the plan of a 60-second film waits for approval."""
    from agents.settings import load_settings
    from agents.studio import Studio

    calls: list[tuple[str, float, int]] = []
    original = backend.structured

    def timed(messages: Any, schema: type[BaseModel], **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(messages, schema, **kwargs)
        finally:
            calls.append((schema.__name__, round(time.perf_counter() - start, 2), backend.last.new_tokens))

    backend.structured = timed
    studio = Studio(settings=load_settings(home=home), llm=backend)
    try:
        project = studio.new(PREMISES[0], runtime_s=60)
        start = time.perf_counter()
        error = None
        try:
            pending = studio.run(project.id)
        except Exception as exc:  # the bench reports every outcome
            pending, error = None, f"{type(exc).__name__}: {exc}"[:300]
        seconds = time.perf_counter() - start
        shots = len(studio.store.shots(project.id))
    finally:
        backend.structured = original
        studio.close()
    emit(
        metric="plan_film",
        runtime_s=60,
        seconds=round(seconds, 1),
        target_s=120,
        pending=pending.what if pending else None,
        shots=shots,
        llm_calls=len(calls),
        llm_seconds=round(sum(c[1] for c in calls), 1),
        calls=calls,
        error=error,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="Generations per planning schema.")
    parser.add_argument("--budget-s", type=float, default=1200, help="Seconds for the valid-rate section.")
    parser.add_argument("--speed-runs", type=int, default=3)
    parser.add_argument("--skip-plan", action="store_true")
    parser.add_argument("--valid-only", action="store_true", help="Only the valid-rate section.")
    parser.add_argument("--workers", type=int, default=2, help="Processes for the valid-rate section.")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--gemma", type=Path, help="A second GGUF to compare (e.g. Gemma 3 270M).")
    parser.add_argument("--raw-dir", type=Path, help="Folder for the valid-rate section's raw lines (kept).")
    parser.add_argument("--summarise-raw", type=Path, metavar="DIR", help="Only summarise the raw lines in DIR.")
    parser.add_argument("--note", default="", help="Added to the valid-rate summary's note.")
    args = parser.parse_args()
    if args.worker is not None:
        valid_rate_worker(args.home, args.n, args.worker, args.workers, args.raw)
        return
    if args.summarise_raw:
        note = "summarised from the raw lines of one run" + (f"; {args.note}" if args.note else "")
        summarise_valid_rates(sorted(args.summarise_raw.glob("worker*.jsonl")), args.n, note)
        return

    from agents.crew.writer import StoryDevelopment
    from agents.llm import bundled

    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        bundled.ensure_converted(home)
        conversion = time.perf_counter() - start
        if args.valid_only:
            valid_rates(home, args.n, args.budget_s, args.workers, args.raw_dir)
            return
        emit(metric="load", model=bundled.MODEL_NAME, gguf_mb=round(bundled.bundled_gguf().stat().st_size / 2**20, 1),
             first_conversion_s=round(conversion, 1), cached_load_s=round(cached_load_seconds(home), 2))  # fmt: skip
        backend = bundled.load_bundled(home)
        emit(metric="threads", model=bundled.MODEL_NAME, **thread_comparison(backend, StoryDevelopment))
        emit(metric="tokens_per_s", model=bundled.MODEL_NAME, schema="StoryDevelopment", runs=args.speed_runs,
             **speed(backend, StoryDevelopment, 96, args.speed_runs))  # fmt: skip
        if args.gemma:
            from agents.llm.transformers_backend import TransformersBackend

            start = time.perf_counter()
            gemma = TransformersBackend.load(args.gemma)
            emit(metric="load", model=args.gemma.name, gguf_load_s=round(time.perf_counter() - start, 1))
            emit(metric="tokens_per_s", model=args.gemma.name, schema="StoryDevelopment", runs=args.speed_runs,
                 **speed(gemma, StoryDevelopment, 96, args.speed_runs))  # fmt: skip
            answer = gemma.structured(messages_for(StoryDevelopment, PREMISES[0]), StoryDevelopment, max_tokens=420)
            emit(metric="sample", model=args.gemma.name, schema="StoryDevelopment", sample=answer.model_dump(mode="json"))
            del gemma
        if not args.skip_plan:
            plan_film(backend, home)
        del backend
        valid_rates(home, args.n, args.budget_s, args.workers, args.raw_dir)


if __name__ == "__main__":
    main()
