"""Crash points: silent unless named, fatal (SIGKILL) exactly where named, and a typo is refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from generator.faults import crash_point


def test_a_point_does_nothing_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DAILIES_FAULT", raising=False)
    crash_point("after_take_file")
    monkeypatch.setenv("DAILIES_FAULT", "during_cut_rename")
    crash_point("after_take_file")  # another point is named: this one passes


def test_an_unknown_point_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_FAULT", "after_take_fiel")
    with pytest.raises(ValueError, match="names no crash point"):
        crash_point("after_take_file")


def test_the_named_point_kills_the_process_like_kill_9() -> None:
    code = "from generator.faults import crash_point\nprint('before', flush=True)\ncrash_point('during_cut_rename')\nprint('after')"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "DAILIES_FAULT": "during_cut_rename"},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == -signal.SIGKILL and done.stdout == "before\n"
