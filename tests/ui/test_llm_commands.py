"""``dailies serve-llm`` and ``dailies llm-check``: the server command line, readiness, the setting printed last."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import sys
from pathlib import Path

from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()

FAKE_VLLM = '''
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
args = sys.argv[1:]
assert args[:2] == ["-m", "vllm.entrypoints.openai.api_server"], args
value = lambda flag: args[args.index(flag) + 1]
open(sys.argv[0] + ".args.json", "w").write(json.dumps(args))
class Models(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"data": [{"id": value("--served-model-name")}]}).encode()
        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
HTTPServer((value("--host"), int(value("--port"))), Models).serve_forever()
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fake_python(tmp_path: Path) -> tuple[Path, Path]:
    """An executable that behaves like ``python -m vllm...api_server``: it serves /v1/models."""
    script = tmp_path / "fake_vllm.py"
    script.write_text(FAKE_VLLM)
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    return python, Path(str(script) + ".args.json")


def test_serve_llm_waits_for_readiness_and_prints_the_setting_last(tmp_path: Path) -> None:
    python, args_file = _fake_python(tmp_path)
    port = _free_port()
    result = runner.invoke(app, ["serve-llm", "org/model", "--port", str(port), "--python", str(python), "--detach", "--ready-timeout", "60"])
    pid = re.search(r"pid (\d+)", result.output)
    try:
        assert result.exit_code == 0, result.output
        assert result.stdout.strip().splitlines()[-1] == f"DAILIES_LLM=openai:http://127.0.0.1:{port}/v1#org/model"
        args = json.loads(args_file.read_text())
        assert args[args.index("--model") + 1] == "org/model" and args[args.index("--host") + 1] == "127.0.0.1"
        assert json.loads(args[args.index("--structured-outputs-config") + 1])["backend"] == "xgrammar"
    finally:
        if pid:
            os.kill(int(pid.group(1)), signal.SIGTERM)


def test_serve_llm_reports_a_server_that_dies(tmp_path: Path) -> None:
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\necho 'no module named vllm' >&2\nexit 3\n")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    result = runner.invoke(app, ["serve-llm", "m", "--port", str(_free_port()), "--python", str(python), "--ready-timeout", "30"])
    assert result.exit_code == 1
    assert "exited with code 3" in result.output and "no module named vllm" in result.output


def test_llm_check_with_a_scripted_llm(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"greeting": "Rolling!", "mood": "keen"}]))
    result = runner.invoke(app, ["llm-check", "--llm", f"scripted:{script}", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answer"] == {"greeting": "Rolling!", "mood": "keen"}


def test_llm_check_with_a_bad_setting_says_what_is_valid() -> None:
    result = runner.invoke(app, ["llm-check", "--llm", "gpt4"])
    assert result.exit_code == 1
    assert "error: unknown LLM setting 'gpt4'" in result.output and "openai:http://HOST:PORT/v1#MODEL" in result.output
