"""The camera department: renders, measures and assembles media. A leaf package (never imports
``memory``, ``agents`` or ``ui``); it takes plain requests, never database rows.

- ``generator.base``: ``RenderRequest`` → ``RenderedTake``, and the ``Generator`` protocol every backend implements;
- ``generator.registry``: backends by name (``get("animatic")``, ``get("diffusers:ltx-video")``);
- ``generator.animatic``: the CPU pre-visualisation backend; ``generator.diffusers_backend``: video models;
- ``generator.takes``: content-addressed, atomically written take files;
- ``generator.ffmpeg_tools``: the ffmpeg binary, an MP4 writer, probing and decoding without ffprobe;
- ``generator.measure``: the critic's measurements; ``generator.assembly``: the editor's cut;
- ``generator.errors``: the one exception tree.

Importing ``generator`` imports none of these (torch and diffusers load only when a backend needs them).
"""
