"""The LLM layer: typed answers from a vLLM endpoint, a local transformers model, or the bundled model.

``build_llm(settings.llm, home=settings.home)`` gives an ``LLM``; ``structured(messages, Schema)`` returns a
validated ``Schema`` instance or raises an ``LLMError`` (see ``errors.py`` for what is retried, re-asked
or raised). Backends are imported lazily, so importing this package does not import torch.
"""

from agents.llm.base import LLM, Message, Messages
from agents.llm.errors import (
    LLMConfigError,
    LLMError,
    LLMOutputInvalid,
    LLMRejected,
    LLMScriptExhausted,
    LLMTimeout,
    LLMUnavailable,
)
from agents.llm.registry import BACKENDS, build_llm
from agents.llm.scripted import ScriptedLLM

__all__ = [
    "BACKENDS",
    "LLM",
    "LLMConfigError",
    "LLMError",
    "LLMOutputInvalid",
    "LLMRejected",
    "LLMScriptExhausted",
    "LLMTimeout",
    "LLMUnavailable",
    "Message",
    "Messages",
    "ScriptedLLM",
    "build_llm",
]
