"""Importing the voice and sound packages loads no model runtime: piper, onnxruntime and torch load on the
first line spoken (listing voices or mixing ambience alone must stay instant)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_voice_and_sound_loads_no_model_runtime() -> None:
    code = (
        "import sys, generator.voice, generator.sound, generator.measure.speech;"
        "print(sorted(m for m in ('piper', 'onnxruntime', 'torch', 'transformers') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
