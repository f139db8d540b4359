"""Benchmark: a 60 s animatic film's shots rendered locally, through a one-replica farm and a two-replica farm.

The film is ``bench/animatic.py``'s (15 shots × 4 s, 640×360, 24 fps). Each configuration renders every
shot once into fresh folders (no take is reused), with ``--concurrency`` shots in flight at once as the
production graph's parallel shot branches send them; the local run also once shot by shot. The farms are
Ray Serve on loopback in this process's own Ray (``ray.init(num_cpus=2)``), started before the clock runs.

The per-request overhead of the farm: tiny shots (``--tiny`` of them, 64×64, 1 frame) sent one at a time;
overhead = the client's wall time for the take − the time the replica spent rendering it (its own
``render_once`` total), i.e. HTTP, Serve's routing, the queue and the download. Also the round trip of a
take the farm already has (no render at all).

This machine has two cores shared with other jobs: the farm's replicas compete with the client, Ray's
own processes and everyone else, so two replicas cannot be twice as fast here. ``uptime`` before and after
is recorded with the results.

Run: ``.venv/bin/python bench/farm.py > bench/results/farm.jsonl``
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from animatic import film  # bench/animatic.py: the benchmark film

from generator.animatic import AnimaticBackend
from generator.base import Generator, RenderedTake, RenderRequest
from generator.farm.app import free_port, start
from generator.farm.client import FarmBackend
from generator.farm.spec import DeploymentSpec

MACHINE = f"x86_64 {os.cpu_count()}-core, no GPU (shared with other jobs)"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def render_all(backend: Generator, requests: list[RenderRequest], out: Path, concurrency: int) -> tuple[float, list[RenderedTake]]:
    started = time.perf_counter()
    if concurrency <= 1:
        takes = [backend.render(r, out) for r in requests]
    else:
        with ThreadPoolExecutor(concurrency) as pool:
            takes = list(pool.map(lambda r: backend.render(r, out), requests))
    wall = time.perf_counter() - started
    assert not any(t.reused for t in takes) and len({t.request_hash for t in takes}) == len(requests)
    return wall, takes


def tiny(n: int) -> RenderRequest:
    return RenderRequest(prompt=f"overhead probe {n}", width=64, height=64, frames=1, fps=24, seed=10_000 + n)


def overhead(client: FarmBackend, count: int, out: Path) -> dict[str, float]:
    rows, repeat = [], []
    for n in range(count):
        t0 = time.perf_counter()
        take = client.render(tiny(n), out / "first")
        wall = time.perf_counter() - t0
        rows.append((wall - take.timings["farm_replica_total"]) * 1000)
        t0 = time.perf_counter()
        again = client.render(tiny(n), out / "again")  # the farm has it: a round trip without a render
        assert again.parameters["farm"]["rendered"] is False
        repeat.append((time.perf_counter() - t0) * 1000)
    return {
        "overhead_ms_median": round(statistics.median(rows), 1),
        "overhead_ms_p90": round(sorted(rows)[int(0.9 * (len(rows) - 1))], 1),
        "reused_round_trip_ms_median": round(statistics.median(repeat), 1),
        "requests": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--tiny", type=int, default=30)
    args = parser.parse_args()
    os.environ["RAY_AUTH_MODE"] = "disabled"  # a private loopback cluster
    import ray
    from ray import serve

    requests = film(640, 360, 24, 15, 4.0)
    film_s = sum(r.frame_count() / r.fps for r in requests)
    common = {"machine": MACHINE, "python": platform.python_version(), "film_s": film_s, "shots": len(requests)}
    print(json.dumps({"event": "load", "when": "before", "uptime": uptime(), **common}), flush=True)
    with tempfile.TemporaryDirectory(prefix="dailies-bench-farm-") as tmp:
        root = Path(tmp)
        for concurrency in (1, args.concurrency):
            wall, _ = render_all(AnimaticBackend(), requests, root / f"local-{concurrency}", concurrency)
            print(json.dumps({"config": "local", "concurrency": concurrency, "wall_s": round(wall, 2), **common}), flush=True)
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
        try:
            for replicas in (1, 2):
                data = root / f"farm-{replicas}"
                t0 = time.perf_counter()
                url = start([DeploymentSpec("animatic", replicas=replicas, num_cpus=round(0.9 / replicas, 2))], data, port=free_port())
                startup = time.perf_counter() - t0
                client = FarmBackend(url)
                wall, takes = render_all(client, requests, root / f"studio-{replicas}", args.concurrency)
                used = sorted({str(t.parameters["farm"]["replica"]) for t in takes})
                print(json.dumps({
                    "config": f"farm-{replicas}-replica", "concurrency": args.concurrency, "wall_s": round(wall, 2),
                    "serve_start_s": round(startup, 1), "replicas_used": len(used), **common,
                }), flush=True)  # fmt: skip
                if replicas == 1:
                    print(json.dumps({"config": "farm-overhead", **overhead(client, args.tiny, root / "tiny"), **common}), flush=True)
                serve.shutdown()
        finally:
            serve.shutdown()
            ray.shutdown()
    print(json.dumps({"event": "load", "when": "after", "uptime": uptime(), **common}), flush=True)


if __name__ == "__main__":
    main()
