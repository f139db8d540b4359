"""Loading pipelines once per process and preparing them with the speed options.

Why resident: a video model takes tens of seconds to load and compile; a film is dozens of shots. The
first render of a preset loads it (``from_pretrained(hub_id, dtype=…)``), applies the options, and keeps
it in ``_RESIDENT`` keyed by preset, task and options; later renders reuse it. Image-to-video pipelines
that share the text-to-video weights (LTX-Video, Wan 2.2 TI2V) are made with ``from_pipe`` and cost
no extra memory.

Tests never call ``load_from_hub``: they pass a ready pipeline or a loader (``tiny.tiny_pipeline``)
to ``DiffusersBackend``, and everything after loading runs exactly as in production.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from generator.diffusers_backend.options import SpeedOptions
from generator.diffusers_backend.presets import PipelineSpec, Preset
from generator.errors import BackendUnavailable, BadRequest

#: (preset, kind) → a ready pipeline; kind is "t2v" or "i2v".
Loader = Callable[[Preset, str], Any]

_RESIDENT: dict[tuple[Any, ...], Any] = {}
_LOCK = threading.Lock()


def _pipeline_class(spec: PipelineSpec) -> Any:
    try:
        import diffusers
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise BackendUnavailable("the diffusers backend needs the 'diffusers' package") from exc
    cls = getattr(diffusers, spec.cls, None)
    if cls is None:
        raise BackendUnavailable(
            f"this diffusers ({diffusers.__version__}) has no {spec.cls}; upgrade diffusers"
        )
    return cls


def load_from_hub(preset: Preset, kind: str, options: SpeedOptions, t2v: Any | None = None) -> Any:
    """Load a preset's pipeline with real weights (downloads on first use; never called in tests)."""
    spec = preset.t2v if kind == "t2v" else preset.i2v
    if spec is None:
        raise BadRequest(f"{preset.name} has no {kind} pipeline")
    cls = _pipeline_class(spec)
    if kind == "i2v" and preset.i2v_shares_weights and t2v is not None:
        return cls.from_pipe(t2v)
    try:
        return cls.from_pretrained(spec.hub_id, dtype=options.resolved_dtype())
    except OSError as exc:
        raise BackendUnavailable(
            f"cannot load {spec.hub_id}: {exc} (is it downloaded, or is the hub reachable?)"
        ) from exc


def transformers_of(pipe: Any) -> list[Any]:
    """The denoisers of a pipeline (Wan 2.2 A14B has two experts)."""
    return [
        t for t in (getattr(pipe, "transformer", None), getattr(pipe, "transformer_2", None)) if t is not None
    ]


def prepare(pipe: Any, options: SpeedOptions) -> Any:
    """Apply attention backend, VAE tiling, placement/offload and compilation to a loaded pipeline."""
    device = options.resolved_device()
    for transformer in transformers_of(pipe):
        if options.attention:
            try:
                transformer.set_attention_backend(options.attention)
            except (ValueError, RuntimeError, ImportError) as exc:
                raise BackendUnavailable(
                    f"attention backend {options.attention!r} is not usable here: {exc}"
                ) from exc
    if options.vae_tiling and hasattr(pipe.vae, "enable_tiling"):
        pipe.vae.enable_tiling()
    if options.cpu_offload == "model":
        pipe.enable_model_cpu_offload(device=device)
    elif options.cpu_offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=device)
    else:
        pipe.to(device)
    # A cache hook decides per step whether to skip blocks (a data-dependent branch): that is a graph
    # break, so with a cache the compiled graphs may not be full graphs.
    fullgraph = options.cache == "off"
    for transformer in transformers_of(pipe):
        if options.compile == "regional" and getattr(type(transformer), "_repeated_blocks", None):
            transformer.compile_repeated_blocks(fullgraph=fullgraph)
        elif options.compile in ("regional", "full"):
            transformer.compile(fullgraph=fullgraph and options.compile == "full")
    if hasattr(pipe, "set_progress_bar_config"):
        pipe.set_progress_bar_config(disable=True)
    return pipe


def apply_cache(pipe: Any, options: SpeedOptions, steps: int) -> None:
    """Enable (or re-enable for a new step count) the transformer cache hook the options ask for."""
    if options.cache == "off":
        return
    from diffusers.hooks import FirstBlockCacheConfig, MagCacheConfig

    wanted = (options.cache, options.cache_threshold, steps if options.cache == "magcache" else None)
    for transformer in transformers_of(pipe):
        if getattr(transformer, "_dailies_cache", None) == wanted:
            continue
        if transformer.is_cache_enabled:
            transformer.disable_cache()
        if options.cache == "fbc":
            config: Any = FirstBlockCacheConfig(
                **({"threshold": options.cache_threshold} if options.cache_threshold else {})
            )
        else:
            extra: dict[str, Any] = {"threshold": options.cache_threshold} if options.cache_threshold else {}
            config = MagCacheConfig(
                num_inference_steps=steps, mag_ratios=list(options.mag_ratios or ()), **extra
            )
        try:
            transformer.enable_cache(config)
        except (IndexError, ValueError, TypeError) as exc:
            raise BackendUnavailable(
                f"cache={options.cache} does not work with {type(transformer).__name__}: {exc or type(exc).__name__}"
            ) from exc
        transformer._dailies_cache = wanted


def resident(preset: Preset, kind: str, options: SpeedOptions, load: Callable[[], Any]) -> Any:
    """The process-wide pipeline for (preset, kind, options), loading and preparing it on first use."""
    key = (preset.name, kind, options.load_key())
    with _LOCK:
        pipe = _RESIDENT.get(key)
        if pipe is None:
            pipe = prepare(load(), options)
            _RESIDENT[key] = pipe
        return pipe


def evict_all() -> None:
    """Drop every resident pipeline (frees GPU memory, e.g. before loading a different model)."""
    with _LOCK:
        _RESIDENT.clear()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:  # pragma: no cover
        pass
