"""Tiny random-weight pipelines built from config: every preset's real pipeline class, runnable on a CPU.

Why this exists: tests and ``bench/gpu_render.py --tiny`` must exercise the same code path as production
(the real ``WanPipeline``, ``LTXPipeline``… with our backend around it) without downloading weights.
Following the diffusers test suite's ``get_dummy_components()``, each family gets a transformer, VAE,
scheduler and text encoder a few kilobytes in size. No installed package ships a tokenizer, so one is
built in-process with ``tokenizers`` (a word-level vocabulary with ``<pad>``, ``</s>``, ``<unk>``).

Constraints that matter: Wan's ``text_dim`` equals the text encoder's ``d_model`` (32 here); Wan and
CogVideoX take 4k+1 frames, LTX-Video 8k+1; sizes are multiples of 16 (32 for Wan 2.2 and LTX).
CogVideoX's image-to-video transformer uses learned positional embeddings sized for one resolution,
so it is built for the requested size.
"""

from __future__ import annotations

from typing import Any

import torch

from generator.diffusers_backend.presets import Preset

TEXT_WIDTH = 32
_WORDS = [
    "a",
    "the",
    "of",
    "and",
    "in",
    "on",
    "at",
    "to",
    "with",
    "from",
    "is",
    "are",
    "man",
    "woman",
    "lighthouse",
    "keeper",
    "sea",
    "night",
    "day",
    "room",
    "lamp",
    "coat",
    "scarf",
    "red",
    "grey",
    "blue",
    "yellow",
    "walks",
    "turns",
    "looks",
    "left",
    "right",
    "camera",
    "close",
    "wide",
    "shot",
    "face",
    "storm",
    "rain",
    "harbour",
    "door",
]


def tiny_tokenizer() -> Any:
    """A word-level fast tokenizer with T5's special tokens, built in memory."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {tok: i for i, tok in enumerate(["<pad>", "</s>", "<unk>", *_WORDS])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.normalizer = normalizers.Lowercase()
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", eos_token="</s>", unk_token="<unk>", model_max_length=512
    )


def tiny_text_encoder(vocab_size: int) -> Any:
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(0)
    config = T5Config(
        vocab_size=vocab_size, d_model=TEXT_WIDTH, d_kv=8, d_ff=37, num_layers=2, num_heads=4,
        relative_attention_num_buckets=8, relative_attention_max_distance=16,
    )  # fmt: skip
    return T5EncoderModel(config).eval()


def _text() -> dict[str, Any]:
    tokenizer = tiny_tokenizer()
    return {"tokenizer": tokenizer, "text_encoder": tiny_text_encoder(len(tokenizer))}


def _wan(kind: str, width: int, height: int, frames: int) -> dict[str, Any]:
    from diffusers import AutoencoderKLWan, FlowMatchEulerDiscreteScheduler, WanTransformer3DModel

    torch.manual_seed(0)
    vae = AutoencoderKLWan(
        base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True]
    )
    i2v = kind == "i2v"
    torch.manual_seed(0)
    transformer = WanTransformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=36 if i2v else 16,
        out_channels=16, text_dim=TEXT_WIDTH, freq_dim=256, ffn_dim=32, num_layers=2, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", rope_max_seq_len=32, image_dim=4 if i2v else None,
    )  # fmt: skip
    parts: dict[str, Any] = {
        "vae": vae,
        "transformer": transformer,
        "scheduler": FlowMatchEulerDiscreteScheduler(shift=7.0),
        **_text(),
    }
    if i2v:
        from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

        torch.manual_seed(0)
        config = CLIPVisionConfig(hidden_size=4, projection_dim=4, num_hidden_layers=2, num_attention_heads=2,
                                  image_size=32, intermediate_size=16, patch_size=1)  # fmt: skip
        parts["image_encoder"] = CLIPVisionModelWithProjection(config).eval()
        parts["image_processor"] = CLIPImageProcessor(crop_size=32, size=32)
    else:
        parts["transformer_2"] = None
    return parts


def _wan22(kind: str, width: int, height: int, frames: int) -> dict[str, Any]:
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanTransformer3DModel

    torch.manual_seed(0)
    vae = AutoencoderKLWan(
        base_dim=3, z_dim=48, in_channels=12, out_channels=12, is_residual=True, patch_size=2,
        latents_mean=[0.0] * 48, latents_std=[1.0] * 48, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
        scale_factor_spatial=16, scale_factor_temporal=4, temperal_downsample=[False, True, True],
    )  # fmt: skip
    torch.manual_seed(0)
    transformer = WanTransformer3DModel(
        patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=48, out_channels=48,
        text_dim=TEXT_WIDTH, freq_dim=256, ffn_dim=32, num_layers=2, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", rope_max_seq_len=32,
    )  # fmt: skip
    scheduler = UniPCMultistepScheduler(
        prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0
    )
    parts = {"vae": vae, "transformer": transformer, "scheduler": scheduler, "transformer_2": None,
             "boundary_ratio": None, "expand_timesteps": True, **_text()}  # fmt: skip
    if kind == "i2v":
        parts.update(image_encoder=None, image_processor=None)
    return parts


def _ltx(kind: str, width: int, height: int, frames: int) -> dict[str, Any]:
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXVideoTransformer3DModel

    torch.manual_seed(0)
    transformer = LTXVideoTransformer3DModel(
        in_channels=8, out_channels=8, patch_size=1, patch_size_t=1, num_attention_heads=4, attention_head_dim=8,
        cross_attention_dim=32, num_layers=2, caption_channels=TEXT_WIDTH,
    )  # fmt: skip
    torch.manual_seed(0)
    vae = AutoencoderKLLTXVideo(
        latent_channels=8, block_out_channels=(8, 8, 8, 8), decoder_block_out_channels=(8, 8, 8, 8),
        spatio_temporal_scaling=(True, True, False, False), decoder_spatio_temporal_scaling=(True, True, False, False),
        layers_per_block=(1, 1, 1, 1, 1), decoder_layers_per_block=(1, 1, 1, 1, 1),
        patch_size=1, patch_size_t=1, encoder_causal=True, decoder_causal=False,
    )  # fmt: skip
    vae.use_framewise_encoding = False  # type: ignore[attr-defined]
    vae.use_framewise_decoding = False  # type: ignore[attr-defined]
    return {"vae": vae, "transformer": transformer, "scheduler": FlowMatchEulerDiscreteScheduler(), **_text()}


def _cogvideox(kind: str, width: int, height: int, frames: int) -> dict[str, Any]:
    from diffusers import AutoencoderKLCogVideoX, CogVideoXTransformer3DModel, DDIMScheduler

    i2v = kind == "i2v"
    torch.manual_seed(0)
    transformer = CogVideoXTransformer3DModel(
        num_attention_heads=2 if i2v else 4, attention_head_dim=16 if i2v else 8, in_channels=8 if i2v else 4,
        out_channels=4, time_embed_dim=2, text_embed_dim=TEXT_WIDTH, num_layers=2,
        sample_width=width // 8, sample_height=height // 8, sample_frames=frames, patch_size=2,
        temporal_compression_ratio=4, max_text_seq_length=16,
        use_rotary_positional_embeddings=i2v, use_learned_positional_embeddings=i2v,
    )  # fmt: skip
    torch.manual_seed(0)
    blocks = ("CogVideoXDownBlock3D",) * 4
    vae = AutoencoderKLCogVideoX(
        in_channels=3, out_channels=3, down_block_types=blocks, up_block_types=("CogVideoXUpBlock3D",) * 4,
        block_out_channels=(8, 8, 8, 8), latent_channels=4, layers_per_block=1, norm_num_groups=2, temporal_compression_ratio=4,
    )  # fmt: skip
    return {"vae": vae, "transformer": transformer, "scheduler": DDIMScheduler(), **_text()}


_BUILDERS = {"wan": _wan, "wan22": _wan22, "ltx": _ltx, "cogvideox": _cogvideox}
#: The longest prompt the tiny text encoders see (keeps CogVideoX's max_text_seq_length consistent).
TINY_MAX_SEQUENCE_LENGTH = 16


def tiny_pipeline(
    preset: Preset, kind: str = "t2v", *, width: int = 64, height: int = 64, frames: int = 9
) -> Any:
    """The preset's real pipeline class (``kind`` 't2v' or 'i2v') over tiny random components."""
    import diffusers

    spec = preset.t2v if kind == "t2v" else preset.i2v
    if spec is None:
        raise ValueError(f"{preset.name} has no {kind} pipeline")
    components = _BUILDERS[preset.family](kind, width, height, frames)
    pipe = getattr(diffusers, spec.cls)(**components)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def tiny_casting_pipeline() -> Any:
    """A tiny PixArt-Sigma image pipeline (the ``pixart-sigma`` casting model's class) for casting tests."""
    from diffusers import AutoencoderKL, DDIMScheduler, PixArtSigmaPipeline, PixArtTransformer2DModel

    torch.manual_seed(0)
    transformer = PixArtTransformer2DModel(
        sample_size=8, num_layers=2, patch_size=2, attention_head_dim=8, num_attention_heads=3,
        caption_channels=TEXT_WIDTH, in_channels=4, cross_attention_dim=24, out_channels=8, attention_bias=True,
        activation_fn="gelu-approximate", num_embeds_ada_norm=1000, norm_type="ada_norm_single",
        norm_elementwise_affine=False, norm_eps=1e-6,
    )  # fmt: skip
    torch.manual_seed(0)
    pipe = PixArtSigmaPipeline(
        vae=AutoencoderKL(), transformer=transformer, scheduler=DDIMScheduler(), **_text()
    )
    pipe.set_progress_bar_config(disable=True)  # type: ignore[attr-defined]  # a DiffusionPipeline method the stubs miss
    return pipe
