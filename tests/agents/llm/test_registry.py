"""``build_llm``: one setting picks the backend; a bad setting lists the valid forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.llm import BACKENDS, LLMConfigError, build_llm
from agents.llm.openai_backend import OpenAIBackend
from agents.llm.registry import FORMS
from agents.llm.scripted import ScriptedLLM
from agents.settings import load_settings


def test_every_backend_has_a_documented_form() -> None:
    assert {form.split(":")[0] for form in FORMS} == set(BACKENDS)


def test_openai_setting(tmp_path: Path) -> None:
    llm = build_llm("openai:http://127.0.0.1:8000/v1#smollm2", home=tmp_path)
    assert isinstance(llm, OpenAIBackend)
    assert llm.base_url == "http://127.0.0.1:8000/v1" and llm.model == "smollm2"


def test_scripted_setting(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text("[]")
    assert isinstance(build_llm(f"scripted:{tmp_path / 's.json'}", home=tmp_path), ScriptedLLM)


@pytest.mark.parametrize("spec", ["", "gpt", "openai:", "openai:localhost:8000#m", "openai:http://h/v1", "bundled:x", "transformers", "scripted:"])
def test_bad_settings_list_the_valid_forms(spec: str, tmp_path: Path) -> None:
    with pytest.raises(LLMConfigError) as info:
        build_llm(spec, home=tmp_path)
    assert "openai:http://HOST:PORT/v1#MODEL" in str(info.value) or "needs a URL" in str(info.value)


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_LLM", "openai:http://127.0.0.1:9/v1#m")
    assert load_settings().llm == "openai:http://127.0.0.1:9/v1#m"
    assert type(load_settings()).model_fields["llm"].default == "bundled"
