"""Benchmark: a video model's shot, stock diffusers pipeline vs our backend with its speed options.

Cases (real architectures from config, random weights — compute does not depend on weight values):
- Wan2.1-T2V-1.3B at 832×480, 81 frames, guidance 5.0 (two transformer forwards per step);
- LTX-Video 2B at 768×512, 121 frames, guidance 3.0.

Variants, measured in one run on the same pipeline object (one warm-up call each, then ``--repeats``):
- ``stock``: the diffusers pipeline as built (bf16, default attention), called directly;
- ``ours``: ``DiffusersBackend`` with exact speed options (regional ``torch.compile`` of the repeated
  transformer block, ``--attention`` backend): same pixels up to kernel numerics;
- ``ours_cache``: the same plus the first-block cache (approximate). Its hit rate on random weights says
  nothing about a trained model's, so it is reported apart and not used for the speed-up target.

Both sides are timed the same way (``StepClock``): the shared pipeline's ``scheduler.step`` — called once
per denoising step whichever side drives the pipeline — is wrapped to synchronise the device and stamp the
time, so a step is the same span of GPU work on both sides (the backend's own per-step timings are not
synchronised and are not used here). A shot is the pipeline call, synchronised before and after.

Same pixels: before the timed ``ours`` runs, the backend renders once with settings identical to stock
(no compile, default attention, no cache, same seed, steps, guidance, size and prompt) and the decoded
video (the VAE's output, before post-processing) is compared with stock's; the ``pixel_check`` line says
whether they are bit-identical and the largest difference.

Each JSON line: seconds per denoising step (median), per transformer forward, whole-shot seconds
(denoise + VAE decode), GPU-seconds per second of output video, the compute floor per forward at
``--peak-tflops`` (dense bf16; 800 ≈ an H100 SXM in practice) and the fraction of it reached, and the
speed-up over stock. Targets (issue 6): ours ≥ 1.5× stock per shot, and ≥ 70 % of the floor.

``--tiny`` runs the same code on the CPU with tiny random components at 64×64×9: a smoke test of the
script, the backend and the pixel check. Its timings are not speed-ups (a few kilobytes of weights on a
CPU say nothing about a GPU), so its lines carry ``"smoke": true`` and ``speedup_vs_stock: null``, with
the raw ratio as ``smoke_time_ratio_vs_stock``.

Run on a GPU:  ``.venv/bin/python bench/gpu_render.py > bench/results/gpu_render_h100.jsonl``
Run on a CPU:  ``.venv/bin/python bench/gpu_render.py --tiny > bench/results/gpu_render_tiny_cpu.jsonl``
Check that the real architectures build and run (CPU, minutes, meaningless numbers):
``.venv/bin/python bench/gpu_render.py --device cpu --size 64x64x9 --steps 2 --repeats 1 --compile off --skip-cache``
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from bench.machine import machine, uptime
from generator.base import RenderRequest
from generator.diffusers_backend.backend import DiffusersBackend
from generator.diffusers_backend.presets import PRESETS, Preset
from generator.diffusers_backend.tiny import TINY_MAX_SEQUENCE_LENGTH, tiny_pipeline, tiny_tokenizer
from generator.errors import GeneratorError

PROMPT = "a lighthouse keeper turns from the lamp"
NEGATIVE = "blurry"


@dataclass(frozen=True)
class Case:
    model: str
    preset: str
    width: int
    height: int
    frames: int
    fps: int
    guidance: float
    hidden: int  # transformer width
    ffn: int
    layers: int
    tokens_per_latent: tuple[int, int, int]  # temporal, spatial compression × patch (frames, height, width)


CASES = {
    "wan2.1-1.3b": Case(
        "Wan2.1-T2V-1.3B", "wan2.1-t2v-1.3b", 832, 480, 81, 16, 5.0, 1536, 8960, 30, (4, 16, 16)
    ),
    "ltx-video-2b": Case("LTX-Video-2B", "ltx-video", 768, 512, 121, 24, 3.0, 2048, 8192, 28, (8, 32, 32)),
}


def tokens(case: Case, width: int, height: int, frames: int) -> int:
    t, h, w = case.tokens_per_latent
    return ((frames - 1) // t + 1) * (height // h) * (width // w)


def forward_flops(case: Case, seq: int, text: int = 512) -> float:
    """Dense FLOPs of one transformer forward: projections, self-attention, cross-attention, MLP."""
    d, f = case.hidden, case.ffn
    linear = (
        2 * seq * (4 * d * d + 2 * d * d + 2 * d * f) + 2 * text * 2 * d * d
    )  # qkvo, cross q/o, mlp; cross k/v on text
    attention = 4 * seq * seq * d + 4 * seq * text * d
    return case.layers * (linear + attention)


def _init_small(module: torch.nn.Module) -> None:
    """Random weights with a transformer-like scale, so random activations stay finite in bf16."""
    with torch.no_grad():
        for p in module.parameters():
            if p.ndim >= 2:
                p.normal_(0.0, 0.02)


def real_pipeline(case: Case, device: str, dtype: torch.dtype) -> Any:
    """The case's real pipeline class over its real transformer and VAE architectures, random weights.

    The text encoder is a one-layer T5 of the real width (4096): prompt encoding is the same for every
    variant and negligible next to the denoising loop, so a full UMT5-XXL/T5-XXL is not built.
    """
    import diffusers
    from transformers import T5Config, T5EncoderModel

    tokenizer = tiny_tokenizer()
    text_encoder: Any
    transformer: Any
    vae: Any
    scheduler: Any
    with torch.device(device):
        text_encoder = T5EncoderModel(T5Config(vocab_size=len(tokenizer), d_model=4096, d_kv=128, d_ff=4096,
                                               num_layers=1, num_heads=32))  # fmt: skip
        if case.preset.startswith("wan"):
            transformer = diffusers.WanTransformer3DModel(
                patch_size=(1, 2, 2), num_attention_heads=12, attention_head_dim=128, in_channels=16, out_channels=16,
                text_dim=4096, freq_dim=256, ffn_dim=8960, num_layers=30, cross_attn_norm=True,
                qk_norm="rms_norm_across_heads", eps=1e-6, rope_max_seq_len=1024,
            )  # fmt: skip
            vae = diffusers.AutoencoderKLWan()
            scheduler = diffusers.UniPCMultistepScheduler(
                prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0
            )
            parts = {"transformer_2": None}
        else:
            transformer = diffusers.LTXVideoTransformer3DModel()
            vae = diffusers.AutoencoderKLLTXVideo()
            scheduler = diffusers.FlowMatchEulerDiscreteScheduler(
                base_image_seq_len=1024, base_shift=0.95, max_image_seq_len=4096, max_shift=2.05, shift_terminal=0.1,
                use_dynamic_shifting=True,
            )  # fmt: skip
            parts = {}
    for module in (text_encoder, transformer, vae):
        _init_small(module)
    cls = getattr(diffusers, PRESETS[case.preset].t2v.cls)  # type: ignore[union-attr]
    pipe = cls(tokenizer=tokenizer, text_encoder=text_encoder.to(dtype), transformer=transformer.to(dtype),
               vae=vae.to(dtype), scheduler=scheduler, **parts)  # fmt: skip
    pipe.set_progress_bar_config(disable=True)
    return pipe


def sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


class StepClock:
    """Times every denoising step the same way whichever side drives the pipeline, and keeps its pixels.

    Stock and ours call the same pipeline object, whose ``scheduler.step`` runs once per step on both sides;
    the wrapper synchronises the device after it and stamps the time. With ``keep_pixels`` the VAE's
    decoded video (before post-processing) of the last call is kept on the CPU for the pixel check — off
    while timing, so the copy is never inside a timed shot.
    """

    def __init__(self, pipe: Any, device: str) -> None:
        self.device = device
        self.marks: list[float] = []
        self.keep_pixels = False
        self.pixels: torch.Tensor | None = None
        scheduler_step, vae_decode = pipe.scheduler.step, pipe.vae.decode

        def step(*args: Any, **kwargs: Any) -> Any:
            out = scheduler_step(*args, **kwargs)
            sync(self.device)
            self.marks.append(time.perf_counter())
            return out

        def decode(*args: Any, **kwargs: Any) -> Any:
            out = vae_decode(*args, **kwargs)
            if self.keep_pixels:
                sample = out[0] if isinstance(out, tuple) else out.sample
                self.pixels = sample.detach().to("cpu", torch.float32).clone()
            return out

        pipe.scheduler.step = step
        pipe.vae.decode = decode

    def start(self) -> None:
        sync(self.device)
        self.marks = []

    def per_step(self, steps: int, shot_s: float) -> float:
        """Median seconds between consecutive steps (the first step, which follows prompt encoding, has no
        start mark on either side and is left out)."""
        spans = [b - a for a, b in itertools.pairwise(self.marks)]
        return statistics.median(spans) if spans else shot_s / steps


def run_stock(
    pipe: Any, clock: StepClock, preset: Preset, args: Any, *, steps: int, seed: int, msl: int | None
) -> tuple[float, float]:
    """(whole-shot seconds, median seconds per step) of a direct pipeline call."""
    kwargs: dict[str, Any] = {
        "prompt": PROMPT, "negative_prompt": NEGATIVE, "height": args.height,
        "width": args.width, "num_frames": args.frames, "num_inference_steps": steps, "guidance_scale": args.guidance,
        "generator": torch.Generator("cpu").manual_seed(seed), "output_type": "np",
        "max_sequence_length": msl or preset.max_sequence_length, **preset.call_extras,
    }  # fmt: skip
    if preset.passes_frame_rate:
        kwargs["frame_rate"] = args.fps
    clock.start()
    start = time.perf_counter()
    pipe(**kwargs)
    sync(args.device)
    total = time.perf_counter() - start
    return total, clock.per_step(steps, total)


def run_ours(
    backend: DiffusersBackend, clock: StepClock, args: Any, out: Path, *, steps: int, seed: int
) -> tuple[float, float]:
    """(whole-shot seconds, median seconds per step) of the backend's render: the pipeline call as the
    backend times it (its output is copied to the CPU, which synchronises), steps by the same clock."""
    request = RenderRequest(
        prompt=PROMPT, negative_prompt=NEGATIVE, width=args.width, height=args.height,
        frames=args.frames, fps=args.fps, steps=steps, guidance=args.guidance, seed=seed,
    )  # fmt: skip
    clock.start()
    take = backend.render(request, out)
    total = take.timings["denoise_and_decode"]
    return total, clock.per_step(steps, total)


def pixel_check(
    pipe: Any, clock: StepClock, preset: Preset, args: Any, *, steps: int, seed: int, msl: int | None
) -> dict[str, Any]:
    """Stock and our backend with identical settings (no compile, default attention, no cache) render the
    same seed: are the decoded videos bit-identical? Run before the timed ``ours`` variants, which may
    compile the shared transformer in place."""
    clock.keep_pixels = True
    try:
        run_stock(pipe, clock, preset, args, steps=steps, seed=seed, msl=msl)
        stock = clock.pixels
        clock.pixels = None
        with tempfile.TemporaryDirectory(prefix="dailies-bench-gpu-") as tmp:
            backend = DiffusersBackend(preset.name, pipelines={"t2v": pipe}, device=args.device, max_sequence_length=msl)
            run_ours(backend, clock, args, Path(tmp), steps=steps, seed=seed)
        ours = clock.pixels
    finally:
        clock.keep_pixels = False
    if stock is None or ours is None:
        raise RuntimeError("the VAE decoded nothing on one side: the pixel check cannot compare")
    same_shape = stock.shape == ours.shape
    return {
        "variant": "pixel_check", "steps": steps, "seed": seed, "options": {"compile": "off"},
        "same_pixels": same_shape and torch.equal(stock, ours),
        "max_abs_diff": float((stock - ours).abs().max()) if same_shape else None,
        "decoded_shape": list(stock.shape),
    }  # fmt: skip


def summarise(
    variant: str, runs: list[tuple[float, float]], results: dict[str, float], forwards: int, floor: float,
    output_s: float, tiny: bool,
) -> dict[str, Any]:  # fmt: skip
    """One JSON line's measurements from (shot seconds, seconds per step) runs; records the shot time.

    A tiny run's ratio to stock is not a speed-up (kilobytes of weights on a CPU): it is reported as
    ``smoke_time_ratio_vs_stock`` and ``speedup_vs_stock`` is null."""
    shot, per_step = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    results[variant] = shot
    ratio = round(results["stock"] / shot, 3)
    return {
        "variant": variant, "seconds_per_step": round(per_step, 4), "seconds_per_forward": round(per_step / forwards, 4),
        "shot_s": round(shot, 3), "gpu_s_per_output_s": round(shot / output_s, 3),
        "floor_s_per_forward": None if tiny else round(floor, 4),
        "fraction_of_floor": None if tiny else round(floor / (per_step / forwards), 3),
        "speedup_vs_stock": None if tiny else ratio,
        **({"smoke": True, "smoke_time_ratio_vs_stock": ratio} if tiny else {}),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="CPU smoke run with tiny components at 64x64x9.")
    parser.add_argument("--cases", default="wan2.1-1.3b,ltx-video-2b")
    parser.add_argument(
        "--steps", type=int, default=None, help="Denoising steps (default 50; 4 with --tiny)."
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="Measured runs per variant (default 2; 1 with --tiny)."
    )
    parser.add_argument(
        "--attention", default=None, help="Attention backend for ours, e.g. 'flash', '_flash_3_hub', 'sage'."
    )
    parser.add_argument(
        "--compile",
        default=None,
        choices=["off", "regional", "full"],
        help="Default: regional on CUDA, off on CPU.",
    )
    parser.add_argument("--cache-threshold", type=float, default=0.05)
    parser.add_argument("--peak-tflops", type=float, default=800.0)
    parser.add_argument("--skip-cache", action="store_true", help="Do not run the ours_cache variant.")
    parser.add_argument(
        "--check-steps", type=int, default=None, help="Steps of the stock-vs-ours pixel check (default: --steps)."
    )
    parser.add_argument(
        "--device",
        default=None,
        help="Override the device (e.g. 'cpu' to check that the real architectures build).",
    )
    parser.add_argument(
        "--size", default=None, help="Override WIDTHxHEIGHTxFRAMES (e.g. 64x64x9 for a CPU check)."
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    args.device = args.device or ("cpu" if args.tiny else "cuda")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        sys.exit("no CUDA device: run with --tiny on a CPU")
    dtype = torch.float32 if args.tiny else torch.bfloat16
    steps = args.steps or (4 if args.tiny else 50)
    repeats = args.repeats or (1 if args.tiny else 2)
    compile_mode = args.compile or ("off" if args.tiny else "regional")
    on_gpu = args.device.startswith("cuda")
    machine_line = machine(f"{torch.cuda.get_device_name()}") if on_gpu else machine()
    load_before = uptime()
    for name in args.cases.split(","):
        case = CASES[name]
        preset = PRESETS[case.preset]
        args.width, args.height, args.frames = (
            (64, 64, 9) if args.tiny else (case.width, case.height, case.frames)
        )
        if args.size:
            args.width, args.height, args.frames = (int(v) for v in args.size.lower().split("x"))
        args.fps, args.guidance = case.fps, case.guidance
        msl = TINY_MAX_SEQUENCE_LENGTH if args.tiny else None
        pipe = tiny_pipeline(preset) if args.tiny else real_pipeline(case, args.device, dtype)
        if args.tiny:
            pipe.to(args.device)
        seq = tokens(case, args.width, args.height, args.frames)
        forwards = 2 if args.guidance > 1.0 else 1
        floor = forward_flops(case, seq) / (args.peak_tflops * 1e12)
        output_s = args.frames / args.fps
        common = {
            "bench": "gpu_render", "model": case.model, "tiny": args.tiny, "device": args.device, "dtype": str(dtype).removeprefix("torch."),
            "width": args.width, "height": args.height, "frames": args.frames, "steps": steps, "guidance": args.guidance,
            "tokens": None if args.tiny else seq, "machine": machine_line, "torch": torch.__version__,
        }  # fmt: skip
        results: dict[str, float] = {}
        clock = StepClock(pipe, args.device)
        run_stock(pipe, clock, preset, args, steps=2, seed=0, msl=msl)  # warm-up
        measured = [run_stock(pipe, clock, preset, args, steps=steps, seed=1 + r, msl=msl) for r in range(repeats)]
        line = summarise("stock", measured, results, forwards, floor, output_s, args.tiny)
        print(json.dumps({**common, **line, "options": {}}), flush=True)
        check = pixel_check(pipe, clock, preset, args, steps=args.check_steps or steps, seed=7, msl=msl)
        print(json.dumps({**common, **check}), flush=True)
        variants: list[tuple[str, dict[str, Any]]] = [("ours", {})]
        if not args.skip_cache:
            variants.append(("ours_cache", {"cache": "fbc", "cache_threshold": args.cache_threshold}))
        for variant, extra in variants:
            options = {
                "compile": compile_mode,
                "attention": args.attention,
                "max_sequence_length": msl,
                **extra,
            }
            used = {k: v for k, v in options.items() if v is not None}
            try:
                with tempfile.TemporaryDirectory(prefix="dailies-bench-gpu-") as tmp:
                    backend = DiffusersBackend(preset.name, pipelines={"t2v": pipe}, device=args.device, **options)
                    cold = time.perf_counter()
                    run_ours(backend, clock, args, Path(tmp), steps=2, seed=100)  # warm-up (compiles)
                    cold_s = time.perf_counter() - cold
                    runs = [
                        run_ours(backend, clock, args, Path(tmp), steps=steps, seed=200 + r)
                        for r in range(repeats)
                    ]
            except (
                GeneratorError
            ) as exc:  # e.g. NaN frames from random weights, an unusable attention backend
                print(
                    json.dumps({**common, "variant": variant, "options": used, "error": str(exc)}), flush=True
                )
                continue
            line = summarise(variant, runs, results, forwards, floor, output_s, args.tiny)
            print(json.dumps({**common, **line, "options": used, "warmup_s": round(cold_s, 2)}), flush=True)
        del pipe
        if args.device.startswith("cuda"):
            torch.cuda.empty_cache()
    print(
        json.dumps(
            {
                "bench": "gpu_render",
                "summary": True,
                "machine": machine_line,
                "uptime_before": load_before,
                "uptime": uptime(),
            }
        )
    )


if __name__ == "__main__":
    main()
