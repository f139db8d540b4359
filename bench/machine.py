"""What a benchmark line says about where it ran: the machine and its load at the moment of measuring.

Numbers from this shared machine swing several-fold with what else runs, so every results line names the
machine and carries the ``uptime`` output taken when the line was written; compare lines of one run only.
"""

from __future__ import annotations

import os
import platform
import subprocess


def machine(gpu: str | None = None) -> str:
    """Architecture, cores, memory and the GPU (``None``: no GPU was used)."""
    memory_gb = 0.0
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory_gb = int(line.split()[1]) / 2**20
    except OSError:
        pass
    where = gpu if gpu else "no GPU"
    return f"{platform.machine()} {os.cpu_count()}-core {memory_gb:.0f} GB, {where} (shared with other jobs)"


def uptime() -> str:
    """The ``uptime`` line (load averages over 1, 5 and 15 minutes) at this moment."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False, timeout=5).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def commit(paths: tuple[str, ...] = ("agents", "generator", "memory", "bench")) -> str:
    """The commit the measured code is at (short hash), with ``+dirty`` when ``paths`` differ from it."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()  # fmt: skip
        changed = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", *paths], capture_output=True,
                                 text=True, check=True, timeout=10).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+dirty" if changed else head
