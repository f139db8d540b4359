"""``props``: a prop keeps its state within a scene (between scenes its state is the story)."""

from __future__ import annotations

from agents.grammar import apply_fixes, check
from memory.shotlist import ShotList


def with_props(sl: ShotList, props: dict[str, list[str]]) -> ShotList:
    for _, shot in sl.shots():
        shot.props = props.get(shot.id, [])
    return sl


def test_a_prop_that_changes_between_cuts_is_an_error_and_is_fixed(b):
    sl = with_props(b.film(
        b.scene("s1", b.shot("a", ("mara", 0.5, "camera")), b.shot("b", ("mara", 0.5, "camera"), size="CU"),
                b.shot("c", ("mara", 0.5, "camera"))),
        b.scene("s2", b.shot("d", ("mara", 0.5, "camera"))),
    ), {"a": ["Lamp: cracked glass"], "b": ["lamp", "letter: sealed"], "c": ["lamp:  Cracked  glass", "letter: torn"],
        "d": ["lamp: whole again"]})
    found = [(f.rule, f.shots) for f in check(sl) if f.rule == "props"]
    assert found == [("props", ("b", "c"))]  # a bare name, the same words and a new scene are not changes
    finding = next(f for f in check(sl) if f.rule == "props")
    assert "letter" in finding.message and finding.severity == "error"
    fixed, changes = apply_fixes(sl)
    assert fixed.scenes[0].shots[2].props == ["lamp:  Cracked  glass", "letter: sealed"] and len(changes) == 1
    assert check(fixed) == []
