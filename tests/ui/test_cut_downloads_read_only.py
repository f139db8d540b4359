"""The Final cut tab's downloads are read-only: a person can download the film's files, never remove them.

Why a test on the built page: a ``gr.File`` list shows a remove (×) control even when it is not interactive,
so the tab shows one ``gr.DownloadButton`` per file, and the ``gr.File`` that answers the ``/final_cut`` API
stays hidden and non-interactive. This reads the component tree of the real Blocks (no server, no browser):
it fails if a visible file list, an upload, or an editable film comes back to the tab.
"""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr
from gradio.blocks import Block, BlockContext

from agents.studio import Studio
from ui.studio.app import build_app
from ui.studio.tabs.cut import DOWNLOADS

#: Components through which a person could remove, replace or add a file.
FILE_LISTS = (gr.File, gr.Files, gr.UploadButton)


def inside(block: Block) -> Iterator[Block]:
    """Every block under ``block`` (depth first)."""
    for child in block.children if isinstance(block, BlockContext) else ():
        yield child
        yield from inside(child)


def test_the_final_cut_tab_offers_download_buttons_and_no_removable_file_list(studio: Studio) -> None:
    demo = build_app(studio)
    tab = next(b for b in demo.blocks.values() if isinstance(b, gr.Tab) and b.elem_id == "tab-cut")
    blocks = list(inside(tab))

    buttons = {b.elem_id or "": b for b in blocks if isinstance(b, gr.DownloadButton)}
    assert sorted(buttons) == sorted(f"download-{kind}" for kind, _ in DOWNLOADS)
    lists = [b for b in blocks if isinstance(b, FILE_LISTS)]
    assert lists, "the /final_cut API's answer is a hidden file list in this tab"
    for listing in lists:  # only the API's answer, never shown, never editable
        assert listing.visible is False and listing.interactive is False, listing
    film = next(b for b in blocks if isinstance(b, gr.Video))
    assert film.interactive is False  # nobody clears or replaces the film in the player

    # The same in the config the page is served with (what the browser draws from).
    config = {c["id"]: c for c in demo.get_config_file()["components"]}
    for listing in lists:
        props = config[listing._id]["props"]
        assert props["visible"] is False and props["interactive"] is False, props
