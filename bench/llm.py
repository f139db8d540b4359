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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import BaseModel

MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"
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
    print(json.dumps({"bench": "llm", "machine": MACHINE, **fields}, ensure_ascii=False), flush=True)


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


def valid_rates(backend: Any, n: int, budget_s: float, only: list[str] | None = None) -> None:
    from agents.llm.errors import LLMError

    cases = [(s, t) for s, t in planning_cases() if not only or s.__name__ in only]
    deadline = time.monotonic() + budget_s
    per_schema_budget = budget_s / len(cases)
    for schema, max_tokens in cases:
        stop_at = min(deadline, time.monotonic() + per_schema_budget)
        valid = first_try = done = 0
        seconds: list[float] = []
        tokens: list[int] = []
        sample: dict[str, Any] | None = None
        errors: list[str] = []
        for i in range(n):
            if i and time.monotonic() > stop_at:
                break
            generated: list[int] = []
            original = backend.generate

            def counting(*args: Any, _original: Any = original, _generated: list[int] = generated, **kwargs: Any) -> str:
                text = _original(*args, **kwargs)
                _generated.append(backend.last.new_tokens)
                return str(text)

            backend.generate = counting
            start = time.perf_counter()
            try:
                answer = backend.structured(messages_for(schema, PREMISES[i % len(PREMISES)]), schema, max_tokens=max_tokens)
                valid += 1
                first_try += len(generated) == 1
                sample = sample or answer.model_dump(mode="json")
            except LLMError as exc:
                errors.append(str(exc)[:160])
            finally:
                backend.generate = original
            done += 1
            seconds.append(time.perf_counter() - start)
            tokens.append(sum(generated))
        emit(
            metric="valid_rate",
            schema=schema.__name__,
            max_tokens=max_tokens,
            n=done,
            n_requested=n,
            valid=valid,
            valid_rate=round(valid / done, 3),
            first_try_valid=first_try,
            median_s=round(statistics.median(seconds), 2),
            median_tokens=int(statistics.median(tokens)),
            errors=errors[:3],
            sample=sample,
        )


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
    parser.add_argument("--schema", action="append", help="Only these schemas in the valid-rate section (repeatable).")
    parser.add_argument("--gemma", type=Path, help="A second GGUF to compare (e.g. Gemma 3 270M).")
    args = parser.parse_args()

    from agents.crew.writer import StoryDevelopment
    from agents.llm import bundled

    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        bundled.ensure_converted(home)
        conversion = time.perf_counter() - start
        if args.valid_only:
            valid_rates(bundled.load_bundled(home), args.n, args.budget_s, args.schema)
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
        valid_rates(backend, args.n, args.budget_s, args.schema)


if __name__ == "__main__":
    main()
