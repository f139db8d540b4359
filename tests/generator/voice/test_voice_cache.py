"""Content-addressed voicing: nothing is voiced twice; a change re-voices only the lines it touches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from counting_voice import Counting, InFlight

from generator.voice import Voice, VoiceCache, line_key

pytestmark = pytest.mark.slow  # real piper voicing


def test_a_cached_line_is_not_voiced_again(tmp_path: Path, counting: Counting) -> None:
    cache = VoiceCache(tmp_path, backends={"piper": counting})
    first = cache.speak("Who's there?", Voice(pitch=-2))
    again = cache.speak("Who's there?", Voice(pitch=-2))
    assert counting.calls == ["Who's there?"]
    assert not first.reused and again.reused
    assert np.array_equal(first.samples, again.samples) and again.sample_rate == first.sample_rate
    # A fresh cache object on the same folder (a new process) reuses the file too.
    assert VoiceCache(tmp_path, backends={"piper": counting}).speak("Who's there?", Voice(pitch=-2)).reused
    assert len(counting.calls) == 1


def test_changes_revoice_only_what_they_touch(tmp_path: Path, counting: Counting) -> None:
    cache = VoiceCache(tmp_path, backends={"piper": counting})
    mara, tom = Voice(pitch=-2), Voice(pitch=2)
    for line, voice in (("Who's there?", mara), ("Only me.", tom)):
        cache.speak(line, voice)
    deeper = tom.model_copy(update={"pitch": 0.5})
    cache.speak("Who's there?", mara)
    cache.speak("Only me.", deeper)
    cache.speak("Only me.", deeper, note="whispered")
    assert counting.calls == ["Who's there?", "Only me.", "Only me.", "Only me."]
    assert cache.voiced == 4


def test_key_covers_words_voice_and_note() -> None:
    base = line_key("Hi.", Voice(), "")
    assert base == line_key("Hi.", Voice(), "  ")
    assert (
        len(
            {
                base,
                line_key("Hi!", Voice(), ""),
                line_key("Hi.", Voice(rate=1.1), ""),
                line_key("Hi.", Voice(), "angry"),
            }
        )
        == 4
    )


@pytest.mark.parametrize("thread_safe", [True, False])
def test_speak_many_voices_each_missing_line_once_on_two_threads(
    tmp_path: Path, counting: Counting, thread_safe: bool
) -> None:
    backend = InFlight(counting, thread_safe)
    cache = VoiceCache(tmp_path, backends={"piper": backend})  # type: ignore[dict-item]
    mara, tom = Voice(pitch=-2), Voice(pitch=2)
    cache.speak("Who's there?", mara)  # already voiced: read back, not voiced again
    asked = [("Who's there?", mara, ""), ("Only me.", tom, ""), ("Hold the light.", mara, ""),
             ("Only me.", tom, ""), ("Give me the rope.", tom, "quietly")]  # fmt: skip
    lines = cache.speak_many(asked, workers=2)
    assert sorted(counting.calls) == sorted(
        ["Who's there?", "Only me.", "Hold the light.", "Give me the rope."]
    )
    assert cache.voiced == 4
    assert [line.reused for line in lines] == [True, False, False, False, False]
    for (text, voice, note), line in zip(asked, lines, strict=True):  # in the order asked, same as one by one
        assert np.array_equal(line.samples, cache.speak(text, voice, note).samples)
    # A backend that says it is thread-safe runs two lines at once; any other backend, one at a time.
    assert backend.most == (2 if thread_safe else 1)
