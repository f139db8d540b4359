"""Fitting the film to its running time: the cut lasts the project's ``target_runtime_s``, not the shots.

Why a step of its own: the cinematographer shares the runtime among the shots, but the film is more than
the sum of its shots. The cut has a title card and a credits card, as long as
``generator.assembly.card_lengths`` gives for the runtime (the cinematographer gave the shots the runtime
less those cards), each dissolve between scenes overlaps two shots, and voicing the plan lengthens every
shot too short for its lines. A ten-minute plan was cut at 613.7 s (+2.3 %; shots 608.7 s after voicing,
plus 5 s of cards); a 12 s film at 16.3 s (its cards were 5 s on top of 11.35 s of shots).

So at plan approval, after voicing, the film's length is predicted the way the cut will build it
(``predicted_length_s``: cards + shots − dissolve overlaps, the transitions from the same director notes
``agents.production.cut`` reads) and the difference is shared among the shots that have room, in
proportion to their room: a shot shrinks no lower than its floor (its voiced lines plus a breath, else
``MIN_SHOT_S``) and grows no longer than the generator's longest clip. Shots that already have a take keep
their length (a longer shot would outdate the take). Where no shot has room the film stays off target and
``FitReport.off_by_s`` says by how much; nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from agents.production.cut import scene_transition
from generator.assembly import card_lengths
from memory.models import CURRENT_TAKE_STATUSES, Scene, Shot
from memory.store import Store

#: The shortest a shot is made by fitting (a shot already shorter keeps its length).
MIN_SHOT_S = 1.5
#: Fitting stops when the prediction is this close (seconds): a frame at 24 fps.
TOLERANCE_S = 1 / 24
#: Rounds of fitting: each round re-predicts, since dissolves shrink with the shots they join.
ROUNDS = 4


@dataclass
class FitReport:
    """What ``fit_to_runtime`` did: the film's predicted length before and after, shots changed (key → length)."""

    target_s: float
    before_s: float
    after_s: float
    changed: dict[str, float] = field(default_factory=dict)

    @property
    def off_by_s(self) -> float:
        """Seconds the predicted film is longer (+) or shorter (−) than the target after fitting."""
        return round(self.after_s - self.target_s, 3)

    def summary(self) -> str:
        """One line for the chat: what fitting did, and by how much the film is still off when it is."""
        line = f"fitted to {self.target_s:g} s: {len(self.changed)} shot(s) retimed, the cut runs {self.after_s:g} s (was {self.before_s:g} s)"
        if abs(self.off_by_s) > 0.5:
            line += f"; still {self.off_by_s:+g} s off: no shot has room left"
        return line

    def as_data(self) -> dict[str, object]:
        return {
            "target_s": self.target_s,
            "before_s": self.before_s,
            "after_s": self.after_s,
            "changed": len(self.changed),
        }


def predicted_length_s(scenes: list[Scene], shots: list[Shot], runtime_s: float) -> float:
    """The cut's length for ``shots`` (film order) at their planned lengths in a film meant to run
    ``runtime_s`` (its cards: ``card_lengths``): cards + shots − dissolve overlaps."""
    by_id = {scene.id: scene for scene in scenes}
    title_s, credits_s = card_lengths(runtime_s)
    total = title_s + credits_s
    previous_scene: int | None = None
    previous_s = title_s
    for shot in shots:
        if shot.scene_id != previous_scene:
            transition = scene_transition(by_id.get(shot.scene_id), shot, previous_s, [])
            if transition.kind == "dissolve":
                total -= transition.duration_s
        total += float(shot.duration_s)
        previous_scene, previous_s = shot.scene_id, float(shot.duration_s)
    return total


def fit_to_runtime(store: Store, project: str, *, floors: Mapping[str, float], longest_s: float) -> FitReport:
    """Share the gap between the predicted cut and the target runtime among the shots with room (module doc).

    ``floors``: shot key → the least it may last (its voiced lines, ``VoicingReport.needs``).
    ``longest_s``: the generator's longest clip, the most a shot may last.
    """
    target = float(store.project(project).target_runtime_s)
    scenes = store.scenes(project)
    with_takes = {t.shot_id for t in store.takes(project) if t.status in CURRENT_TAKE_STATUSES}
    shots = store.shots(project)
    before = predicted_length_s(scenes, shots, target)
    report = FitReport(target_s=target, before_s=round(before, 3), after_s=round(before, 3))
    lengths = {shot.key: float(shot.duration_s) for shot in shots}
    for _ in range(ROUNDS):
        current = [s.model_copy(update={"duration_s": lengths[s.key]}) for s in shots]
        gap = target - predicted_length_s(scenes, current, target)
        if abs(gap) <= TOLERANCE_S:
            break
        bounds = {
            s.key: (max(MIN_SHOT_S, floors.get(s.key, 0.0)), longest_s)
            for s in current
            if s.id not in with_takes
        }
        room = {
            key: lengths[key] - low if gap < 0 else high - lengths[key] for key, (low, high) in bounds.items()
        }
        room = {key: r for key, r in room.items() if r > 0}
        total_room = sum(room.values())
        if total_room <= 0:
            break
        share = min(1.0, abs(gap) / total_room)
        # Rounded to 0.01 s on the running sum, so the rounding of a hundred shots never adds up.
        exact = cursor = 0.0
        for key, r in room.items():
            exact += lengths[key] + (r * share if gap > 0 else -r * share)
            low, high = bounds[key]
            lengths[key] = min(high, max(low, round(round(exact, 2) - cursor, 2)))
            cursor = round(exact, 2)
    for shot in shots:
        if abs(lengths[shot.key] - float(shot.duration_s)) >= 0.005:
            store.update_shot(project, shot.key, duration_s=lengths[shot.key])
            report.changed[shot.key] = lengths[shot.key]
    final = [s.model_copy(update={"duration_s": lengths[s.key]}) for s in shots]
    report.after_s = round(predicted_length_s(scenes, final, target), 3)
    return report
