"""Lock files: one per project while it exists; a deleted project's is gone on delete and at start-up."""

from __future__ import annotations

from pathlib import Path

from agents.production.locks import project_lock
from agents.settings import load_settings
from agents.studio import Studio


def test_start_up_removes_the_locks_of_projects_that_no_longer_exist(dailies_home: Path) -> None:
    studio = Studio(settings=load_settings())
    live = studio.new("A keeper and her son in a storm").id
    locks = dailies_home / "locks"
    with studio._lock(live):
        pass
    (locks / "deleted-long-ago-1a2b.lock").write_text("")
    studio.close()

    with project_lock(locks, "deleted-but-busy-3c4d", timeout_s=1):  # someone holds it right now
        again = Studio(settings=load_settings())
        again.close()
        assert (locks / "deleted-but-busy-3c4d.lock").exists()
    assert (locks / f"{live}.lock").exists()
    assert not (locks / "deleted-long-ago-1a2b.lock").exists()
