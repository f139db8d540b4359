"""The ``farm:`` generator backend: renders on a Ray Serve farm over HTTP, used by the crew like any other.

    DAILIES_BACKEND=farm:http://127.0.0.1:8000                          the farm's first deployment
    DAILIES_BACKEND=farm:http://127.0.0.1:8000?backend=diffusers:ltx-video   a named one

Why the take is copied into the studio's own take folder: the crew, the critic and the cut read takes
from ``settings.takes_dir`` by the same content-addressed name a local render would have
(``generator.takes.take_path``), so a take rendered on the farm *is* the local take — same request hash,
same frames, same file name — and ``render_once`` returns it without asking the farm again.

Progress: the replica's reports stream back while it renders (``wire.py``) and reach the per-shot
branch's ``progress`` callback as a local backend's would (``frame 12/96`` on the studio's bar).

Failures, each typed (``generator.errors``):

- the farm unreachable for ``connect_timeout_s`` → ``FarmUnavailable`` (a ``ConnectionError``: the
  graph's retry policy retries it, then the shot fails visibly and ``dailies resume`` continues later);
- a replica lost mid-render (HTTP 502, a last ``replica_lost`` line, or the connection dropped) → sent
  again, up to ``retries`` times;
  Serve routes it to a live replica, and the take is written once (``replica.py`` locks it);
- the queue full (HTTP 503) → waits and sends again until ``timeout_s``; then ``RenderTimedOut``;
- the backend's own error → the same type the local backend raises (``BadRequest``, ``OutOfMemory``…).

The critic's reshoot ladder keeps working: a request whose ``options["preset"]`` names a diffusers
preset goes to that preset's deployment (another preset is another deployment).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from generator.base import Capabilities, Progress, RenderedTake, RenderRequest
from generator.errors import BadRequest, FarmUnavailable, OutOfMemory, RenderFailed, RenderTimedOut
from generator.farm.replica import file_sha256
from generator.farm.spec import deployment_name
from generator.farm.wire import DeploymentsReply, ErrorReply, RenderReply, StreamLine
from generator.takes import render_once

#: Seconds between tries while the farm is busy or a replica is being replaced.
BACKOFF_S = 0.5


class FarmBackend:
    """A client of one farm. Options: ``backend`` (the deployment's backend spec; default the farm's first),
    ``timeout_s`` (one render, queue included), ``connect_timeout_s``, ``retries`` (after a lost replica)."""

    name = "farm"

    def __init__(
        self,
        url: str,
        backend: str | None = None,
        timeout_s: float = 3600.0,
        connect_timeout_s: float = 10.0,
        retries: int = 3,
        ffmpeg: str | None = None,  # accepted like every backend's; the replicas encode with their own
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise BadRequest(f"farm: the URL must start with http:// or https://, got {url!r} (farm:http://HOST:PORT)")
        for field, value in (("timeout_s", timeout_s), ("connect_timeout_s", connect_timeout_s)):
            if not value > 0:
                raise BadRequest(f"farm: {field} must be a positive number of seconds, got {value!r}")
        if retries < 0:
            raise BadRequest(f"farm: retries must be 0 or more, got {retries!r}")
        self.url = url.rstrip("/")
        self.backend = backend
        self.timeout_s, self.connect_timeout_s, self.retries = float(timeout_s), float(connect_timeout_s), retries
        self._http = httpx.Client(transport=transport, timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s))
        self._deployments: DeploymentsReply | None = None
        self._capabilities: Capabilities | None = None

    # ------------------------------------------------------------------ what the farm serves
    def deployments(self) -> DeploymentsReply:
        """The farm's deployments (asked once, then remembered)."""
        if self._deployments is None:
            response = self._send("GET", "/deployments", deadline=time.monotonic() + self.connect_timeout_s * 3)
            try:
                self._deployments = DeploymentsReply.model_validate_json(response.content)
            except ValueError as exc:  # something answers on that port, but not a farm (or not its app yet)
                raise FarmUnavailable(
                    f"{self.url} answered HTTP {response.status_code} but is not a Dailies farm: {response.text[:200]}"
                ) from exc
        return self._deployments

    def _target(self, request: RenderRequest | None = None) -> tuple[str, str]:
        """(deployment name, backend spec) for ``request``: its preset's deployment, else the configured one."""
        served = {d.name: d.backend for d in self.deployments().deployments}
        wanted = self.backend
        preset = request.options.get("preset") if request is not None else None
        if isinstance(preset, str) and preset:
            wanted = preset if ":" in preset else f"diffusers:{preset}"
        name = deployment_name(wanted) if wanted else self.deployments().default
        if name not in served:
            raise FarmUnavailable(
                f"the farm at {self.url} serves no {wanted!r}; it serves: {', '.join(served.values())} "
                "(start it with --backend for each)"
            )
        return name, served[name]

    @property
    def capabilities(self) -> Capabilities:
        """The configured deployment's backend capabilities, as its replicas declare them."""
        if self._capabilities is None:
            name, _ = self._target()
            info = next(d for d in self.deployments().deployments if d.name == name)
            self._capabilities = Capabilities(**info.capabilities)  # type: ignore[arg-type]
        return self._capabilities

    @capabilities.setter
    def capabilities(self, value: Capabilities) -> None:
        self._capabilities = value

    def check(self, request: RenderRequest) -> None:
        """The deployment for ``request`` exists; the backend's own checks run on the replica."""
        self._target(request)

    # ------------------------------------------------------------------ rendering
    def render(self, request: RenderRequest, out_dir: Path, progress: Progress | None = None) -> RenderedTake:
        name, spec = self._target(request)

        def produce(path: Path) -> RenderedTake:
            started = time.perf_counter()
            if progress is not None:
                progress(0.0, f"sent to the farm ({name})")
            reply, attempts = self._render_remote(name, request, progress)
            rendered = time.perf_counter()
            self._download(str(reply.take["path"]), reply.sha256, path)
            take = RenderedTake.model_validate({**reply.take, "path": path})
            if take.request_hash != request.key():
                path.unlink(missing_ok=True)
                raise BadRequest(
                    "farm: references: the farm saw other reference images than this studio "
                    f"(request hash {take.request_hash[:12]} ≠ {request.key()[:12]}); put them on the shared folder"
                )
            if progress is not None:
                progress(1.0, f"take back from {reply.replica}")
            farm = {"url": self.url, "deployment": name, "replica": reply.replica, "attempts": attempts,
                    "rendered": reply.rendered}  # fmt: skip
            timings = {**take.timings, "farm_replica_total": float(take.timings.get("total", 0.0)),
                       "farm_round_trip": round(rendered - started, 4),
                       "farm_download": round(time.perf_counter() - rendered, 4)}  # fmt: skip
            return take.model_copy(update={"parameters": {**take.parameters, "farm": farm}, "timings": timings})

        take = render_once(spec, request, out_dir, produce)
        timings = {**take.timings}
        if "farm_round_trip" in timings and not take.reused:
            timings["total"] = round(timings["farm_round_trip"] + timings["farm_download"], 4)
        return take.model_copy(update={"timings": timings})

    def _render_remote(self, name: str, request: RenderRequest, progress: Progress | None) -> tuple[RenderReply, int]:
        deadline = time.monotonic() + self.timeout_s
        body = request.model_dump_json().encode("utf-8")
        attempts, lost, failure = 0, 0, ""
        while True:
            attempts += 1
            if attempts > 1 and lost and progress is not None:
                progress(0.0, f"sent to the farm again ({failure})")
            try:
                answer = self._post_render(name, body, deadline, progress)
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:  # the connection dropped mid-render
                answer = None
                failure = f"connection dropped ({type(exc).__name__})"
            if isinstance(answer, RenderReply):
                return answer, attempts
            if answer is not None:
                if answer.error == "busy":
                    self._wait(deadline, f"the farm's {name} queue stayed full")
                    continue
                if answer.error != "replica_lost":
                    raise _typed(answer, self.url)
                failure = answer.message
            lost += 1
            if lost > self.retries:
                raise RenderFailed(f"farm: {name}: the render was lost {lost} times ({failure}); giving up")
            self._wait(deadline, f"the farm's {name} replicas kept failing")

    def _post_render(
        self, name: str, body: bytes, deadline: float, progress: Progress | None
    ) -> RenderReply | ErrorReply | None:
        """One ``POST /render``: the replica's progress lines handed to ``progress`` as they come, then its reply
        or error; ``None`` when the stream ended without either (a lost connection, as far as the render goes)."""
        response = self._send("POST", f"/render/{name}", deadline=deadline, content=body, stream=True)
        try:
            if response.status_code != 200:
                response.read()
                try:
                    return ErrorReply.model_validate_json(response.content)
                except ValueError as exc:  # not the farm's answer: its application is gone (or never was)
                    raise FarmUnavailable(
                        f"{self.url} answered HTTP {response.status_code} without a farm reply: {response.text[:200]}"
                    ) from exc
            for raw in response.iter_lines():
                if not raw.strip():
                    continue
                try:
                    line = StreamLine.model_validate_json(raw)
                except ValueError as exc:
                    raise FarmUnavailable(f"{self.url} answered a render with something that is not a farm's: {raw[:200]}") from exc
                if line.progress is not None and progress is not None:
                    progress(line.progress.fraction, f"farm: {line.progress.message}")
                if line.final:
                    return line.reply or line.error
            return None
        finally:
            response.close()

    def _wait(self, deadline: float, why: str) -> None:
        if time.monotonic() + BACKOFF_S >= deadline:
            raise RenderTimedOut(f"farm: {why} for {self.timeout_s:g} s")
        time.sleep(BACKOFF_S)

    def _send(
        self, method: str, path: str, deadline: float, content: bytes | None = None, stream: bool = False
    ) -> httpx.Response:
        """One HTTP call; connection refusals are retried until ``connect_timeout_s`` has passed. With ``stream``
        the body is left unread (the caller reads and closes it)."""
        unreachable_until = time.monotonic() + self.connect_timeout_s
        while True:
            try:
                built = self._http.build_request(
                    method, self.url + path, content=content, timeout=max(0.1, deadline - time.monotonic())
                )
                return self._http.send(built, stream=stream)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout):
                    raise FarmUnavailable(f"the farm at {self.url} did not answer ({exc})") from exc
                raise RenderTimedOut(f"farm: no answer from {self.url}{path} within {self.timeout_s:g} s") from exc
            except httpx.ConnectError as exc:
                if time.monotonic() >= min(unreachable_until, deadline):
                    raise FarmUnavailable(
                        f"the farm at {self.url} is unreachable ({exc}); start it with `dailies farm start`"
                    ) from exc
                time.sleep(BACKOFF_S)

    def _download(self, name: str, sha256: str, path: Path) -> None:
        """Fetch the take's bytes into ``path`` atomically, checking their digest."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part.mp4")
        try:
            with self._http.stream("GET", f"{self.url}/takes/{name}") as response:
                if response.status_code != 200:
                    raise RenderFailed(f"farm: the take {name} could not be fetched (HTTP {response.status_code})")
                with tmp.open("wb") as f:
                    for chunk in response.iter_bytes(1 << 20):
                        f.write(chunk)
            if file_sha256(tmp) != sha256:
                raise RenderFailed(f"farm: the take {name} arrived damaged (digest differs)")
            os.replace(tmp, path)
        except httpx.TransportError as exc:
            raise FarmUnavailable(f"the farm at {self.url} went away while sending {name} ({exc})") from exc
        finally:
            tmp.unlink(missing_ok=True)


def _typed(error: ErrorReply, url: str) -> Exception:
    """The generator error a local backend would have raised for this reply."""
    if error.error == "bad_request":
        return BadRequest(error.message)
    if error.error == "no_deployment":
        return FarmUnavailable(f"the farm at {url}: {error.message}")
    if error.type == "OutOfMemory":
        return OutOfMemory(error.message, error.suggestion)
    return RenderFailed(f"farm: {error.type or 'render failed'}: {error.message}")


def farm(variant: str | None, **options: object) -> FarmBackend:
    """The registry's factory: ``farm:URL`` → a ``FarmBackend`` of that URL."""
    if not variant:
        raise BadRequest("farm: give the farm's URL, e.g. farm:http://127.0.0.1:8000")
    return FarmBackend(variant, **options)  # type: ignore[arg-type]
