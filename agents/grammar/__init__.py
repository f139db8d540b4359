"""The cinematic grammar engine: the continuity supervisor's deterministic tools.

- ``check(shotlist)`` runs every rule of ``docs/shotlist-format.md`` (``rules.RULES``) and returns
  ``Finding``s in film order;
- ``apply_fixes(shotlist)`` applies the mechanical fixes (mirror, insert a crossing shot, reframe, copy
  the scene's wardrobe or time of day) and never leaves more errors than it found;
- ``coverage`` builds shots that pass every error rule by construction (master + shot–reverse-shot,
  establishing shots), for the cinematographer.

Everything here is a pure function over ``memory.shotlist.ShotList``.
"""

from agents.grammar.findings import Finding, FixAction
from agents.grammar.fixes import apply_fixes
from agents.grammar.rules import RULES, check

__all__ = ["RULES", "Finding", "FixAction", "apply_fixes", "check"]
