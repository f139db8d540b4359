"""Fixtures for the voice tests: one real piper backend per session (the model loads once, ~0.5 s), a tiny
random VITS model saved to a folder (built from its config, never downloaded), and a counting wrapper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from counting_voice import Counting

from generator.voice.piper_backend import PiperBackend


@pytest.fixture(scope="session")
def piper() -> PiperBackend:
    return PiperBackend()


@pytest.fixture
def counting(piper: PiperBackend) -> Counting:
    return Counting(piper)


@pytest.fixture(scope="session")
def tiny_vits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a ~22k-parameter random VITS model and its character tokenizer, as the hub would."""
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder = tmp_path_factory.mktemp("tiny-vits")
    vocab = {c: i for i, c in enumerate(["<pad>", *" abcdefghijklmnopqrstuvwxyz',.?!-"])}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = VitsTokenizer(
        str(folder / "vocab.json"),
        pad_token="<pad>",
        unk_token="<pad>",
        add_blank=True,
        normalize=True,
        phonemize=False,
    )
    config = VitsConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=32, flow_size=16,
        spectrogram_bins=33, upsample_initial_channel=16, upsample_rates=[8, 8, 4], upsample_kernel_sizes=[16, 16, 8],
        resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1, 3, 5]], prior_encoder_num_flows=1,
        prior_encoder_num_wavenet_layers=1, posterior_encoder_num_wavenet_layers=1, duration_predictor_num_flows=1,
        duration_predictor_filter_channels=16, depth_separable_num_layers=1, sampling_rate=16000,
    )  # fmt: skip
    import torch

    torch.manual_seed(0)  # the same tiny model whatever ran before: its durations are part of what tests compare
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
