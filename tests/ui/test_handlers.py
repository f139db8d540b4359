"""The studio page's handlers as plain functions: projects, ownership, the shot list, the storyboard, the
bible, chat labels, the job runner, logins and the data-folder guard. No server, no browser."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image
from studio_doubles import plan_without_graph

from agents.production.events import RenderEvent, RoleEvent, TakeEvent
from agents.studio import Studio
from memory.errors import InvalidValue, StoryMemoryError
from ui.studio import polling
from ui.studio.access import DataFolderGuard, inside
from ui.studio.desk import Desk
from ui.studio.errors import BadInput, NoSuchProject, NotReady
from ui.studio.jobs import JobRunner
from ui.studio.tabs import bible, chat, crew, cut, projects, script, shots, storyboard


@pytest.fixture
def desk(studio: Studio) -> Desk:
    return Desk(studio=studio)


@pytest.fixture
def alices(desk: Desk) -> str:
    return plan_without_graph(desk.studio, "alice")


# ---------------------------------------------------------------------- projects and ownership
def test_each_user_lists_only_their_own_projects(desk: Desk, alices: str) -> None:
    bobs = plan_without_graph(desk.studio, "bob", "A robot learns to paint")
    assert [pid for _, pid in projects.project_choices(desk, "alice")] == [alices]
    assert [pid for _, pid in projects.project_choices(desk, "bob")] == [bobs]
    assert projects.project_choices(desk, None) == []  # no login sees only local projects


def test_another_users_project_is_indistinguishable_from_a_missing_one(desk: Desk, alices: str) -> None:
    calls = [
        lambda: projects.open_project(desk, "bob", alices),
        lambda: crew.decide(desk, "bob", alices, "approve_plan"),
        lambda: chat.send_message(desk, "bob", alices, "make it darker"),
        lambda: crew.advance(desk, "bob", alices),
        lambda: shots.save_shots(desk, "bob", alices, []),
        lambda: bible.change_look(desk, "bob", alices, "mara", "a blue scarf"),
        lambda: projects.delete_project(desk, "bob", alices, True),
        lambda: cut.final_cut(desk, "bob", alices),
        lambda: crew.job_state(desk, "bob", alices),
    ]
    for call in calls:
        with pytest.raises(NoSuchProject, match="for you"):
            call()
    with pytest.raises(NoSuchProject, match="for you"):
        projects.open_project(desk, "bob", "no-such-project-0000")
    # read-only views show nothing rather than the other user's data
    assert storyboard.storyboard(desk, "bob", alices) == [] and shots.shot_table(desk, "bob", alices) == []
    assert script.script_markdown(desk, "bob", alices) == "" and chat.chat_messages(desk, "bob", alices) == []
    assert bible.bible_characters(desk, "bob", alices) == [] and polling.fingerprint(desk, "bob", alices) == ""
    assert "No project open" in crew.header(desk, "bob", alices)
    assert desk.jobs.busy(alices) is False  # nothing was queued by the refused calls
    assert desk.studio.store.project(alices).owner == "alice"


def test_a_fresh_page_opens_the_requested_then_the_last_then_the_newest_project(desk: Desk, alices: str) -> None:
    second = plan_without_graph(desk.studio, "alice", "A second film")
    bobs = plan_without_graph(desk.studio, "bob", "Bob's film")
    assert projects.initial_project(desk, "alice") == second  # newest
    projects.open_project(desk, "alice", alices)
    assert projects.initial_project(desk, "alice") == alices  # last opened (kept per user, not in the page)
    assert projects.initial_project(desk, "alice", requested=second) == second
    assert projects.initial_project(desk, "alice", requested=bobs) == alices  # someone else's id is ignored
    assert projects.initial_project(desk, "carol") is None


def test_create_refuses_an_empty_premise_and_a_silly_runtime(desk: Desk) -> None:
    with pytest.raises(BadInput, match="premise"):
        projects.create_project(desk, "alice", "   ")
    with pytest.raises(BadInput, match="between 5 and 600"):
        projects.create_project(desk, "alice", "A storm", runtime_s=9000)
    assert desk.studio.store.projects(owner="alice") == []


def test_delete_needs_confirmation_then_removes_memory_and_files(desk: Desk) -> None:
    alices = projects.create_project(desk, "alice", "A keeper and her son in a storm", 10, "")
    assert desk.jobs.wait(alices, 60)  # the graph really ran: checkpoints and a lock file exist to delete
    thread = {"configurable": {"thread_id": alices}}
    lock = desk.studio.settings.home / "locks" / f"{alices}.lock"
    assert desk.studio.graph.get_state(thread).values and lock.exists()
    takes = desk.studio.settings.takes_dir / alices
    takes.mkdir(parents=True, exist_ok=True)
    (takes / "take.mp4").write_bytes(b"x")
    with pytest.raises(BadInput, match="confirm"):
        projects.delete_project(desk, "alice", alices, False)
    assert desk.studio.store.projects(owner="alice")
    assert "deleted" in projects.delete_project(desk, "alice", alices, True)
    assert desk.studio.store.projects(owner="alice") == [] and not takes.exists()
    assert desk.studio.graph.get_state(thread).values == {} and not lock.exists()
    assert projects.initial_project(desk, "alice") is None


def test_a_restarted_server_shows_the_project_exactly_where_it_was(desk: Desk) -> None:
    project = projects.create_project(desk, "alice", "A keeper and her son in a storm", 10, "cold light")
    assert desk.jobs.wait(project, 60)
    assert "plan waits for your approval" in crew.header(desk, "alice", project)
    # a new process: a new studio and desk over the same data folder, with no job log and no remembered project
    studio = desk.studio
    again = Desk(studio=Studio(settings=studio.settings, llm=studio.llm, generator=studio.generator))
    assert projects.initial_project(again, "alice") == project
    assert "plan waits for your approval" in crew.header(again, "alice", project)
    assert crew.job_state(again, "alice", project)["pending"] == "plan"
    said = chat.chat_messages(again, "alice", project)
    assert said[0].role == "user" and any((m.metadata or {}).get("title") == "continuity" for m in said)
    assert shots.shot_table(again, "alice", project) == shots.shot_table(desk, "alice", project)
    assert polling.fingerprint(again, "alice", project).split("|")[:4] == polling.fingerprint(desk, "alice", project).split("|")[:4]


# ---------------------------------------------------------------------- what the page shows
def test_script_shows_every_scene(desk: Desk, alices: str) -> None:
    text = script.script_markdown(desk, "alice", alices)
    scenes = desk.studio.store.scenes(alices)
    assert scenes and all(f"### {s.key.upper()}." in text for s in scenes)
    assert "The Keeper" in text


def test_chat_labels_every_crew_line_with_its_role(desk: Desk, alices: str) -> None:
    desk.studio.store.add_message(alices, "continuity", "Two facts recorded.")
    desk.jobs.submit(alices, "work", lambda: iter([RoleEvent(role="writer", status="finished", summary="title: The Keeper")]))
    assert desk.jobs.wait(alices, 10)
    messages = chat.chat_messages(desk, "alice", alices)
    assert messages[0].role == "user" and "keeper" in str(messages[0].content).lower()
    titled = {(m.metadata or {}).get("title"): str(m.content) for m in messages if m.role == "assistant"}
    assert titled["continuity"] == "Two facts recorded."
    assert "**writer** finished: title: The Keeper" in titled["crew · work"]  # the job's activity, each line by its role


def test_storyboard_cards_show_the_current_take_its_verdict_and_history(desk: Desk, alices: str, tmp_path: Path) -> None:
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
    card = next(c for c in storyboard.storyboard(desk, "alice", alices) if c.shot == shot)
    assert card.take_id == second.id and card.video == str(files[1]) and card.verdict == "pass"
    assert "flicker 0.12" in card.scores
    assert [t[0] for t in card.history] == [first.id, second.id]
    assert card.revert_choices == [("take 1 (rejected)", first.id)]
    assert card.waiting is False  # nothing pending: no graph ran
    store.set_take_status(int(first.id or 0), "approved")  # an approved take wins over a newer finished one
    card = next(c for c in storyboard.storyboard(desk, "alice", alices) if c.shot == shot)
    assert card.take_id == first.id and card.take_status == "approved" and card.video == str(files[0])


def test_the_storyboard_reads_the_project_in_one_bulk_read_whatever_its_takes(desk: Desk, alices: str) -> None:
    """No query per shot or per take: drawing the board costs the same with one take per shot as with none."""
    from sqlalchemy import event

    store = desk.studio.store
    statements: list[str] = []

    def count() -> int:
        statements.clear()
        event.listen(store.engine, "before_cursor_execute", record)
        try:
            cards = storyboard.storyboard(desk, "alice", alices)
        finally:
            event.remove(store.engine, "before_cursor_execute", record)
        assert cards
        return len(statements)

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    before = count()
    for n, shot in enumerate(store.shots(alices)):
        take = store.add_take(alices, shot.key, request_hash=f"{n:064x}", path="x.mp4", backend="animatic")
        store.add_review(int(take.id or 0), reviewer="critic", verdict="pass", scores={"findings": []})
    assert len(store.shots(alices)) >= 3 and count() == before


def test_final_cut_is_not_ready_before_the_film_is_cut(desk: Desk, alices: str) -> None:
    with pytest.raises(NotReady):
        cut.final_cut(desk, "alice", alices)
    assert cut.final_cut_or_none(desk, "alice", alices) is None


def test_final_cut_offers_the_film_its_files_and_the_bible(desk: Desk, alices: str) -> None:
    folder = desk.studio.settings.cuts_dir / alices
    folder.mkdir(parents=True)
    for suffix in (".mp4", ".srt", ".otio"):
        (folder / f"{alices}{suffix}").write_bytes(b"x")
    desk.studio.store.update_project(alices, status="cut")
    film = cut.final_cut(desk, "alice", alices)
    assert (film.video, film.srt, film.otio) == tuple(str(folder / f"{alices}{s}") for s in (".mp4", ".srt", ".otio"))
    bible = Path(film.bible)
    assert bible.parent == folder and '"title": "The Keeper"' in bible.read_text()
    # Times set, not waited for (a coarse clock cannot hide a rewrite): the film in 2001, the bible a second
    # later, so the bible is current and only a rewrite could move its time.
    filmed, written = 1_000_000_000_000_000_000, 1_000_000_001_000_000_000
    os.utime(film.video, ns=(filmed, filmed))
    os.utime(bible, ns=(written, written))
    assert cut.final_cut_or_none(desk, "alice", alices) == film and bible.stat().st_mtime_ns == written  # polling keeps it
    cut.final_cut(desk, "alice", alices)
    assert bible.stat().st_mtime_ns > written  # Refresh exports it again


def test_fingerprints_change_when_a_take_arrives_and_the_plan_changes(desk: Desk, alices: str) -> None:
    board, plan = polling.fingerprint(desk, "alice", alices), polling.plan_fingerprint(desk, "alice", alices)
    shot = desk.studio.store.shots(alices)[0].key
    desk.studio.store.add_take(alices, shot, request_hash="c" * 64, path="x.mp4", backend="animatic")
    assert polling.fingerprint(desk, "alice", alices) != board
    assert polling.plan_fingerprint(desk, "alice", alices) == plan  # a take is not a plan change
    desk.studio.edit_shot(alices, shot, size="CU")
    assert polling.plan_fingerprint(desk, "alice", alices) != plan



def test_the_storyboard_draws_again_only_when_a_card_changes(desk: Desk, alices: str) -> None:
    """A step's ticking seconds change the header's fingerprint but not the cards': the board's buttons keep
    their handlers, so an Approve clicked while the crew's model loads is not lost to a redraw."""
    from ui.studio.steps import Step

    board, cards = polling.fingerprint(desk, "alice", alices), storyboard.cards_fingerprint(desk, "alice", alices)
    release = threading.Event()

    def loading():
        yield Step("the crew's model", "loading", elapsed_s=3.0, said=False)
        release.wait(10)

    desk.jobs.submit(alices, "load", loading)
    try:
        deadline = time.monotonic() + 10
        while desk.jobs.step(alices) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert polling.fingerprint(desk, "alice", alices) != board  # the header ticks
        assert storyboard.cards_fingerprint(desk, "alice", alices) == cards  # the board does not
    finally:
        release.set()
        desk.jobs.wait(alices)
    shot = desk.studio.store.shots(alices)[0].key
    desk.studio.store.add_take(alices, shot, request_hash="d" * 64, path="x.mp4", backend="animatic")
    assert storyboard.cards_fingerprint(desk, "alice", alices) != cards  # a take does redraw it
    assert storyboard.cards_fingerprint(desk, "bob", alices) == ""

# ---------------------------------------------------------------------- the shot list
def test_staging_round_trips_and_rejects_nonsense(desk: Desk, alices: str) -> None:
    row = next(s for s in desk.studio.store.shots(alices) if s.characters)
    shot = desk.studio.board(alices).shot(row.key)
    assert shot is not None
    text = shots.format_staging(shot)
    parsed = shots.parse_staging(text, shot)
    assert [(c.id, c.facing) for c in parsed] == [(c["id"], c.get("facing", "camera")) for c in row.characters]
    assert [c.x for c in parsed] == pytest.approx([float(c["x"]) for c in row.characters], abs=0.005)
    assert shots.parse_staging("mara 0.25 right", shot)[0].x == 0.25
    for bad in ("mara", "mara left right", "mara 1.5 left", "mara 0.5 up"):
        with pytest.raises(BadInput):
            shots.parse_staging(bad, shot)
    # saved through Studio.edit_shot, a staged character keeps its other keys
    desk.studio.edit_shot(alices, row.key, staging=shots.parse_staging("mara 0.25 right", shot))
    stored = desk.studio.store.shot(alices, row.key).characters
    assert set(stored[0]) >= set(row.characters[0]) and stored[0]["x"] == 0.25


def test_studio_refuses_an_unknown_facing_whoever_writes_it(desk: Desk, alices: str) -> None:
    """The facing values are the shot-list format's (``memory.shotlist.FACINGS``), enforced by ``Studio``
    for every writer, not only by the page's parser."""
    row = next(s for s in desk.studio.store.shots(alices) if s.characters)
    bad = [{**row.characters[0], "facing": "up"}]
    with pytest.raises(StoryMemoryError, match="facing is one of left, right, camera, away"):
        desk.studio.edit_shot(alices, row.key, characters=bad)
    assert desk.studio.store.shot(alices, row.key).characters == row.characters


def test_saving_the_table_stores_edits_and_rechecks_the_grammar(desk: Desk, alices: str) -> None:
    rows = shots.shot_table(desk, "alice", alices)
    assert [r[0] for r in rows] == [s.key for s in desk.studio.store.shots(alices)]
    rows[0][2], rows[0][3], rows[0][5] = "cu", 2.5, "A close-up of the lamp."
    table, said = shots.save_shots(desk, "alice", alices, rows)
    shot = desk.studio.store.shot(alices, rows[0][0])
    assert (shot.size, shot.duration_s, shot.prompt) == ("CU", 2.5, "A close-up of the lamp.")
    assert said.startswith(f"saved {rows[0][0]}") and "error(s)" in said
    assert table[0][2] == "CU"


def test_a_grammar_finding_shows_on_its_shot_after_an_edit(desk: Desk, alices: str) -> None:
    rows = shots.shot_table(desk, "alice", alices)
    assert not any(row[6].startswith("error") for row in rows)
    target = next(row for row in rows if row[4] == "mara 0.40 right")  # Mara's single, on her line
    key = target[0]
    target[4] = "mara 0.60 left"  # mirrored: Mara crosses the line
    table, said = shots.save_shots(desk, "alice", alices, rows)
    assert desk.studio.store.shot(alices, key).characters[0]["x"] == 0.6
    findings = next(row for row in table if row[0] == key)[6]
    assert "error:" in findings and "error(s)" in said and not said.endswith("0 error(s), 0 warning(s)")


def test_a_bad_cell_changes_nothing(desk: Desk, alices: str) -> None:
    rows = shots.shot_table(desk, "alice", alices)
    before = desk.studio.store.shot(alices, rows[0][0]).size
    rows[0][2] = "HUGE"
    with pytest.raises(BadInput, match="size is one of"):
        shots.save_shots(desk, "alice", alices, rows)
    rows[0][2], rows[0][3] = before, "long"
    with pytest.raises(BadInput, match="not a number"):
        shots.save_shots(desk, "alice", alices, rows)
    assert desk.studio.store.shot(alices, rows[0][0]).size == before


# ---------------------------------------------------------------------- decisions
def test_decisions_are_validated_before_they_are_queued(desk: Desk, alices: str) -> None:
    shots = [s.key for s in desk.studio.store.shots(alices)]
    with pytest.raises(BadInput, match="names the take"):
        crew.decide(desk, "alice", alices, "revert", shots[0])
    with pytest.raises(BadInput, match="names the shot"):
        crew.decide(desk, "alice", alices, "approve")
    other = desk.studio.store.add_take(alices, shots[1], request_hash="d" * 64, path="x.mp4", backend="animatic")
    with pytest.raises(BadInput, match="not a take of"):
        crew.decide(desk, "alice", alices, "revert", shots[0], take_id=other.id)
    assert not desk.jobs.busy(alices)


def test_a_stale_decision_ends_its_job_with_a_message_not_a_crash(desk: Desk, alices: str) -> None:
    crew.decide(desk, "alice", alices, "approve_plan")  # no graph ran: nothing is pending
    assert desk.jobs.wait(alices, 20)
    log = [e.text for e in desk.jobs.log(alices)]
    assert any("could not finish approve the plan" in t and "nothing waits" in t for t in log)


# ---------------------------------------------------------------------- the bible
def test_reference_images_are_copied_into_the_data_folder(desk: Desk, alices: str, tmp_path: Path) -> None:
    photo = tmp_path / "mara.png"
    Image.new("RGB", (8, 8), "red").save(photo)
    stored = Path(bible.upload_reference(desk, "alice", alices, "mara", str(photo)))
    assert inside(stored, desk.studio.settings.home / "references" / alices) and stored.read_bytes() == photo.read_bytes()
    assert bible.bible_characters(desk, "alice", alices)[0]["references"] == [str(stored)]
    fake = tmp_path / "evil.png"
    fake.write_text("<script>alert(1)</script>")
    with pytest.raises(InvalidValue, match="not an image"):
        bible.upload_reference(desk, "alice", alices, "mara", str(fake))
    with pytest.raises(BadInput, match="pick a character"):
        bible.upload_reference(desk, "alice", alices, "../../etc", str(photo))


def test_a_new_outfit_in_one_scene_redresses_only_those_shots(desk: Desk, alices: str) -> None:
    assert [key for _, key in bible.scene_choices(desk, "alice", alices)] == ["s1"]
    for bad in [("mara", "s9", "a hat"), ("nobody", "s1", "a hat"), ("mara", "s1", "  ")]:
        with pytest.raises(BadInput):
            bible.change_wardrobe(desk, "alice", alices, *bad)
    with pytest.raises(NoSuchProject):
        bible.change_wardrobe(desk, "bob", alices, "mara", "s1", "a hat")
    assert bible.change_wardrobe(desk, "alice", alices, "mara", "s1", "a blue raincoat") == "queued: re-dress mara in s1"
    assert desk.jobs.wait(alices, 20)
    shown = {s.key: [c["id"] for c in s.characters] for s in desk.studio.store.shots(alices)}
    prompts = {s.key: s.prompt or "" for s in desk.studio.store.shots(alices)}
    assert all(("a blue raincoat" in prompts[key]) == ("mara" in who) for key, who in shown.items() if who)  # Tom alone: not
    assert any(who == ["tom"] for who in shown.values()) and any("mara" in who for who in shown.values())
    assert "*s1*: a blue raincoat" in bible.bible_markdown(desk, "alice", alices)


def test_a_new_voice_in_the_bible_revoices_only_that_characters_lines(desk: Desk, alices: str) -> None:
    """The bible's voice controls: refused at once when out of range, then only Tom's lines are voiced again
    (real piper), in exactly his new voice; a voice id piper cannot have fails the job and Tom keeps his voice."""
    from agents.production.voicing import shot_lines, voice_cache, voice_plan
    from generator.voice import Voice, line_key

    studio, store = desk.studio, desk.studio.store
    voice_plan(store, alices, voice_cache(studio.settings))  # plan approval voiced every line
    voices = studio.settings.home / "voices"
    before = set(voices.glob("*.json"))
    lines = [(who, text, note) for shot in store.shots(alices) for who, text, note in shot_lines(shot)]
    assert {who for who, _, _ in lines} >= {"mara", "tom"}
    shown = bible.character_voice(desk, "alice", alices, "tom")
    stored = store.character(alices, "tom").voice
    assert stored is not None and shown == {"backend": stored.backend, "voice_id": stored.voice_id, "pitch": stored.pitch, "rate": stored.rate}
    assert f"voice: {stored.voice_id} (piper), pitch {stored.pitch:+g} semitones" in bible.bible_markdown(desk, "alice", alices)
    for bad, field in [(("tom", "", 0.0, 1.0), "voice id"), (("tom", "en_US-joe-medium", 13.0, 1.0), "pitch"),
                       (("tom", "en_US-joe-medium", 0.0, "fast"), "rate"), (("nobody", "en_US-joe-medium", 0.0, 1.0), "pick a character")]:  # fmt: skip
        with pytest.raises(BadInput, match=field):
            bible.change_voice(desk, "alice", alices, *bad)
    with pytest.raises(NoSuchProject):
        bible.change_voice(desk, "bob", alices, "tom", "en_US-joe-medium", 0.0, 1.0)
    assert not desk.jobs.busy(alices)

    pitch, plan = stored.pitch - 4.0, polling.plan_fingerprint(desk, "alice", alices)
    assert bible.change_voice(desk, "alice", alices, "tom", "en_US-joe-medium", pitch, 1.1) == "queued: re-voice tom"
    assert desk.jobs.wait(alices, 120)
    voice = store.character(alices, "tom").voice
    assert voice is not None and (voice.pitch, voice.rate) == (pitch, 1.1)
    assert (store.character(alices, "mara").voice) is not None  # Mara's voice is untouched, and so are her voicings:
    new = {p.stem for p in set(voices.glob("*.json")) - before}
    assert new == {line_key(text, Voice(**voice.model_dump()), note) for who, text, note in lines if who == "tom"}
    assert bible.character_voice(desk, "alice", alices, "tom")["pitch"] == pitch  # type: ignore[index]
    assert polling.plan_fingerprint(desk, "alice", alices) != plan  # the open Bible tab redraws with the new voice

    bible.change_voice(desk, "alice", alices, "tom", "en_GB-nobody-low", pitch, 1.1)
    assert desk.jobs.wait(alices, 60)
    assert store.character(alices, "tom").voice == voice
    assert any("could not finish re-voice tom" in e.text and "unknown piper voice" in e.text for e in desk.jobs.log(alices))


def test_bible_lists_wardrobe_per_scene_and_locations(desk: Desk, alices: str) -> None:
    text = bible.bible_markdown(desk, "alice", alices)
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
            yield TakeEvent(shot="s1-01", take_id=7, path="x.mp4", number=1)
        return run

    jobs.submit("p", "first", work("first"))
    jobs.submit("p", "second", work("second"))
    assert jobs.wait("p", 10)
    assert order == ["first", "second"]
    texts = [e.text for e in jobs.log("p")]
    assert texts.index("finished: first") < texts.index("started: second")
    assert "s1-01: new take (take #1)" in texts and jobs.progress("p") == {}  # its number, as the card shows it


def test_a_decision_sent_twice_runs_once() -> None:
    jobs = JobRunner()
    gate, runs = threading.Event(), []

    def reshoot(shot: str):
        def run():
            runs.append(shot)
            gate.wait(5)
            yield RenderEvent(shot=shot, fraction=1.0)
        return run

    first = jobs.submit("p", "reshoot s1-02", reshoot("s1-02"), once=True)
    again = jobs.submit("p", "reshoot s1-02", reshoot("s1-02"), once=True)  # the same click, delivered twice
    other = jobs.submit("p", "reshoot s1-03", reshoot("s1-03"), once=True)
    gate.set()
    assert jobs.wait("p", 10)
    assert again is first and other is not first
    assert runs == ["s1-02", "s1-03"]


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
