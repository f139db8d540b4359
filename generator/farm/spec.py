"""What a farm serves: one ``DeploymentSpec`` per generator backend spec, and the Serve options it becomes.

Why a plain dataclass and not Ray's own options dicts: the CLI, the docs and the tests speak of "the
animatic with two replicas on the CPU", and only this module knows how that reads in Ray Serve's words
(``num_replicas`` or a bounded ``autoscaling_config``, ``ray_actor_options``, ``max_ongoing_requests``,
``max_queued_requests``). Nothing here imports Ray.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from generator.errors import BadRequest
from generator.registry import BACKENDS, parse_spec
from generator.takes import backend_slug

#: Requests one replica accepts at once. Renders are heavy and single-stream: one at a time per replica.
ONGOING_PER_REPLICA = 1
#: Seconds requests wait before autoscaling adds a replica.
UPSCALE_DELAY_S = 5.0


def deployment_name(spec: str) -> str:
    """The Serve deployment of a backend spec: ``'diffusers:ltx-video'`` → ``'diffusers-ltx-video'``."""
    return backend_slug(spec.strip().partition("?")[0].lower())


@dataclass(frozen=True)
class DeploymentSpec:
    """One backend served by the farm."""

    #: Generator backend spec, e.g. ``animatic`` or ``diffusers:wan2.1-t2v-1.3b`` (``farm:`` is refused).
    backend: str
    #: Replicas started with the farm (the autoscaling floor when ``max_replicas`` is larger).
    replicas: int = 1
    #: Autoscaling ceiling; ``None`` or equal to ``replicas`` means a fixed number of replicas.
    max_replicas: int | None = None
    #: GPUs each replica holds (0 on a CPU machine); a diffusers replica on a GPU node wants 1.
    num_gpus: float = 0.0
    #: CPUs each replica reserves; with two cores and two replicas plus Ray's own actors, keep it ≤ 0.5.
    num_cpus: float = 0.5
    #: Requests waiting per caller before the farm answers "busy" (HTTP 503): the back-pressure bound.
    max_queued: int = 16

    def __post_init__(self) -> None:
        name, _ = parse_spec(self.backend)
        if name not in BACKENDS or name == "farm":
            servable = ", ".join(n for n in BACKENDS if n != "farm")
            raise BadRequest(f"farm backend: {self.backend!r} is not a backend a farm can serve; use one of: {servable}")
        if self.replicas < 1:
            raise BadRequest(f"farm replicas: at least 1, got {self.replicas}")
        if self.max_replicas is not None and self.max_replicas < self.replicas:
            raise BadRequest(f"farm max_replicas: {self.max_replicas} is fewer than replicas ({self.replicas})")
        for field, value in (("num_gpus", self.num_gpus), ("num_cpus", self.num_cpus)):
            if not (math.isfinite(value) and value >= 0):
                raise BadRequest(f"farm {field}: a non-negative number, got {value!r}")
        if self.max_queued < 1:
            raise BadRequest(f"farm max_queued: at least 1, got {self.max_queued}")

    @property
    def name(self) -> str:
        return deployment_name(self.backend)

    def serve_options(self) -> dict[str, Any]:
        """Keyword arguments for ``Deployment.options(...)``."""
        scaling: dict[str, Any]
        if self.max_replicas is not None and self.max_replicas > self.replicas:
            scaling = {
                "autoscaling_config": {
                    "min_replicas": self.replicas,
                    "initial_replicas": self.replicas,
                    "max_replicas": self.max_replicas,
                    # One render per replica: scale up as soon as requests wait.
                    "target_ongoing_requests": ONGOING_PER_REPLICA,
                    # A render takes seconds to minutes: add a replica once requests have waited a few
                    # seconds (Serve's default waits 30 s), give one back only after ten idle minutes.
                    "upscale_delay_s": UPSCALE_DELAY_S,
                    "downscale_delay_s": 600.0,
                }
            }
        else:
            scaling = {"num_replicas": self.replicas}
        return {
            "name": self.name,
            **scaling,
            "ray_actor_options": {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus},
            "max_ongoing_requests": ONGOING_PER_REPLICA,
            "max_queued_requests": self.max_queued,
        }


def default_num_gpus(backend: str, gpus_in_cluster: float) -> float:
    """One GPU per replica for a backend that needs one, when the cluster has GPUs; else none."""
    entry = BACKENDS.get(parse_spec(backend)[0])
    return 1.0 if entry is not None and entry.needs_gpu and gpus_in_cluster >= 1 else 0.0
