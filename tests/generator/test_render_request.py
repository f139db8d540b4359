"""RenderRequest and RenderedTake: canonical hashing, validation into BadRequest, frame counts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.base import RenderedTake, RenderRequest, SpokenLine
from generator.errors import BadRequest


def test_key_is_canonical_and_sensitive_to_what_changes_pixels() -> None:
    a = RenderRequest(prompt="a lighthouse", frames=9, options={"b": 1, "a": 2})
    b = RenderRequest(prompt="a lighthouse", frames=9, options={"a": 2, "b": 1})
    assert a.key() == b.key() and len(a.key()) == 64
    for change in ({"prompt": "a harbour"}, {"seed": 1}, {"width": 320}, {"caption": "hi"}, {"frames": 10}):
        assert a.model_copy(update=change).key() != a.key(), change


def test_speech_enters_the_key_and_a_shot_without_lines_keeps_its_name() -> None:
    """A re-voiced line (another envelope) re-renders; a shot without lines hashes as before ``speech`` existed."""
    silent = RenderRequest(prompt="a lighthouse", frames=9)
    said = silent.model_copy(update={"speech": (SpokenLine(character="mara", start_frame=2, mouth=(0.0, 0.8, 1.0)),)})
    revoiced = silent.model_copy(update={"speech": (SpokenLine(character="mara", start_frame=2, mouth=(0.0, 0.6, 1.0)),)})
    assert len({silent.key(), said.key(), revoiced.key()}) == 3
    assert "speech" not in silent.model_dump(exclude_defaults=True)
    data = silent.model_dump(mode="json")
    for added_later in ("props", "speech", "camera_height"):  # left out of the hash when empty (eye level)
        del data[added_later]
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert silent.key() == hashlib.sha256(canonical.encode()).hexdigest()
    with pytest.raises(ValueError, match="less than or equal to 1"):
        SpokenLine(character="mara", start_frame=0, mouth=(1.5,))


def test_reference_images_count_by_content(tmp_path: Path) -> None:
    portrait = tmp_path / "mara.png"
    portrait.write_bytes(b"one")
    request = RenderRequest(prompt="p", frames=9, references={"mara": str(portrait)})
    before = request.key()
    portrait.write_bytes(b"two")
    assert request.key() != before


def test_build_turns_validation_errors_into_bad_request() -> None:
    with pytest.raises(BadRequest, match="width"):
        RenderRequest.build(prompt="p", frames=9, width=0)
    with pytest.raises(BadRequest, match="shot_size"):
        RenderRequest.build(prompt="p", frames=9, shot_size="HUGE")
    with pytest.raises(BadRequest, match="frames or duration_s"):
        RenderRequest.build(prompt="p")
    with pytest.raises(BadRequest, match=r"staging\.0\.x"):
        RenderRequest.build(prompt="p", frames=9, staging=[{"id": "mara", "x": 1.5}])


def test_frame_count_from_duration_and_fps() -> None:
    assert RenderRequest(prompt="p", duration_s=4, fps=24).frame_count() == 96
    assert RenderRequest(prompt="p", frames=9, duration_s=4).frame_count() == 9


def test_requests_are_frozen() -> None:
    request = RenderRequest(prompt="p", frames=9)
    with pytest.raises(Exception, match="frozen"):
        request.prompt = "q"  # type: ignore[misc]


def test_take_round_trips_through_json(tmp_path: Path) -> None:
    take = RenderedTake(path=tmp_path / "t.mp4", request_hash="ab", seed=1, backend="animatic", model="animatic/1",
                frame_count=48, width=64, height=36, fps=24, timings={"total": 0.5}, parameters={"steps": 2})  # fmt: skip
    again = RenderedTake.model_validate_json(take.model_dump_json())
    assert again == take and again.duration_s == 2.0


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8), st.integers() | st.text(max_size=8) | st.booleans(), max_size=6
    )
)
def test_key_ignores_the_order_of_options(options: dict[str, object]) -> None:
    reordered = dict(reversed(list(options.items())))
    assert (
        RenderRequest(prompt="p", frames=9, options=options).key()
        == RenderRequest(prompt="p", frames=9, options=reordered).key()
    )
