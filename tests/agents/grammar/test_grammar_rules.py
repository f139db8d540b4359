"""The registry and ``check``: stable ids and severities, film order, the spec's own example."""

from __future__ import annotations

import json

from agents.grammar import RULES, check
from memory.shotlist_file import parse_shotlist

SPEC_TABLE = [
    ("axis_180", "error"), ("eyeline", "error"), ("jump_cut_30", "warning"), ("screen_direction", "error"),
    ("time_of_day", "error"), ("wardrobe", "error"), ("props", "error"), ("unknown_character", "error"), ("runtime", "warning"),
    ("shot_length", "error"), ("bad_value", "error"),
]

SPEC_EXAMPLE = {
    "format": "dailies.shotlist/1", "title": "The Keeper", "target_runtime_s": 60,
    "characters": [{"id": "mara", "name": "Mara", "description": "lighthouse keeper",
                    "wardrobe": {"default": "grey wool coat, red scarf", "s2": "yellow oilskin"}}],
    "scenes": [{"id": "s1", "heading": "INT. LAMP ROOM - NIGHT", "location": "lamp room", "time_of_day": "night", "day": 1,
                "shots": [{"id": "s1-01", "size": "WS", "duration_s": 4.0, "framing": "two_shot",
                           "characters": [{"id": "mara", "x": 0.3, "facing": "right"}, {"id": "tom", "x": 0.7, "facing": "left"}],
                           "camera": {"angle_deg": 0, "height": "eye", "move": "static"}, "crosses_axis": False,
                           "movement": None, "time_of_day": None, "wardrobe": {},
                           "dialogue": [{"character": "mara", "line": "You came back."}],
                           "description": "Mara turns from the lamp as Tom steps in.", "mood": "kept extra field"}]}],
}


def test_registry_matches_the_spec_table():
    assert [(rule_id, severity) for rule_id, severity, _ in RULES] == SPEC_TABLE


def test_every_finding_carries_its_registry_severity(b):
    sl = b.film(b.scene("s1",
                        b.shot("a", ("mara", 0.3, "right"), ("tom", 0.7, "left"), says=("mara",)),
                        b.shot("b", ("mara", 0.7, "left"), ("tom", 0.3, "right"), tod="day"),
                        b.shot("c", ("zed", 0.5, "left"), size="XL", duration=-1), tod="night"), target=1)
    severity = dict(SPEC_TABLE)
    found = check(sl)
    assert {f.rule for f in found} >= {"axis_180", "jump_cut_30", "time_of_day", "unknown_character", "bad_value", "runtime"}
    assert all(f.severity == severity[f.rule] for f in found)


def test_findings_come_in_film_order_with_whole_film_findings_last(b):
    sl = b.film(b.scene("s1", b.shot("a", tod="day"), tod="night"),
                b.scene("s2", b.shot("b", ("zed", 0.5, "left"))), target=100)
    assert [f.rule for f in check(sl)] == ["time_of_day", "unknown_character", "runtime"]


def test_spec_example_parses_keeps_extras_and_gets_expected_findings():
    sl = parse_shotlist(json.dumps(SPEC_EXAMPLE))
    assert json.loads(sl.to_json())["scenes"][0]["shots"][0]["mood"] == "kept extra field"
    # The example stages Tom without declaring him, and its single 4 s shot is far from 60 s.
    assert [(f.rule, f.shots) for f in check(sl)] == [("unknown_character", ("s1-01",)), ("runtime", ())]


def test_json_shape_has_exactly_the_spec_keys(b):
    finding = check(b.film(b.scene("s1", b.shot("a", ("zed", 0.5, "left")))))[0]
    assert set(finding.to_json()) == {"rule", "severity", "shots", "message", "fix"}
    assert finding.to_json()["shots"] == ["a"]
