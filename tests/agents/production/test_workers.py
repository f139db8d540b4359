"""Render width: the setting when given, else one per GPU for diffusers, else the CPU cores; bad values refused."""

from __future__ import annotations

import pytest

from agents import SettingsError
from agents.production.workers import render_workers, visible_gpus
from agents.settings import load_settings


def test_automatic_width_follows_the_device() -> None:
    assert render_workers(load_settings(backend="animatic"), cpus=6, gpus=2) == 6
    assert render_workers(load_settings(backend="diffusers:wan2.1-t2v-1.3b"), cpus=6, gpus=2) == 2
    assert render_workers(load_settings(backend="diffusers:wan2.1-t2v-1.3b"), cpus=6, gpus=0) == 1  # never zero


def test_the_setting_overrides_the_device() -> None:
    assert render_workers(load_settings(backend="animatic", render_workers=3), cpus=16, gpus=0) == 3


def test_a_negative_width_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAILIES_RENDER_WORKERS", "-1")
    with pytest.raises(SettingsError, match="DAILIES_RENDER_WORKERS"):
        load_settings()


def test_visible_gpus_reads_cuda_visible_devices() -> None:
    assert visible_gpus({"CUDA_VISIBLE_DEVICES": "0,1,3"}) == 3
    assert visible_gpus({"CUDA_VISIBLE_DEVICES": ""}) == 0
    assert visible_gpus({"CUDA_VISIBLE_DEVICES": "-1"}) == 0
