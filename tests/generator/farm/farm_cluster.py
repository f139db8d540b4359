"""Helpers of the farm tests: the running farm's address, small animatic shots, a relay that can be cut."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from generator.base import RenderRequest


@dataclass
class Farm:
    url: str
    data_dir: Path
    port: int


def make_shot(n: int = 1, **overrides: object) -> RenderRequest:
    """A small animatic shot; ``n`` varies the slate and the seed so each ``n`` is another render."""
    fields: dict[str, object] = {
        "prompt": f"Mara turns from the lamp as Tom steps in (shot {n}).",
        "staging": [
            {"id": "mara", "name": "Mara", "x": 0.25, "facing": "right", "colour": "red"},
            {"id": "tom", "name": "Tom", "x": 0.75, "facing": "left", "colour": "blue"},
        ],
        "shot_size": "WS", "camera_move": "dolly_in", "time_of_day": "dusk", "location": "lamp room",
        "slate": {"scene": "s1", "shot": f"s1-{n:02d}", "take": 1},
        "width": 160, "height": 96, "frames": 24, "fps": 12, "seed": 100 + n,
    }  # fmt: skip
    fields.update(overrides)
    return RenderRequest(**fields)  # type: ignore[arg-type]


class Relay:
    """A TCP relay in front of the farm that can be switched off and on: the farm *down* (connections
    refused, as when its host is gone) and *back* on the same URL, while the real farm keeps running."""

    def __init__(self, target_port: int) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.target_port = target_port
        self._server: socket.socket | None = None
        self._open: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._server,), daemon=True).start()

    def down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked in the relay's thread
            server.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()
        self._open.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:  # closed by down()
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self._open += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(src, dst), daemon=True).start()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    with contextlib.suppress(OSError):
        dst.shutdown(socket.SHUT_WR)
