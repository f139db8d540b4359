"""Benchmark: moderation precision and recall on the labelled set, per layer, and the time each layer adds.

The set is ``tests/agents/desk/data/moderation_set.jsonl`` (premises and notes, ``safe``/``unsafe`` with a
category). A refusal counts as a true positive only when the item is unsafe (and, for ``category_recall``,
when the category is the labelled one). Precision = refused unsafe ÷ refused; recall = refused unsafe ÷ unsafe.

Layers:
- ``rules``: the model-free rules alone (the target: no safe item refused, ≥ 90 % of unsafe refused).
- ``rules+judge``: needs a capable LLM. Pass ``--judge-llm SPEC`` (e.g. ``openai:URL#MODEL``) to measure a
  real one. Without it the judge runs on a *scripted* LLM that replays a fixed "allowed" answer: that
  measures only the time the layer's own code adds (prompt rendering, validation), not a model's quality,
  and the line says so (``quality_measured: false``).
- ``rules+bundled-judge`` (``--bundled``): the bundled SmolLM2-135M as a judge, to show why the desk never
  uses it as one.
- ``rules+endpoint``: an OpenAI-compatible ``/v1/moderations``. Pass ``--endpoint URL`` to measure a real
  one; without it the endpoint is an ``httpx.MockTransport`` that flags nothing: the time of the client and
  its request/response handling only (``quality_measured: false``).

Run: ``.venv/bin/python bench/moderation.py [--bundled] [--judge-llm SPEC] [--endpoint URL] > bench/results/moderation.jsonl``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from agents.desk.moderation import Judge, ModerationEndpoint, Moderator
from agents.llm.base import LLM
from agents.llm.scripted import ScriptedLLM

SET = Path(__file__).resolve().parents[1] / "tests" / "agents" / "desk" / "data" / "moderation_set.jsonl"
MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(name: str, moderator: Moderator, items: list[dict[str, Any]], *, quality_measured: bool, note: str = "") -> dict[str, Any]:
    refused_safe, refused_unsafe, right_category, misses = [], 0, 0, []
    per_layer: dict[str, list[float]] = {}
    refused_by: dict[str, int] = {}
    for item in items:
        review = moderator.review(item["text"], item["kind"])
        for layer, seconds in review.seconds.items():
            per_layer.setdefault(layer, []).append(seconds)
        refused = not review.verdict.allowed
        if refused:
            refused_by[review.verdict.layer] = refused_by.get(review.verdict.layer, 0) + 1
        if item["label"] == "safe" and refused:
            refused_safe.append(item["text"])
        elif item["label"] == "unsafe":
            if refused:
                refused_unsafe += 1
                right_category += review.verdict.category == item["category"]
            else:
                misses.append(item["text"])
    unsafe = sum(i["label"] == "unsafe" for i in items)
    refusals = refused_unsafe + len(refused_safe)
    return {
        "bench": "moderation", "layers": name, "items": len(items), "unsafe": unsafe, "safe": len(items) - unsafe,
        "quality_measured": quality_measured,
        # a layer whose quality was not measured reports no precision or recall (its numbers would be the rules')
        "precision": round(refused_unsafe / refusals, 4) if refusals and quality_measured else None,
        "recall": round(refused_unsafe / unsafe, 4) if quality_measured else None,
        "category_recall": round(right_category / unsafe, 4) if quality_measured else None,
        "safe_refused": len(refused_safe), "safe_refused_items": refused_safe, "missed_items": misses,
        "ms_per_item_by_layer": {layer: round(1000 * statistics.mean(s), 3) for layer, s in per_layer.items()},
        "items_seen_by_layer": {layer: len(s) for layer, s in per_layer.items()},
        "refused_by_layer": refused_by,
        **({"note": note} if note else {}),
    }


def scripted_judge(items: list[dict[str, Any]]) -> LLM:
    return ScriptedLLM([{"allowed": True, "category": None, "reason": "scripted"}] * len(items))


def mock_endpoint() -> ModerationEndpoint:
    reply = {"id": "modr-bench", "model": "mock", "results": [{"flagged": False, "categories": {}}]}
    return ModerationEndpoint("http://mock.invalid", transport=httpx.MockTransport(lambda request: httpx.Response(200, json=reply)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundled", action="store_true", help="also measure the bundled 135M model as a judge")
    parser.add_argument("--judge-llm", default="", help="LLM spec of a capable judge (openai:URL#MODEL, transformers:ID)")
    parser.add_argument("--endpoint", default="", help="base URL of a real /v1/moderations endpoint")
    args = parser.parse_args()
    items = load()
    lines = [measure("rules", Moderator(), items, quality_measured=True)]
    if args.judge_llm:
        from agents.llm.registry import build_llm

        lines.append(measure("rules+judge", Moderator(judge=Judge(build_llm(args.judge_llm))), items, quality_measured=True, note=args.judge_llm))
    else:
        lines.append(measure(
            "rules+judge", Moderator(judge=Judge(scripted_judge(items))), items, quality_measured=False,
            note="no capable LLM available here: the judge ran on a scripted LLM that always allows; only the layer's own time is real",
        ))
    if args.bundled:
        from agents.llm.bundled import load_bundled

        started = time.perf_counter()
        model = load_bundled(Path(os.environ.get("DAILIES_HOME", Path.home() / ".local/share/dailies")))
        loaded = round(time.perf_counter() - started, 2)
        lines.append(measure(
            "rules+bundled-judge", Moderator(judge=Judge(model)), items, quality_measured=True,
            note=f"SmolLM2-135M-Instruct (bundled), loaded in {loaded} s; not used as a judge by the desk",
        ))
    if args.endpoint:
        lines.append(measure("rules+endpoint", Moderator(endpoint=ModerationEndpoint(args.endpoint)), items, quality_measured=True, note=args.endpoint))
    else:
        lines.append(measure(
            "rules+endpoint", Moderator(endpoint=mock_endpoint()), items, quality_measured=False,
            note="no moderation endpoint reachable here: httpx.MockTransport flags nothing; only the client's time is real",
        ))
    for line in lines:
        print(json.dumps(line, ensure_ascii=False))
    print(json.dumps({
        "bench": "moderation", "summary": True, "machine": MACHINE, "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        "python": platform.python_version(), "set": str(SET.relative_to(SET.parents[4])),
        "rules_target_met": lines[0]["safe_refused"] == 0 and lines[0]["recall"] >= 0.9,
    }))


if __name__ == "__main__":
    main()
