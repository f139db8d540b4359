"""LLM commands: ``serve-llm`` starts a vLLM server for the crew; ``llm-check`` asks the configured LLM once."""

from __future__ import annotations

import json
import os
import time
from typing import Annotated

import typer
from pydantic import BaseModel, Field

from agents import LLMError, build_llm, load_settings, start_vllm_server
from ui.cli.app import app
from ui.cli.output import emit, fail, user_errors


@app.command("serve-llm")
def serve_llm(
    model: Annotated[str, typer.Argument(help="Hub id or local folder of the model; 'bundled' serves the converted bundled model.")],
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1 keeps it on this machine).")] = "127.0.0.1",
    python: Annotated[
        str | None,
        typer.Option(help="Python of the environment where vLLM is installed; default $DAILIES_VLLM_PYTHON, else this one."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Model name clients ask for; default: MODEL ('smollm2' for bundled).")] = None,
    ready_timeout: Annotated[float, typer.Option(help="Seconds to wait for the server to answer.")] = 900.0,
    detach: Annotated[bool, typer.Option(help="Leave the server running in the background and return.")] = False,
) -> None:
    """Start a vLLM OpenAI-compatible server with structured outputs on, wait until it answers, and
    print the DAILIES_LLM setting that reaches it (last line). Without --detach it runs until Ctrl-C."""
    settings = load_settings()
    with user_errors(LLMError):
        if model == "bundled":
            from agents import ensure_converted

            model, name = str(ensure_converted(settings.home)), name or "smollm2"
        log_path = settings.home / "logs" / f"vllm-{port}.log"
        server = start_vllm_server(
            model, python=python or os.environ.get("DAILIES_VLLM_PYTHON"), host=host, port=port, served_name=name, log_path=log_path
        )
        typer.echo(f"starting vLLM (pid {server.process.pid}); log: {log_path}", err=True)
        try:
            server.wait_ready(ready_timeout)
        except BaseException:
            server.stop()
            raise
    typer.echo(f"DAILIES_LLM={server.setting}")
    if detach:
        return
    try:
        server.process.wait()
    except KeyboardInterrupt:
        server.stop()
    if server.process.returncode not in (0, None, -15):
        fail(f"vLLM stopped with code {server.process.returncode}; log: {log_path}")


class _Check(BaseModel):
    greeting: str = Field(max_length=60, description="A short greeting.")
    mood: str = Field(max_length=20)


@app.command("llm-check")
def llm_check(
    spec: Annotated[str | None, typer.Option("--llm", help="LLM setting to check; default: the configured one.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")] = False,
) -> None:
    """Ask the configured LLM for one small structured answer, and print it with the time it took."""
    settings = load_settings()
    with user_errors(LLMError):
        start = time.perf_counter()
        llm = build_llm(spec or settings.llm, home=settings.home)
        loaded = time.perf_counter()
        answer = llm.structured([{"role": "user", "content": "Greet a film crew in one short sentence."}], _Check, max_tokens=64)
        done = time.perf_counter()
    result = {"backend": llm.name, "load_s": round(loaded - start, 2), "answer_s": round(done - loaded, 2), "answer": answer.model_dump()}
    emit(result, as_json=as_json, human=lambda: typer.echo(json.dumps(result, ensure_ascii=False)))

