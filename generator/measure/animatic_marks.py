"""Where an animatic take must show each character: colour marks derived from the render request.

Why ask the animatic instead of re-deriving colours: the animatic is the single owner of how a character's
colour comes from its id (and a wardrobe hint), how the scene's light tints it, and where the figure lands
after the camera move. ``figure_boxes`` exposes exactly that, so the mark for each character is the
colour the frame should show, within the horizontal span its torso sweeps during the shot.

Animatic shots with a static camera are deliberately still pictures: measure them with
``ANIMATIC_SKIP`` so a held frame is not reported as frozen.
"""

from __future__ import annotations

import numpy as np

from generator.animatic.frame import figure_boxes
from generator.base import RenderRequest
from generator.measure.findings import CheckId
from generator.measure.identity import ColourMark

#: Checks that do not apply to animatic takes (a static animatic shot is one held picture by design).
ANIMATIC_SKIP: frozenset[CheckId] = frozenset({"frozen"})


def animatic_marks(request: RenderRequest, *, samples: int = 5) -> list[ColourMark]:
    """One ``ColourMark`` per staged character visible in the shot: its lit colour and torso x span."""
    duration = request.frame_count() / request.fps
    spans: dict[str, tuple[float, float]] = {}
    colours: dict[str, tuple[int, int, int]] = {}
    for t in np.linspace(0.0, duration, num=max(1, samples), endpoint=False):
        for fb in figure_boxes(request, float(t)):
            x0, _, x1, _ = fb.torso
            if x1 - x0 < 1.0:  # off screen at this moment
                continue
            lo, hi = spans.get(fb.id, (x0, x1))
            spans[fb.id] = (min(lo, x0), max(hi, x1))
            colours[fb.id] = tuple(fb.colour)  # type: ignore[assignment]
    return [
        ColourMark(character=cid, rgb=colours[cid], x_range=(lo / request.width, hi / request.width))
        for cid, (lo, hi) in spans.items()
    ]
