"""``DAILIES_LLM_API_KEY`` reaches the endpoint as a bearer token, through the registry a setting builds from.

A real HTTP server on 127.0.0.1 records the headers, so nothing between the setting and the socket is
replaced; without the variable no ``Authorization`` header is sent at all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agents.llm.registry import build_llm
from tests.agents.llm.conftest import ExamplePlan
from tests.agents.llm.test_openai_backend import MESSAGES, VALID, completion


@pytest.fixture
def endpoint() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(dict(self.headers.items()))
            body = json.dumps(completion(json.dumps(VALID))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_api_key_is_sent_as_a_bearer_token(endpoint: tuple[str, list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch) -> None:
    url, seen = endpoint
    monkeypatch.setenv("DAILIES_LLM_API_KEY", "sk-test-7f3a")
    llm = build_llm(f"openai:{url}#tiny")
    try:
        assert llm.structured(MESSAGES, ExamplePlan).title == "Bottle"
    finally:
        llm.close()
    assert len(seen) == 1
    assert {k.lower(): v for k, v in seen[0].items()}["authorization"] == "Bearer sk-test-7f3a"


def test_without_a_key_no_authorization_header_is_sent(endpoint: tuple[str, list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch) -> None:
    url, seen = endpoint
    monkeypatch.delenv("DAILIES_LLM_API_KEY", raising=False)
    llm = build_llm(f"openai:{url}#tiny")
    try:
        llm.structured(MESSAGES, ExamplePlan)
    finally:
        llm.close()
    assert "authorization" not in {k.lower() for k in seen[0]}
