"""Chromium drives the studio as a creator would (issue 19): create → approve the plan → reshoot one shot
with a note that changes the take (one size tighter; the card says what changed and compares the two takes
side by side; a note typed in another card survives) → approve until cut → edit a shot's duration in the shot
list (its card, the timeline and the cut's state change without a reload; the shot waits for approval
again) → approve → re-cut → play all → a deep link reopens the timeline → a second user gets 403 for every
file URL the first user's page received.

Screenshots of each state go to ``test-artifacts/creator/`` (gitignored). Never wait for "networkidle".
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest
from studio_doubles import USERS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "creator"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.requires("chromium")]


def login(url: str, user: str, password: str) -> httpx.Client:
    http = httpx.Client(base_url=url, follow_redirects=True, timeout=30)
    http.post("/login", data={"username": user, "password": password}).raise_for_status()
    return http


def test_a_creator_edits_a_cut_film_and_nothing_drifts(launched) -> None:
    from playwright.sync_api import expect, sync_playwright

    demo, url, studio = launched
    (alice, alice_pw), (bob, bob_pw) = USERS
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    file_urls: set[str] = set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1100})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.on("request", lambda r: file_urls.add(r.url) if "/gradio_api/file=" in r.url else None)

            def shot(name: str) -> None:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

            def approve_until_cut(project: str) -> None:
                deadline = time.monotonic() + 240
                while studio.store.project(project).status != "cut" and time.monotonic() < deadline:
                    buttons = page.locator("button[id^='approve-s']:not([disabled])")
                    if buttons.count():
                        target = buttons.first.get_attribute("id")
                        buttons.first.click()
                        gone = time.monotonic() + 30
                        while page.locator(f"#{target}").count() and time.monotonic() < gone:
                            time.sleep(0.3)  # a click that met a redrawing board is simply made again
                    else:
                        time.sleep(0.5)
                log = [e.text for e in demo.desk.jobs.log(project)][-15:]
                assert studio.store.project(project).status == "cut", log

            page.goto(url, wait_until="domcontentloaded")
            page.get_by_label("username").fill(alice)
            page.get_by_label("password").fill(alice_pw)
            page.get_by_role("button", name="Login").click()

            # an empty premise is explained next to the field, which stays usable
            page.locator("#create-project").click()
            expect(page.locator("#premise-hint")).to_contain_text("write a premise")
            expect(page.locator("#premise textarea")).to_be_editable()

            page.locator("#premise textarea").fill("A lighthouse keeper and her son in a storm")
            page.locator("#runtime input").fill("10")
            studio.generator = None  # as a freshly started studio: the first crew job loads what the crew needs
            page.locator("#create-project").click()
            expect(page.locator("#approve-plan")).to_be_visible(timeout=120_000)
            project = studio.store.projects(owner=alice)[0].id
            # loading was a step the page showed (one line in the chat, in the job's compact message)
            expect(page.locator("#chat")).to_contain_text("the crew's model: done in", timeout=30_000)
            expect(page.locator("#chat")).to_contain_text("crew · the crew works on the film")
            page.locator("#chat").get_by_text("crew · the crew works on the film").last.scroll_into_view_if_needed()
            shot("0-chat-planned")
            page.locator("#approve-plan").click()

            page.get_by_role("tab", name="Storyboard").click()
            expect(page.locator("#approve-s1-01")).to_be_visible(timeout=180_000)
            expect(page.locator("#approve-s1-01")).to_be_enabled(timeout=60_000)
            shot("1-storyboard")
            # a card alone on the board's last row keeps a card's width (it stretched across the row)
            widths = [page.locator(f"#card-{k}").bounding_box()["width"] for k in ("s1-01", "s2-01")]  # type: ignore[index]
            assert abs(widths[0] - widths[1]) < 0.1 * widths[0], widths

            # reshoot s1-02 with a note; the note typed into s1-03 meanwhile stays where it was typed
            page.locator("#note-s1-03 textarea").fill("keep this note")
            size = studio.store.shot(project, "s1-02").size
            page.locator("#note-s1-02 textarea").fill("closer, Tom looks exhausted")
            page.locator("#reshoot-s1-02").click()
            expect(page.locator("#card-s1-02")).to_contain_text("Take #2", timeout=120_000)
            expect(page.locator("#note-s1-03 textarea")).to_have_value("keep this note")
            first, second = (t.parameters["request"] for t in studio.store.takes(project, "s1-02")[-2:])
            assert "Tom looks exhausted" in second["prompt"]
            # the note changed the take, not only its prompt: one size tighter, and the card says so
            assert (first["shot_size"], second["shot_size"]) == (size, studio.store.shot(project, "s1-02").size) != (size, size)
            expect(page.locator("#card-text-s1-02")).to_contain_text(f"Your note changed: size {size}→{second['shot_size']}")
            page.locator("#compare-s1-02").get_by_text("Compare take #1 and #2").click()
            expect(page.locator("#compare-old-s1-02 video")).to_be_attached(timeout=30_000)
            expect(page.locator("#compare-new-s1-02 video")).to_be_attached(timeout=30_000)
            sources = [page.locator(f"#compare-{w}-s1-02 video").get_attribute("src") for w in ("old", "new")]
            assert all(sources) and sources[0] != sources[1], sources
            shot("2-reshot-compare")
            page.locator("#card-s1-02").screenshot(path=str(ARTIFACTS / "2-card-compare.png"))

            approve_until_cut(project)
            page.get_by_role("tab", name="Timeline").click()
            expect(page.locator("#tl-s1-01")).to_have_attribute("data-state", "approved", timeout=30_000)
            expect(page.locator("#timeline-cut-state")).to_contain_text("current", timeout=30_000)
            shot("3-timeline-cut")
            width = page.locator("#tl-s1-01").bounding_box()["width"]  # type: ignore[index]

            # edit s1-01's duration in the shot list and save
            before = studio.store.shot(project, "s1-01").duration_s
            page.get_by_role("tab", name="Shot list").click()
            page.locator("#shot-table [data-testid='cell-0-3']").dblclick()  # s1-01's duration_s
            page.keyboard.press("Control+A")
            page.keyboard.type(f"{before + 1:g}")
            page.keyboard.press("Enter")
            page.locator("#save-shots").click()
            deadline = time.monotonic() + 30
            while studio.store.shot(project, "s1-01").duration_s == before and time.monotonic() < deadline:
                time.sleep(0.3)
            assert studio.store.shot(project, "s1-01").duration_s == pytest.approx(before + 1)

            # the timeline, the card and the cut's state change without a reload
            page.get_by_role("tab", name="Timeline").click()
            expect(page.locator("#timeline-cut-state")).to_contain_text("out of date", timeout=30_000)
            expect(page.locator("#tl-s1-01")).not_to_have_attribute("data-state", "approved", timeout=30_000)
            assert page.locator("#tl-s1-01").bounding_box()["width"] > width  # type: ignore[index]
            shot("4-timeline-edited")
            page.get_by_role("tab", name="Storyboard").click()
            expect(page.locator("#card-s1-01")).to_contain_text(f"{before + 1:g} s")
            expect(page.locator("#approve-s1-01")).to_be_enabled(timeout=180_000)  # it waits for approval again
            shot("5-storyboard-edited")

            approve_until_cut(project)
            page.get_by_role("tab", name="Timeline").click()
            page.locator("#timeline-recut").click()
            expect(page.locator("#timeline-cut-state")).to_contain_text("current", timeout=120_000)
            # the notice follows the job it announced; the cut left one line (its seconds) in the chat
            expect(page.locator("#notice")).to_contain_text("finished: re-cut the film", timeout=30_000)
            page.get_by_role("tab", name="Chat").click()
            expect(page.locator("#chat")).to_contain_text("the cut: done in", timeout=30_000)
            page.locator("#chat").get_by_text("the cut: done in").last.scroll_into_view_if_needed()
            shot("6-chat-after-recut")
            page.get_by_role("tab", name="Timeline").click()
            page.locator("#play-all").click()
            expect(page.locator("#play-all-video video")).to_be_attached(timeout=180_000)
            shot("7-timeline-play-all")
            page.locator("#tab-timeline").screenshot(path=str(ARTIFACTS / "timeline.png"))

            page.get_by_role("tab", name="Final cut").click()
            expect(page.locator("#final-film video")).to_be_attached(timeout=60_000)
            expect(page.locator("#cut-state")).to_contain_text("current")
            shot("8-final-cut")
            for kind in ("mp4", "srt", "otio", "bible"):  # each download (its request joins the file URLs)
                expect(page.locator(f"#download-{kind}")).to_be_enabled(timeout=30_000)
                with page.expect_download() as download:
                    page.locator(f"#download-{kind}").click()
                file_urls.add(download.value.url)

            # a reload of the address the page wrote comes back to the same project and tab
            page.get_by_role("tab", name="Timeline").click()
            # the page writes the address after the tab's change event: wait for it (a fixed sleep lost the race under load)
            expect(page).to_have_url(re.compile(rf"project={re.escape(project)}.*tab=timeline|tab=timeline.*project={re.escape(project)}"),
                                     timeout=15_000)
            again = context.new_page()
            again.goto(page.url, wait_until="domcontentloaded")
            expect(again.locator("#tl-s1-01")).to_be_visible(timeout=60_000)
        finally:
            browser.close()

    # every file URL alice's page received: hers to open, not bob's
    takes_and_cut = [u for u in file_urls if "/gradio_api/file=" in u]
    suffixes = {Path(u.split("?")[0]).suffix for u in takes_and_cut}
    assert {".mp4", ".srt", ".otio", ".json"} <= suffixes, takes_and_cut  # takes, cut, subtitles, timeline, bible
    assert len([u for u in takes_and_cut if "/takes/" in u or u.endswith(".mp4")]) >= 4
    alice_http, bob_http = login(url, alice, alice_pw), login(url, bob, bob_pw)
    for file_url in sorted(takes_and_cut):
        path = file_url[file_url.index("/gradio_api/"):]
        assert bob_http.get(path).status_code == 403, path
        assert alice_http.get(path).status_code == 200, path
