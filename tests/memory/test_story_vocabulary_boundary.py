"""No code outside memory's round-trip code reads or writes the story vocabulary as string conventions.

Why a scan: the typed fields (``Project.beats``, ``Location.interior``, ``Scene.cast``, ``Scene.dialogue``)
only help if nobody goes back to the conventions they replaced — an ``"INT. "`` prefix, a ``"beats: "``
fact, dialogue or cast inside an ``extra`` column — which mypy cannot see.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("agents", "ui", "generator", "bench")
CONVENTIONS = {
    "story vocabulary in extra": re.compile(r"""extra\b[^\n]{0,30}?["'](?:dialogue|characters|cast|beats|interior)["']"""),
    "interior as a description prefix": re.compile(r"""description[^\n]{0,40}?["'{](?:INT|EXT)\.|description\[5:\]"""),
    "beats as a fact string": re.compile(r"""["']beats: """),
}


def test_no_role_or_interface_uses_the_old_string_conventions() -> None:
    found = []
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for what, pattern in CONVENTIONS.items():
                found += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {what}" for m in pattern.finditer(text)]
    assert found == [], "\n".join(found)
