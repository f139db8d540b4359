"""The ``diffusers`` backend: a video diffusion model (Wan, LTX-Video, CogVideoX) renders a ``RenderRequest``.

One backend object per preset (``diffusers:wan2.1-t2v-1.3b``). Pipelines load once per process and stay
resident (``loading.py``); speed options (``options.py``) are applied at load and recorded on every take.

Identity: when a staged character has a reference image and the preset has an image-to-video pipeline,
the shot is conditioned on that image (keyframe first, then motion); the character sheet is already
in the prompt verbatim. With no reference, ``casting`` (an option) makes a portrait first.

Frames: an explicit ``frames`` must follow the model's rule (Wan 4k+1, LTX 8k+1) or is refused; a
``duration_s`` becomes the nearest valid count at the model's native frame rate, and the take carries
that rate. CUDA out-of-memory becomes ``OutOfMemory`` with settings that would fit.

Tests inject pipelines (``pipelines={"t2v": pipe}``) or a ``loader`` building tiny random-weight
components (``tiny.py``); production loads real weights with ``from_pretrained(hub_id, dtype=…)``.
"""

from __future__ import annotations

import inspect
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from generator.base import Capabilities, Progress, RenderedTake, RenderRequest, StagedCharacter
from generator.diffusers_backend import casting, loading
from generator.diffusers_backend.options import SpeedOptions
from generator.diffusers_backend.presets import Preset, preset
from generator.errors import BadRequest, OutOfMemory, RenderFailed
from generator.ffmpeg_tools import Mp4Writer, find_ffmpeg
from generator.takes import render_once


class DiffusersBackend:
    """Renders with a diffusers video pipeline. See ``options.SpeedOptions`` for the options."""

    def __init__(
        self,
        preset_name: str = "wan2.1-t2v-1.3b",
        *,
        pipelines: dict[str, Any] | None = None,
        loader: loading.Loader | None = None,
        casting_pipeline: Any | None = None,
        ffmpeg: str | None = None,
        **options: Any,
    ) -> None:
        self.preset: Preset = preset(preset_name)
        self.name = f"diffusers:{self.preset.name}"
        #: A diffusion model: draws no staging marks, moves even in a static shot, spends GPU time.
        self.capabilities = Capabilities(longest_clip_s=self.preset.longest_clip_s)
        self.options = SpeedOptions.from_options(options)
        self.ffmpeg = find_ffmpeg(ffmpeg)
        self._loader = loader
        self._casting_pipeline = casting_pipeline
        self._pipes: dict[str, Any] = {}
        for kind, pipe in (pipelines or {}).items():
            if kind not in ("t2v", "i2v"):
                raise BadRequest(f"pipelines keys are 't2v' and 'i2v', got {kind!r}")
            self._pipes[kind] = loading.prepare(pipe, self.options)

    @property
    def default_size(self) -> tuple[int, int]:
        """The size the model was trained for (what ``dailies render`` uses unless told otherwise)."""
        return self.preset.width, self.preset.height

    # -- what to render --------------------------------------------------------------------------------

    def plan_frames(self, request: RenderRequest) -> tuple[int, float]:
        """(frame count, fps of the take) for ``request`` under this model's rules."""
        if request.frames is not None:
            self.preset.check_frames(request.frames)
            return request.frames, request.fps
        assert request.duration_s is not None
        return self.preset.frame_rule.nearest(round(request.duration_s * self.preset.fps)), float(
            self.preset.fps
        )

    def _identity(self, request: RenderRequest) -> tuple[str, StagedCharacter | None, str | None]:
        """(kind, conditioning character, its reference path): image-to-video when a reference can be had."""
        staged = {s.id: s for s in request.staging}
        with_ref = [cid for cid in [*staged, *request.references] if cid in request.references]
        if self.preset.i2v is not None and with_ref:
            cid = with_ref[0]
            return "i2v", staged.get(cid, StagedCharacter(id=cid)), request.references[cid]
        if (
            self.preset.i2v is not None
            and request.staging
            and (self.options.casting or self._casting_pipeline)
        ):
            return "i2v", request.staging[0], None
        if self.preset.t2v is None:
            raise BadRequest(
                f"{self.preset.name} is image-to-video only: give a reference image for a staged character, or set the casting option"
            )
        return "t2v", None, None

    def check(self, request: RenderRequest) -> None:
        self.preset.check_size(request.width, request.height)
        self.plan_frames(request)
        for cid, path in request.references.items():
            if not Path(path).is_file():
                raise BadRequest(f"reference image for {cid!r} not found: {path}")
        self._identity(request)

    # -- pipelines ---------------------------------------------------------------------------------------

    def _pipeline(self, kind: str) -> Any:
        if kind in self._pipes:
            return self._pipes[kind]
        if self._loader is not None:
            self._pipes[kind] = loading.prepare(self._loader(self.preset, kind), self.options)
            return self._pipes[kind]
        shared = self._pipeline("t2v") if kind == "i2v" and self.preset.i2v_shares_weights else None
        return loading.resident(
            self.preset,
            kind,
            self.options,
            lambda: loading.load_from_hub(self.preset, kind, self.options, shared),
        )

    def _casting(self) -> Any:
        if self._casting_pipeline is not None:
            return self._casting_pipeline
        assert self.options.casting is not None
        return casting.load_casting_pipeline(
            self.options.casting, self.options.resolved_dtype(), self.options.resolved_device()
        )

    def _keyframe(
        self, request: RenderRequest, character: StagedCharacter, ref: str | None, out_dir: Path
    ) -> tuple[Any, str]:
        from PIL import Image, ImageOps

        source = "reference"
        if ref is None:
            model = self.options.casting or "injected"
            spec = casting.CASTING_MODELS.get(model)
            ref = str(
                casting.cast_portrait(
                    self._casting(), character, out_dir, width=request.width, height=request.height, seed=casting.portrait_seed(character),
                    steps=spec.steps if spec else 2, guidance=spec.guidance if spec else 0.0, model=model,
                    call_extras=spec.call_extras if spec else None,
                )
            )  # fmt: skip
            source = f"casting:{model}"
        with Image.open(ref) as img:
            image = ImageOps.fit(
                img.convert("RGB"), (request.width, request.height), Image.Resampling.LANCZOS
            )
        return image, f"{source}:{character.id}"

    # -- rendering ---------------------------------------------------------------------------------------

    def render(self, request: RenderRequest, out_dir: Path, progress: Progress | None = None) -> RenderedTake:
        self.check(request)
        # Options that change pixels (dtype, cache, casting…) go into the file name, so a take made with
        # other such options is never mistaken for this one; pure speed options (compile, offload) do not.
        variant = self.options.pixel_key()
        storage = f"{self.name}~{variant}" if variant else self.name
        return render_once(
            storage, request, out_dir, lambda path: self._render(request, Path(out_dir), path, progress)
        )

    def _render(self, request: RenderRequest, out_dir: Path, path: Path, progress: Progress | None) -> RenderedTake:
        import torch

        frames, fps = self.plan_frames(request)
        steps = request.steps or self.preset.steps
        guidance = self.preset.guidance if request.guidance is None else request.guidance
        kind, character, ref = self._identity(request)
        started = time.perf_counter()
        pipe = self._pipeline(kind)
        loading.apply_cache(pipe, self.options, steps)
        loaded = time.perf_counter()
        kwargs: dict[str, Any] = {
            "prompt": request.prompt, "negative_prompt": request.negative_prompt or None,
            "height": request.height, "width": request.width, "num_frames": frames,
            "num_inference_steps": steps, "guidance_scale": guidance, "output_type": "np",
            "generator": torch.Generator("cpu").manual_seed(request.seed),
            "max_sequence_length": self.options.max_sequence_length or self.preset.max_sequence_length,
            **self.preset.call_extras,
        }  # fmt: skip
        passed, ignored = _call_options(pipe, request.options, set(kwargs))
        kwargs.update(passed)
        if self.preset.passes_frame_rate:
            kwargs["frame_rate"] = fps
        identity = None
        if kind == "i2v":
            assert character is not None
            kwargs["image"], identity = self._keyframe(request, character, ref, out_dir)
        step_times: list[float] = []

        def on_step(_pipe: Any, i: int, _t: Any, callback_kwargs: dict[str, Any]) -> dict[str, Any]:
            step_times.append(time.perf_counter())
            if progress is not None:
                progress(0.9 * (i + 1) / steps, f"step {i + 1}/{steps}")
            return callback_kwargs

        kwargs["callback_on_step_end"] = on_step
        try:
            result = pipe(**kwargs)
        except torch.OutOfMemoryError as exc:
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
            raise OutOfMemory(
                f"{self.name}: out of GPU memory at {request.width}x{request.height}, {frames} frames",
                self.suggest_fit(request.width, request.height, frames),
            ) from exc
        denoised = time.perf_counter()
        video = _to_uint8(result.frames, self.name)
        if progress is not None:
            progress(0.95, "encoding")
        n, height, width, _ = video.shape
        with Mp4Writer(path, width, height, fps, ffmpeg=self.ffmpeg, preset="veryfast", crf=18) as out:
            out.write_all(video)
        encoded = time.perf_counter()
        if progress is not None:
            progress(1.0, "done")
        per_step = [b - a for a, b in zip([loaded, *step_times], step_times, strict=False)]
        transformer = loading.transformers_of(pipe)[0]
        spec = self.preset.i2v if kind == "i2v" else self.preset.t2v
        assert spec is not None
        return RenderedTake(
            path=path, request_hash=request.key(), seed=request.seed, backend=self.name, model=spec.hub_id,
            frame_count=n, width=width, height=height, fps=fps,
            timings={
                "load": round(loaded - started, 4), "denoise_and_decode": round(denoised - loaded, 4),
                "encode": round(encoded - denoised, 4),
                "per_step_median": round(statistics.median(per_step), 4) if per_step else 0.0,
            },
            parameters={
                **self.options.record(),  # as asked; dtype and device below are what was actually used
                "preset": self.preset.name, "pipeline": type(pipe).__name__, "mode": kind, "identity": identity,
                "steps": steps, "guidance": guidance, "frames": frames, "dtype": str(transformer.dtype).removeprefix("torch."),
                "device": str(transformer.device), "request_options": passed, "ignored_options": ignored,
            },
        )  # fmt: skip

    def suggest_fit(self, width: int, height: int, frames: int) -> dict[str, Any]:
        """Settings that should fit where (width, height, frames) did not: offload first, then smaller."""
        m = self.preset.size_multiple
        shrink = lambda v: max(m, int(v * 0.75) // m * m)  # noqa: E731
        suggestion: dict[str, Any] = {
            "width": shrink(width), "height": shrink(height),
            "frames": min(frames, self.preset.frame_rule.nearest(int(frames * 0.6))),
        }  # fmt: skip
        if self.options.cpu_offload == "off":
            suggestion["cpu_offload"] = "model"
        if not self.options.vae_tiling:
            suggestion["vae_tiling"] = True
        return suggestion


def _call_options(pipe: Any, options: dict[str, Any], fixed: set[str]) -> tuple[dict[str, Any], list[str]]:
    """Split a request's options into extra pipeline arguments and the rest (ignored, but recorded).

    Requests carry options for every backend (e.g. the critic's ``reference_strength`` knob); only those
    that this pipeline's ``__call__`` accepts, and that the backend does not set itself, are passed on.
    """
    accepted = (
        set(inspect.signature(type(pipe).__call__).parameters)
        - fixed
        - {"self", "callback_on_step_end", "image"}
    )
    passed = {k: v for k, v in options.items() if k in accepted}
    return passed, sorted(set(options) - set(passed))


def _to_uint8(frames: Any, name: str) -> np.ndarray:
    """The first video of a pipeline's ``frames`` output (numpy, 0…1 floats) as F×H×W×3 uint8."""
    video = np.asarray(frames[0])
    if video.ndim != 4 or video.shape[-1] != 3:
        raise RenderFailed(f"{name}: the pipeline returned frames of shape {video.shape}, expected F×H×W×3")
    if video.dtype == np.uint8:
        return video
    if not np.isfinite(video).all():
        raise RenderFailed(
            f"{name}: the pipeline returned NaN/inf pixels (try dtype=bf16 or fp32 instead of fp16)"
        )
    return (np.clip(video, 0.0, 1.0) * 255.0).round().astype(np.uint8)
