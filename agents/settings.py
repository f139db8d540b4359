"""Settings: environment variables prefixed ``DAILIES_``, then a TOML config file, then defaults.

Why here: ``agents`` is the composition root; it reads settings and builds the store, the LLM and the
generator from them. ``memory`` and ``generator`` take plain arguments and never read the environment.

The config file is ``$DAILIES_CONFIG`` if set, else ``$DAILIES_HOME/config.toml``. ``dailies config``
prints the effective values and where each came from.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_home() -> Path:
    return Path(os.environ.get("DAILIES_HOME") or platformdirs.user_data_dir("dailies", appauthor=False))


def config_file() -> Path:
    explicit = os.environ.get("DAILIES_CONFIG")
    return Path(explicit) if explicit else default_home() / "config.toml"


class Settings(BaseSettings):
    """Every knob of a Dailies installation, with its default."""

    model_config = SettingsConfigDict(env_prefix="DAILIES_", extra="ignore", validate_default=True)

    home: Path = Field(default_factory=default_home, description="Data folder: database, checkpoints, takes, cuts.")
    database_url: str | None = Field(None, description="SQLAlchemy URL of the story memory; default: SQLite at HOME/dailies.db.")
    checkpoint_url: str | None = Field(
        None, description="LangGraph checkpoints; default: SQLite at HOME/checkpoints.db (PostgreSQL URL when the store is PostgreSQL)."
    )
    llm: str = Field("bundled", description="LLM backend: 'bundled', 'transformers:MODEL', 'openai:URL#MODEL', 'scripted:FILE'.")
    backend: str = Field("animatic", description="Generator backend for renders: 'animatic', 'diffusers:PRESET'.")
    ffmpeg: str | None = Field(None, description="Path of an ffmpeg binary; default: the one bundled with imageio-ffmpeg.")
    animatic_longest_clip_s: float = Field(
        10.0, ge=1, le=120, allow_inf_nan=False,
        description="Longest shot the animatic renders in one clip, in seconds; the plan splits longer shots into coverage.",
    )
    width: int = Field(640, ge=16, le=8192, description="Render width in pixels.")
    height: int = Field(360, ge=16, le=8192, description="Render height in pixels.")
    fps: int = Field(24, ge=1, le=120, description="Frames per second of renders and the cut.")
    max_runtime_s: float = Field(
        600.0, ge=5, le=4 * 3600, allow_inf_nan=False,
        description="Longest film a project may ask for, in seconds (the studio page and `dailies new`/`make` share it).",
    )
    render_workers: int = Field(
        0, ge=0, le=256,
        description="Shots rendered and measured at once; 0 = automatic: the CPU cores for the animatic, one per GPU for diffusers.",
    )
    max_reshoots: int = Field(2, ge=0, le=20, description="Reshoots the critic may order per shot before escalating to the creator.")
    continuity_rounds: int = Field(3, ge=0, le=20, description="Rounds of continuity fixes before the plan goes to the creator as it is.")
    gpu_budget_s: float | None = Field(
        None, ge=0, allow_inf_nan=False, description="GPU seconds the critic may spend on reshoots for one film; None = no budget."
    )
    gpu_hour_price: float = Field(
        0.0, ge=0, le=1000, allow_inf_nan=False,
        description="Price of one GPU-hour in your currency, for the producer's estimates (`dailies estimate`); 0 = no cost shown.",
    )
    final_backend: str = Field(
        "diffusers:wan2.1-t2v-1.3b",
        description="Backend of the final tier: a promoted shot is rendered again with it (same plan, seed and references).",
    )
    quota_final_minutes: float | None = Field(
        None, ge=0, allow_inf_nan=False,
        description="Final-tier output minutes each user may render a month (e.g. 10 for a free tier); None = unlimited.",
    )
    moderation_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible moderation endpoint (POST URL/v1/moderations); None = rules (and judge) only.",
    )
    critic_llm: bool = Field(False, description="Add the LLM critic's opinion to the measured verdict (slower; off on the bundled model).")
    critic_encoder: str | None = Field(
        None, description="Hub id or folder of a CLIP/SigLIP-style vision encoder for identity and prompt adherence; None = off."
    )
    critic_thresholds: dict[str, float] = Field(
        default_factory=dict, description="Overrides of the critic's thresholds (generator.measure.thresholds.Thresholds)."
    )

    @field_validator("home", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return Path(value).expanduser() if isinstance(value, str | Path) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_file()))

    @cached_property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'dailies.db'}"

    @cached_property
    def checkpoints_url(self) -> str:
        if self.checkpoint_url:
            return self.checkpoint_url
        if self.store_url.startswith("postgresql"):
            return self.store_url
        return f"sqlite:///{self.home / 'checkpoints.db'}"

    @property
    def takes_dir(self) -> Path:
        return self.home / "takes"

    @property
    def cuts_dir(self) -> Path:
        return self.home / "cuts"

    def sources(self) -> dict[str, str]:
        """Where each value came from: 'env', 'config file' or 'default'."""
        file_values: dict[str, Any] = {}
        path = config_file()
        if path.is_file():
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        result = {}
        for name in type(self).model_fields:
            if f"DAILIES_{name.upper()}" in os.environ:
                result[name] = "env"
            elif name in file_values:
                result[name] = f"config file ({path})"
            else:
                result[name] = "default"
        return result


def load_settings(**overrides: Any) -> Settings:
    """The effective settings; a wrong value or an unreadable config file is one ``SettingsError`` that names
    the ``DAILIES_*`` variable (or the config key) and what it accepts — never a traceback later."""
    from agents.errors import SettingsError

    try:
        return Settings(**overrides)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"the config file {config_file()} is not valid TOML ({exc}); fix it or unset DAILIES_CONFIG") from exc
    except OSError as exc:
        raise SettingsError(f"the config file {config_file()} cannot be read ({exc.strerror or exc})") from exc
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from exc


def describe(exc: ValidationError) -> str:
    """One line per wrong setting, each naming where its value came from."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        value = os.environ.get(f"DAILIES_{name.upper()}", error.get("input"))
        lines.append(f"{setting_label(name, value)} is not valid: {error['msg']}")
    return "; ".join(lines)


def setting_label(name: str, value: object) -> str:
    """How a person finds the setting: ``DAILIES_NAME='value'`` when the environment sets it, else
    ``config key name = 'value' (FILE)``."""
    if f"DAILIES_{name.upper()}" in os.environ:
        return f"DAILIES_{name.upper()}={value!r}"
    return f"config key {name} = {value!r} ({config_file()})"
