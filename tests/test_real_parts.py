"""The CI switch: with ``CI=true`` a test whose real part is missing fails; locally it skips (issue 18).

Why a test: the switch is what makes a green CI mean PostgreSQL, Chromium, ffprobe and vLLM really ran.
If ``missing_real_part`` skipped under CI too, every PostgreSQL test would go quietly yellow and CI green.
Runs one real PostgreSQL test of the suite in a child pytest with no database configured, once as CI
and once as a developer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_TEST = "tests/memory/test_memory_postgres.py::test_shot_list_and_fountain"


def _run(extra_env: dict[str, str]) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "DAILIES_REQUIRE_REAL_PARTS", "DAILIES_TEST_POSTGRES_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs", POSTGRES_TEST],
        cwd=ROOT, env={**env, **extra_env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("switch", [{"CI": "true"}, {"DAILIES_REQUIRE_REAL_PARTS": "1"}])
def test_under_ci_a_missing_database_is_a_failure(switch: dict[str, str]) -> None:
    code, out = _run(switch)  # a setup failure: pytest reports it as an error, and exits non-zero
    assert code != 0 and "1 error" in out and "skipped" not in out, out[-2000:]
    assert "CI requires every real part" in out and "needs postgres" in out, out[-2000:]


def test_locally_a_missing_database_is_a_skip_with_the_hint() -> None:
    code, out = _run({})
    assert code == 0 and "1 skipped" in out and "DAILIES_TEST_POSTGRES_URL" in out, out[-2000:]
