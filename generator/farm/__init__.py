"""The render farm: the generator backends served on Ray Serve, and the ``farm:`` backend that uses them.

    generator/farm/
    ├── spec.py      DeploymentSpec: a backend spec with its replicas, GPUs/CPUs, autoscaling and queue bound
    ├── replica.py   BackendReplica: one backend, renders once per request hash into the shared folder
    ├── ingress.py   FarmIngress: the one HTTP entry (render, take bytes, deployments, status)
    ├── wire.py      the HTTP contract both sides share
    ├── app.py       connect / start / stop the Serve application (imports Ray lazily)
    └── client.py    FarmBackend: ``DAILIES_BACKEND=farm:URL``

Why Ray Serve and not a queue of our own: replicas, placement on GPUs, autoscaling, back-pressure and
replacing a dead replica are what Serve does; the farm adds only what is ours — the content-addressed
take, written once, and typed errors. The client needs only httpx, so a studio process can use a farm
without Ray installed.
"""

from __future__ import annotations

from generator.farm.client import FarmBackend
from generator.farm.spec import DeploymentSpec, deployment_name

__all__ = ["DeploymentSpec", "FarmBackend", "deployment_name"]
