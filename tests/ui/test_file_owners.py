"""Files in Gradio's cache are served to their project's owner only (``ui.studio.file_guard``).

Alice's project holds takes and a cut where the crew writes them; every file URL her page
receives — the takes, the cut, its subtitles, its timeline and the story bible — answers 200 to her and 403
to bob, and a copy of a file that belongs to no project of hers (a stranger's) answers 403 to her too."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from gradio.processing_utils import save_file_to_cache
from gradio.utils import get_upload_folder
from gradio_client import Client
from gradio_client.exceptions import AppError
from imageio_ffmpeg import get_ffmpeg_exe
from studio_doubles import USERS

from agents import Studio, film_name, project_folders

pytestmark = pytest.mark.slow


def login(url: str, user: str, password: str) -> httpx.Client:
    http = httpx.Client(base_url=url, follow_redirects=True, timeout=30)
    http.post("/login", data={"username": user, "password": password}).raise_for_status()
    return http


def clip(path: Path, seconds: float = 1.0) -> Path:
    """A real little H.264 MP4 (ffmpeg's test pattern)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size=160x96:rate=12:duration={seconds}",
         "-pix_fmt", "yuv420p", "-c:v", "libx264", str(path)], check=True,
    )
    return path


def shot_film(studio: Studio, owner: str, premise: str) -> tuple[str, list[Path]]:
    """A project of ``owner``'s whose takes and cut lie where the crew writes them (no crew needed: the
    guard is about files and owners, not about how they were made)."""
    project = studio.new(premise, runtime_s=10, owner=owner).id
    takes_dir, film_dir, _references = project_folders(studio.settings, project)
    takes = [clip(takes_dir / f"animatic-{owner}-{n}.mp4", 1 + n / 2) for n in range(2)]
    video = clip(film_dir / f"{film_name(project)}.mp4", 2)
    video.with_suffix(".srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello.\n")
    video.with_suffix(".otio").write_text(json.dumps({"OTIO_SCHEMA": "Timeline.1", "name": project}))
    studio.store.update_project(project, status="cut")
    return project, takes


def test_every_cached_file_of_a_project_is_served_to_its_owner_only(launched) -> None:
    _demo, url, studio = launched
    (alice, alice_pw), (bob, bob_pw) = USERS
    project, takes = shot_film(studio, alice, "A lighthouse keeper rescues a gull")
    client = Client(url, auth=(alice, alice_pw), verbose=False, download_files=False)

    # the URLs the page receives: the Final cut tab's film and downloads, and each card's take, copied into
    # the cache exactly as Gradio copies what a handler returns
    video, downloads = client.predict(project, api_name="/final_cut")
    urls = [video["url"], *(d["url"] for d in downloads)]
    assert sorted(Path(u).suffix for u in urls[1:]) == [".json", ".mp4", ".otio", ".srt"]
    cache = get_upload_folder()
    urls += [f"{url}gradio_api/file={save_file_to_cache(take, cache)}" for take in takes]

    alice_http, bob_http = login(url, alice, alice_pw), login(url, bob, bob_pw)
    for file_url in urls:
        path = file_url[file_url.index("/gradio_api/"):]
        assert alice_http.get(path).status_code == 200, path
        assert bob_http.get(path).status_code == 403, path
        assert bob_http.head(path).status_code == 403, path
        assert bob_http.get(path, headers={"Range": "bytes=0-99"}).status_code == 403, path
    assert httpx.get(urls[-1]).status_code in (401, 403)  # no login at all

    # and bob's /edit_shot on alice's project answers as every other endpoint does: no such project for him
    bob_client = Client(url, auth=(bob, bob_pw), verbose=False)
    with pytest.raises(AppError, match=f"no project '{project}' for you"):
        bob_client.predict(project, "s1-01", "MCU", 0, "", "", api_name="/edit_shot")

    # a cached copy that is no file of alice's projects (bob's take) is not hers either, and her own copy
    # stops being served once its original is gone (a deleted project leaves nothing readable behind)
    _bob_project, bob_takes = shot_film(studio, bob, "A robot learns to paint")
    bob_take = save_file_to_cache(bob_takes[0], cache)
    assert bob_http.get(f"/gradio_api/file={bob_take}").status_code == 200
    assert alice_http.get(f"/gradio_api/file={bob_take}").status_code == 403
    client.predict(project, api_name="/delete_project")
    assert alice_http.get(urls[0][urls[0].index("/gradio_api/"):]).status_code == 403
