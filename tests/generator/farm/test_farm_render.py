"""The farm for real: Ray Serve on loopback, two animatic replicas, renders over HTTP (one cluster per module).

The first test needs the farm *not* started yet (it checks the farm-down case, then starts it); the
others share the module's farm.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest
from farm_cluster import Farm, Relay

from generator.animatic.backend import AnimaticBackend
from generator.base import RenderedTake, RenderRequest
from generator.errors import FarmUnavailable
from generator.farm.client import FarmBackend
from generator.ffmpeg_tools import probe
from generator.measure.decode import decode_clip
from generator.takes import take_path

pytestmark = pytest.mark.slow
#: The temporary name a replica's encoder writes under (``generator.ffmpeg_tools.temp_path_for``).
PART = re.compile(r"^\.(?P<stem>.+)\.(?P<pid>\d+)\.part\.mp4$")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _takes(folder: Path, request: RenderRequest) -> list[Path]:
    return sorted(folder.glob(f"*-{request.key()[:24]}.mp4"))


def test_farm_down_fails_typed_then_renders_once_it_is_back(
    farm_port: int, request: pytest.FixtureRequest, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    if _listening(farm_port):
        pytest.skip("the module's farm is already up (this test runs first in file order)")
    client = FarmBackend(f"http://127.0.0.1:{farm_port}", connect_timeout_s=1.0)
    started = time.monotonic()
    with pytest.raises(FarmUnavailable, match="unreachable"):
        client.render(shot(1), tmp_path)
    assert time.monotonic() - started < 10
    assert not list(tmp_path.iterdir())  # nothing half-written where the studio keeps its takes

    request.getfixturevalue("farm")  # the farm comes back on the same URL
    take = client.render(shot(1), tmp_path)  # the same client, as `dailies resume` would ask again
    assert take.request_hash == shot(1).key() and take.path.is_file()
    assert take.parameters["farm"]["rendered"] is True


def _recorder(seen: list[tuple[float, str]]) -> Callable[[float, str], None]:
    return lambda fraction, message: seen.append((fraction, message))


def _frames(take: RenderedTake) -> np.ndarray:
    return decode_clip(take.path, max_width=None).frames


def test_takes_through_the_farm_equal_local_takes(
    farm: Farm, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    client, local = FarmBackend(farm.url), AnimaticBackend()
    assert client.capabilities == local.capabilities  # the critic reads the replicas' own capabilities
    for n in (2, 3):
        progress: list[tuple[float, str]] = []
        remote = client.render(shot(n), tmp_path / "farm", progress=_recorder(progress))
        here = local.render(shot(n), tmp_path / "local")
        assert remote.request_hash == here.request_hash == shot(n).key()
        assert remote.path.name == here.path.name and remote.backend == here.backend == "animatic"
        assert (remote.frame_count, remote.width, remote.height, remote.fps) == (24, 160, 96, 12.0)
        assert probe(remote.path).frames == 24 and progress[-1][0] == 1.0
        # the replica's own reports streamed back while it rendered, in order, as a local render reports them
        streamed = [(f, m) for f, m in progress if m.startswith("farm: frame ")]
        assert len(streamed) >= 5 and streamed[-1] == (1.0, "farm: frame 24/24")
        assert [f for f, _ in streamed] == sorted(f for f, _ in streamed) and 0 < streamed[0][0] < 0.5
        assert np.array_equal(_frames(remote), _frames(here))
        assert remote.parameters["farm"]["deployment"] == "animatic"
    again = client.render(shot(2), tmp_path / "farm")  # the studio's folder has it: the farm is not asked
    assert again.reused is True
    other_studio = client.render(shot(2), tmp_path / "other")  # the farm's shared folder has it: no render
    assert other_studio.parameters["farm"]["rendered"] is False
    assert len(_takes(farm.data_dir, shot(2))) == 1


def test_the_same_render_asked_twice_at_once_is_rendered_once(
    farm: Farm, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    request = shot(4, width=640, height=360, frames=480, fps=24)
    results: dict[str, RenderedTake] = {}

    def ask(who: str) -> None:
        results[who] = FarmBackend(farm.url).render(request, tmp_path / who)

    threads = [threading.Thread(target=ask, args=(who,)) for who in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["ana", "ben"]
    rendered = sorted(bool(t.parameters["farm"]["rendered"]) for t in results.values())
    assert rendered == [False, True]  # one render; the other request waited for it and got the same take
    assert len(_takes(farm.data_dir, request)) == 1
    assert results["ana"].request_hash == results["ben"].request_hash == request.key()


def test_status_lists_deployments_replicas_queue_and_takes(farm: Farm) -> None:
    status = httpx.get(f"{farm.url}/status", timeout=30).json()
    (animatic,) = status["deployments"]
    assert animatic["name"] == "animatic" and animatic["status"] == "HEALTHY"
    assert animatic["replicas"].get("RUNNING") == 2 and animatic["in_flight"] == 0
    assert status["takes_total"] >= 1 and status["takes_per_minute"] > 0


def test_a_replica_killed_mid_render_is_rendered_again_elsewhere(
    farm: Farm, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    request = shot(5, width=640, height=360, frames=2400, fps=24)  # long enough to be caught rendering
    stem = take_path(farm.data_dir, "animatic", request).stem
    result: dict[str, RenderedTake | BaseException] = {}

    def ask() -> None:
        try:
            result["take"] = FarmBackend(farm.url).render(request, tmp_path)
        except BaseException as exc:  # handed to the test thread
            result["take"] = exc

    worker = threading.Thread(target=ask)
    worker.start()
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline:
        for entry in farm.data_dir.iterdir():
            match = PART.match(entry.name)
            if match and match.group("stem") == stem:
                killed = int(match.group("pid"))  # the replica process writing this take
                os.kill(killed, signal.SIGKILL)
                break
        time.sleep(0.02)
    assert killed is not None, "the render was never seen in progress"
    worker.join(timeout=180)
    take = result["take"]
    assert isinstance(take, RenderedTake), take
    assert take.parameters["farm"]["attempts"] >= 2
    assert not take.parameters["farm"]["replica"].startswith(f"{killed}@")  # rendered elsewhere
    assert take.request_hash == request.key() and probe(take.path).frames == 2400
    assert len(_takes(farm.data_dir, request)) == 1 and len(_takes(tmp_path, request)) == 1  # no duplicate take
    assert not [p for p in farm.data_dir.iterdir() if (m := PART.match(p.name)) and int(m.group("pid")) == killed]


def test_a_film_whose_replica_is_killed_mid_render_finishes_without_a_duplicate_take(
    farm: Farm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crew as it runs for real (DAILIES_BACKEND=farm:URL, the production graph, a scripted LLM): the
    first replica seen writing a take is killed; that shot is rendered again on a live replica, every shot
    gets one take, and the film is cut."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agents"))  # the crew's scripted answers
    from doubles import scripted_crew

    from agents.production.decisions import CreatorDecision
    from agents.settings import load_settings
    from agents.studio import Studio

    for name, value in {"WIDTH": "960", "HEIGHT": "540", "FPS": "24"}.items():  # renders long enough to be caught
        monkeypatch.setenv(f"DAILIES_{name}", value)
    monkeypatch.setenv("DAILIES_BACKEND", f"farm:{farm.url}")
    studio = Studio(settings=load_settings(), llm=scripted_crew())
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    pending = studio.run(project)
    assert pending is not None and pending.what == "plan"
    before = {p.name for p in farm.data_dir.iterdir()}
    killed: dict[str, object] = {}
    watching = threading.Event()
    watching.set()

    def kill_the_first_replica_seen_rendering() -> None:
        while watching.is_set() and not killed:
            for entry in farm.data_dir.iterdir():
                match = PART.match(entry.name)
                if match and entry.name not in before:
                    killed.update(pid=int(match.group("pid")), stem=match.group("stem"))
                    os.kill(int(match.group("pid")), signal.SIGKILL)
                    return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_the_first_replica_seen_rendering, daemon=True)
    watcher.start()
    try:
        pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    finally:
        watching.clear()
        watcher.join(timeout=10)
    assert killed, "no render was seen in progress"
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    assert studio.store.project(project).status == "cut"  # the film finished

    shots, takes = studio.store.shots(project), studio.store.takes(project)
    assert all(len(studio.store.takes(project, s.key)) == 1 for s in shots) and len(takes) == len(shots)
    (hit,) = [t for t in takes if str(killed["stem"]).endswith(t.request_hash[:24])]
    assert hit.parameters["farm"]["attempts"] >= 2  # sent again after the replica died
    assert not str(hit.parameters["farm"]["replica"]).startswith(f"{killed['pid']}@")  # rendered elsewhere
    assert probe(Path(hit.path)).frames == hit.frame_count
    for take in takes:  # one file per take in the farm's folder, and nothing half-written left by the dead replica
        assert len(list(farm.data_dir.glob(f"*-{take.request_hash[:24]}.mp4"))) == 1
    assert not [p for p in farm.data_dir.iterdir() if (m := PART.match(p.name)) and int(m.group("pid")) == killed["pid"]]


def test_two_projects_rendering_at_once_share_the_farm_without_losing_a_take(
    farm: Farm, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    projects = {"harbour": [shot(n) for n in range(10, 16)], "orchard": [shot(n) for n in range(13, 19)]}
    got: dict[str, list[RenderedTake]] = {p: [] for p in projects}
    errors: list[BaseException] = []

    def make(project: str) -> None:
        client = FarmBackend(farm.url)
        try:
            for request in projects[project]:
                got[project].append(client.render(request, tmp_path / project))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=make, args=(p,)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors
    for project, requests in projects.items():
        assert [t.request_hash for t in got[project]] == [r.key() for r in requests]
        assert all(t.path.is_file() and t.path.parent == tmp_path / project for t in got[project])
        assert len(list((tmp_path / project).glob("*.mp4"))) == len(requests)
    shared = {r.key() for r in projects["harbour"]} & {r.key() for r in projects["orchard"]}
    assert len(shared) == 3
    for key in shared:  # asked by both projects, written once in the farm's folder
        assert len(list(farm.data_dir.glob(f"*-{key[:24]}.mp4"))) == 1


def test_crews_making_films_at_once_share_the_farm_without_losing_a_take(
    farm: Farm, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Three studios (three homes, three crews, one farm) shoot at the same moment, every shot at once.

    Studios A and C make two different films (each project's id seeds its shots, so no request is shared).
    Studio B makes A's film under A's id — the one way two projects ask for identical renders, since a
    shot's seed derives from the project id (``agents.shots.requests.shot_seed``) — with one shot's prompt
    rewritten, so that shot is another render. A and B share their voicings, as studio processes sharing one
    DAILIES_HOME do (piper samples unseeded noise: voiced apart, a line's length, and so its shot's
    duration, differs slightly). Each studio sends all its shots at once (``render_workers``
    4), more than the farm holds (two replicas, two waiting), so the farm answers *busy* and the studios
    ask again (the test fails when the client gives up on *busy*).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agents"))  # the crew's scripted answers
    from doubles import scripted_crew

    from agents.production.decisions import CreatorDecision
    from agents.production.voicing import voice_cache, voice_plan
    from agents.settings import load_settings
    from agents.studio import Studio

    premise, edited = "A keeper and her son in a storm", "s2-01"
    (tmp_path / "a" / "voices").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "voices").symlink_to(tmp_path / "a" / "voices")
    for name, value in {"WIDTH": "160", "HEIGHT": "96", "FPS": "12", "RENDER_WORKERS": "4"}.items():
        monkeypatch.setenv(f"DAILIES_{name}", value)
    monkeypatch.setenv("DAILIES_BACKEND", f"farm:{farm.url}")
    studios: dict[str, Studio] = {}
    for who in ("a", "b", "c"):
        monkeypatch.setenv("DAILIES_HOME", str(tmp_path / who))
        studios[who] = Studio(settings=load_settings(), llm=scripted_crew())
    shared = studios["a"].new(premise, runtime_s=12).id
    studios["b"].store.create_project(premise, project_id=shared, target_runtime_s=12)  # Studio.new, with A's id
    studios["b"].store.add_message(shared, "creator", premise)
    projects = {"a": shared, "b": shared, "c": studios["c"].new("Two sisters row out to the buoy", runtime_s=12).id}
    assert projects["c"] != shared
    for who, studio in studios.items():
        pending = studio.run(projects[who])
        assert pending is not None and pending.what == "plan"
    studios["b"].edit_shot(shared, edited, prompt="Mara alone at the lamp; the storm beats on the glass.")
    voice_plan(studios["a"].store, shared, voice_cache(studios["a"].settings))  # voiced once, before either shoots

    start = threading.Barrier(len(studios))
    events: dict[str, list[str]] = {}

    def shoot(who: str) -> None:
        start.wait(timeout=30)
        try:
            events[who] = [f"{e.kind}: {getattr(e, 'message', '')}"
                           for e in studios[who].decide(projects[who], CreatorDecision(kind="approve_plan"))]  # fmt: skip
        except BaseException as exc:  # handed to the test thread
            events[who] = [f"raised: {exc!r}"]

    threads = [threading.Thread(target=shoot, args=(who,)) for who in studios]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=400)
    assert sorted(events) == sorted(studios)

    hashes: dict[str, dict[str, str]] = {}
    rendered: dict[str, list[bool]] = {}  # request hash → the farm's "rendered" answer to each studio that asked
    for who, studio in studios.items():
        project = projects[who]
        assert not [e for e in events[who] if e.startswith(("failed", "raised"))], events[who]
        shots = studio.store.shots(project)
        pending = studio.pending(project)
        assert pending is not None and pending.what == "shots" and set(pending.shots) == {s.key for s in shots}
        hashes[who] = {}
        for shot in shots:
            (take,) = studio.store.takes(project, shot.key)  # one take per shot: none lost, none twice
            assert take.parameters["farm"]["url"] == farm.url and Path(take.path).is_file()
            assert probe(Path(take.path)).frames == take.frame_count > 0
            hashes[who][shot.key] = take.request_hash
            rendered.setdefault(take.request_hash, []).append(bool(take.parameters["farm"]["rendered"]))
    assert hashes["a"].keys() == hashes["b"].keys() and len(hashes["a"]) >= 3 and len(hashes["c"]) >= 3
    same = [k for k in hashes["a"] if k != edited]
    assert all(hashes["a"][k] == hashes["b"][k] for k in same) and hashes["a"][edited] != hashes["b"][edited]
    assert not set(hashes["c"].values()) & (set(hashes["a"].values()) | set(hashes["b"].values()))
    for key, answers in rendered.items():  # identical requests rendered once; the other studio got that take
        assert sorted(answers) == ([False, True] if len(answers) == 2 else [True]), (key[:12], answers)
        assert len(list(farm.data_dir.glob(f"*-{key[:24]}.mp4"))) == 1
    assert len(rendered) == len(same) + 2 + len(hashes["c"])
    for key in same:
        take_a, take_b = (studios[w].store.takes(shared, key)[0] for w in ("a", "b"))
        assert Path(take_a.path).read_bytes() == Path(take_b.path).read_bytes()
    status = httpx.get(f"{farm.url}/status", timeout=30).json()
    assert status["deployments"][0]["in_flight"] == 0


def test_a_film_on_the_farm_fails_visibly_while_it_is_down_and_resumes_once_it_is_back(
    farm: Farm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crew as it runs for real: the setting DAILIES_BACKEND=farm:URL, the production graph, a scripted LLM."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agents"))  # the crew's scripted answers
    from doubles import scripted_crew

    from agents.production.decisions import CreatorDecision
    from agents.settings import load_settings
    from agents.studio import Studio

    relay = Relay(farm.port)
    relay.up()
    try:
        for name, value in {"WIDTH": "320", "HEIGHT": "180", "FPS": "12"}.items():
            monkeypatch.setenv(f"DAILIES_{name}", value)
        monkeypatch.setenv("DAILIES_BACKEND", f"farm:{relay.url}?connect_timeout_s=1")
        studio = Studio(settings=load_settings(), llm=scripted_crew())
        project = studio.new("A keeper and her son in a storm", runtime_s=12).id
        pending = studio.run(project)
        assert pending is not None and pending.what == "plan"

        relay.down()  # the farm's host is gone while the plan is approved
        events = list(studio.decide(project, CreatorDecision(kind="approve_plan")))
        failures = [e for e in events if e.kind == "failed"]
        assert failures and "unreachable" in failures[-1].message, [e.model_dump() for e in events]  # visible, with the cause
        assert studio.store.takes(project) == [] and studio.pending(project) is None

        relay.up()  # back on the same URL: running again continues where the film stopped
        pending = studio.run(project)
        shots = studio.store.shots(project)
        assert pending is not None and pending.what == "shots" and set(pending.shots) == {s.key for s in shots}
        takes = studio.store.takes(project)
        assert all(len(studio.store.takes(project, s.key)) == 1 for s in shots) and len(takes) == len(shots)
        assert all(t.backend == "animatic" and t.parameters["farm"]["url"] == relay.url for t in takes)
        assert all(Path(t.path).is_file() for t in takes)
    finally:
        relay.down()


def test_more_requests_than_the_queue_holds_are_told_busy_and_all_land(
    farm: Farm, shot: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    requests = [shot(n, width=320, height=180, frames=96) for n in range(30, 38)]  # 8 at once: 2 run, 2 wait
    with ThreadPoolExecutor(len(requests)) as pool:
        takes = list(pool.map(lambda r: FarmBackend(farm.url).render(r, tmp_path), requests))
    assert [t.request_hash for t in takes] == [r.key() for r in requests]
    assert max(int(t.parameters["farm"]["attempts"]) for t in takes) > 1  # back-pressure answered, then retried
    assert all(len(_takes(farm.data_dir, r)) == 1 for r in requests)
