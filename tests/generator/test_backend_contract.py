"""The backend contract, run against every registered backend that can run on a CPU.

Each registry entry must appear in ``CPU_BUILDERS`` (the diffusers backend with tiny random-weight
components), so a new backend cannot be registered without passing this contract.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator import registry
from generator.base import Generator, RenderRequest
from generator.diffusers_backend.tiny import TINY_MAX_SEQUENCE_LENGTH, tiny_pipeline
from generator.errors import BadRequest
from generator.ffmpeg_tools import probe

CPU_BUILDERS: dict[str, Callable[[], Generator]] = {
    "animatic": lambda: registry.get("animatic"),
    "diffusers": lambda: registry.get(
        "diffusers:wan2.1-t2v-1.3b", loader=tiny_pipeline, max_sequence_length=TINY_MAX_SEQUENCE_LENGTH
    ),
}


def contract_request(**overrides: object) -> RenderRequest:
    fields: dict[str, object] = {
        "prompt": "Mara, lighthouse keeper, grey wool coat, red scarf, turns from the lamp",
        "staging": [{"id": "mara", "name": "Mara", "x": 0.3, "facing": "right"}],
        "shot_size": "MS", "time_of_day": "night", "location": "lamp room", "caption": "You came back.",
        "width": 64, "height": 64, "frames": 9, "fps": 8, "steps": 2, "seed": 11,
    }  # fmt: skip
    fields.update(overrides)
    return RenderRequest(**fields)  # type: ignore[arg-type]


#: Backends that render on a service the test must start first: their contract runs beside that service
#: (the farm's: tests/generator/farm/test_farm_render.py renders ``contract_request`` through a live farm).
CONTRACT_ELSEWHERE = {"farm"}


def test_every_registered_backend_is_under_contract() -> None:
    assert set(CPU_BUILDERS) | CONTRACT_ELSEWHERE == set(registry.BACKENDS)


@pytest.fixture(params=list(CPU_BUILDERS), scope="module")
def backend(request: pytest.FixtureRequest) -> Generator:
    return CPU_BUILDERS[request.param]()


def test_render_writes_the_asked_video(backend: Generator, tmp_path: Path) -> None:
    assert isinstance(backend, Generator)
    progress: list[float] = []
    take = backend.render(contract_request(), tmp_path, progress=lambda f, _m: progress.append(f))
    info = probe(take.path)
    assert take.path.parent == tmp_path and take.path.suffix == ".mp4"
    assert (info.frames, info.width, info.height, info.fps) == (9, 64, 64, 8.0)
    assert (take.frame_count, take.width, take.height, take.fps) == (9, 64, 64, 8.0)
    assert take.request_hash == contract_request().key() and take.seed == 11 and take.backend == backend.name
    assert take.timings["total"] > 0 and progress and progress[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [take.path.name, take.path.with_suffix(".json").name]
    )


def test_the_same_request_renders_once(backend: Generator, tmp_path: Path) -> None:
    first = backend.render(contract_request(), tmp_path)
    stamp = first.path.stat().st_mtime_ns
    second = backend.render(contract_request(), tmp_path)
    assert second.reused and second.path == first.path and second.path.stat().st_mtime_ns == stamp
    assert second.model_dump(exclude={"reused"}) == first.model_dump(exclude={"reused"})


@pytest.mark.parametrize("overrides", [{"width": 63}, {"frames": 3003}])
def test_a_bad_request_is_refused_without_a_file(
    backend: Generator, tmp_path: Path, overrides: dict[str, object]
) -> None:
    request = contract_request(**overrides)
    with pytest.raises(BadRequest):
        backend.check(request)
    with pytest.raises(BadRequest):
        backend.render(request, tmp_path)
    assert not any(tmp_path.iterdir())
