"""The rule registry and ``check``: every grammar rule of ``docs/shotlist-format.md``, in one ordered tuple.

Adding a rule is one pure function ``(ShotList) -> list[Finding]`` in the module of its family and one
line here. Rule ids and severities are stable (scripts and the crew match on them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from agents.grammar.axis import axis_180, eyeline
from agents.grammar.continuity import props, time_of_day, wardrobe
from agents.grammar.cutting import jump_cut_30, screen_direction
from agents.grammar.findings import Finding, Severity
from agents.grammar.geometry import every_shot
from agents.grammar.length import shot_length, with_clip_limit
from agents.grammar.values import bad_value, runtime, unknown_character
from memory.shotlist import ShotList
from memory.shotlist_file import collector_paused

Rule = Callable[[ShotList], list[Finding]]

RULES: Final[tuple[tuple[str, Severity, Rule], ...]] = (
    ("axis_180", "error", axis_180),
    ("eyeline", "error", eyeline),
    ("jump_cut_30", "warning", jump_cut_30),
    ("screen_direction", "error", screen_direction),
    ("time_of_day", "error", time_of_day),
    ("wardrobe", "error", wardrobe),
    ("props", "error", props),
    ("unknown_character", "error", unknown_character),
    ("runtime", "warning", runtime),
    ("shot_length", "error", shot_length),
    ("bad_value", "error", bad_value),
)

SEVERITY: Final[dict[str, Severity]] = {rule_id: severity for rule_id, severity, _ in RULES}


def check(
    shotlist: ShotList, *, rules: tuple[tuple[str, Severity, Rule], ...] = RULES, longest_clip_s: float | None = None
) -> list[Finding]:
    """Every finding of every rule, in film order (whole-film findings last); linear in the number of shots.

    ``longest_clip_s`` checks the plan against that generator's longest clip instead of the file's own
    ``longest_clip_s`` (or the default; see ``agents.grammar.length``).
    """
    shotlist = with_clip_limit(shotlist, longest_clip_s)
    position: dict[str, int] = {}
    for i, shot in enumerate(every_shot(shotlist)):
        position.setdefault(shot.id, i)
    last = len(position)
    with collector_paused():  # the rules allocate only short-lived, acyclic values
        found = [(n, f) for n, (_, _, rule) in enumerate(rules) for f in rule(shotlist)]

    def film_order(item: tuple[int, Finding]) -> tuple[int, int]:
        rule_index, finding = item
        where = min((position[s] for s in finding.shots if s in position), default=last + 1)
        return (where, rule_index)

    return [f for _, f in sorted(found, key=film_order)]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
