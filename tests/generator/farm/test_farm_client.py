"""The ``farm:`` backend's own decisions, without Ray: specs, settings, and how each HTTP answer is handled.

The HTTP answers come from ``httpx.MockTransport`` (an orchestration test: the real farm is exercised
in ``test_farm_render.py``); a down farm is a real closed port.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from farm_cluster import make_shot

from agents.errors import SettingsError
from agents.farm import replica_cpus
from agents.preflight import check_settings
from agents.settings import Settings
from generator import registry
from generator.errors import BadRequest, FarmUnavailable, OutOfMemory, RenderFailed, RenderTimedOut
from generator.farm import client as farm_client
from generator.farm.app import free_port
from generator.farm.client import FarmBackend
from generator.farm.spec import DeploymentSpec, default_num_gpus

VIDEO = b"\x00\x00\x00\x18ftypmp42 not really a video, but bytes with a digest"
ANIMATIC_CAPS = {"longest_clip_s": 10.0, "draws_staging_marks": True, "static_is_still": True, "uses_gpu": False}


def _reply(request_json: bytes, rendered: bool = True, video: bytes = VIDEO) -> dict[str, object]:
    request = json.loads(request_json)
    from generator.base import RenderRequest

    key = RenderRequest.model_validate(request).key()
    return {
        "take": {"path": f"animatic-{key[:24]}.mp4", "request_hash": key, "seed": request["seed"], "backend": "animatic",
                 "model": "animatic/1", "frame_count": 24, "width": 160, "height": 96, "fps": 12.0,
                 "timings": {"total": 0.1}, "parameters": {}},
        "sha256": hashlib.sha256(video).hexdigest(), "replica": "4242@node-a", "rendered": rendered,
    }  # fmt: skip


def farm_double(render_answers: list[Callable[[httpx.Request], httpx.Response]], served: tuple[str, ...] = ("animatic",),
                video: bytes = VIDEO) -> tuple[httpx.MockTransport, list[str]]:  # fmt: skip
    """A farm that answers each POST /render with the next of ``render_answers``; records the paths asked."""
    asked: list[str] = []
    answers = iter(render_answers)

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.url.path == "/deployments":
            deployments = [{"name": name.replace(":", "-"), "backend": name, "capabilities": ANIMATIC_CAPS} for name in served]
            return httpx.Response(200, json={"default": deployments[0]["name"], "deployments": deployments})
        if request.url.path.startswith("/takes/"):
            return httpx.Response(200, content=video)
        return next(answers)(request)

    return httpx.MockTransport(handle), asked


def streamed(*lines: dict[str, object]) -> httpx.Response:
    """A render's 200 answer as the ingress streams it: one JSON object per line (``wire.StreamLine``)."""
    return httpx.Response(200, content=b"".join(json.dumps(line).encode() + b"\n" for line in lines),
                          headers={"content-type": "application/x-ndjson"})  # fmt: skip


def ok(request: httpx.Request) -> httpx.Response:
    return streamed(
        {"progress": {"fraction": 0.0, "message": "started on 4242@node-a"}},
        {"progress": {"fraction": 0.5, "message": "frame 12/24"}},
        {"reply": _reply(request.content)},
    )


def error(status: int, kind: str, message: str = "", **extra: object) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _request: httpx.Response(status, json={"error": kind, "message": message or kind, **extra})


@pytest.fixture(autouse=True)
def _quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(farm_client, "BACKOFF_S", 0.01)


def test_a_lost_replica_and_a_full_queue_are_retried_and_the_take_lands_once(tmp_path: Path) -> None:
    transport, asked = farm_double([error(502, "replica_lost"), error(503, "busy"), ok])
    take = FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)
    assert take.parameters["farm"]["attempts"] == 3 and take.request_hash == make_shot(1).key()
    assert take.path.read_bytes() == VIDEO and take.path.name == f"animatic-{make_shot(1).key()[:24]}.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([take.path.name, take.path.with_suffix(".json").name])
    assert asked.count("POST /render/animatic") == 3
    again = FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)
    assert again.reused and asked.count("POST /render/animatic") == 3  # the studio's folder had it


def test_the_replicas_progress_reaches_the_caller_as_it_streams(tmp_path: Path) -> None:
    transport, _ = farm_double([ok])
    seen: list[tuple[float, str]] = []
    FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path, progress=lambda f, m: seen.append((f, m)))
    assert seen == [
        (0.0, "sent to the farm (animatic)"), (0.0, "farm: started on 4242@node-a"), (0.5, "farm: frame 12/24"),
        (1.0, "take back from 4242@node-a"),
    ]  # fmt: skip


def test_a_replica_lost_after_the_stream_started_is_sent_again(tmp_path: Path) -> None:
    """The replica dies mid-render: the stream's last line says so, or the stream just stops; both are retried."""
    died = streamed({"progress": {"fraction": 0.3, "message": "frame 7/24"}},
                    {"error": {"error": "replica_lost", "message": "animatic: the replica died while rendering"}})  # fmt: skip
    cut = streamed({"progress": {"fraction": 0.1, "message": "frame 2/24"}})
    transport, asked = farm_double([lambda _r: died, lambda _r: cut, ok])
    seen: list[str] = []
    take = FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path, progress=lambda _f, m: seen.append(m))
    assert take.parameters["farm"]["attempts"] == 3 and asked.count("POST /render/animatic") == 3
    assert take.path.read_bytes() == VIDEO
    assert sum(m.startswith("sent to the farm again") for m in seen) == 2


def test_a_stream_that_is_not_a_farms_is_farm_unavailable(tmp_path: Path) -> None:
    transport, _ = farm_double([lambda _r: httpx.Response(200, content=b'{"hello": "world"}\n')])
    with pytest.raises(FarmUnavailable, match="not a farm's"):
        FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)
    assert not list(tmp_path.glob("*.mp4"))


def test_a_replica_lost_more_often_than_the_retries_is_a_render_failure(tmp_path: Path) -> None:
    transport, _ = farm_double([error(502, "replica_lost")] * 3)
    with pytest.raises(RenderFailed, match="lost 3 times"):
        FarmBackend("http://farm", retries=2, transport=transport).render(make_shot(1), tmp_path)
    assert not list(tmp_path.glob("*.mp4"))


def test_a_queue_full_past_the_timeout_is_a_typed_timeout(tmp_path: Path) -> None:
    transport, _ = farm_double([error(503, "busy")] * 1000)
    with pytest.raises(RenderTimedOut, match="queue stayed full") as caught:
        FarmBackend("http://farm", timeout_s=0.3, transport=transport).render(make_shot(1), tmp_path)
    assert isinstance(caught.value, TimeoutError)  # the graph's retry policy retries it


@pytest.mark.parametrize(
    ("answer", "raised", "words"),
    [
        (error(400, "bad_request", "animatic: width and height must be even"), BadRequest, "must be even"),
        (error(500, "render_failed", "CUDA out of memory", type="OutOfMemory", suggestion={"frames": 49}), OutOfMemory, "frames=49"),
        (error(500, "render_failed", "ffmpeg exited 1", type="RenderFailed"), RenderFailed, "ffmpeg exited 1"),
        (error(404, "no_deployment", "this farm serves no 'x'"), FarmUnavailable, "serves no"),
    ],
)  # fmt: skip
def test_the_backends_errors_come_back_with_their_type(
    answer: Callable[[httpx.Request], httpx.Response], raised: type[Exception], words: str, tmp_path: Path
) -> None:
    transport, _ = farm_double([answer])
    with pytest.raises(raised, match=words):
        FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)
    assert not list(tmp_path.glob("*.mp4"))


def test_a_damaged_download_leaves_nothing(tmp_path: Path) -> None:
    transport, _ = farm_double([ok], video=b"other bytes")
    with pytest.raises(RenderFailed, match="damaged"):
        FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)
    assert not list(tmp_path.iterdir())


def test_another_preset_goes_to_its_own_deployment(tmp_path: Path) -> None:
    served = ("diffusers:wan2.1-t2v-1.3b", "diffusers:ltx-video")
    transport, asked = farm_double([ok], served=served)
    client = FarmBackend("http://farm", backend="diffusers:wan2.1-t2v-1.3b", transport=transport)
    client.render(make_shot(1, options={"preset": "ltx-video"}), tmp_path)  # the critic's backend_preset rung
    assert "POST /render/diffusers-ltx-video" in asked
    with pytest.raises(FarmUnavailable, match="serves no 'diffusers:cogvideox-2b'"):
        client.render(make_shot(2, options={"preset": "cogvideox-2b"}), tmp_path)


def test_a_farm_that_is_down_is_a_typed_error_within_the_connect_timeout(tmp_path: Path) -> None:
    client = FarmBackend(f"http://127.0.0.1:{free_port()}", connect_timeout_s=0.5)
    with pytest.raises(FarmUnavailable, match="unreachable") as caught:
        client.render(make_shot(1), tmp_path)
    assert isinstance(caught.value, ConnectionError)
    assert not list(tmp_path.iterdir())


def test_the_registry_builds_a_farm_backend_from_its_spec() -> None:
    backend = registry.get("farm:http://127.0.0.1:8000?backend=diffusers:ltx-video&timeout_s=60")
    assert isinstance(backend, FarmBackend)
    assert (backend.url, backend.backend, backend.timeout_s) == ("http://127.0.0.1:8000", "diffusers:ltx-video", 60.0)
    with pytest.raises(BadRequest, match="URL"):
        registry.get("farm")
    with pytest.raises(BadRequest, match="http://"):
        registry.get("farm:127.0.0.1:8000")


def test_settings_accept_a_farm_url_and_refuse_a_farm_without_one() -> None:
    assert check_settings(Settings(backend="farm:http://10.0.0.5:8000")).backend == "farm:http://10.0.0.5:8000"
    with pytest.raises(SettingsError, match="needs the farm's URL"):
        check_settings(Settings(backend="farm:nowhere"))


def test_deployment_specs_read_as_serve_options() -> None:
    fixed = DeploymentSpec("animatic", replicas=2, num_cpus=0.5).serve_options()
    assert fixed["num_replicas"] == 2 and "autoscaling_config" not in fixed
    assert fixed["ray_actor_options"] == {"num_cpus": 0.5, "num_gpus": 0.0}
    assert (fixed["max_ongoing_requests"], fixed["max_queued_requests"]) == (1, 16)
    scaled = DeploymentSpec("diffusers:ltx-video", replicas=1, max_replicas=4, num_gpus=1).serve_options()
    assert scaled["name"] == "diffusers-ltx-video" and "num_replicas" not in scaled
    assert scaled["autoscaling_config"]["min_replicas"] == 1 and scaled["autoscaling_config"]["max_replicas"] == 4
    assert scaled["autoscaling_config"]["upscale_delay_s"] == 5.0  # Serve's default (30 s) leaves GPUs idle


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"backend": "farm:http://x"}, "not a backend a farm can serve"),
        ({"backend": "nonsense"}, "not a backend a farm can serve"),
        ({"backend": "animatic", "replicas": 0}, "replicas"),
        ({"backend": "animatic", "replicas": 3, "max_replicas": 2}, "max_replicas"),
        ({"backend": "animatic", "num_gpus": -1}, "num_gpus"),
        ({"backend": "animatic", "max_queued": 0}, "max_queued"),
    ],
)
def test_a_wrong_deployment_spec_is_one_error_naming_the_field(fields: dict[str, object], words: str) -> None:
    with pytest.raises(BadRequest, match=words):
        DeploymentSpec(**fields)  # type: ignore[arg-type]


def test_replicas_share_the_cluster_cpus_with_room_for_serve() -> None:
    assert replica_cpus(2, 2) == 0.9 and replica_cpus(64, 8) == 1.0 and replica_cpus(2, 40) == 0.1


def test_a_server_that_is_not_a_farm_is_farm_unavailable(tmp_path: Path) -> None:
    not_a_farm = httpx.MockTransport(lambda request: httpx.Response(404, text="Path '/deployments' not found"))
    with pytest.raises(FarmUnavailable, match="not a Dailies farm"):
        FarmBackend("http://farm", transport=not_a_farm).render(make_shot(1), tmp_path)
    transport, _ = farm_double([lambda request: httpx.Response(404, text="no application")])
    with pytest.raises(FarmUnavailable, match="without a farm reply"):
        FarmBackend("http://farm", transport=transport).render(make_shot(1), tmp_path)


def test_a_gpu_backend_gets_a_gpu_per_replica_only_where_the_cluster_has_gpus() -> None:
    assert default_num_gpus("diffusers:ltx-video", gpus_in_cluster=7) == 1.0
    assert default_num_gpus("diffusers:ltx-video", gpus_in_cluster=0) == 0.0
    assert default_num_gpus("animatic", gpus_in_cluster=7) == 0.0
