"""``shot_length`` on the spec's edge cases, and its fix: split into coverage that keeps the grammar clean."""

from __future__ import annotations

import math

import pytest

from agents.grammar import apply_fixes, check
from agents.grammar.coverage import Beat, plan_scene
from agents.grammar.length import DEFAULT_LONGEST_CLIP_S, split_shot
from generator.registry import get
from memory.shotlist import ShotList


def lengths(sl: ShotList, **kw: float) -> list[tuple[str, int | None]]:
    return [(f.shots[0], f.action.pieces if f.action else None) for f in check(sl, **kw) if f.rule == "shot_length"]


def errors(sl: ShotList) -> list[str]:
    return [f.rule for f in check(sl) if f.severity == "error"]


def test_exactly_at_the_limit_passes_and_just_above_does_not(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "camera"), duration=DEFAULT_LONGEST_CLIP_S),
                        b.shot("b", ("mara", 0.5, "camera"), size="CU", duration=DEFAULT_LONGEST_CLIP_S + 0.01)))
    assert lengths(sl) == [("b", 2)]
    finding = next(f for f in check(sl) if f.rule == "shot_length")
    assert finding.severity == "error" and "10 s" in finding.message and "Split b into 2" in finding.fix


def test_a_shot_ten_times_the_limit_becomes_ten_clean_shots(b):
    sl = b.film(b.scene("s1",
                        b.shot("s1-01", ("mara", 0.3, "right"), ("tom", 0.7, "left"), size="WS", framing="two_shot", duration=100.0,
                               says=("mara", "tom", "mara")),
                        b.shot("s1-02", ("tom", 0.6, "left"), size="MCU", says=("tom",))))
    assert lengths(sl) == [("s1-01", 10)]
    fixed, changes = apply_fixes(sl)
    shots = fixed.scenes[0].shots
    assert len(shots) == 11 and len(changes) == 1 and "split into 10" in changes[0]
    assert [s.id for s in shots[:3]] == ["s1-01", "s1-01-2", "s1-01-3"] and shots[-1].id == "s1-02"
    assert all(s.duration_s <= 10.0 for s in shots)
    assert math.isclose(sum(s.duration_s for s in shots[:10]), 100.0)
    assert [s.size for s in shots[:4]] == ["WS", "MWS", "WS", "MWS"]  # master and cut-in alternate: never a jump cut
    assert [len(s.dialogue) for s in shots[:10]] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 0]  # the lines, shared out in order
    assert check(fixed) == []


def test_the_limit_is_given_per_backend(b):
    """Wan makes ~5 s clips, LTX-Video and the animatic 10 s: a 7 s shot is fine for one and too long for the other."""
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.5, "camera"), duration=7.0)))
    wan = get("diffusers:wan2.1-t2v-1.3b").capabilities.longest_clip_s
    ltx = get("diffusers:ltx-video").capabilities.longest_clip_s
    animatic = get("animatic", longest_clip_s=6.0).capabilities.longest_clip_s
    assert (wan, ltx, get("animatic").capabilities.longest_clip_s) == (5.06, 10.0, 10.0)
    assert lengths(sl, longest_clip_s=wan) == [("a", 2)]
    assert lengths(sl, longest_clip_s=ltx) == []
    assert lengths(sl, longest_clip_s=animatic) == [("a", 2)]
    # The file can carry the limit itself; the caller's limit wins over it.
    own = ShotList.model_validate({**sl.model_dump(), "longest_clip_s": 5})
    assert lengths(own) == [("a", 2)] and lengths(own, longest_clip_s=ltx) == []
    fixed, _ = apply_fixes(own)  # the fix reads the file's limit too
    assert [s.duration_s for s in fixed.scenes[0].shots] == [3.5, 3.5]


@pytest.mark.parametrize("limit", [0, -3, "ten", True, None])
def test_a_bad_limit_in_the_file_is_a_bad_value_not_a_crash(b, limit):
    sl = ShotList.model_validate({**b.film(b.scene("s1", b.shot("a", duration=12.0))).model_dump(), "longest_clip_s": limit})
    found = {f.rule for f in check(sl)}
    assert ("bad_value" in found) == (limit is not None)
    assert "shot_length" in found  # a bad limit reads as the default 10 s


def test_split_in_a_single_goes_wider_and_keeps_ids_free(b):
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.4, "right"), size="CU", duration=25.0)))
    pieces = split_shot(sl.scenes[0].shots[0], 3, {"a", "a-2"})
    assert [(p.id, p.size, p.duration_s) for p in pieces] == [("a", "CU", 8.33), ("a-2.2", "MS", 8.34), ("a-3", "CU", 8.33)]
    assert all(p.characters == sl.scenes[0].shots[0].characters for p in pieces)


def test_split_shares_the_rounding_so_no_piece_outgrows_the_others(b):
    """47 pieces of 233.8 s: rounding each to 4.97 s once left 5.18 s to the last, past a 5.06 s clip."""
    sl = b.film(b.scene("s1", b.shot("a", ("mara", 0.4, "right"), duration=233.8)))
    durations = [p.duration_s for p in split_shot(sl.scenes[0].shots[0], 47, set())]
    assert max(durations) - min(durations) <= 0.01 + 1e-9
    assert math.isclose(sum(durations), 233.8, abs_tol=1e-6)


def test_coverage_splits_by_pace_and_never_above_the_limit():
    beats = [Beat(speaker="mara", line="You came back."), Beat(speaker="tom", line="The lamp was out.")]
    shots = plan_scene("s1", beats, blocking={"mara": "left", "tom": "right"}, duration_s=120, longest_s=5.06, shot_s=4.0)
    durations = [s.duration_s for s in shots]
    assert len(shots) == 30 and max(durations) <= 4.8 and math.isclose(sum(durations), 120, abs_tol=0.05)  # pace 4 s, +1/5
    assert 2 <= sum(durations) / len(durations) <= 6
    sl = ShotList.model_validate({"characters": [{"id": "mara"}, {"id": "tom"}],
                                  "scenes": [{"id": "s1", "shots": [s.model_dump() for s in shots]}]})
    assert check(sl, longest_clip_s=5.06) == []


def test_a_split_dialogue_shot_quotes_its_line_only_where_it_is_said(b):
    """The silent cut-ins of a long line hold the moment after it; none repeats the quote (its prompt would ask for speech)."""
    sl = b.film(b.scene("s1", b.shot("s1-01", ("tom", 0.5, "camera"), size="MCU", duration=25.0, says=("tom",))))
    shot = sl.scenes[0].shots[0]
    shot.dialogue[0].line = "The bees are in the bell."
    shot.description = "Tom says: \u201cThe bees are in the bell.\u201d"
    pieces = split_shot(shot, 3, set())
    assert [len(p.dialogue) for p in pieces] == [1, 0, 0]
    assert pieces[0].description == shot.description
    assert [p.description for p in pieces[1:]] == ["Tom holds the moment after the line."] * 2
    plain = shot.model_copy(update={"description": "Tom looks up at the bell."})
    assert {p.description for p in split_shot(plain, 3, set())} == {"Tom looks up at the bell."}
