"""``/api/v1`` shows the progress the studio page shows (issue 19): the running job's long step — loading the
crew's model with the loader's own count, the cut — its planning roles and shots, and the activity log.

A live uvicorn server over a scripted crew, as in ``test_public_api.py``; the studio starts with no model loaded
and its "bundled" backend is a double that says the conversion's words and counts, then waits for the test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_public_api import Served, _serve, idle

from agents.llm import registry

DEQUANTISING = "converting: dequantising its tensors (step 2 of 4)"


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Served, threading.Event, threading.Event]]:
    """A served studio whose crew's model is not loaded: loading it stops halfway through its tensors until ``go``."""
    halfway, go = threading.Event(), threading.Event()
    serving = _serve(tmp_path)
    served = next(serving)
    scripted = served.studio.llm

    def bundled(_arg: str, _home: Path, report):  # type: ignore[no-untyped-def]
        report("converting: reading its weights (step 2 of 4)", None)
        report(DEQUANTISING, 0.5)
        halfway.set()
        go.wait(30)
        report(DEQUANTISING, 1.0)
        return scripted

    monkeypatch.setitem(registry.BACKENDS, "bundled", (False, bundled))
    served.studio.settings = served.studio.settings.model_copy(update={"llm": "bundled"})
    served.studio.llm = None
    try:
        yield served, halfway, go
    finally:
        go.set()
        serving.close()  # stops the server and closes the studio (``_serve``'s own teardown)


def step_of(client: httpx.Client, project: str, timeout_s: float = 30) -> dict[str, Any]:
    """The project's JSON once its progress shows a step with a share."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(f"/projects/{project}").json()
        step = (body.get("progress") or {}).get("step") or {}
        if step.get("fraction") is not None:
            return dict(body)
        time.sleep(0.05)
    raise AssertionError(f"no step with a share on {project}: {body}")


def test_a_job_shows_the_model_step_with_its_count_then_the_activity_log_keeps_its_lines(cold) -> None:  # type: ignore[no-untyped-def]
    served, halfway, go = cold
    with served.client(served.ana) as client:
        created = client.post("/projects", json={"premise": "A keeper and her son in a storm", "runtime_s": 12})
        assert created.status_code == 201, created.text
        project = created.json()["id"]
        assert halfway.wait(30)
        body = step_of(client, project)
        progress = body["progress"]
        assert body["busy"] and progress["job"] == "planning"
        assert progress["step"]["step"] == "the crew's model" and progress["step"]["doing"] == DEQUANTISING
        assert progress["step"]["fraction"] == 0.5 and progress["step"]["elapsed_s"] >= 0
        assert progress["step"]["line"].startswith(f"the crew's model: {DEQUANTISING} 50% · ")
        go.set()
        done = idle(client, project)
        assert done["progress"] is None and done["pending"]["what"] == "plan"

        lines = client.get(f"/projects/{project}/activity").json()
        steps = [line["text"] for line in lines if line["kind"] == "step"]
        assert f"the crew's model: {DEQUANTISING} 50%" in steps and steps[-1].startswith("the crew's model: done in")
        roles = {line["role"] for line in lines if line["kind"] == "role"}
        assert {"writer", "director"} <= roles  # the planning roles' lines, as the page's chat shows them
        assert [line["kind"] for line in lines][-1] == "finished"
        seqs = [line["seq"] for line in lines]
        assert seqs == sorted(seqs) and client.get(f"/projects/{project}/activity", params={"since": seqs[-1]}).json() == []
        with served.client(served.ben) as ben:
            assert ben.get(f"/projects/{project}/activity").status_code == 404  # another user's log: as a missing project

        # approve the plan and every shot; then a re-cut through the API is the page's cut step, in the same log
        assert client.post(f"/projects/{project}/decisions", json={"kind": "approve_plan"}).status_code == 202
        body = idle(client, project)
        while body["pending"] is not None:
            shot = body["pending"]["shots"][0]
            assert client.post(f"/projects/{project}/decisions", json={"kind": "approve", "shot": shot}).status_code == 202
            body = idle(client, project)
        last = client.get(f"/projects/{project}/activity").json()[-1]["seq"]
        assert client.post(f"/projects/{project}/cut", json={"tier": "draft"}).status_code == 202
        assert idle(client, project)["status"] == "cut"
        cut = client.get(f"/projects/{project}/activity", params={"since": last}).json()
        said = [(line["kind"], line["text"]) for line in cut]
        assert ("step", "the cut: voicing the lines and mixing the sound") in said
        assert said[-3][0] == "step" and said[-3][1].startswith("the cut: done in")
        assert said[-2][0] == "cut" and ".mp4" in said[-2][1] and "/" not in said[-2][1]  # the film's name, not a path
