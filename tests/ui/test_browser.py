"""A real Chromium (Debian's, through Playwright) logs in, creates a project, approves the plan, approves a
shot, reshoots one with a note, approves the rest and sees the final cut's video element; and, on a planned
project, gives a character a new voice from the Bible tab.

Screenshots go to ``test-artifacts/`` (gitignored). Never wait for "networkidle": a Gradio page polls.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PIL import Image
from studio_doubles import USERS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "browser"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.requires("chromium"),
]


def test_a_film_from_premise_to_final_cut_in_the_browser(launched) -> None:
    from playwright.sync_api import expect, sync_playwright

    _demo, url, studio = launched
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1100})
            page = context.new_page()
            page.set_default_timeout(60_000)

            def shot(name: str) -> None:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

            page.goto(url, wait_until="domcontentloaded")
            page.get_by_label("username").fill(USERS[0][0])
            page.get_by_label("password").fill(USERS[0][1])
            page.get_by_role("button", name="Login").click()

            page.locator("#premise textarea").fill("A lighthouse keeper and her son in a storm")
            page.locator("#runtime input").fill("10")
            page.locator("#create-project").click()
            expect(page.locator("#approve-plan")).to_be_visible(timeout=90_000)
            expect(page.locator("#header")).to_contain_text("The plan waits for your approval")
            project = studio.store.projects(owner=USERS[0][0])[0].id
            page.get_by_role("tab", name="Shot list").click()
            expect(page.locator("#shot-table")).to_contain_text("s1-01")
            shot("1-plan")

            page.locator("#approve-plan").click()
            page.get_by_role("tab", name="Storyboard").click()
            expect(page.locator("#approve-s1-01")).to_be_visible(timeout=120_000)
            expect(page.locator("#video-s1-01 video")).to_be_attached()
            shot("2-storyboard")

            page.locator("#approve-s1-01").click()
            expect(page.locator("#approve-s1-01")).to_have_count(0, timeout=60_000)
            page.locator("#note-s1-02 textarea").fill("Tom looks exhausted")
            page.locator("#reshoot-s1-02").click()
            expect(page.locator("#card-s1-02")).to_contain_text("#2", timeout=120_000)
            expect(page.locator("#approve-s1-02")).to_be_visible(timeout=60_000)
            takes = studio.store.takes(project, "s1-02")
            assert len(takes) == 2 and "Tom looks exhausted" in takes[-1].parameters["request"]["prompt"]
            shot("3-reshot")

            deadline = time.monotonic() + 180
            while studio.store.project(project).status != "cut" and time.monotonic() < deadline:
                buttons = page.locator("button[id^='approve-s']")
                if buttons.count():
                    target = buttons.first.get_attribute("id")
                    buttons.first.click()
                    expect(page.locator(f"#{target}")).to_have_count(0, timeout=60_000)
                else:
                    time.sleep(0.5)
            assert studio.store.project(project).status == "cut"

            page.get_by_role("tab", name="Final cut").click()
            expect(page.locator("#final-film video")).to_be_attached(timeout=60_000)
            page.get_by_role("tab", name="Chat").click()
            expect(page.locator("#chat")).to_contain_text(re.compile("film is cut"))
            expect(page.locator("#chat")).to_contain_text("writer")  # crew lines are titled by role
            shot("5-chat")
            page.get_by_role("tab", name="Final cut").click()
            shot("4-final-cut")
            page.get_by_role("tab", name="Bible").click()
            expect(page.locator("#bible")).to_contain_text("wardrobe")
            drawing = ARTIFACTS / "mara-reference.png"
            Image.new("RGB", (64, 96), (120, 40, 90)).save(drawing)
            page.locator("#reference-upload input[type=file]").set_input_files(str(drawing))
            expect(page.locator("#bible-message")).to_contain_text("saved mara-", timeout=30_000)
            expect(page.locator("#references img").first).to_be_attached()
            assert len(studio.store.character(project, "mara").reference_images) == 1
            shot("6-bible")

            # a new tab (same login) opens the project exactly where it is, from memory alone
            second = context.new_page()
            second.goto(f"{url}?project={project}", wait_until="domcontentloaded")
            expect(second.locator("#header")).to_contain_text("Status: cut", timeout=60_000)
            expect(second.locator("#header")).to_contain_text("Nothing waits for you")
        finally:
            browser.close()


def test_a_new_voice_from_the_bible_tab(launched) -> None:
    """The Bible tab's voice controls show the character's voice, and *Re-voice* changes only that voice:
    the new pitch and rate are stored, their lines are voiced again, the other characters keep theirs."""
    from playwright.sync_api import expect, sync_playwright
    from studio_doubles import plan_without_graph

    from agents.production.voicing import shot_lines
    from generator.voice import Voice, line_key

    _demo, url, studio = launched
    project = plan_without_graph(studio, USERS[0][0], "A keeper and her son in a storm, voiced")
    before = {c.key: c.voice for c in studio.store.characters(project)}
    mara = studio.store.character(project, "mara").voice
    voices = studio.settings.home / "voices"
    voiced = set(voices.glob("*.json")) if voices.is_dir() else set()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = browser.new_context(viewport={"width": 1440, "height": 1100}).new_page()
            page.set_default_timeout(60_000)
            page.goto(url, wait_until="domcontentloaded")
            page.get_by_label("username").fill(USERS[0][0])
            page.get_by_label("password").fill(USERS[0][1])
            page.get_by_role("button", name="Login").click()
            expect(page.locator("#header")).to_be_visible(timeout=60_000)
            page.goto(f"{url}?project={project}", wait_until="domcontentloaded")
            expect(page.locator("#header")).to_contain_text(project, timeout=60_000)
            page.get_by_role("tab", name="Bible").click()
            expect(page.locator("#bible")).to_contain_text("voice: en_US-joe-medium (piper)", timeout=60_000)
            assert mara is not None
            expect(page.locator("#voice-id textarea, #voice-id input").first).to_have_value(mara.voice_id, timeout=30_000)
            expect(page.locator("#voice-pitch input[type=number]")).to_have_value(f"{mara.pitch:g}", timeout=30_000)
            page.locator("#voice-pitch input[type=range]").fill(f"{mara.pitch - 3:g}")
            page.locator("#voice-rate input[type=range]").fill("1.2")
            page.locator("#revoice").click()
            expect(page.locator("#bible-message")).to_contain_text("queued: re-voice mara", timeout=30_000)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and studio.store.character(project, "mara").voice == mara:
                time.sleep(0.5)
            after = {c.key: c.voice for c in studio.store.characters(project)}
            assert after["mara"] is not None and (after["mara"].pitch, after["mara"].rate) == (mara.pitch - 3, 1.2)
            assert {k: v for k, v in after.items() if k != "mara"} == {k: v for k, v in before.items() if k != "mara"}
            # her lines (and only hers: this plan was never voiced) are voiced in her new voice
            wanted = {line_key(text, Voice(**after["mara"].model_dump()), note)
                      for shot in studio.store.shots(project) for who, text, note in shot_lines(shot) if who == "mara"}  # fmt: skip
            assert wanted
            while time.monotonic() < deadline and not wanted <= {p.stem for p in set(voices.glob("*.json")) - voiced}:
                time.sleep(0.5)
            assert {p.stem for p in set(voices.glob("*.json")) - voiced} == wanted
            expect(page.locator("#bible")).to_contain_text(f"pitch {mara.pitch - 3:+g} semitones, rate 1.2", timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "7-voice.png"), full_page=True)
        finally:
            browser.close()
