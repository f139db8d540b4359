"""Benchmark: the time to plan a 60 s film on the bundled model, step-by-step decoding against jump-forward.

One premise, planned four times in one process (generate, jump-forward, generate, jump-forward), so both
decoders share the load; each line is bench/story.py's plan line with the decoder and the load around it.
Run from a checkout: ``.venv/bin/python bench/story_60s.py . > bench/results/story_60s.jsonl``
(the second argument, optional, is DAILIES_HOME with the converted model; ``--jump-only`` plans twice with
jump-forward alone, the decoder the crew uses, when only the plan time is wanted).
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, sys.argv[1])
sys.path.append(sys.argv[1] + "/bench")

import story

from agents.llm.registry import build_llm
from agents.settings import load_settings
from agents.studio import Studio

jump_only = "--jump-only" in sys.argv  # the checkout stays the first argument
sys.argv = [a for a in sys.argv if a != "--jump-only"]
llm = build_llm("bundled", home=Path(sys.argv[2] if len(sys.argv) > 2 else Path.home() / ".dailies"))
commit = subprocess.run(["git", "-C", sys.argv[1], "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
premise = "A young monk and an old fox share shelter in a mountain temple during a blizzard"
for jump in (True, True) if jump_only else (False, True, False, True):
    llm.jump_forward = jump
    studio = Studio(settings=load_settings(home=Path(tempfile.mkdtemp(prefix="t60-"))), llm=llm)
    up0 = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    row = story.plan_one(studio, premise, 60)
    up1 = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(json.dumps({"bench": "story_60s", "commit": commit, "decoder": "jump_forward" if jump else "generate", **row,
                      "load_before": up0, "load_after": up1}, ensure_ascii=False), flush=True)
