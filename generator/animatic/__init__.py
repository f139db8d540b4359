"""The animatic: a CPU pre-visualisation drawn from a shot's staging (no model, no GPU).

``AnimaticBackend`` renders MP4 takes; ``draw_frame`` and ``figure_boxes`` expose single frames and
figure placements for tests and previews.
"""

from generator.animatic.backend import AnimaticBackend
from generator.animatic.frame import FigureBoxes, ShotDrawing, draw_frame, figure_boxes

__all__ = ["AnimaticBackend", "FigureBoxes", "ShotDrawing", "draw_frame", "figure_boxes"]
