"""The film's outline: acts → sequences → scenes, derived from the scene order and the writer's beats.

Why deterministic: a long film is planned scene by scene, and every per-scene prompt carries the outline
and its own act instead of the whole film, so the grouping must be the same on every call and on resume.
A small model asked for an act structure returns one act, or acts that skip scenes; the classic
proportions (set-up a quarter, confrontation a half, resolution a quarter) cut any number of scenes the
same way every time. Beats are spread over the acts in the same proportions. Sequences are runs of at
most ``SEQUENCE_SCENES`` consecutive scenes within an act (a unit the creator can read in the tree).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Share of the film in each act: set-up, confrontation, resolution.
ACT_SHARES: tuple[float, ...] = (0.25, 0.5, 0.25)
ACT_NAMES: tuple[str, ...] = ("set-up", "confrontation", "resolution")
#: Most scenes in one sequence.
SEQUENCE_SCENES = 4


@dataclass(frozen=True)
class Act:
    """One act: its number (1-based), its name, the scene ids it holds in order, its beats, its sequences."""

    number: int
    name: str
    scenes: tuple[str, ...]
    beats: tuple[str, ...]
    sequences: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Outline:
    """The whole film's grouping; small (ids and beats only), so it fits in every prompt."""

    acts: tuple[Act, ...]

    def act_of(self, scene: str) -> Act | None:
        """The act that holds ``scene``; None for a scene the outline does not know."""
        return next((act for act in self.acts if scene in act.scenes), None)

    def summary(self) -> list[dict[str, object]]:
        """The outline as prompt data: each act's number, name, first and last scene, beats."""
        return [
            {"act": a.number, "name": a.name, "scenes": f"{a.scenes[0]}–{a.scenes[-1]}" if a.scenes else "", "beats": list(a.beats)}
            for a in self.acts
        ]


def _split(count: int, parts: int) -> list[int]:
    """``count`` items cut into ``parts`` runs by ``ACT_SHARES`` (largest remainders), every run non-empty when it can be."""
    shares = ACT_SHARES if parts == len(ACT_SHARES) else tuple(1 / parts for _ in range(parts))
    sizes = [int(count * share) for share in shares]
    order = sorted(range(parts), key=lambda i: (-(count * shares[i] - sizes[i]), i))
    for i in order[: count - sum(sizes)]:
        sizes[i] += 1
    for i in range(parts):  # a film of 3+ scenes has no empty act
        if sizes[i] == 0 and count >= parts:
            donor = max(range(parts), key=lambda j: sizes[j])
            sizes[donor] -= 1
            sizes[i] += 1
    return sizes


def outline_for(scenes: Sequence[str], beats: Sequence[str] = ()) -> Outline:
    """The outline of a film whose scene ids are ``scenes`` (in order) and whose beats are ``beats``.

    Fewer than three scenes make as many acts as scenes (a short film has no act structure to speak of).
    """
    parts = min(len(ACT_SHARES), len(scenes)) or 1
    scene_sizes = _split(len(scenes), parts)
    beat_sizes = _split(len(beats), parts)
    acts, s0, b0 = [], 0, 0
    for i in range(parts):
        own = tuple(scenes[s0 : s0 + scene_sizes[i]])
        sequences = tuple(own[j : j + SEQUENCE_SCENES] for j in range(0, len(own), SEQUENCE_SCENES))
        name = ACT_NAMES[i] if parts == len(ACT_NAMES) else f"part {i + 1}"
        acts.append(Act(i + 1, name, own, tuple(beats[b0 : b0 + beat_sizes[i]]), sequences))
        s0 += scene_sizes[i]
        b0 += beat_sizes[i]
    return Outline(tuple(acts))
