"""The production graph end to end on a scripted LLM and the real animatic: plan, approve, shoot, critique,
reshoot, approve, cut — with memory's contents checked at each stage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from doubles import CountingGenerator, SwappingGenerator, scripted_crew

from agents.errors import NotPending
from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio
from generator.assembly import shots_time_s

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(small_frames: None):
    return load_settings()


def make_studio(settings, tmp_path: Path, generator=None, **answers) -> Studio:
    generator = generator or CountingGenerator(tmp_path / "renders.log")
    return Studio(settings=settings, llm=scripted_crew(**answers), generator=generator)


def approve_all(studio: Studio, project: str) -> None:
    pending = studio.pending(project)
    while pending is not None and pending.what == "shots":
        studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
        pending = studio.pending(project)


def test_premise_to_cut_with_a_reshoot(settings, tmp_path: Path) -> None:
    studio = make_studio(settings, tmp_path)
    generator: CountingGenerator = studio.generator
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id

    # planning stops at the plan gate, with the whole plan in memory and nothing rendered
    pending = studio.run(project)
    assert pending is not None and pending.what == "plan" and pending.errors == 0
    store = studio.store
    assert store.project(project).title == "The Keeper"
    mara = store.character(project, "mara")
    shots = store.shots(project)
    assert [s.key for s in store.scenes(project)] == ["s1", "s2"]
    assert len(shots) >= 4 and abs(sum(s.duration_s for s in shots) - shots_time_s(12)) < 0.05  # the cards take the rest
    maras = [s for s in shots if any(c["id"] == "mara" for c in s.characters)]
    assert maras  # else the two checks below would pass on nothing
    assert all(mara.description in (s.prompt or "") for s in maras)
    assert all(mara.wardrobe["default"] in (s.prompt or "") for s in maras)
    assert store.scene(project, "s2").notes["director"]["transition_in"] == "dissolve"
    assert generator.renders() == [] and store.takes(project) == []

    # approving the plan shoots every shot once, measures each take, and waits for the creator
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    assert pending is not None and pending.what == "shots" and set(pending.shots) == {s.key for s in shots}
    assert sorted(shot for shot, _ in generator.renders()) == sorted(s.key for s in shots)
    for take in store.takes(project):
        reviews = store.reviews(take.id)
        assert [r.reviewer for r in reviews] == ["critic"] and reviews[0].verdict == "pass"
    assert [d.kind for d in store.decisions(project)] == ["approve_plan"]

    # a reshoot with a note: one new render of that shot only, the note in its prompt, the old take set aside
    target = shots[1].key
    old = store.takes(project, target)[-1]
    pending = studio.decide_all(project, CreatorDecision(kind="reshoot", shot=target, note="Tom looks exhausted"))
    assert [shot for shot, _ in generator.renders()].count(target) == 2 and len(generator.renders()) == len(shots) + 1
    newest = store.takes(project, target)[-1]
    assert newest.id != old.id and store.take(old.id).status == "rejected"
    assert "Tom looks exhausted" in newest.parameters["request"]["prompt"]
    assert pending is not None and target in pending.shots

    # approving every shot cuts the film
    approve_all(studio, project)
    assert studio.pending(project) is None
    assert store.project(project).status == "cut"
    cut = Path(next(m.data["cut"] for m in store.messages(project) if "cut" in m.data))
    assert cut.is_file() and cut.with_suffix(".srt").is_file() and cut.with_suffix(".otio").is_file()
    approvals = [d for d in store.decisions(project) if d.kind == "approve"]
    assert len(approvals) == len(shots)
    assert {t.id for t in store.takes(project) if t.status == "approved"} == {d.take_id for d in approvals}


def double_click(studio: Studio, project: str, decision: CreatorDecision, interrupt_id: str | None) -> list[str]:
    """Two workers (own Studio each, as two server threads would have) send the same decision at once."""
    outcomes: list[str] = []

    def click() -> None:
        twin = Studio(settings=studio.settings, llm=studio.llm, generator=studio.generator)
        try:
            twin.decide_all(project, decision, interrupt_id=interrupt_id)
            outcomes.append("decided")
        except NotPending:
            outcomes.append("not pending")

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_double_clicks_record_one_decision_and_one_render(settings, tmp_path: Path) -> None:
    studio = make_studio(settings, tmp_path)
    project = studio.new("A keeper and her son", runtime_s=8).id
    studio.run(project)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    pending = studio.pending(project)
    first, second = pending.shots[:2]  # type: ignore[union-attr]

    # Reshoot: the page sends the question it answers; the second click finds it already answered.
    reshoot = CreatorDecision(kind="reshoot", shot=first, note="again")
    assert double_click(studio, project, reshoot, pending.interrupt_id) == ["decided", "not pending"]  # type: ignore[union-attr]
    assert [d.kind for d in studio.store.decisions(project, first)] == ["reshoot"]
    assert [s for s, _ in studio.generator.renders()].count(first) == 2  # the first take and exactly one reshoot

    # Approve, even without the question's id: the second click finds the shot no longer waiting.
    approve = CreatorDecision(kind="approve", shot=second)
    assert double_click(studio, project, approve, None) == ["decided", "not pending"]
    assert [d.kind for d in studio.store.decisions(project, second)] == ["approve"]


def test_a_stale_decision_is_refused_and_changes_nothing(settings, tmp_path: Path) -> None:
    studio = make_studio(settings, tmp_path)
    project = studio.new("A keeper and her son", runtime_s=8).id
    plan = studio.run(project)
    with pytest.raises(NotPending, match="plan waits"):
        studio.decide_all(project, CreatorDecision(kind="approve", shot="s1-01"))
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    with pytest.raises(NotPending, match="already answered"):
        studio.decide_all(project, CreatorDecision(kind="approve_plan"), interrupt_id=plan.interrupt_id)  # type: ignore[union-attr]
    with pytest.raises(NotPending, match="not waiting"):
        studio.decide_all(project, CreatorDecision(kind="approve", shot="s9-99"))
    assert [d.kind for d in studio.store.decisions(project)] == ["approve_plan"]


def test_chat_change_to_one_character_reshoots_only_their_shots(settings, tmp_path: Path) -> None:
    routing = {"intent": "character_look", "target": "tom", "change": "a bandage on his left hand",
               "reply": "Tom gets a bandage; I'll reshoot his shots."}
    studio = make_studio(settings, tmp_path, Routing=[routing])
    project = studio.new("A keeper and her son", runtime_s=12).id
    studio.run(project)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    store = studio.store
    before = {t.id: t for t in store.takes(project)}
    toms = {s.key for s in store.shots(project) if any(c["id"] == "tom" for c in s.characters)}
    others = {s.key for s in store.shots(project)} - toms
    assert toms and others

    answer, _ = studio.send(project, "Tom should have a bandage on his left hand")
    assert answer.intent == "character_look"
    rerendered = [shot for shot, _ in studio.generator.renders()[len(before):]]
    assert sorted(rerendered) == sorted(toms)
    assert "bandage on his left hand" in store.character(project, "tom").description
    for take in before.values():
        shot = next(s.key for s in store.shots(project) if s.id == take.shot_id)
        assert store.take(take.id).status == ("stale" if shot in toms else "done")
    assert all("bandage" in store.shot(project, s).prompt for s in toms)
    pending = studio.pending(project)
    assert pending is not None and set(pending.shots) == toms | others


def test_a_defect_is_reshot_once_with_the_reason(settings, tmp_path: Path) -> None:
    generator = SwappingGenerator(tmp_path / "renders.log", shots={"s1-01"}, bad=1)
    studio = make_studio(settings, tmp_path, generator=generator)
    project = studio.new("A keeper and her son", runtime_s=8).id
    studio.run(project)
    studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    takes = studio.store.takes(project, "s1-01")
    assert len(takes) == 2
    first, second = (studio.store.reviews(t.id)[0] for t in takes)
    assert first.verdict == "reshoot" and "identity" in first.scores["failing"]
    assert first.scores["change"]["knob"] == "new_seed"
    assert second.verdict == "pass"
    assert [s for s, _ in generator.renders()].count("s1-01") == 2


def test_a_defect_that_never_clears_escalates_after_the_cap(settings, tmp_path: Path) -> None:
    generator = SwappingGenerator(tmp_path / "renders.log", shots={"s1-01"}, bad=99)
    studio = make_studio(settings, tmp_path, generator=generator)
    project = studio.new("A keeper and her son", runtime_s=8).id
    studio.run(project)
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    verdicts = [studio.store.reviews(t.id)[0].verdict for t in studio.store.takes(project, "s1-01")]
    assert verdicts == ["reshoot"] * settings.max_reshoots + ["escalate"]
    assert pending is not None and "s1-01" in pending.shots


def test_kill_9_during_shooting_then_resume_renders_each_take_once(settings, tmp_path: Path) -> None:
    log = tmp_path / "renders.log"
    studio = make_studio(settings, tmp_path, generator=CountingGenerator(log))
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)  # to the plan gate, in this process
    shots = [s.key for s in studio.store.shots(project)]

    # The worker kills itself (SIGKILL) the moment its first take file is written, before that take's row:
    # the crash lands at the same place on every run (generator.faults), no sleep to race.
    here = Path(__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(here.parents[1])]), "DAILIES_FAULT": "after_take_file"}
    worker = subprocess.run([sys.executable, str(here / "crash_worker.py"), str(log), project], env=env, timeout=120, check=False)
    assert worker.returncode == -signal.SIGKILL
    before_resume = CountingGenerator(log).renders()
    assert 0 < len(before_resume) < len(shots), "the kill should land mid-shooting"
    rowless = [shot for shot, _ in before_resume if not studio.store.takes(project, shot)]
    assert rowless, "the kill lands after a take file and before its row"

    resumed = Studio(settings=settings, llm=scripted_crew(), generator=CountingGenerator(log))
    pending = resumed.run(project)  # continues the killed run from its last checkpoint
    assert pending is not None and pending.what == "shots" and set(pending.shots) == set(shots)
    rendered = [shot for shot, _ in CountingGenerator(log).renders()]
    assert set(rendered) <= set(shots)
    assert len(rendered) == len(set(rendered)), f"a finished take was rendered twice: {rendered}"
    for shot in shots:
        takes = resumed.store.takes(project, shot)
        assert len(takes) == 1 and Path(takes[0].path).is_file(), shot
    assert [d.kind for d in resumed.store.decisions(project)] == ["approve_plan"]
