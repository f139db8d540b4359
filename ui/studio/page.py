"""The components every tab wires to: the project picker, the notice line and the fingerprints.

Why shared: each tab lays out its own components and listens itself to the fingerprints that say its
part of the page changed (``board`` while the crew works, ``plan`` when the script, shot list or bible
change), so ``app.build_app`` reads top to bottom as one line per tab.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr


@dataclass(frozen=True)
class Page:
    picker: gr.Dropdown
    """The open project (its id); the only project state a page holds."""
    notice: gr.Markdown
    """One line for what a click did ("queued: approve s1-02")."""
    board: gr.State
    """``polling.fingerprint``: changes whenever a take, the chat, the log or what waits changes."""
    plan: gr.State
    """``polling.plan_fingerprint``: changes when the script, the shot list or the bible change."""
    cards: gr.State
    """``storyboard.cards_fingerprint``: changes only when what a storyboard card shows changes. The board is a
    ``gr.render`` whose buttons get new handler ids each time it draws, so a click that lands while it draws
    again is lost; drawing it on every tick of ``board`` (a step's seconds) lost the creator's Approve."""
