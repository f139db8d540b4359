"""``dailies qc``: measure one take file with the critic's instruments and print the findings.

Exit codes, so scripts can gate on it: 0 the take passes (warnings allowed), 1 a finding fails the take,
2 the file cannot be measured (missing, not a video, no ffmpeg). Nothing is written anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agents import BackendUnavailable, TakeFinding, UnreadableMedia, fails_take, load_settings, measure_take
from ui.cli.app import app
from ui.cli.output import emit, fail


def _finding_json(f: TakeFinding) -> dict[str, object]:
    return {
        "check": f.check, "severity": f.severity, "frames": list(f.frames), "value": f.value,
        "threshold": f.threshold, "message": f.message,
    }  # fmt: skip


@app.command()
def qc(
    take: Annotated[Path, typer.Argument(help="The take to measure (a video file, e.g. takes/…/1A.mp4).")],
    duration: Annotated[
        float | None, typer.Option("--duration", min=0.001, help="Planned duration in seconds; the take must match it within one frame.")
    ] = None,
    prev: Annotated[
        Path | None, typer.Option("--prev", help="The previous shot's take: checks the colour/exposure jump at the cut.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"findings": [{"check", "severity", "frames", "value", "threshold", "message"}]}.')
    ] = False,
) -> None:
    """Measure a take (duration, black, blown-out, frozen, flicker, colour jump) and print the findings.

    Exit 0 when the take passes, 1 when a finding fails it, 2 when the file cannot be read.
    """
    settings = load_settings()
    try:
        findings = measure_take(take, planned_duration=duration, prev=prev, ffmpeg=settings.ffmpeg)
    except (UnreadableMedia, BackendUnavailable) as exc:
        fail(str(exc), code=2)

    def human() -> None:
        for f in findings:
            first, last = f.frames
            typer.echo(f"{f.severity.upper():4}  {f.check:<13} frames {first}–{last}: {f.message}")
        verdict = "fails" if fails_take(findings) else "passes"
        typer.echo(f"{take.name} {verdict}: {len(findings)} finding{'s' if len(findings) != 1 else ''}")

    emit({"findings": [_finding_json(f) for f in findings]}, as_json=as_json, human=human)
    if fails_take(findings):
        raise typer.Exit(1)
