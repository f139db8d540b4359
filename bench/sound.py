"""Benchmark: what sound costs a one-minute film on this machine — voicing, mixing, and the loudness reached.

A 60 s film of four 15 s scenes, twenty lines (one per 3 s shot) by three characters told apart by pitch
and rate, each scene with its own ambience bed and music cue. Prints one JSON line per case:

- ``tts``: piper's real-time factor (seconds of synthesis per second of speech, over twenty distinct lines,
  model already loaded) and the voice model's load time;
- ``tts_threads``: the same twenty lines voiced by two loaded copies of the voice, taking turns (six
  rounds, the order swapped every round, medians): onnxruntime's defaults (a thread per core, spinning while waiting; what
  ``PiperVoice.load`` gives) against the backend's session (one thread, no spinning);
- ``voice_workers``: the twenty lines voiced into an empty cache by ``VoiceCache.speak_many`` on one
  thread and on two, taking turns (six rounds, the order swapped every round, medians; one loaded voice
  shared by both threads). The machine is shared, so wall times swing two- to fourfold between rounds;
  the medians and the CPU seconds are what to compare;
- ``film_first``: voicing every line from an empty cache, then the mix (ducking, limiting, ebur128
  measure and one linear gain, three WAV stems), with the final loudness and true peak read back by ffmpeg's ebur128;
- ``film_remix``: the same film mixed again into the same folder: voicings and beds and cues are read back
  (what a re-cut after a change costs);
- wall seconds and ``cpu_s`` (this process and ffmpeg) both: the machine is shared, ``load_1min`` says how busy;
  every line names the commit measured (``+dirty`` when the code differs from it);
- ``share_of_film``: the issue's "sound adds under 30 %" target, both sides timed here, in this process,
  one after the other at the same load: the picture side of the same one-minute film (twenty 3 s shots
  rendered by the real animatic at 640×360, 24 fps, each speaker's mouth moving with their voiced line as
  the shooting node does it — the voicing read back from the cache and measured into mouth openness —
  then cut with ``generator.assembly``: conform, titles, subtitles, encode) against the sound side (voicing every line from an empty cache, as plan approval
  does, plus the mix). ``share`` is sound over picture (what sound adds); the LLM's planning time is left
  out of both, which makes the share larger than in a real ``dailies make``. Two rounds, the order
  swapped, medians; ``share_cpu`` is the same ratio in CPU seconds (this process and ffmpeg), which the
  machine's other jobs disturb far less than wall time.

Run: ``.venv/bin/python bench/sound.py > bench/results/sound.jsonl``
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generator.animatic import AnimaticBackend
from generator.assembly import assemble
from generator.base import RenderRequest, SpokenLine, StagedCharacter
from generator.sound import AmbienceBed, DialogueCue, MusicCue, meter, mix_film
from generator.voice import Voice, VoiceCache, mouth_openness
from generator.voice.piper_backend import PiperBackend, voice_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.machine import commit

MACHINE = "x86_64 2-core 24 GB, no GPU (shared with other jobs)"
COMMIT = commit()
FILM_S, SCENES, SHOT_S = 60.0, 4, 3.0
CAST = {
    "Mara": Voice(pitch=-2.0, rate=0.95),
    "Tom": Voice(pitch=2.0, rate=1.05),
    "Iris": Voice(pitch=4.0, rate=1.0),
}
LINES = (
    "Who's there? I can hear you breathing.", "Only me. The tide came in faster than I thought.",
    "Then we wait for the morning.", "The lamp is out again.", "Did you bring the key or not?",
    "I left it on the table by the door.", "Listen. Something is moving on the stairs.",
    "It's the wind, nothing more.", "You said that last winter too.", "Give me the rope.",
    "We should have left on the last boat.", "There were no boats, Tom.", "Hold the light steady.",
    "I see the harbour from here.", "Quiet. Let it pass.", "How long have you known?",
    "Since the night of the storm.", "Then why stay?", "Because someone has to keep the light.",
    "Morning is coming. Look.",
)  # fmt: skip
BEDS = ("surf", "room", "wind", "rain")
MOODS = ("mysterious", "tense", "sad", "hopeful")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (ffmpeg): comparable across machine loads."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def emit(**fields: object) -> None:
    load = os.getloadavg()[0]
    print(json.dumps({"bench": "sound", **fields, "machine": MACHINE, "load_1min": round(load, 2),
                      "python": platform.python_version(), "commit": COMMIT}), flush=True)  # fmt: skip


def film() -> tuple[list[DialogueCue], list[AmbienceBed], list[MusicCue]]:
    names = list(CAST)
    cues = [
        DialogueCue(start_s=i * SHOT_S + 0.25, line=line, voice=CAST[names[i % 3]], character=names[i % 3])
        for i, line in enumerate(LINES)
    ]
    scene_s = FILM_S / SCENES
    beds = [
        AmbienceBed(kind=BEDS[s], start_s=s * scene_s, end_s=(s + 1) * scene_s, seed=s) for s in range(SCENES)
    ]  # type: ignore[arg-type]
    music = [MusicCue(mood=MOODS[s], tempo_bpm=80 + 10 * s, start_s=s * scene_s, end_s=(s + 1) * scene_s, seed=s)  # type: ignore[arg-type]
             for s in range(SCENES)]  # fmt: skip
    return cues, beds, music


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        piper = PiperBackend()
        t = time.perf_counter()
        piper.speak("Warm up.", Voice())
        load_s = time.perf_counter() - t
        t, c = time.perf_counter(), _cpu()
        speech_s = sum(piper.speak(line, Voice(pitch=0.5)).duration_s for line in LINES)
        synth_s, synth_cpu = time.perf_counter() - t, _cpu() - c
        emit(case="tts", backend="piper/en_US-joe-medium", lines=len(LINES), speech_s=round(speech_s, 2),
             synth_s=round(synth_s, 2), realtime_factor=round(synth_s / speech_s, 4),
             cpu_realtime_factor=round(synth_cpu / speech_s, 4), load_s=round(load_s, 2))  # fmt: skip

        threads_case()
        workers_case(root / "workers")
        cues, beds, music = film()
        cache = VoiceCache(root / "voices", backends={"piper": piper})
        c = _cpu()
        first = mix_film(
            cues, ambience=beds, music=music, duration_s=FILM_S, out_dir=root / "first", voices=cache
        )
        first_cpu = _cpu() - c
        integrated, true_peak = meter(first.mix)
        emit(case="film_first", film_s=FILM_S, lines=len(cues), voiced=cache.voiced,
             seconds=round(first.timings["total"], 2), cpu_s=round(first_cpu, 2), **{f"{k}_s": round(v, 2) for k, v in first.timings.items() if k != "total"},
             integrated_lufs=integrated, true_peak_dbtp=true_peak, linear=first.linear,
             limited_db=round(first.limited_db, 2), duck_min_db=round(first.duck_min_db, 2))  # fmt: skip
        before, c = cache.voiced, _cpu()
        again = mix_film(
            cues, ambience=beds, music=music, duration_s=FILM_S, out_dir=root / "first", voices=cache
        )
        emit(case="film_remix", film_s=FILM_S, revoiced=cache.voiced - before, seconds=round(again.timings["total"], 2),
             cpu_s=round(_cpu() - c, 2),
             **{f"{k}_s": round(v, 2) for k, v in again.timings.items() if k != "total"})  # fmt: skip

        share_case(root / "share", piper, cache)


def share_case(root: Path, piper: PiperBackend, voiced: VoiceCache, rounds: int = 2) -> None:
    """The picture side and the sound side of the same minute, taking turns (order swapped each round)."""
    cues, beds, music = film()
    sides: dict[str, list[tuple[float, float]]] = {"picture": [], "sound": [], "voice": [], "render": [], "cut": []}
    for round_ in range(rounds):
        for side in ("picture", "sound") if round_ % 2 == 0 else ("sound", "picture"):
            if side == "picture":
                render_s, cut_s, spent = picture(root / f"picture-{round_}", voiced)
                sides["picture"].append((render_s + cut_s, spent))
                sides["render"].append((render_s, 0.0))
                sides["cut"].append((cut_s, 0.0))
            else:
                cache = VoiceCache(root / f"voices-{round_}", backends={"piper": piper})
                c = _cpu()
                mixed = mix_film(cues, ambience=beds, music=music, duration_s=FILM_S, out_dir=root / f"sound-{round_}",
                                 voices=cache)  # fmt: skip
                sides["sound"].append((mixed.timings["total"], _cpu() - c))
                sides["voice"].append((mixed.timings["voice"], 0.0))

    def wall(side: str) -> float:
        return statistics.median(w for w, _ in sides[side])

    def cpu(side: str) -> float:
        return statistics.median(c for _, c in sides[side])

    emit(case="share_of_film", film_s=FILM_S, rounds=rounds, render_s=round(wall("render"), 2), cut_s=round(wall("cut"), 2),
         picture_s=round(wall("picture"), 2), sound_s=round(wall("sound"), 2), voice_s=round(wall("voice"), 2),
         share=round(wall("sound") / wall("picture"), 3), picture_cpu_s=round(cpu("picture"), 2),
         sound_cpu_s=round(cpu("sound"), 2), share_cpu=round(cpu("sound") / cpu("picture"), 3), target=0.30,
         uptime=os.popen("uptime").read().strip())  # fmt: skip


def threads_case(rounds: int = 6) -> None:
    """onnxruntime's default session against the backend's, side by side (see the module doc)."""
    from piper import PiperVoice

    path = voice_file("en_US-joe-medium")
    default = PiperBackend()
    default._voices["en_US-joe-medium"] = PiperVoice.load(str(path))  # what piper itself loads
    backends = {"onnxruntime_default": default, "one_thread_no_spin": PiperBackend()}
    for backend in backends.values():
        backend.speak("Warm up.", Voice())
    wall: dict[str, list[float]] = {name: [] for name in backends}
    cpu: dict[str, list[float]] = {name: [] for name in backends}
    for round_ in range(rounds):
        for name, backend in list(backends.items())[:: 1 if round_ % 2 == 0 else -1]:
            t, c = time.perf_counter(), _cpu()
            for line in LINES:
                backend.speak(line, Voice(pitch=0.5))
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(_cpu() - c)
    emit(case="tts_threads", lines=len(LINES), rounds=rounds,
         **{f"{name}_wall_s": round(statistics.median(wall[name]), 2) for name in backends},
         **{f"{name}_cpu_s": round(statistics.median(cpu[name]), 2) for name in backends},
         uptime=os.popen("uptime").read().strip())  # fmt: skip


def workers_case(root: Path, rounds: int = 6) -> None:
    """``speak_many`` on one thread against two, side by side, each round into empty caches."""
    piper = PiperBackend()
    piper.speak("Warm up.", Voice())
    cast = list(CAST.values())
    requests = [(line, cast[i % 3], "") for i, line in enumerate(LINES)]
    wall: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    for round_ in range(rounds):
        for workers in (1, 2) if round_ % 2 == 0 else (2, 1):
            cache = VoiceCache(root / f"{round_}-{workers}", backends={"piper": piper})
            t, c = time.perf_counter(), _cpu()
            cache.speak_many(requests, workers=workers)
            wall[workers].append(time.perf_counter() - t)
            cpu[workers].append(_cpu() - c)
    emit(case="voice_workers", lines=len(LINES), rounds=rounds,
         **{f"workers_{w}_wall_s": round(statistics.median(v), 2) for w, v in wall.items()},
         **{f"workers_{w}_cpu_s": round(statistics.median(v), 2) for w, v in cpu.items()},
         uptime=os.popen("uptime").read().strip())  # fmt: skip


def picture(root: Path, voiced: VoiceCache) -> tuple[float, float, float]:
    """Seconds to render the film's twenty shots with the animatic (the speaker's mouth following their line,
    read back from ``voiced`` as the shooting node reads the plan's voicings) and to cut them (no soundtrack),
    and the CPU seconds of both (this process and ffmpeg)."""
    spec = importlib.util.spec_from_file_location("bench_cut", Path(__file__).with_name("cut.py"))
    assert spec is not None and spec.loader is not None
    cut = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cut)
    backend = AnimaticBackend()
    names = list(CAST)
    t, c = time.perf_counter(), _cpu()
    takes = []
    for i, line in enumerate(LINES):
        said = voiced.speak(line, CAST[names[i % 3]])
        first, mouth = mouth_openness(said.samples, said.sample_rate, 24.0, 0.25)  # the line starts 0.25 s in
        staged = (StagedCharacter(id=names[i % 3].lower(), name=names[i % 3], x=0.35, facing="right"),
                  StagedCharacter(id=names[(i + 1) % 3].lower(), name=names[(i + 1) % 3], x=0.65, facing="left"))  # fmt: skip
        request = RenderRequest(prompt=f"shot {i}", staging=staged, shot_size=("WS", "MS", "CU")[i % 3],
                                camera_move=("static", "dolly_in", "pan_left")[i % 3], location=BEDS[i // 5],
                                caption=f"{names[i % 3].upper()}: {line}", width=640, height=360, fps=24,
                                duration_s=SHOT_S, seed=i,
                                speech=(SpokenLine(character=names[i % 3].lower(), start_frame=first, mouth=mouth),))  # fmt: skip
        takes.append(backend.render(request, root / "takes").path)
    render_s = time.perf_counter() - t
    t = time.perf_counter()
    assemble(cut.edit_list(takes), root / "film" / "film.mp4")
    return render_s, time.perf_counter() - t, _cpu() - c


if __name__ == "__main__":
    main()
