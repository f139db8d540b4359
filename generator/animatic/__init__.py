"""The animatic: a CPU pre-visualisation drawn from a shot's staging (no model, no GPU).

``AnimaticBackend`` renders MP4 takes; ``draw_frame``, ``figure_boxes`` and ``prop_boxes`` expose single
frames and where figures and props are drawn, for tests and previews.
"""

from generator.animatic.backend import AnimaticBackend
from generator.animatic.frame import FigureBoxes, PropBoxes, ShotDrawing, draw_frame, figure_boxes, prop_boxes

__all__ = ["AnimaticBackend", "FigureBoxes", "PropBoxes", "ShotDrawing", "draw_frame", "figure_boxes", "prop_boxes"]
