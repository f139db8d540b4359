"""The diffusers video backend: presets (``presets.py``), options (``options.py``), resident pipelines
(``loading.py``), casting portraits (``casting.py``), tiny test pipelines (``tiny.py``) and the backend
(``backend.py``). Importing this package does not import torch or diffusers."""
