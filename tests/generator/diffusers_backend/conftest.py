"""Fixtures for the diffusers backend: tiny random-weight pipelines (no downloads) and a reference image."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from generator.base import RenderRequest
from generator.diffusers_backend.presets import Preset
from generator.diffusers_backend.tiny import TINY_MAX_SEQUENCE_LENGTH, tiny_pipeline


class CountingLoader:
    """Builds tiny pipelines and counts how often each (preset, kind) was loaded."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()

    def __call__(self, preset: Preset, kind: str) -> Any:
        self.calls[(preset.name, kind)] += 1
        return tiny_pipeline(preset, kind)


@pytest.fixture
def loader() -> CountingLoader:
    return CountingLoader()


@pytest.fixture
def tiny_options() -> dict[str, Any]:
    return {"max_sequence_length": TINY_MAX_SEQUENCE_LENGTH}


@pytest.fixture
def reference_png(tmp_path: Path) -> str:
    path = tmp_path / "refs" / "mara.png"
    path.parent.mkdir()
    Image.new("RGB", (80, 60), (200, 40, 40)).save(path)
    return str(path)


def tiny_request(**overrides: Any) -> RenderRequest:
    fields: dict[str, Any] = {
        "prompt": "the lighthouse keeper in a grey coat and red scarf turns from the lamp",
        "staging": [{"id": "mara", "name": "Mara", "x": 0.3, "facing": "right"}],
        "width": 64, "height": 64, "frames": 9, "fps": 8, "steps": 2, "seed": 3,
    }  # fmt: skip
    fields.update(overrides)
    return RenderRequest(**fields)


@pytest.fixture
def request_factory():
    return tiny_request
