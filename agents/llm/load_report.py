"""How a model loader says what it does and how much of it is done, for a page that shows it.

Why: converting the bundled model takes about a minute on two busy CPU cores, and the only count of that work
was transformers' tqdm bar on the server's stderr ("Converting and de-quantizing GGUF tensors… 120/272"). A
loader takes a ``LoadReport`` and calls it with what it does now and, where it can count, the share done; it
never invents a share it cannot count (``None`` then). ``counting_bars`` hands the page the same count the
stderr bar shows: inside it, the bars a library module draws with its module-level ``tqdm`` also report each
item done. The stderr bar stays as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

LoadReport = Callable[[str, float | None], None]
"""(what the loader does now, share done 0…1 or None when it cannot count) — e.g. ("dequantising its tensors", 0.44)."""

#: One swap of a module's ``tqdm`` at a time (the conversion that uses it holds its own lock too).
_SWAP = threading.Lock()


def no_report(_message: str, _fraction: float | None = None) -> None:
    """A ``LoadReport`` for callers that show nothing (the command line keeps tqdm's own bar)."""


@contextmanager
def counting_bars(module: ModuleType, report: LoadReport, message: str) -> Iterator[None]:
    """While inside, every bar ``module`` draws by iterating ``tqdm(items)`` reports ``(message, done / total)``
    after each item (and ``(message, 0.0)`` when it starts). ``module`` must import ``tqdm`` at module level
    (``from tqdm.auto import tqdm``), as transformers' GGUF reader does; a module without it is left alone and
    reports nothing, so a changed library costs the count, never the load."""
    original = getattr(module, "tqdm", None)
    if not isinstance(original, type):
        yield
        return

    class CountingBar(original):  # type: ignore[misc, valid-type]  # a subclass of whatever tqdm class the module has
        def __iter__(self) -> Iterator[Any]:
            total = self.total or 0
            if total:
                report(message, 0.0)
            for done, item in enumerate(super().__iter__(), start=1):
                yield item
                if total:  # reported when the caller comes back for the next item: this one is done
                    report(message, min(1.0, done / total))

    with _SWAP:
        module.tqdm = CountingBar  # type: ignore[attr-defined]
        try:
            yield
        finally:
            module.tqdm = original  # type: ignore[attr-defined]
