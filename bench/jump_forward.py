"""Benchmark: jump-forward decoding against transformers' step-by-step ``generate``, on the bundled model.

The same crew-shaped requests (a director's per-scene answer, a cinematographer's, a screenwriter's scene,
one small line question) are answered by both decoders, interleaved round by round so both see the same
load, each timed the same way (wall clock around ``structured``). One JSON line per answer, then a summary
with the median seconds of each side, the median ratio, and the share of tokens the grammar forced.
The answers differ in places (the two paths may split forced text into different tokens); both are
schema-valid, which ``structured`` checks.

Run: ``.venv/bin/python bench/jump_forward.py --rounds 3 > bench/results/jump_forward.jsonl``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.append(str(Path(__file__).resolve().parent))

from machine import machine, uptime


def emit(**fields: Any) -> None:
    print(json.dumps({"bench": "jump_forward", **fields}, ensure_ascii=False), flush=True)


def requests() -> list[tuple[str, list[dict[str, str]], Any, int]]:
    from agents.crew.cinematographer import SceneLook, ShotPlan
    from agents.crew.director import Direction, SceneDirection
    from agents.crew.plan_grounding import per_scene_schema
    from agents.crew.scene_grounding import scene_schema
    from agents.crew.screenwriter import Line, SceneDraft, Screenplay, SpokenAnswer

    scenes = ("Scenes:\n- s1: EXT. FOGGY PIER - DAWN; characters fisherman, seal; The fisherman throws a herring to the seal.\n"
              "- s2: INT. NET HUT - NIGHT; characters fisherman; He mends his net by a lamp and listens for the seal.")
    return [
        ("director", [{"role": "system", "content": "You are the director of a small film crew. Answer with one JSON object only."},
                      {"role": "user", "content": scenes}],
         per_scene_schema(SceneDirection, Direction, scene_ids=["s1", "s2"]), 240),
        ("cinematographer", [{"role": "system", "content": "You are the cinematographer. Answer with one JSON object only."},
                             {"role": "user", "content": scenes}],
         per_scene_schema(SceneLook, ShotPlan, scene_ids=["s1", "s2"]), 200),
        ("screenwriter", [{"role": "system", "content": "You are the screenwriter. Answer with one JSON object only."},
                          {"role": "user", "content": "An old fisherman and a seal become friends on a foggy pier at dawn. Write 2 scenes."}],
         scene_schema(SceneDraft, Line, Screenplay, locations=["foggy pier", "net hut"], characters=["fisherman", "seal"], scenes=2, lines=2), 400),
        ("line", [{"role": "system", "content": 'You write dialogue. Answer with one JSON object: {"line": the words the character says}.'},
                  {"role": "user", "content": "Scene: foggy pier. Fisherman is with Seal. What does Fisherman say to Seal?"}],
         SpokenAnswer, 40),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--home", default=os.environ.get("DAILIES_HOME", str(Path.home() / ".dailies")))
    args = parser.parse_args()
    from agents.llm.registry import build_llm

    llm: Any = build_llm("bundled", home=Path(args.home))
    emit(metric="machine", machine=machine(), load=uptime(), llm=llm.name)
    work = requests()
    seconds: dict[bool, list[float]] = {False: [], True: []}
    ratios: list[float] = []
    forced: list[float] = []
    for round_ in range(args.rounds):
        for name, messages, schema, budget in work:
            pair = {}
            for jump in (False, True) if round_ % 2 == 0 else (True, False):  # alternate who goes first
                llm.jump_forward = jump
                start = time.perf_counter()
                answer = llm.structured(messages, schema, max_tokens=budget)
                took = time.perf_counter() - start
                pair[jump] = took
                seconds[jump].append(took)
                last = llm.last
                if jump and last.new_tokens:
                    forced.append(1 - last.forward_passes / last.new_tokens)
                emit(metric="answer", round=round_, request=name, decoder="jump_forward" if jump else "generate",
                     s=round(took, 2), tokens=last.new_tokens, forward_passes=last.forward_passes,
                     answer=answer.model_dump_json()[:160], load=uptime())
            ratios.append(pair[False] / pair[True])
    emit(metric="summary", rounds=args.rounds, requests=len(work),
         generate_median_s=round(statistics.median(seconds[False]), 2),
         jump_forward_median_s=round(statistics.median(seconds[True]), 2),
         speedup_median=round(statistics.median(ratios), 2),
         forced_share_median=round(statistics.median(forced), 2), load=uptime(),
         note="ratios of the same request answered by both decoders back to back; medians over rounds and requests")


if __name__ == "__main__":
    main()
