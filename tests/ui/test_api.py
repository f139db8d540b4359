"""The launched studio driven with ``gradio_client``: a whole film on the scripted crew and the animatic,
logins that keep users to their own projects, and direct file requests refused."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from studio_doubles import USERS

pytestmark = pytest.mark.slow


def wait_idle(client: Client, project: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = client.predict(project, api_name="/state")
        if not state["busy"]:
            return state
        time.sleep(0.3)
    raise AssertionError(f"the crew was still busy after {timeout_s} s")


def login(url: str, user: str, password: str) -> httpx.Client:
    http = httpx.Client(base_url=url, follow_redirects=True, timeout=30)
    http.post("/login", data={"username": user, "password": password}).raise_for_status()
    return http


def test_a_whole_film_through_the_api_and_only_its_owner_sees_it(launched) -> None:
    _demo, url, studio = launched
    (alice, alice_pw), (bob, bob_pw) = USERS
    client = Client(url, auth=(alice, alice_pw), verbose=False)

    project = client.predict("A keeper and her son in a storm", 10, "cold light", api_name="/create_project")
    assert project in client.predict(api_name="/projects")
    state = wait_idle(client, project)
    assert state["pending"] == "plan" and state["status"] == "planned"

    # the shot list is editable through the API and re-checked
    shots = client.predict(project, api_name="/shots")
    first = shots[0][0]
    said = client.predict(project, first, "MCU", 0, "", "", api_name="/edit_shot")
    assert said.startswith(f"saved {first}") and studio.store.shot(project, first).size == "MCU"

    client.predict(project, "approve_plan", "", "", 0, api_name="/decide")
    state = wait_idle(client, project)
    assert state["pending"] == "shots" and len(state["shots"]) == len(shots)
    board = client.predict(project, api_name="/storyboard")
    assert all(card["verdict"] == "pass" and card["waiting"] for card in board)

    # approve one, reshoot another with a note, then approve the rest
    approved, target = state["shots"][0], state["shots"][1]
    client.predict(project, "approve", approved, "", 0, api_name="/decide")
    client.predict(project, "reshoot", target, "Tom looks exhausted", 0, api_name="/decide")
    state = wait_idle(client, project)
    takes = studio.store.takes(project, target)
    assert len(takes) == 2 and "Tom looks exhausted" in takes[-1].parameters["request"]["prompt"]
    assert target in state["shots"] and approved not in state["shots"]

    # the creator prefers the first take after all: revert to it (it becomes the approved one)
    client.predict(project, "revert", target, "", takes[0].id, api_name="/decide")
    state = wait_idle(client, project)
    assert target not in state["shots"] and studio.store.take(takes[0].id).status == "approved"
    card = next(c for c in client.predict(project, api_name="/storyboard") if c["shot"] == target)
    assert card["take_id"] == takes[0].id and [t[2] for t in card["history"]] == ["approved", "done"]
    for shot in state["shots"]:
        client.predict(project, "approve", shot, "", 0, api_name="/decide")
    state = wait_idle(client, project)
    assert state["status"] == "cut" and state["pending"] is None

    # the final cut and its downloads come back as files
    video, downloads = client.predict(project, api_name="/final_cut")
    names = sorted(Path(str(d)).suffix for d in downloads)
    assert Path(str(video.get("video") if isinstance(video, dict) else video)).stat().st_size > 1000
    assert names == [".json", ".mp4", ".otio", ".srt"]

    # bob sees none of it: not in his list, not by id, not by the files' paths
    other = Client(url, auth=(bob, bob_pw), verbose=False)
    assert project not in other.predict(api_name="/projects")
    for endpoint, args in [("/state", (project,)), ("/storyboard", (project,)), ("/shots", (project,)),
                           ("/decide", (project, "approve", target, "", 0)), ("/send_note", (project, "hello")),
                           ("/delete_project", (project,)), ("/final_cut", (project,))]:
        with pytest.raises(AppError, match="for you"):
            other.predict(*args, api_name=endpoint)
    take = Path(studio.store.takes(project)[0].path)
    film = studio.settings.cuts_dir / project
    bob_http, alice_http = login(url, bob, bob_pw), login(url, alice, alice_pw)
    assert bob_http.get("/gradio_api/user").text.strip('"') == bob
    for path in (take, next(film.glob("*.mp4")), studio.settings.home / "dailies.db", Path(f"{studio.settings.home}/takes/../dailies.db")):
        assert bob_http.get(f"/gradio_api/file={path}").status_code == 403
        assert alice_http.get(f"/gradio_api/file={path}").status_code == 403  # direct paths are for nobody
    anonymous = httpx.get(f"{url}gradio_api/file={take}")
    assert anonymous.status_code in (401, 403)
    assert studio.store.project(project).status == "cut"  # bob changed nothing


def test_a_chat_note_is_routed_by_the_producer(launched) -> None:
    _demo, url, studio = launched
    client = Client(url, auth=USERS[0], verbose=False)
    project = client.predict("A robot learns to paint", 8, "", api_name="/create_project")
    wait_idle(client, project)
    assert client.predict(project, "Could the sky be warmer?", api_name="/send_note") == "sent"
    wait_idle(client, project)
    roles = [m.role for m in studio.messages(project)]
    assert roles.count("creator") == 2 and "producer" in roles
    client.predict(project, api_name="/delete_project")
    assert project not in client.predict(api_name="/projects")


def test_an_unknown_shot_in_edit_shot_is_a_message_not_a_logged_traceback(launched, capfd: pytest.CaptureFixture[str]) -> None:
    """Issue 19: ``/edit_shot`` with a shot the project does not have logged a traceback; it is a message now."""
    _demo, url, _studio = launched
    alice, alice_pw = USERS[0]
    client = Client(url, auth=(alice, alice_pw), verbose=False)
    project = client.predict("A robot learns to paint", 10, "", api_name="/create_project")
    assert wait_idle(client, project)["pending"] == "plan"
    capfd.readouterr()  # what planning printed
    with pytest.raises(AppError, match="no shot 's9-99' in this project"):
        client.predict(project, "s9-99", "MCU", 0, "", "", api_name="/edit_shot")
    assert "Traceback" not in capfd.readouterr().err
    client.predict(project, api_name="/delete_project")
