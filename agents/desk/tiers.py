"""Draft and final tiers: a project shoots in ``draft``; any shot, scene or the whole film is *promoted*.

Why a promotion re-renders the approved draft's own request: the creator approved that shot — its plan,
prompt (creator notes included), staging, references and seed. The final take is that same request on the
quality backend (``settings.final_backend``), with only the draft backend's knobs dropped (they tune the
draft renderer) and ``options["tier"] = "final"`` added, so its content hash, and hence its file and take
row, never collide with the draft's. A take without a stored request (an old or imported one) is compiled
again from the plan with the production's seed rule (``shot_seed``).

Both takes are kept; the final take inherits the approval of the draft it re-renders (recorded in its
``parameters["promoted_from"]``), and the cut is made from either tier (``agents.production.cut``).
Only the promoted shots render, and the user's final-tier quota is checked for all of them first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict

from agents.desk.estimate import Estimate, estimate_for, makespan
from agents.desk.quota import check_quota, record
from agents.errors import ShotsNotApproved
from agents.settings import Settings
from agents.shots.requests import request_for_shot, shot_seed
from generator.base import Generator, RenderRequest
from memory.errors import InvalidValue
from memory.models import Take
from memory.shot_context import shot_plan
from memory.store import Store

Progress = Callable[[str, float], None]


def shots_to_promote(store: Store, project: str, *, shots: Iterable[str] = (), scene: str | None = None, whole: bool = False) -> list[str]:
    """The shot keys a promotion covers, in film order: named ``shots``, one ``scene``'s, or the whole film."""
    chosen = [bool(list(shots)), scene is not None, whole]
    if sum(chosen) != 1:
        raise InvalidValue("promote: name shots, one scene, or the whole film (exactly one of shots, scene, all)")
    if whole:
        keys = [s.key for s in store.shots(project)]
        if not keys:
            raise InvalidValue(f"project {project!r} has no planned shots to promote yet")
        return keys
    if scene is not None:
        keys = [s.key for s in store.shots(project, scene)]
        if not keys:
            raise InvalidValue(f"scene: {scene!r} has no shots to promote")
        return keys
    wanted = list(dict.fromkeys(shots))
    for key in wanted:
        store.shot(project, key)  # NotFound names an unknown shot
    order = {s.key: i for i, s in enumerate(store.shots(project))}
    return sorted(wanted, key=order.__getitem__)


def approved_drafts(store: Store, project: str, keys: list[str]) -> dict[str, Take]:
    """The newest approved draft take of each shot; ``ShotsNotApproved`` lists shots without one."""
    found: dict[str, Take] = {}
    for key in keys:
        drafts = [t for t in store.takes(project, key) if t.tier == "draft" and t.status == "approved"]
        if drafts:
            found[key] = drafts[-1]
    missing = [k for k in keys if k not in found]
    if missing:
        raise ShotsNotApproved(f"promote: approve a draft take first of {', '.join(missing)}", missing)
    return found


def promotion_estimate(store: Store, settings: Settings, project: str, keys: list[str], *, gpus: int = 1) -> Estimate:
    """What rendering ``keys`` on the final backend will cost: the desk's estimate of those shots only."""
    full = estimate_for(store, settings, project, backend=settings.final_backend, gpus=gpus)
    shots = [s for s in full.shots if s.shot in set(keys)]
    seconds = sum(s.seconds for s in shots)
    return full.model_copy(update={
        "shots": shots, "table_seconds": round(sum(s.seconds for s in shots) / (full.learned.ratio if full.learned else 1.0), 3),
        "gpu_seconds": round(seconds, 3) if full.uses_gpu else 0.0,
        "wall_seconds": round(makespan([s.seconds for s in shots], gpus if full.uses_gpu else 1), 3),
        "cost": round(sum(s.cost for s in shots), 4),
    })


def final_request(store: Store, settings: Settings, project: str, key: str, draft: Take) -> RenderRequest:
    """The approved draft's request, made final (see the module docstring)."""
    stored = draft.parameters.get("request")
    if isinstance(stored, dict):
        request = RenderRequest.model_validate(stored)
    else:
        plan, scene, shot = shot_plan(store, project, key)
        request = request_for_shot(
            plan, scene, shot, width=settings.width, height=settings.height, fps=settings.fps,
            seed=shot_seed(project, key), take=draft.number,
        )
    return request.model_copy(update={"options": {"tier": "final"}})


def check_promotion(store: Store, settings: Settings, project: str, keys: list[str]) -> dict[str, RenderRequest]:
    """The final request of each shot, after checking the owner's final-tier quota for those not rendered yet
    (``QuotaExceeded`` before anything renders)."""
    drafts = approved_drafts(store, project, keys)
    requests = {key: final_request(store, settings, project, key, drafts[key]) for key in keys}
    done = {t.request_hash for t in store.takes(project) if t.tier == "final"}
    needed = sum(r.frame_count() / r.fps for r in requests.values() if r.key() not in done)
    check_quota(store, settings, store.project(project).owner or "", "final", needed)
    return requests


def promote(
    store: Store, settings: Settings, generator: Generator, project: str, keys: list[str], *, progress: Progress | None = None
) -> list[Take]:
    """Render ``keys`` at the final tier; returns their final takes (an existing one is reused, not rendered)."""
    requests = check_promotion(store, settings, project, keys)  # the quota, before anything renders
    drafts = approved_drafts(store, project, keys)
    owner = store.project(project).owner
    existing = {t.request_hash: t for t in store.takes(project) if t.tier == "final"}
    takes: list[Take] = []
    for key in keys:
        request = requests[key]
        if request.key() in existing:
            takes.append(existing[request.key()])
            continue

        def on_progress(fraction: float, message: str = "", key: str = key) -> None:
            if progress is not None:
                progress(key, fraction)

        rendered = generator.render(request, settings.takes_dir / project / "final", on_progress)
        row = store.add_take(
            project, key, request_hash=rendered.request_hash, path=str(rendered.path), seed=rendered.seed,
            backend=rendered.backend, model=rendered.model, tier="final", status="approved", timings=rendered.timings,
            frame_count=rendered.frame_count, parameters={
                **rendered.parameters, "request": request.model_dump(mode="json"), "promoted_from": draft_id(drafts[key]),
                "capabilities": asdict(generator.capabilities),
            },
        )
        if not rendered.reused:
            record(store, owner, "final", rendered.frame_count / rendered.fps, project=project, shot=key)
        takes.append(row)
    return takes


def draft_id(take: Take) -> int:
    return int(take.id or 0)
