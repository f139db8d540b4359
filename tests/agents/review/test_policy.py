"""The critic's verdict policy: pass, a reshoot that climbs the ladder, and escalation by cap or budget."""

from __future__ import annotations

from typing import Any

import pytest

from agents.crew.critic import CriticOpinion as Opinion
from agents.review.policy import Attempt, CriticInput, Knobs, decide, new_seed_offset, prompt_notes
from generator.measure import CHECK_IDS, Finding

FLICKER = Finding(check="flicker", severity="fail", frames=(30, 37), value=40.0, threshold=8.0, message="brightness flickers in frames 30–37")
IDENTITY = Finding(check="identity", severity="fail", frames=(0, 47), value=0.4, threshold=0.75, message="mara does not look like the reference")
WEAK_PROMPT = Finding(check="prompt_adherence", severity="warn", frames=(0, 47), value=0.1, threshold=0.2, message="weak match")
SHORT = Finding(check="duration", severity="fail", frames=(48, 71), value=2.0, threshold=3.0, message="too short")


def judge(findings: list[Finding], **fields: Any) -> Any:
    return decide(CriticInput(shot="1A", findings=findings, **fields))


def test_a_clean_take_passes() -> None:
    verdict = judge([])
    assert verdict.verdict == "pass" and verdict.change is None and verdict.knobs == Knobs()


def test_warnings_pass_but_are_reported() -> None:
    verdict = judge([WEAK_PROMPT])
    assert verdict.verdict == "pass"
    assert any("prompt_adherence" in r for r in verdict.reasons)


def test_a_defect_on_the_first_try_orders_a_new_seed() -> None:
    verdict = judge([FLICKER])
    assert verdict.verdict == "reshoot"
    assert verdict.failing == ["flicker"]
    assert verdict.change is not None and verdict.change.knob == "new_seed"
    assert verdict.knobs.seed_offset == new_seed_offset("1A", 1) != 0
    assert verdict.knobs.rung == "new_seed" and verdict.knobs.prompt_note == ""
    assert verdict.reasons[0].startswith("flicker:") and "reshoot 1 of 2" in verdict.reasons[-1]


def test_repeated_defects_climb_the_ladder_to_the_last_rung() -> None:
    """Feed each verdict's knobs back, as the graph does: every rung is used once, in order, then escalate."""
    knobs = Knobs()
    history: list[Attempt] = []
    rungs = []
    for take in range(1, 7):
        verdict = judge([FLICKER, IDENTITY], history=history, knobs=knobs, max_reshoots=10, has_references=True,
                        preset="wan2.1-t2v-1.3b", presets=["wan2.1-t2v-1.3b", "ltx-video"])  # fmt: skip
        if verdict.verdict != "reshoot":
            break
        rungs.append(verdict.change.knob)
        history.append(Attempt(take=take, knob=knobs.rung, failed_checks=verdict.failing))
        knobs = verdict.knobs
    assert rungs == ["new_seed", "revised_prompt", "stronger_reference", "backend_preset"]
    assert verdict.verdict == "escalate" and "no reshoot left" in verdict.reasons[-1]
    notes = prompt_notes()
    assert knobs.prompt_note == f"{notes['flicker']}; {notes['identity']}"
    assert knobs.reference_strength == pytest.approx(0.8) and knobs.preset == "ltx-video"
    assert len({new_seed_offset("1A", n) for n in range(1, 5)}) == 4  # every reshoot got its own seed


def test_rungs_that_do_not_apply_are_skipped() -> None:
    # After the revised prompt, with no references and no other preset, nothing is left to change.
    verdict = judge([FLICKER], history=[Attempt(), Attempt(knob="new_seed")], knobs={"rung": "revised_prompt"}, max_reshoots=5)
    assert verdict.verdict == "escalate"
    with_refs = judge([FLICKER], history=[Attempt(), Attempt(knob="new_seed")], knobs={"rung": "revised_prompt"},
                      max_reshoots=5, has_references=True)  # fmt: skip
    assert with_refs.change is not None and with_refs.change.knob == "stronger_reference"


def test_after_the_cap_the_shot_escalates() -> None:
    verdict = judge([FLICKER], history=[Attempt(take=1), Attempt(take=2, knob="new_seed")], knobs={"rung": "revised_prompt"}, max_reshoots=2)
    assert verdict.verdict == "escalate" and verdict.change is None and verdict.knobs == Knobs()
    assert "cap" in verdict.reasons[-1] and verdict.failing == ["flicker"]
    assert judge([FLICKER], max_reshoots=0).verdict == "escalate"


def test_an_exhausted_gpu_budget_escalates() -> None:
    verdict = judge([FLICKER], take_gpu_seconds=120, film_gpu_seconds=900, gpu_budget_s=1000)
    assert verdict.verdict == "escalate" and "GPU budget" in verdict.reasons[-1]
    fits = judge([FLICKER], take_gpu_seconds=120, film_gpu_seconds=800, gpu_budget_s=1000)
    assert fits.verdict == "reshoot"
    assert judge([FLICKER], take_gpu_seconds=0, film_gpu_seconds=0, gpu_budget_s=1).verdict == "reshoot"  # the animatic costs no GPU


def test_a_wrong_duration_goes_straight_to_the_creator() -> None:
    verdict = judge([SHORT])
    assert verdict.verdict == "escalate" and "duration" in verdict.reasons[-1]


def test_a_reviewer_opinion_can_order_a_reshoot_with_its_note_or_escalate() -> None:
    opinion = Opinion(verdict="reshoot", reasons=["Tom is on the wrong side"], prompt_note="Tom stands on the right")
    first = judge([], opinion=opinion)
    assert first.verdict == "reshoot" and first.failing == ["opinion"] and "reviewer: Tom is on the wrong side" in first.reasons
    second = judge([], opinion=opinion, history=[Attempt()], knobs=first.knobs)
    assert second.change is not None and second.change.knob == "revised_prompt"
    assert second.knobs.prompt_note == "Tom stands on the right"
    assert judge([], opinion=Opinion(verdict="escalate")).verdict == "escalate"
    assert judge([], opinion=Opinion(verdict="pass")).verdict == "pass"


def test_every_check_has_a_prompt_note() -> None:
    assert set(prompt_notes()) == set(CHECK_IDS)
