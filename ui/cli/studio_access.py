"""One place that builds the ``Studio`` for a command, so every command sees the same settings."""

from __future__ import annotations

from agents import Studio


def open_studio() -> Studio:
    return Studio()
