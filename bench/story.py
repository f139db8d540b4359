"""Benchmark: is the plan the creator's film? Premise fidelity, loops, shape and routing, on any backend.

For each premise the real crew plans the film (``Studio.new`` + ``Studio.run`` until the plan waits for
approval) and one JSON line reports: premise coverage (share of the premise's content words the plan
mentions), example leakage (names and phrases of the old prompt examples the premise does not have),
the repeated-sentence rate of the dialogue, scenes, shots, average and longest shot, the share of the
plan's checked fields the model wrote (``project.extra["provenance"]``, see ``agents.crew.fidelity``)
and the time to plan. A summary line gives distinct titles and the averages against the targets of
issue 13. ``--routing`` adds 40 labelled chat messages read by the producer (``Producer.ask`` on a
planned project: the routing, without acting on it).

Run (in the background on a shared machine; each line is flushed as it is measured):
    nohup .venv/bin/python bench/story.py --llm bundled --routing > bench/results/story.jsonl 2> /tmp/story.err &
The same bench against an OpenAI-compatible server: ``--llm openai:http://127.0.0.1:8000/v1#MODEL``
(a vLLM server as CI starts it: ``dailies serve-llm bundled --python .venv-vllm/bin/python --detach``,
``.venv-vllm`` made by ``tests/agents/llm/vllm_env.py``). A subset, named in the machine line:
``--limit 8 --long 1`` plans the first 8 premises at 30 s and the first at 180 s. Every plan line and the
summary carry the LLM calls, their errors by type and, on an HTTP backend, the requests and their status
codes (a request more than the calls is a re-ask after an invalid answer, or a retry). ``--budget-s`` starts no
premise after that many seconds: the summary counts the premises left out. ``--summarize FILE`` prints the
summary of the file's last run from its plan lines (for a run stopped before its own; the line says so).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.crew.fidelity import content_words, coverage, leaks, repeated_sentences

#: (premise, runtime_s): genres, one to four characters, interiors and exteriors, times of day.
PREMISES: list[tuple[str, int]] = [
    ("A street dog befriends a retired astronaut in a snowy Tokyo market", 30),
    ("A chess-playing robot and a deaf girl enter a tournament in 1980s Warsaw", 30),
    ("Two sisters race to finish a wedding cake before dawn in a Lisbon bakery", 30),
    ("A night guard hears a piano playing in an empty museum at midnight", 30),
    ("An old fisherman and a seal become friends on a foggy pier at dawn", 30),
    ("A girl named Ada chases her runaway kite across a windy hilltop town", 30),
    ("A lonely astronaut waters a single tomato plant on a space station", 30),
    ("A detective interrogates a parrot that witnessed a jewel theft in a Paris hotel", 30),
    ("A teenage skateboarder teaches her grandmother to skate in an empty parking garage at night", 30),
    ("A beekeeper, his daughter, a mail carrier and a goat chase a runaway swarm through a summer orchard", 30),
    ("A shy librarian finds a dragon egg behind the atlases in a village library", 30),
    ("Two rival food truck chefs are stuck together in a desert gas station during a sandstorm", 30),
    ("A retired boxer trains a nervous accountant for a charity match in a Glasgow gym", 30),
    ("A ghost tries to warn a young couple moving into a Victorian house at dusk", 30),
    ("A mermaid trades her voice for a day on a crowded Coney Island beach", 30),
    ("A taxi driver in Mumbai drives a pregnant woman to the hospital through a monsoon flood", 30),
    ("A clockmaker repairs the town tower clock before the new year countdown", 30),
    ("A farmer and her son hide a crashed alien in the barn from a sheriff", 30),
    ("A violinist plays for coins in a snowy subway station and a critic stops to listen", 30),
    ("Four friends on a canoe trip find a message in a bottle on a misty lake at sunrise", 30),
    ("A young nurse and an old soldier share one last dance in a field hospital during the war", 180),
    ("A smuggler and a customs officer are trapped on a drifting cargo ship in a winter storm", 180),
    ("A girl and her robot build a rocket in a junkyard to find her father on the moon", 180),
]

#: 40 chat messages and the producer intent each should route to (ids refer to a planned film's shots).
MESSAGES: list[tuple[str, str]] = [
    ("Make the whole film 45 seconds long", "runtime"), ("Can you cut it down to 20 seconds?", "runtime"),
    ("Make it 2 minutes", "runtime"), ("I'd like the film to run ninety seconds", "runtime"),
    ("Let's make it a 3 minute film", "runtime"), ("Shorten the movie to 15 s", "runtime"),
    ("approve s1-01", "approve"), ("s1-02 looks good", "approve"), ("Approve all the shots, great work", "approve"),
    ("Perfect, keep s1-01", "approve"), ("lgtm", "approve"), ("Ship it!", "approve"),
    ("Redo s1-02, it's too dark", "reshoot"), ("reshoot s1-01 with more light", "reshoot"),
    ("Another take of s1-02 please", "reshoot"), ("Retake s1-01, the framing is off", "reshoot"),
    ("Shoot that again, s1-02 is blurry", "reshoot"), ("Please redo s1-01", "reshoot"),
    ("Give the main character a red raincoat", "character_look"), ("She should have short black hair", "character_look"),
    ("Make him older, with a grey beard", "character_look"), ("Change her dress to yellow", "character_look"),
    ("The hero should wear glasses", "character_look"), ("Give the dog a blue collar", "character_look"),
    ("Change the ending so they part as friends", "story_change"), ("Add a scene where they argue", "story_change"),
    ("Make the story happen at night instead", "story_change"), ("Let the second scene take place on a rooftop", "story_change"),
    ("Cut the last scene", "story_change"), ("Make the villain win in the end", "story_change"),
    ("How long will the render take?", "question"), ("What does the critic think of s1-01?", "question"),
    ("Why is the first shot so wide?", "question"), ("Which model are you using?", "question"),
    ("How many shots are in the film?", "question"), ("What happens in scene 2?", "question"),
    ("New idea: a film about a snail racing a turtle", "new_idea"), ("Start over with a story about pirates", "new_idea"),
    ("In s1-02 the camera should move slowly to the left", "shot_note"), ("The close-up in s1-01 needs a lower angle", "shot_note"),
]

TARGETS = {"coverage": 0.8, "leaks": 0, "repeated_sentences": 0.05, "plan_60s_s": 120}


def machine() -> str:
    cores = os.cpu_count()
    try:
        load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        load = "?"
    return f"{platform.machine()} {cores}-core, {platform.python_version()}; uptime: {load}"


def commit() -> str:
    """The checkout's commit, and whether files under agents/ differ from it (a shared tree changes mid-run)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain", "agents"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    return head.stdout.strip() + (" + uncommitted changes under agents/" if dirty.stdout.strip() else "")


def emit(**fields: Any) -> None:
    print(json.dumps({"bench": "story", **fields}, ensure_ascii=False), flush=True)


def plan_text(store: Any, pid: str) -> tuple[str, list[str]]:
    """Everything the plan says (title to dialogue) and its dialogue lines."""
    p = store.project(pid)
    parts = [p.title, p.logline, *p.beats]
    parts += [f"{c.name} {c.description} {' '.join(c.wardrobe.values())}" for c in store.characters(pid)]
    parts += [f"{loc.name} {loc.description}" for loc in store.locations(pid)]
    lines: list[str] = []
    for s in store.scenes(pid):
        parts += [s.heading, s.summary]
        lines += [d.line for d in s.dialogue]
    parts += lines
    return "\n".join(parts), lines


def model_share(extra: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """Share of the checked fields the model wrote, over all roles, and per role."""
    per_role: dict[str, float] = {}
    total = written = 0
    for role, record in (extra.get("provenance") or {}).items():
        fields = record.get("fields", {})
        n = len(fields)
        w = sum(1 for source in fields.values() if str(source).startswith("model"))
        per_role[role] = round(w / n, 3) if n else 1.0
        total, written = total + n, written + w
    return (round(written / total, 3) if total else 0.0), per_role


class Counted:
    """The crew's LLM, counting calls, seconds and errors by type (and HTTP requests by status, if any)."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.counts: dict[str, Any] = {}
        self.reset()
        client = getattr(llm, "_client", None)  # the openai backend's httpx client
        if client is not None:
            client.event_hooks = {"request": [self._request], "response": [self._response]}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.llm, name)

    def reset(self) -> dict[str, Any]:
        counts, self.counts = self.counts, {"calls": 0, "llm_s": 0.0, "errors": {}, "requests": 0, "status": {}}
        return counts

    def _request(self, request: Any) -> None:
        self.counts["requests"] += 1

    def _response(self, response: Any) -> None:
        code = str(response.status_code)
        self.counts["status"][code] = self.counts["status"].get(code, 0) + 1

    def _timed(self, call: Any) -> Any:
        self.counts["calls"] += 1
        start = time.perf_counter()
        try:
            return call()
        except Exception as exc:
            name = type(exc).__name__
            self.counts["errors"][name] = self.counts["errors"].get(name, 0) + 1
            raise
        finally:
            self.counts["llm_s"] = round(self.counts["llm_s"] + time.perf_counter() - start, 1)

    def structured(self, messages: Any, schema: Any, **kwargs: Any) -> Any:
        return self._timed(lambda: self.llm.structured(messages, schema, **kwargs))

    def chat(self, messages: Any) -> Any:
        return iter(self._timed(lambda: list(self.llm.chat(messages))))


def server_models(spec: str) -> Any:
    """What an OpenAI-compatible server says it serves (``/v1/models``), for the machine line."""
    if not spec.startswith("openai:"):
        return None
    import httpx

    try:
        return httpx.get(spec.removeprefix("openai:").split("#")[0].rstrip("/") + "/models", timeout=10).json().get("data")
    except (httpx.HTTPError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"


def plan_one(studio: Any, premise: str, runtime_s: int) -> dict[str, Any]:
    project = studio.new(premise, runtime_s=runtime_s)
    start = time.perf_counter()
    error = None
    try:
        studio.run(project.id)
    except Exception as exc:  # the bench reports every outcome
        error = f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.perf_counter() - start
    store = studio.store
    p = store.project(project.id)
    text, lines = plan_text(store, project.id)
    shots = store.shots(project.id)
    durations = [s.duration_s for s in shots]
    repeats, sentences = repeated_sentences(lines)
    share, per_role = model_share(p.extra or {})
    return {
        "premise": premise, "runtime_s": runtime_s, "project": project.id, "status": p.status, "error": error,
        "title": p.title, "coverage": round(coverage(premise, text), 3),
        "missed_words": [w for w in content_words(premise) if coverage(w, text) == 0][:12],
        "leaks": leaks(text, premise), "dialogue_sentences": sentences,
        "repeated_sentence_rate": round(repeats / sentences, 3) if sentences else 0.0,
        "characters": [c.name for c in store.characters(project.id)],
        "locations": [loc.name for loc in store.locations(project.id)],
        "scenes": len(store.scenes(project.id)), "shots": len(shots),
        "avg_shot_s": round(statistics.mean(durations), 2) if durations else 0.0,
        "longest_shot_s": round(max(durations), 2) if durations else 0.0,
        "model_share": share, "model_share_by_role": per_role, "plan_s": round(seconds, 1),
        "sample_lines": lines[:3], **({"llm_calls": studio.llm.reset()} if isinstance(studio.llm, Counted) else {}),
    }


def routing(studio: Any, project: str) -> dict[str, Any]:
    from agents.crew.producer import Producer

    results = []
    for message, expected in MESSAGES:
        producer = Producer(message)
        start = time.perf_counter()
        try:
            got: str = producer.ask(studio.deps(), project).intent
        except Exception as exc:  # counted as a miss, with its reason
            got = f"error: {type(exc).__name__}"
        results.append({"message": message, "expected": expected, "got": got, "by": producer.routed_by,
                        "s": round(time.perf_counter() - start, 1)})
        emit(metric="route", **results[-1])
    right = sum(1 for r in results if r["got"] == r["expected"])
    return {"routing_accuracy": round(right / len(results), 3), "routed": len(results),
            "by_pattern": sum(1 for r in results if r["by"] == "pattern")}


def interleaved(premises: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The long premises spread among the short ones (a run cut short by time still has some of each)."""
    short = [p for p in premises if p[1] < 180]
    long = [p for p in premises if p[1] >= 180]
    out: list[tuple[str, int]] = []
    step = max(1, len(short) // (len(long) + 1))
    for i, p in enumerate(short):
        out.append(p)
        if long and (i + 1) % step == 0:
            out.append(long.pop(0))
    return out + long


def summarize(plans: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary fields over the measured plans (empty when there are none)."""
    if not plans:
        return {}
    titles = [p["title"] for p in plans]
    shot = [p for p in plans if p["shots"]]  # a failed plan's 0 s is no shot length
    calls = [p["llm_calls"] for p in plans if "llm_calls" in p]  # lines from before the counts have none
    counted = {
        "llm_calls": sum(c["calls"] for c in calls), "llm_requests": sum(c["requests"] for c in calls),
        "llm_errors": {k: sum(c["errors"].get(k, 0) for c in calls) for k in sorted({k for c in calls for k in c["errors"]})},
    } if calls else {}
    return {
        "plans": len(plans), "failed": sum(1 for p in plans if p["error"] or p["status"] == "failed"),
        "coverage_avg": round(statistics.mean(p["coverage"] for p in plans), 3),
        "plans_with_leaks": sum(1 for p in plans if p["leaks"]),
        "repeated_sentence_rate": round(sum(p["repeated_sentence_rate"] * p["dialogue_sentences"] for p in plans)
                                        / max(1, sum(p["dialogue_sentences"] for p in plans)), 3),
        "distinct_titles": len(set(titles)), "avg_shot_s": round(statistics.mean([p["avg_shot_s"] for p in shot] or [0]), 2),
        "longest_shot_s": max(p["longest_shot_s"] for p in plans),
        "model_share_avg": round(statistics.mean(p["model_share"] for p in plans), 3),
        "plan_s_avg_30s": round(statistics.mean([p["plan_s"] for p in plans if p["runtime_s"] == 30] or [0]), 1),
        "plan_s_avg_180s": round(statistics.mean([p["plan_s"] for p in plans if p["runtime_s"] == 180] or [0]), 1),
        **counted,
    }


def summarize_file(path: Path) -> None:
    """The summary line of the last run in ``path`` from its plan and routing lines (a run stopped before its
    own summary, or one whose summary predates a fix to ``summarize``)."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = max((i for i, d in enumerate(lines) if d.get("metric") == "machine"), default=0)
    run = lines[start:]
    routed = next(({k: v for k, v in d.items() if k not in ("bench", "metric", "llm_calls")} for d in run
                   if d.get("metric") == "routing"), {})
    plans = [d for d in run if d.get("metric") == "plan"]
    emit(metric="summary", targets=TARGETS, machine=machine(), summarized_from=str(path),
         note="computed afterwards from this run's plan and routing lines by --summarize, not by the run", **routed, **summarize(plans))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--llm", default="bundled", help="DAILIES_LLM form, e.g. bundled or openai:URL#MODEL")
    parser.add_argument("--limit", type=int, default=len(PREMISES), help="plan only the first N premises")
    parser.add_argument("--routing", action="store_true", help="also route the 40 labelled chat messages")
    parser.add_argument("--only-180", action="store_true", help="plan only the 180 s premises")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N premises (already measured)")
    parser.add_argument("--long", type=int, default=None, help="with --limit: also plan the first N of the 180 s premises")
    parser.add_argument("--summarize", type=Path, default=None, help="print the summary of the last run in this file, and stop")
    parser.add_argument("--budget-s", type=float, default=None, help="start no premise after this many seconds; the summary says how many were left")
    args = parser.parse_args()
    if args.summarize:
        summarize_file(args.summarize)
        return

    from agents.llm.registry import build_llm
    from agents.settings import load_settings
    from agents.studio import Studio

    home = Path(tempfile.mkdtemp(prefix="dailies-story-"))
    llm = Counted(build_llm(args.llm, home=Path(os.environ.get("DAILIES_HOME", home))))
    studio = Studio(settings=load_settings(home=home), llm=llm)
    chosen = PREMISES[: args.limit]
    if args.long is not None:
        chosen = [p for p in chosen if p[1] < 180] + [p for p in PREMISES if p[1] >= 180][: args.long]
    premises = [p for p in PREMISES if p[1] == 180] if args.only_180 else interleaved(chosen)
    premises = premises[args.skip :]
    emit(metric="machine", machine=machine(), commit=commit(), llm=getattr(llm, "name", args.llm), server=server_models(args.llm),
         argv=sys.argv[1:], premises=f"{sum(p[1] < 180 for p in premises)} at 30 s, {sum(p[1] >= 180 for p in premises)} at 180 s")
    plans = []
    started = time.perf_counter()
    try:
        routed: dict[str, Any] = {}
        for premise, runtime_s in premises:
            if args.budget_s is not None and time.perf_counter() - started > args.budget_s:
                break
            plans.append(plan_one(studio, premise, runtime_s))
            emit(metric="plan", **plans[-1])
            if args.routing and not routed:  # right after the first plan, so a cut-short run still has it
                llm.reset()
                routed = routing(studio, plans[0]["project"])
                emit(metric="routing", **routed, llm_calls=llm.reset())
        summary: dict[str, Any] = dict(routed)
        if len(plans) < len(premises):
            summary["not_planned"] = {"premises": len(premises) - len(plans), "budget_s": args.budget_s,
                                      "first": premises[len(plans)][0]}
        summary |= summarize(plans)
        emit(metric="summary", targets=TARGETS, machine=machine(), **summary)
    finally:
        studio.close()


if __name__ == "__main__":
    main()
