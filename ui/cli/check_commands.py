"""``dailies check``: the cinematic grammar and continuity checks on a shot-list file or a project's plan.

Exit codes are part of the interface (scripts and CI rely on them): 0 when no *error* is found (warnings
allowed), 1 when at least one error is found, 2 when the input cannot be checked at all (a malformed or
hostile file, no such file or project, a fixed file that already exists without ``--force``).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from agents import (
    Finding,
    ShotList,
    StoryMemoryError,
    apply_fixes,
    check,
    collector_paused,
    one_line,
    read_shotlist,
)
from ui.cli.app import app
from ui.cli.output import emit
from ui.cli.studio_access import open_studio

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


@app.command("check")
def check_command(
    target: Annotated[str, typer.Argument(help="A shot-list file (.shots.json), or a project id to check the plan in story memory.")],
    as_json: Annotated[bool, typer.Option("--json", help='Print {"findings": [{"rule", "severity", "shots", "message", "fix"}]}.')] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the mechanical fixes and write NAME.fixed.shots.json next to the file (for a project: in the current folder).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --fix: replace a fixed file that already exists.")] = False,
    longest_clip: Annotated[float | None, typer.Option(
        "--longest-clip", min=0.1, max=600, metavar="SECONDS",
        help="Longest shot the generator renders in one clip (Wan ~5, LTX-Video 10); default: the plan's longest_clip_s, else 10.",
    )] = None,
) -> None:
    """Check a plan's film grammar (180° line, eyelines, jump cuts, screen direction, time of day, wardrobe,
    shots longer than the generator's clip…).

    One line per finding; exit 0 when there is no error, 1 when there are errors, 2 when the file is malformed.
    """
    with collector_paused():  # a short-lived command over acyclic data: no collector passes over the plan
        _check(target, as_json=as_json, fix=fix, force=force, longest_clip=longest_clip)


def _check(target: str, *, as_json: bool, fix: bool, force: bool, longest_clip: float | None = None) -> None:
    shotlist, source, name = _load(target)
    if longest_clip is not None:  # the plan is checked (and fixed) for that generator; a fixed file says so
        shotlist = shotlist.model_copy(update={"longest_clip_s": longest_clip})
    if not fix:
        findings = check(shotlist)
        emit({"findings": [f.to_json() for f in findings]}, as_json=as_json, human=lambda: _print_findings(findings))
        _summary(findings, source)
        raise typer.Exit(_exit_code(findings))
    out = source.with_name(fixed_name(source.name)) if name is None else Path.cwd() / f"{name}.fixed.shots.json"
    if out.exists() and not force:
        _unreadable(f"{out} already exists; pass --force to replace it")
    fixed, changes = apply_fixes(shotlist)
    _write(out, fixed.to_json())
    findings = check(fixed)
    result: dict[str, Any] = {"findings": [f.to_json() for f in findings], "changes": changes, "fixed_file": str(out)}

    def human() -> None:
        for change in changes:
            typer.echo(one_line(f"changed: {change}"))
        if not changes:
            typer.echo("changed: nothing (no finding has a mechanical fix that helps)")
        _print_findings(findings)
        typer.echo(str(out))

    emit(result, as_json=as_json, human=human)
    _summary(findings, out)
    raise typer.Exit(_exit_code(findings))


def fixed_name(name: str) -> str:
    """``keeper.shots.json`` → ``keeper.fixed.shots.json`` (``plan.json`` → ``plan.fixed.shots.json``)."""
    for suffix in (".shots.json", ".json"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + ".fixed.shots.json"
    return name + ".fixed.shots.json"


def _load(target: str) -> tuple[ShotList, Path, str | None]:
    """The shot list to check, where it came from, and the project id when it came from story memory."""
    path = Path(target)
    try:
        is_file, exists = path.is_file(), path.exists()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte…
        _unreadable(f"{target[:80]!r} cannot be a file name ({exc})")
    if is_file:
        try:
            return read_shotlist(path), path, None
        except StoryMemoryError as exc:
            _unreadable(str(exc))
    if exists:
        _unreadable(f"{target} is not a file")
    if path.suffix == ".json" or os.sep in target or "/" in target:
        _unreadable(f"no such file: {target}")
    if not _SAFE_NAME.fullmatch(target):
        _unreadable(f"{target!r} is neither a file nor a project id")
    try:
        studio = open_studio()
        try:
            return studio.shot_list(target), Path(target), target
        finally:
            studio.close()
    except StoryMemoryError as exc:
        _unreadable(f"no file or project named {target!r} ({exc})")


def _write(path: Path, text: str) -> None:
    """Write next to the final place and rename, so a crash never leaves half a file."""
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".dailies-", suffix=".tmp", delete=False) as tmp:
            tmp.write(text)
        os.replace(tmp.name, path)
    except OSError as exc:
        _unreadable(f"cannot write {path}: {exc.strerror or exc}")


def _print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        typer.echo(finding.line())


def _summary(findings: list[Finding], source: Path) -> None:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not findings:
        typer.echo(f"clean: no findings in {source}", err=True)
    else:
        typer.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {source}", err=True)


def _exit_code(findings: list[Finding]) -> int:
    return EXIT_ERRORS if any(f.severity == "error" for f in findings) else EXIT_CLEAN


def _unreadable(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_UNREADABLE)
