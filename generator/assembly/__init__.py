"""The editor's tools: cut approved takes into a film, with subtitles and an editable timeline.

    from generator.assembly import EditList, EditClip, Transition, DialogueLine, assemble

    edit = EditList(title="The Keeper", credits=("Written by the writer", "Created by Ana"),
                    clips=[EditClip(shot_id="s1-01", path=take, duration_s=3.0,
                                    dialogue=[DialogueLine(character="Mara", text="You came back.")])],
                    width=640, height=360, fps=24)
    result = assemble(edit, cuts / "the-keeper.mp4", progress=lambda f, msg: print(f, msg))
    result.video, result.srt, result.vtt, result.otio, result.exports   # the-keeper.mp4/.srt/.vtt/.otio/.edl…

Errors (``generator.errors``): ``TakeMissing`` and ``TakeUnreadable`` name the shot (``.shot_id``);
``AssemblyError`` for a cut that cannot be made (a dissolve longer than its clips). Nothing at the
output paths changes unless the whole cut succeeds.
"""

from generator.assembly.assemble import AssemblyResult, assemble, sidecar_paths
from generator.assembly.edit_list import (
    DialogueLine,
    EditClip,
    EditList,
    Soundtrack,
    Transition,
    TransitionKind,
    card_lengths,
    shots_time_s,
)
from generator.assembly.plan import CutPlan, PlannedItem, plan_cut
from generator.assembly.subtitles import Cue, build_cues

__all__ = [
    "AssemblyResult",
    "Cue",
    "CutPlan",
    "DialogueLine",
    "EditClip",
    "EditList",
    "PlannedItem",
    "Soundtrack",
    "Transition",
    "TransitionKind",
    "assemble",
    "build_cues",
    "card_lengths",
    "plan_cut",
    "shots_time_s",
    "sidecar_paths",
]
