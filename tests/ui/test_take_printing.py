"""``dailies make`` names a ready take by its number within its shot (#2), as the storyboard does — not by
the database's running id, which counts every take of every shot and film."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress

from agents import TakeEvent
from ui.cli import make_commands
from ui.cli.make_commands import EventPrinter


def test_a_ready_take_is_named_by_its_number_within_its_shot(monkeypatch) -> None:
    console = Console(record=True, width=200)
    monkeypatch.setattr(make_commands, "err", console)
    printer = EventPrinter(Progress(console=console))
    printer(TakeEvent(shot="s1-02", take_id=17, path="/x/take.mp4", number=2))
    printer(TakeEvent(shot="s1-03", take_id=18, path="/x/other.mp4", reused=True, number=1))
    said = console.export_text()
    assert "take ready: shot s1-02 (take #2)" in said
    assert "take ready: shot s1-03 (take #1, reused)" in said
    assert "17" not in said and "18" not in said
