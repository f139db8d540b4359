"""Every setting is checked when the studio opens: a wrong one is one ``SettingsError`` that names the
``DAILIES_*`` variable (or the config key) and what it accepts, and nothing is created."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents import SettingsError, Studio, load_settings


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DAILIES_WIDTH", "-5", "greater than or equal to 16"),
        ("DAILIES_WIDTH", "abc", "valid integer"),
        ("DAILIES_FPS", "0", "greater than or equal to 1"),
        ("DAILIES_GPU_BUDGET_S", "inf", "finite"),
        ("DAILIES_BACKEND", "nonsense", "available: animatic"),
        ("DAILIES_BACKEND", "diffusers:no-such-preset", "diffusers:wan2.1-t2v-1.3b"),
        ("DAILIES_LLM", "gpt-4", "valid forms: bundled"),
        ("DAILIES_LLM", "openai:localhost#m", "openai:http://HOST:PORT/v1#MODEL"),
        ("DAILIES_DATABASE_URL", "nosuch://x", "sqlite:///PATH"),
    ],
)
def test_a_wrong_setting_names_itself_and_creates_nothing(
    variable: str, value: str, says: str, dailies_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        Studio(load_settings())
    message = str(caught.value)
    assert message.startswith(f"{variable}={value!r} is not"), message
    assert says in message
    assert not dailies_home.exists(), "a refused setting must not create the data folder"


def test_a_broken_config_file_is_named(dailies_home: Path) -> None:
    dailies_home.mkdir()
    (dailies_home / "config.toml").write_text("width = [\n")
    with pytest.raises(SettingsError, match=r"config\.toml is not valid TOML"):
        load_settings()


def test_a_wrong_config_key_is_named_with_its_file(dailies_home: Path) -> None:
    dailies_home.mkdir()
    (dailies_home / "config.toml").write_text("height = 3\n")
    with pytest.raises(SettingsError, match=r"^config key height = 3 \(.*config\.toml\) is not valid"):
        load_settings()


def test_good_settings_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_BACKEND", "diffusers:ltx-video?vae_tiling=true")
    monkeypatch.setenv("DAILIES_LLM", "openai:http://127.0.0.1:8000/v1#smol")
    monkeypatch.setenv("DAILIES_DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/db")
    settings = load_settings()
    from agents.preflight import check_settings

    assert check_settings(settings) is settings
