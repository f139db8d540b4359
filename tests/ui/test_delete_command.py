"""``dailies delete PROJECT``: asks first (unless ``--yes``), then removes everything the project left."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from agents import Studio
from ui.cli import app

runner = CliRunner()


def _project_with_files(dailies_home: Path, premise: str) -> tuple[str, list[Path]]:
    """A project as a run leaves it: a takes folder with a file, a cut folder, and its lock file."""
    project = runner.invoke(app, ["new", premise]).output.strip().splitlines()[-1]
    studio = Studio()
    try:
        with studio._lock(project):  # the lock every run of the project takes
            pass
        left = [dailies_home / "locks" / f"{project}.lock"]
        for folder in (studio.settings.takes_dir / project, studio.settings.cuts_dir / project):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "x.mp4").write_bytes(b"x")
            left.append(folder)
    finally:
        studio.close()
    assert all(path.exists() for path in left)
    return project, left


def _ids() -> list[str]:
    studio = Studio()
    try:
        return [p.id for p in studio.store.projects()]
    finally:
        studio.close()


def test_delete_asks_and_a_no_changes_nothing(dailies_home: Path) -> None:
    project, left = _project_with_files(dailies_home, "A keeper and a storm")
    result = runner.invoke(app, ["delete", project], input="n\n")
    assert result.exit_code == 1 and "error: nothing deleted" in result.stderr
    assert project in _ids() and all(path.exists() for path in left)
    result = runner.invoke(app, ["delete", project], input="y\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == f"deleted {project}"
    assert project not in _ids() and not any(path.exists() for path in left)


def test_delete_yes_removes_memory_files_and_lock_and_keeps_the_others(dailies_home: Path) -> None:
    doomed, left = _project_with_files(dailies_home, "A keeper and a storm")
    kept, kept_files = _project_with_files(dailies_home, "Two strangers share an umbrella")
    result = runner.invoke(app, ["delete", doomed, "--yes"])
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in left)
    assert _ids() == [kept] and all(path.exists() for path in kept_files)


def test_delete_of_an_unknown_project_is_one_error_line(dailies_home: Path) -> None:
    result = runner.invoke(app, ["delete", "no-such-film", "--yes"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
