"""Any OpenAI-compatible chat endpoint (above all a vLLM server) through httpx.

Why httpx and not the openai SDK: we need four things — one POST, SSE streaming, precise timeouts and
our own retry rule — and httpx's ``MockTransport`` makes every failure mode testable offline.

Structured answers use ``response_format={"type": "json_schema", ...}`` (vLLM removed ``guided_json`` in
0.12); vLLM enforces it with xgrammar, the same engine as our local backend. The answer is still
re-validated with pydantic here, because reasoning parsers can escape the grammar. Failure handling is
documented in ``agents/llm/errors.py``: transport errors and 5xx are retried with backoff, a read timeout
is ``LLMTimeout``, a 4xx is ``LLMRejected``, an invalid answer is re-asked once, then ``LLMOutputInvalid``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from agents.llm.answers import json_schema_of, validated_answer
from agents.llm.base import DEFAULT_MAX_TOKENS, MessageDict, Messages, Schema, as_dicts
from agents.llm.errors import LLMRejected, LLMTimeout, LLMUnavailable
from agents.llm.schema_bounds import bounded, fitted


class OpenAIBackend:
    """Chat completions against ``base_url`` (ending in ``/v1``) with model ``model``."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout_s: float = 300.0,
        connect_timeout_s: float = 10.0,
        retries: int = 3,
        backoff_s: float = 0.5,
        temperature: float = 0.0,
        retry_temperature: float = 0.7,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = f"openai:{base_url}#{model}"
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.retries = retries
        self.backoff_s = backoff_s
        self.temperature = temperature
        self.retry_temperature = retry_temperature
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            transport=transport,
        )

    # -- the protocol ------------------------------------------------------------------------------

    def structured(self, messages: Messages, schema: type[Schema], *, max_tokens: int = DEFAULT_MAX_TOKENS,
                   temperature: float | None = None) -> Schema:
        """One answer under the schema; the re-ask after an invalid answer samples, and after a cut-off it sends
        string bounds that fit the token budget (``agents.llm.schema_bounds``), as the local backend does.

        Why: through vLLM the bundled model's screenplay and ledger answers were cut off by a loop inside a
        string twice in a row (greedy decoding walks into the same loop), and four of fourteen plans failed
        (bench/results/story_vllm.jsonl)."""
        document = bounded(json_schema_of(schema))
        cut_off: list[bool] = []

        def generate(conversation: list[MessageDict]) -> str:
            again = bool(cut_off)
            sent = fitted(document, max_tokens) if again and cut_off[-1] else document
            response_format = {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": sent, "strict": True}}
            first = self.temperature if temperature is None else temperature
            body = self._completion(conversation, max_tokens=max_tokens, response_format=response_format,
                                    temperature=max(first, self.retry_temperature) if again else first)
            cut_off.append(_finish_reason(body) == "length")
            return _content_of(body)

        return validated_answer(generate, as_dicts(messages), schema, backend=self.name)

    def chat(self, messages: Messages) -> Iterator[str]:
        payload = {"model": self.model, "messages": as_dicts(messages), "temperature": self.temperature, "stream": True}
        request = self._client.build_request("POST", "/chat/completions", json=payload)
        response = self._send(request, stream=True)
        try:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[len("data:") :].strip()
                if data == "[DONE]":
                    break
                try:
                    delta = json.loads(data)["choices"][0].get("delta", {})
                except (ValueError, KeyError, IndexError, TypeError):
                    continue
                piece = delta.get("content")
                if piece:
                    yield piece
        except httpx.TimeoutException as exc:
            raise LLMTimeout(f"{self.name}: the stream stalled: {exc}") from exc
        except httpx.TransportError as exc:
            raise LLMUnavailable(f"{self.name}: the stream broke off: {exc}") from exc
        finally:
            response.close()

    def close(self) -> None:
        self._client.close()

    # -- HTTP with the retry rule ------------------------------------------------------------------

    def _completion(self, messages: list[MessageDict], *, max_tokens: int, response_format: dict[str, Any],
                    temperature: float | None = None) -> dict[str, Any]:
        payload = {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self.temperature if temperature is None else temperature,
            "response_format": response_format,
        }
        request = self._client.build_request("POST", "/chat/completions", json=payload)
        response = self._send(request, stream=False)
        try:
            body = response.json()
        except ValueError as exc:
            raise LLMUnavailable(f"{self.name}: the server's reply is not JSON: {response.text[:200]!r}") from exc
        if not isinstance(body, dict):
            raise LLMUnavailable(f"{self.name}: the server's reply is not a JSON object")
        return body

    def _send(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        """Send with bounded retries on transport errors and 5xx; see the module docstring."""
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff_s * 2 ** (attempt - 1))
            try:
                response = self._client.send(request, stream=stream)
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
                raise LLMTimeout(f"{self.name}: no answer within the time limit ({exc.__class__.__name__})") from exc
            except httpx.TransportError as exc:  # connect errors and connect timeouts: worth another try
                last = f"{exc.__class__.__name__}: {exc}"
                continue
            if response.status_code >= 500:
                if stream:
                    response.read()
                last = f"HTTP {response.status_code}: {response.text[:200]}"
                response.close()
                continue
            if response.status_code >= 400:
                if stream:
                    response.read()
                raise LLMRejected(f"{self.name}: the server refused the request: HTTP {response.status_code}: {response.text[:300]}")
            return response
        raise LLMUnavailable(f"{self.name}: unreachable after {self.retries + 1} attempts; last error: {last}")


def _finish_reason(body: dict[str, Any]) -> str:
    """Why the server stopped ("stop", "length" when max_tokens cut the answer off; "" when it does not say)."""
    try:
        reason = body["choices"][0].get("finish_reason")
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""
    return reason if isinstance(reason, str) else ""


def _content_of(body: dict[str, Any]) -> str:
    """The text of the first choice; a missing field reads as an empty (hence invalid) answer."""
    try:
        content = body["choices"][0]["message"].get("content")
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""
    return content if isinstance(content, str) else ""
