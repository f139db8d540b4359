"""The studio page's handlers as plain functions: projects, ownership, the shot list, the storyboard, the
bible, chat labels, the job runner, logins and the data-folder guard. No server, no browser."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from studio_doubles import plan_without_graph

from agents.production.events import RenderEvent, RoleEvent, TakeEvent
from agents.studio import Studio
from memory.errors import InvalidValue
from ui.studio import handlers as h
from ui.studio.access import DataFolderGuard, inside, load_users, parse_login
from ui.studio.errors import BadInput, NoSuchProject, NotReady
from ui.studio.jobs import JobRunner


@pytest.fixture
def desk(studio: Studio) -> h.Desk:
    return h.Desk(studio=studio)


@pytest.fixture
def alices(desk: h.Desk) -> str:
    return plan_without_graph(desk.studio, "alice")


# ---------------------------------------------------------------------- projects and ownership
def test_each_user_lists_only_their_own_projects(desk: h.Desk, alices: str) -> None:
    bobs = plan_without_graph(desk.studio, "bob", "A robot learns to paint")
    assert [pid for _, pid in h.project_choices(desk, "alice")] == [alices]
    assert [pid for _, pid in h.project_choices(desk, "bob")] == [bobs]
    assert h.project_choices(desk, None) == []  # no login sees only local projects


def test_another_users_project_is_indistinguishable_from_a_missing_one(desk: h.Desk, alices: str) -> None:
    calls = [
        lambda: h.open_project(desk, "bob", alices),
        lambda: h.decide(desk, "bob", alices, "approve_plan"),
        lambda: h.send_message(desk, "bob", alices, "make it darker"),
        lambda: h.advance(desk, "bob", alices),
        lambda: h.save_shots(desk, "bob", alices, []),
        lambda: h.change_look(desk, "bob", alices, "mara", "a blue scarf"),
        lambda: h.delete_project(desk, "bob", alices, True),
        lambda: h.final_cut(desk, "bob", alices),
        lambda: h.job_state(desk, "bob", alices),
    ]
    for call in calls:
        with pytest.raises(NoSuchProject, match="for you"):
            call()
    with pytest.raises(NoSuchProject, match="for you"):
        h.open_project(desk, "bob", "no-such-project-0000")
    # read-only views show nothing rather than the other user's data
    assert h.storyboard(desk, "bob", alices) == [] and h.shot_table(desk, "bob", alices) == []
    assert h.script_markdown(desk, "bob", alices) == "" and h.chat_messages(desk, "bob", alices) == []
    assert h.bible_characters(desk, "bob", alices) == [] and h.fingerprint(desk, "bob", alices) == ""
    assert "No project open" in h.header(desk, "bob", alices)
    assert desk.jobs.busy(alices) is False  # nothing was queued by the refused calls
    assert desk.studio.store.project(alices).owner == "alice"


def test_a_fresh_page_opens_the_requested_then_the_last_then_the_newest_project(desk: h.Desk, alices: str) -> None:
    second = plan_without_graph(desk.studio, "alice", "A second film")
    bobs = plan_without_graph(desk.studio, "bob", "Bob's film")
    assert h.initial_project(desk, "alice") == second  # newest
    h.open_project(desk, "alice", alices)
    assert h.initial_project(desk, "alice") == alices  # last opened (kept per user, not in the page)
    assert h.initial_project(desk, "alice", requested=second) == second
    assert h.initial_project(desk, "alice", requested=bobs) == alices  # someone else's id is ignored
    assert h.initial_project(desk, "carol") is None


def test_create_refuses_an_empty_premise_and_a_silly_runtime(desk: h.Desk) -> None:
    with pytest.raises(BadInput, match="premise"):
        h.create_project(desk, "alice", "   ")
    with pytest.raises(BadInput, match="between 5 and 600"):
        h.create_project(desk, "alice", "A storm", runtime_s=9000)
    assert desk.studio.store.projects(owner="alice") == []


def test_delete_needs_confirmation_then_removes_memory_and_files(desk: h.Desk, alices: str) -> None:
    takes = desk.studio.settings.takes_dir / alices
    takes.mkdir(parents=True)
    (takes / "take.mp4").write_bytes(b"x")
    with pytest.raises(BadInput, match="confirm"):
        h.delete_project(desk, "alice", alices, False)
    assert desk.studio.store.projects(owner="alice")
    assert "deleted" in h.delete_project(desk, "alice", alices, True)
    assert desk.studio.store.projects(owner="alice") == [] and not takes.exists()
    assert h.initial_project(desk, "alice") is None


def test_a_restarted_server_shows_the_project_exactly_where_it_was(desk: h.Desk) -> None:
    project = h.create_project(desk, "alice", "A keeper and her son in a storm", 10, "cold light")
    assert desk.jobs.wait(project, 60)
    assert "plan waits for your approval" in h.header(desk, "alice", project)
    # a new process: a new studio and desk over the same data folder, with no job log and no remembered project
    studio = desk.studio
    again = h.Desk(studio=Studio(settings=studio.settings, llm=studio.llm, generator=studio.generator))
    assert h.initial_project(again, "alice") == project
    assert "plan waits for your approval" in h.header(again, "alice", project)
    assert h.job_state(again, "alice", project)["pending"] == "plan"
    chat = h.chat_messages(again, "alice", project)
    assert chat[0].role == "user" and any((m.metadata or {}).get("title") == "continuity" for m in chat)
    assert h.shot_table(again, "alice", project) == h.shot_table(desk, "alice", project)
    assert h.fingerprint(again, "alice", project).split("|")[:4] == h.fingerprint(desk, "alice", project).split("|")[:4]


# ---------------------------------------------------------------------- what the page shows
def test_script_shows_every_scene(desk: h.Desk, alices: str) -> None:
    text = h.script_markdown(desk, "alice", alices)
    scenes = desk.studio.store.scenes(alices)
    assert scenes and all(f"### {s.key.upper()}." in text for s in scenes)
    assert "The Keeper" in text


def test_chat_labels_every_crew_line_with_its_role(desk: h.Desk, alices: str) -> None:
    desk.studio.store.add_message(alices, "continuity", "Two facts recorded.")
    desk.jobs.submit(alices, "work", lambda: iter([RoleEvent(role="writer", status="finished", summary="title: The Keeper")]))
    assert desk.jobs.wait(alices, 10)
    messages = h.chat_messages(desk, "alice", alices)
    assert messages[0].role == "user" and "keeper" in str(messages[0].content).lower()
    titled = {(m.metadata or {}).get("title"): str(m.content) for m in messages if m.role == "assistant"}
    assert titled["continuity"] == "Two facts recorded."
    assert "title: The Keeper" in titled["writer"]


def test_storyboard_cards_show_the_current_take_its_verdict_and_history(desk: h.Desk, alices: str, tmp_path: Path) -> None:
    store = desk.studio.store
    shot = store.shots(alices)[0].key
    files = []
    for n in range(2):
        path = desk.studio.settings.takes_dir / alices / f"t{n}.mp4"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"mp4")
        files.append(path)
    first = store.add_take(alices, shot, request_hash="a" * 64, path=str(files[0]), backend="animatic")
    second = store.add_take(alices, shot, request_hash="b" * 64, path=str(files[1]), backend="animatic")
    store.set_take_status(int(first.id or 0), "rejected")
    store.add_review(int(second.id or 0), reviewer="critic", verdict="pass", scores={"findings": [
        {"check": "flicker", "value": 0.12, "threshold": 0.2, "severity": "warn"}], "failing": []})
    card = next(c for c in h.storyboard(desk, "alice", alices) if c.shot == shot)
    assert card.take_id == second.id and card.video == str(files[1]) and card.verdict == "pass"
    assert "flicker 0.12" in card.scores
    assert [t[0] for t in card.history] == [first.id, second.id]
    assert card.revert_choices == [("take 1 (rejected)", first.id)]
    assert card.waiting is False  # nothing pending: no graph ran


def test_final_cut_is_not_ready_before_the_film_is_cut(desk: h.Desk, alices: str) -> None:
    with pytest.raises(NotReady):
        h.final_cut(desk, "alice", alices)
    assert h.final_cut_or_none(desk, "alice", alices) is None


def test_final_cut_offers_the_film_its_files_and_the_bible(desk: h.Desk, alices: str) -> None:
    folder = desk.studio.settings.cuts_dir / alices
    folder.mkdir(parents=True)
    for suffix in (".mp4", ".srt", ".otio"):
        (folder / f"{alices}{suffix}").write_bytes(b"x")
    desk.studio.store.update_project(alices, status="cut")
    cut = h.final_cut(desk, "alice", alices)
    assert (cut.video, cut.srt, cut.otio) == tuple(str(folder / f"{alices}{s}") for s in (".mp4", ".srt", ".otio"))
    bible = Path(cut.bible)
    assert bible.parent == folder and '"title": "The Keeper"' in bible.read_text()
    written = bible.stat().st_mtime_ns
    time.sleep(0.01)
    assert h.final_cut_or_none(desk, "alice", alices) == cut and bible.stat().st_mtime_ns == written  # polling keeps it
    h.final_cut(desk, "alice", alices)
    assert bible.stat().st_mtime_ns > written  # Refresh exports it again


def test_fingerprints_change_when_a_take_arrives_and_the_plan_changes(desk: h.Desk, alices: str) -> None:
    board, plan = h.fingerprint(desk, "alice", alices), h.plan_fingerprint(desk, "alice", alices)
    shot = desk.studio.store.shots(alices)[0].key
    desk.studio.store.add_take(alices, shot, request_hash="c" * 64, path="x.mp4", backend="animatic")
    assert h.fingerprint(desk, "alice", alices) != board
    assert h.plan_fingerprint(desk, "alice", alices) == plan  # a take is not a plan change
    desk.studio.edit_shot(alices, shot, size="CU")
    assert h.plan_fingerprint(desk, "alice", alices) != plan


# ---------------------------------------------------------------------- the shot list
def test_staging_round_trips_and_rejects_nonsense(desk: h.Desk, alices: str) -> None:
    shot = next(s for s in desk.studio.store.shots(alices) if s.characters)
    text = h.format_staging(shot)
    parsed = h.parse_staging(text, shot)
    assert [(c["id"], c["facing"]) for c in parsed] == [(c["id"], c.get("facing", "camera")) for c in shot.characters]
    assert [c["x"] for c in parsed] == pytest.approx([float(c["x"]) for c in shot.characters], abs=0.005)
    assert set(parsed[0]) >= set(shot.characters[0])  # other keys of a staged character are kept
    assert h.parse_staging("mara 0.25 right", shot)[0]["x"] == 0.25
    for bad in ("mara", "mara left right", "mara 1.5 left", "mara 0.5 up"):
        with pytest.raises(BadInput):
            h.parse_staging(bad, shot)


def test_saving_the_table_stores_edits_and_rechecks_the_grammar(desk: h.Desk, alices: str) -> None:
    rows = h.shot_table(desk, "alice", alices)
    assert [r[0] for r in rows] == [s.key for s in desk.studio.store.shots(alices)]
    rows[0][2], rows[0][3], rows[0][5] = "cu", 2.5, "A close-up of the lamp."
    table, said = h.save_shots(desk, "alice", alices, rows)
    shot = desk.studio.store.shot(alices, rows[0][0])
    assert (shot.size, shot.duration_s, shot.prompt) == ("CU", 2.5, "A close-up of the lamp.")
    assert said.startswith(f"saved {rows[0][0]}") and "error(s)" in said
    assert table[0][2] == "CU"


def test_a_grammar_finding_shows_on_its_shot_after_an_edit(desk: h.Desk, alices: str) -> None:
    rows = h.shot_table(desk, "alice", alices)
    assert not any(row[6].startswith("error") for row in rows)
    target = next(row for row in rows if row[0] == "s1-02")
    assert target[4] == "mara 0.40 right"
    target[4] = "mara 0.60 left"  # mirrored: Mara crosses the line
    table, said = h.save_shots(desk, "alice", alices, rows)
    assert desk.studio.store.shot(alices, "s1-02").characters[0]["x"] == 0.6
    findings = next(row for row in table if row[0] == "s1-02")[6]
    assert "error:" in findings and "error(s)" in said and not said.endswith("0 error(s), 0 warning(s)")


def test_a_bad_cell_changes_nothing(desk: h.Desk, alices: str) -> None:
    rows = h.shot_table(desk, "alice", alices)
    before = desk.studio.store.shot(alices, rows[0][0]).size
    rows[0][2] = "HUGE"
    with pytest.raises(BadInput, match="size is one of"):
        h.save_shots(desk, "alice", alices, rows)
    rows[0][2], rows[0][3] = before, "long"
    with pytest.raises(BadInput, match="not a number"):
        h.save_shots(desk, "alice", alices, rows)
    assert desk.studio.store.shot(alices, rows[0][0]).size == before


# ---------------------------------------------------------------------- decisions
def test_decisions_are_validated_before_they_are_queued(desk: h.Desk, alices: str) -> None:
    shots = [s.key for s in desk.studio.store.shots(alices)]
    with pytest.raises(BadInput, match="names the take"):
        h.decide(desk, "alice", alices, "revert", shots[0])
    with pytest.raises(BadInput, match="names the shot"):
        h.decide(desk, "alice", alices, "approve")
    other = desk.studio.store.add_take(alices, shots[1], request_hash="d" * 64, path="x.mp4", backend="animatic")
    with pytest.raises(BadInput, match="not a take of"):
        h.decide(desk, "alice", alices, "revert", shots[0], take_id=other.id)
    assert not desk.jobs.busy(alices)


def test_a_stale_decision_ends_its_job_with_a_message_not_a_crash(desk: h.Desk, alices: str) -> None:
    h.decide(desk, "alice", alices, "approve_plan")  # no graph ran: nothing is pending
    assert desk.jobs.wait(alices, 20)
    log = [e.text for e in desk.jobs.log(alices)]
    assert any("could not finish approve the plan" in t and "nothing waits" in t for t in log)


# ---------------------------------------------------------------------- the bible
def test_reference_images_are_copied_into_the_data_folder(desk: h.Desk, alices: str, tmp_path: Path) -> None:
    photo = tmp_path / "mara.png"
    Image.new("RGB", (8, 8), "red").save(photo)
    stored = Path(h.upload_reference(desk, "alice", alices, "mara", str(photo)))
    assert inside(stored, desk.studio.settings.home / "references" / alices) and stored.read_bytes() == photo.read_bytes()
    assert h.bible_characters(desk, "alice", alices)[0]["references"] == [str(stored)]
    fake = tmp_path / "evil.png"
    fake.write_text("<script>alert(1)</script>")
    with pytest.raises(InvalidValue, match="not an image"):
        h.upload_reference(desk, "alice", alices, "mara", str(fake))
    with pytest.raises(BadInput, match="pick a character"):
        h.upload_reference(desk, "alice", alices, "../../etc", str(photo))


def test_a_new_outfit_in_one_scene_redresses_only_those_shots(desk: h.Desk, alices: str) -> None:
    assert [key for _, key in h.scene_choices(desk, "alice", alices)] == ["s1"]
    for bad in [("mara", "s9", "a hat"), ("nobody", "s1", "a hat"), ("mara", "s1", "  ")]:
        with pytest.raises(BadInput):
            h.change_wardrobe(desk, "alice", alices, *bad)
    with pytest.raises(NoSuchProject):
        h.change_wardrobe(desk, "bob", alices, "mara", "s1", "a hat")
    assert h.change_wardrobe(desk, "alice", alices, "mara", "s1", "a blue raincoat") == "queued: re-dress mara in s1"
    assert desk.jobs.wait(alices, 20)
    prompts = {s.key: s.prompt or "" for s in desk.studio.store.shots(alices)}
    assert "a blue raincoat" in prompts["s1-02"] and "a blue raincoat" not in prompts["s1-03"]  # s1-03 shows Tom alone
    assert "*s1*: a blue raincoat" in h.bible_markdown(desk, "alice", alices)


def test_bible_lists_wardrobe_per_scene_and_locations(desk: h.Desk, alices: str) -> None:
    text = h.bible_markdown(desk, "alice", alices)
    mara = desk.studio.store.character(alices, "mara")
    assert mara.description in text and mara.wardrobe["default"] in text
    assert "Locations" in text


# ---------------------------------------------------------------------- the job runner
def test_jobs_run_in_order_and_log_their_events() -> None:
    jobs = JobRunner()
    order: list[str] = []

    def work(name: str):
        def run():
            order.append(name)
            yield RenderEvent(shot="s1-01", fraction=0.5)
            yield TakeEvent(shot="s1-01", take_id=1, path="x.mp4")
        return run

    jobs.submit("p", "first", work("first"))
    jobs.submit("p", "second", work("second"))
    assert jobs.wait("p", 10)
    assert order == ["first", "second"]
    texts = [e.text for e in jobs.log("p")]
    assert texts.index("finished: first") < texts.index("started: second")
    assert "s1-01: new take (take 1)" in texts and jobs.progress("p") == {}


def test_cancel_stops_a_running_job_between_events_and_drops_queued_ones() -> None:
    jobs = JobRunner()
    started, closed = threading.Event(), threading.Event()

    def slow():
        try:
            for i in range(1000):
                started.set()
                time.sleep(0.01)
                yield RenderEvent(shot="s1-01", fraction=i / 1000)
        finally:
            closed.set()

    jobs.submit("p", "slow", slow)
    jobs.submit("p", "never", lambda: iter([]))
    assert started.wait(5)
    assert jobs.cancel("p") is True
    assert jobs.wait("p", 10) and closed.is_set()
    texts = [e.text for e in jobs.log("p")]
    assert "stopped: slow" in texts and "cancelled: never" in texts and "started: never" not in texts
    assert jobs.cancel("p") is False
    jobs.submit("p", "after", lambda: iter([RoleEvent(role="writer", status="finished")]))
    assert jobs.wait("p", 10) and "finished: after" in [e.text for e in jobs.log("p")]  # the flag was reset


def test_a_failing_job_is_logged_and_the_next_one_still_runs() -> None:
    jobs = JobRunner(expected=(ValueError,))

    def broken():
        raise ValueError("the model is on fire")
        yield  # pragma: no cover

    def buggy():
        raise KeyError("a bug")
        yield  # pragma: no cover

    jobs.submit("p", "broken", broken)
    jobs.submit("p", "buggy", buggy)
    jobs.submit("p", "fine", lambda: iter([]))
    assert jobs.wait("p", 10) and not jobs.busy("p")
    texts = [e.text for e in jobs.log("p")]
    assert "could not finish broken: the model is on fire" in texts and "finished: fine" in texts
    assert "could not finish buggy: KeyError: 'a bug'" in texts


# ---------------------------------------------------------------------- logins and files
def test_users_file(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    path.write_text("# the studio's users\nalice:won:der\n\nbob:builder\n")
    assert load_users(path) == [("alice", "won:der"), ("bob", "builder")]
    path.write_text("alice\n")
    with pytest.raises(BadInput, match=":1: expected user:password"):
        load_users(path)
    path.write_text("a:1\na:2\n")
    with pytest.raises(BadInput, match="twice"):
        load_users(path)
    with pytest.raises(BadInput):
        load_users(tmp_path / "missing.txt")
    assert parse_login("carol:secret") == ("carol", "secret")
    with pytest.raises(BadInput):
        parse_login(":secret")


def test_the_guard_refuses_every_direct_path_into_the_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "takes" / "p").mkdir(parents=True)
    guard = DataFolderGuard(app=None, home=str(home))
    take = home / "takes" / "p" / "t.mp4"
    assert guard.refuses(f"/gradio_api/file={take}")
    assert guard.refuses(f"/gradio_api/file={str(take).replace('/', '%2F')}")
    assert guard.refuses(f"/gradio_api/file={tmp_path}/elsewhere/../home/dailies.db")
    assert guard.refuses(f"/file={home}")
    assert not guard.refuses(f"/gradio_api/file={tmp_path}/gradio/abc/film.mp4")
    assert not guard.refuses("/gradio_api/info")
