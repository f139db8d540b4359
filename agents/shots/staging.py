"""What a shot's staging may say: each character's screen position and the way they face.

Why a rule of its own: the studio's shot table, ``Studio.edit_shot`` and every other writer of a shot's
``characters`` must agree on the allowed values, and the shot-list format (``memory.shotlist``) already
defines them (``FACINGS``). A value outside them is refused here, naming the shot, the character and the
field, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from memory.errors import InvalidValue
from memory.shotlist import FACINGS


def check_staging(shot: str, characters: Sequence[Mapping[str, Any]]) -> None:
    """Raise ``InvalidValue`` unless every staged character has an id, ``x`` in [0, 1] and a known ``facing``."""
    for index, staged in enumerate(characters):
        where = f"{shot}: characters[{index}]"
        if not str(staged.get("id") or "").strip():
            raise InvalidValue(f"{where}.id is empty: name the character")
        try:
            x = float(staged.get("x", 0.5))
        except (TypeError, ValueError):
            raise InvalidValue(f"{where}.x {staged.get('x')!r} is not a screen position between 0 and 1") from None
        if not 0 <= x <= 1:
            raise InvalidValue(f"{where}.x is a screen position between 0 (left) and 1 (right), not {x:g}")
        facing = staged.get("facing", "camera")
        if facing not in FACINGS:
            raise InvalidValue(f"{where}.facing is one of {', '.join(FACINGS)}, not {facing!r}")


def restaged(before: Sequence[Mapping[str, Any]], placed: Sequence[tuple[str, float, str]]) -> list[dict[str, Any]]:
    """The shot's characters placed anew as (id, x, facing), each keeping its other keys from ``before``."""
    old = {c.get("id"): c for c in before}
    return [{**old.get(cid, {}), "id": cid, "x": x, "facing": facing} for cid, x, facing in placed]
