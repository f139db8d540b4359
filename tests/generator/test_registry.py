"""The backend registry: specs, factories, clear errors."""

from __future__ import annotations

import pytest

from generator import registry
from generator.base import Generator
from generator.errors import BackendUnavailable, BadRequest


def test_parse_spec() -> None:
    assert registry.parse_spec("diffusers:wan2.1-t2v-1.3b") == ("diffusers", "wan2.1-t2v-1.3b")
    assert registry.parse_spec(" Animatic ") == ("animatic", None)


def test_get_builds_a_generator() -> None:
    backend = registry.get("animatic", preset="veryfast")
    assert isinstance(backend, Generator) and backend.name == "animatic"


def test_unknown_names_list_what_exists() -> None:
    with pytest.raises(BackendUnavailable, match=r"available: animatic, diffusers:"):
        registry.get("sora")
    with pytest.raises(BadRequest, match="no variants"):
        registry.get("animatic:fast")


def test_available_lists_every_preset() -> None:
    names = registry.available()
    assert names[0] == "animatic"
    assert {"diffusers:wan2.1-t2v-1.3b", "diffusers:ltx-video", "diffusers:cogvideox-2b"} <= set(names)


def test_options_can_ride_in_the_spec() -> None:
    assert registry.parse_spec("diffusers:ltx-video?compile=regional") == ("diffusers", "ltx-video")
    assert registry.spec_options("diffusers:ltx-video?compile=regional&vae_tiling=true&cache_threshold=0.1&cpu_offload=off") == {
        "compile": "regional", "vae_tiling": True, "cache_threshold": 0.1, "cpu_offload": "off",
    }  # fmt: skip
    backend = registry.get("animatic?preset=veryfast&crf=30")
    assert (backend.preset, backend.crf) == ("veryfast", 30)  # type: ignore[attr-defined]
    assert registry.get("animatic?crf=30", crf=20).crf == 20  # type: ignore[attr-defined]


def test_spec_options_reach_the_diffusers_backend() -> None:
    backend = registry.get("diffusers:cogvideox-2b?vae_tiling=yes&cache=fbc")
    assert backend.options.vae_tiling is True and backend.options.cache == "fbc"  # type: ignore[attr-defined]
    with pytest.raises(BadRequest, match="unknown diffusers option"):
        registry.get("diffusers:cogvideox-2b?turbo=1")
