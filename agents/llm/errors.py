"""The LLM layer's exceptions, a branch of ``agents.errors.AgentError``.

    AgentError
    └── LLMError                 base of everything the LLM layer raises
        ├── LLMConfigError       the ``DAILIES_LLM`` setting names no backend, or a backend's model is missing
        ├── LLMUnavailable       the backend cannot start, or the endpoint is unreachable after the retries
        ├── LLMTimeout           the model did not answer within the time limit
        ├── LLMRejected          the endpoint refused the request (an HTTP 4xx: unknown model, bad schema…)
        ├── LLMOutputInvalid     the answer is not a valid instance of the schema (carries raw text and errors)
        └── LLMScriptExhausted   the scripted test double has no answer left for a request

What ends where (every backend follows this):

- **Retry** (the ``openai`` backend): transport errors (connection refused or reset, DNS, a connect
  timeout) and HTTP 5xx answers are retried with exponential backoff, a bounded number of times; when
  the retries are spent the error is ``LLMUnavailable``. A read timeout — the server accepted the request
  but did not finish in time — is not retried (retrying would double the load of a busy server): it is
  ``LLMTimeout`` at once. A 4xx is ``LLMRejected`` at once.
- **Constrained re-generation**: an answer that is not valid JSON, or is JSON that fails the pydantic
  schema, is asked for once more, with the validation errors appended to the conversation (and, on
  backends with constrained decoding, under the same grammar). Reasoning text around the JSON
  (``<think>…</think>``, prose, code fences) is not an error: the first JSON value is extracted first.
- **Typed error**: an answer still invalid after the re-ask is ``LLMOutputInvalid``; nothing returns
  free text for the caller to repair.

With local constrained decoding (``transformers``/``bundled``) the grammar makes every finished answer
schema-shaped; the only way to get invalid output there is running out of ``max_tokens`` mid-answer,
or a constraint the grammar cannot express (a pydantic validator), which follow the same re-ask rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from agents.errors import AgentError


class LLMError(AgentError):
    """Base of every error raised by the LLM layer."""


class LLMConfigError(LLMError, ValueError):
    """The LLM setting is malformed, or names a model or file that is not there."""


class LLMUnavailable(LLMError):
    """The backend cannot start, or its endpoint stayed unreachable after the bounded retries."""


class LLMTimeout(LLMError, TimeoutError):
    """The model did not finish its answer within the time limit."""


class LLMRejected(LLMError):
    """The endpoint refused the request (HTTP 4xx): not retried, since asking again changes nothing."""


class LLMOutputInvalid(LLMError, ValueError):
    """The model's answer is not a valid instance of the requested schema, even after one re-ask.

    ``raw`` is the model's last answer as text; ``errors`` the validation errors, one line each.
    """

    def __init__(self, message: str, *, raw: str, errors: Sequence[str], schema: str = "") -> None:
        super().__init__(message)
        self.raw = raw
        self.errors = list(errors)
        self.schema = schema


class LLMScriptExhausted(LLMError):
    """The scripted double was asked more often than its script has answers."""
