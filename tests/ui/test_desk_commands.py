"""``dailies api-key create``, ``dailies promote``, ``dailies usage`` and ``dailies cut --tier`` on a shot film.

The final tier here is the animatic again (``DAILIES_FINAL_BACKEND=animatic``): no quality preset runs on
this CPU machine; the promotion's bookkeeping is what is checked.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agents.production.decisions import CreatorDecision
from agents.settings import load_settings
from agents.studio import Studio
from generator.animatic.backend import AnimaticBackend
from ui.cli import app

sys.path.insert(0, str(Path(__file__).parents[1] / "agents"))
from doubles import scripted_crew


def test_an_api_key_is_printed_once_and_stored_hashed(dailies_home: Path) -> None:
    result = CliRunner().invoke(app, ["api-key", "create", "ana"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    studio = Studio(settings=load_settings())
    assert studio.user_for_api_key(key) == "ana" and studio.user_for_api_key(key + "x") is None
    secret = key.rsplit("_", 1)[1]
    assert secret.encode() not in (dailies_home / "dailies.db").read_bytes()
    assert CliRunner().invoke(app, ["api-key", "create", "../evil"]).exit_code == 1


def test_promote_shows_the_cost_renders_only_the_shot_and_usage_counts_it(dailies_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"WIDTH": "320", "HEIGHT": "180", "FPS": "12", "FINAL_BACKEND": "animatic"}.items():
        monkeypatch.setenv(f"DAILIES_{name}", value)
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend())
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    studio.run(project)
    pending = studio.decide_all(project, CreatorDecision(kind="approve_plan"))
    while pending is not None and pending.what == "shots":
        pending = studio.decide_all(project, CreatorDecision(kind="approve", shot=pending.shots[0]))
    target = studio.store.shots(project)[0].key

    refused = CliRunner().invoke(app, ["promote", project, "--shot", target], input="n\n")
    assert refused.exit_code == 1 and "promotion to final: 1 shots on animatic" in refused.output
    assert all(t.tier == "draft" for t in studio.store.takes(project))  # said no: nothing rendered

    result = CliRunner().invoke(app, ["promote", project, "--shot", target, "--yes"])
    assert result.exit_code == 0, result.output
    finals = [t for t in studio.store.takes(project) if t.tier == "final"]
    assert [t.shot_id for t in finals] == [studio.store.shot(project, target).id]

    usage = CliRunner().invoke(app, ["usage"])
    assert usage.exit_code == 0 and "(local)" in usage.output and "final:" in usage.output and "unlimited" in usage.output
    cut = CliRunner().invoke(app, ["cut", project, "--tier", "final", "--json"])
    assert cut.exit_code == 0, cut.output
    assert "/final/" in cut.output and "not promoted yet" in cut.output
    assert CliRunner().invoke(app, ["cut", project, "--tier", "gold"]).exit_code == 1


def test_promote_refuses_what_it_cannot_render_in_one_line(dailies_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_QUOTA_FINAL_MINUTES", "0")
    studio = Studio(settings=load_settings(), llm=scripted_crew(), generator=AnimaticBackend())
    project = studio.new("A keeper and her son in a storm", runtime_s=12).id
    result = CliRunner().invoke(app, ["promote", project, "--all", "--yes"])
    assert result.exit_code == 1 and "error: project" in result.output and "no planned shots" in result.output
    studio.run(project)  # planned, not shot: no approved draft to promote
    result = CliRunner().invoke(app, ["promote", project, "--all", "--yes"])
    assert result.exit_code == 1 and "approve a draft take first" in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_dailies_serve_starts_the_page_and_the_api_in_one_process(tmp_path: Path, dailies_home: Path) -> None:
    import os
    import subprocess
    import time

    import httpx
    from studio_doubles import free_port, users_file

    port, users = free_port(), users_file(tmp_path / "users.txt")
    process = subprocess.Popen(
        [sys.executable, "-c", "from ui.cli import main; main()", "serve", "--port", str(port), "--users", str(users)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "DAILIES_HOME": str(dailies_home)},
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.stdout is not None:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if line.startswith("http"):
                break
        assert lines[0].startswith("API: ") and lines[-1] == f"http://127.0.0.1:{port}/", lines
        key = CliRunner().invoke(app, ["api-key", "create", "ana"]).output.strip().splitlines()[-1]
        assert httpx.get(f"{lines[-1]}api/v1/docs", timeout=30).status_code == 200
        assert httpx.get(f"{lines[-1]}api/v1/projects", timeout=30).status_code == 401
        assert httpx.get(f"{lines[-1]}api/v1/projects", headers={"Authorization": f"Bearer {key}"}, timeout=30).json() == []
        assert httpx.get(lines[-1], timeout=30).status_code == 200  # the page, from the same process
    finally:
        process.terminate()
        process.wait(20)
