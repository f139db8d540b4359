"""Hostile files (issue 18): every import goes through one hardened reader — one error, nothing written.

Each case was reproduced before the fix: a deep bible raised ``RecursionError``, ``1e400`` imported as an
infinite runtime, a 5,000-digit integer raised ``ValueError``, a FIFO hung, a symlink to ``/dev/zero`` read
until memory ran out, a 5 MB screenplay imported for a minute, and take paths or reference images could
name ``/etc/passwd`` or ``../../``.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from memory_fixtures import dump, populate

from memory import bible, exchange
from memory.errors import FormatError, StoryMemoryError
from memory.store import Store


def _bible(store: Store, pid: str) -> dict[str, Any]:
    return json.loads(json.dumps(bible.export_bible(store, pid)))


def _refused(store: Store, path: Path, message: str, error: type[Exception] = FormatError) -> None:
    before = dump(store)
    with pytest.raises(error, match=message):
        exchange.import_path(store, path)
    assert dump(store) == before, "a refused import wrote something"


def test_a_bible_nested_200000_levels_deep_is_one_error(store: Store, tmp_path: Path) -> None:
    populate(store)
    path = tmp_path / "deep.json"
    path.write_text('{"format": "dailies.bible", "version": 2, "project": ' + "[" * 200_000 + "]" * 200_000 + "}")
    _refused(store, path, "nested more than 64 levels deep at line 1")


@pytest.mark.parametrize(("literal", "message"), [("1e400", "overflows to infinity"), ("1" + "0" * 5000, "too large")])
def test_a_bible_number_no_film_can_use_is_one_error(store: Store, tmp_path: Path, literal: str, message: str) -> None:
    text = json.dumps(_bible(store, populate(store))).replace('"target_runtime_s": 45.0', f'"target_runtime_s": {literal}')
    assert literal in text
    path = tmp_path / "big-number.json"
    path.write_text(text)
    _refused(store, path, message)


def test_an_infinite_runtime_handed_over_in_python_is_refused(store: Store) -> None:
    document = _bible(store, populate(store))
    document["project"]["target_runtime_s"] = float("inf")
    before = dump(store)
    with pytest.raises(FormatError, match=r"project\.target_runtime_s"):
        bible.import_bible(store, document)
    assert dump(store) == before


@pytest.mark.parametrize(("where", "path", "message"), [
    ("take", "/etc/passwd", "outside the project's takes/ and references/ folders"),
    ("take", "../../secrets/key.mp4", r"leaves the project's folders \('..'\)"),
    ("reference", "/etc/shadow", "characters\\[0\\].reference_images\\[0\\]"),
    ("reference", "refs/../../../x.png", "leaves the project's folders"),
    ("take", "/home/someone/.dailies/takes/OTHER/s1-01/1.mp4", "outside the project's"),
])
def test_media_paths_that_leave_the_project_are_refused(store: Store, tmp_path: Path, where: str, path: str, message: str) -> None:
    pid = populate(store)
    document = _bible(store, pid)
    if where == "take":
        document["takes"][0]["path"] = path.replace("OTHER", "not-" + pid)
    else:
        document["characters"][0]["reference_images"] = [path]
    file = tmp_path / "paths.json"
    file.write_text(json.dumps(document))
    _refused(store, file, message)


def test_media_paths_inside_the_exported_projects_folders_are_kept(store: Store) -> None:
    pid = populate(store)
    document = _bible(store, pid)
    inside = f"/home/someone/.dailies/takes/{pid}/s1-01/1.mp4"
    document["takes"][0]["path"] = inside
    copy = bible.import_bible(store, document)
    assert store.takes(copy.id, "s1-01")[0].path == inside


def test_a_fifo_named_like_a_screenplay_is_refused_at_once(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.fountain"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            exchange.import_path(store, fifo)
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so the test process can end, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("importing a FIFO blocked instead of being refused")
    assert isinstance(outcome[0], FormatError) and "not a regular file" in str(outcome[0])


@pytest.mark.parametrize("target", ["/dev/zero", "real"])
def test_a_symlink_is_refused_whatever_it_points_at(store: Store, tmp_path: Path, target: str) -> None:
    real = tmp_path / "real.fountain"
    real.write_text("INT. LAMP ROOM - NIGHT\n\nMara waits.\n")
    link = tmp_path / "link.fountain"
    link.symlink_to(real if target == "real" else Path(target))
    populate(store)
    _refused(store, link, "symbolic link")


def test_a_huge_screenplay_is_refused_before_it_is_parsed(store: Store, tmp_path: Path) -> None:
    populate(store)
    path = tmp_path / "huge.fountain"
    path.write_text("INT. ROOM - DAY\n\nA long, long action line that fills the page.\n\n" * 40_000)
    assert path.stat().st_size > exchange.FOUNTAIN_MAX_BYTES
    _refused(store, path, "larger than the 2.0 MB a screenplay may be")


def test_a_screenplay_of_thousands_of_scenes_is_refused_before_it_is_parsed(store: Store, tmp_path: Path) -> None:
    populate(store)
    path = tmp_path / "many.fountain"
    path.write_text("".join(f"INT. ROOM {n} - DAY\n\nx\n\n" for n in range(3_000)))
    assert path.stat().st_size < exchange.FOUNTAIN_MAX_BYTES
    _refused(store, path, "about 3,000 scene headings; the limit is 2,000 scenes")


def test_every_refusal_is_a_story_memory_error() -> None:
    """The CLI prints these as one line with a non-zero exit (``ui.cli.output.USER_ERRORS``)."""
    assert issubclass(FormatError, StoryMemoryError)


@pytest.mark.parametrize(("section", "field", "value", "message"), [
    ("takes", "status", "lost", "status 'lost' is not one of"),
    ("decisions", "kind", "maybe", "decision kind 'maybe'"),
    ("project", "status", "finished", "project status 'finished'"),
])
def test_bible_rows_obey_the_stores_value_rules(store: Store, section: str, field: str, value: str, message: str) -> None:
    document = _bible(store, populate(store))
    target = document[section] if section == "project" else document[section][0]
    target[field] = value
    before = dump(store)
    with pytest.raises(StoryMemoryError, match=message):
        bible.import_bible(store, document)
    assert dump(store) == before


@pytest.mark.parametrize("path", [
    "/home/studio/.dailies/takes/{victim}/s1-01/1.mp4",  # absolute, claiming the victim's id as the bible's own
    "{victim}/s1-01/1.mp4",                              # relative: resolved against the takes folder
    "references/{victim}/mara-0123.png",                 # relative: resolved against the studio's home
])
def test_a_bible_cannot_name_another_users_project_folders(store: Store, path: str) -> None:
    """Bob's bible may not make Alice's takes or references part of his project (his cut would copy them)."""
    victim = store.create_project("Alice's film", owner="alice").id
    document = _bible(store, populate(store, owner="bob"))
    document["project"]["id"] = victim  # what the bible claims to come from
    document["takes"][0]["path"] = path.format(victim=victim)
    before = dump(store)
    with pytest.raises(FormatError, match=r"takes\[0\]\.path: .* a project that is not yours"):
        bible.import_bible(store, document, owner="bob")
    assert dump(store) == before


def test_a_bible_exported_from_ones_own_project_keeps_its_paths(store: Store) -> None:
    pid = populate(store, owner="bob")
    document = _bible(store, pid)
    inside = f"/home/studio/.dailies/takes/{pid}/s1-01/1.mp4"
    document["takes"][0]["path"] = inside
    copy = bible.import_bible(store, document, owner="bob")
    assert store.takes(copy.id, "s1-01")[0].path == inside


def test_a_json_file_over_the_20_mb_cap_is_refused_before_a_byte_is_read(store: Store, tmp_path: Path) -> None:
    """The cap was 200 MB: a file of junk just under it took seconds and gigabytes before it was refused."""
    populate(store)
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(20_000_001)  # sparse: the cap is checked by fstat, before reading
    _refused(store, path, "larger than the 20.0 MB a JSON file may be")


def test_a_bible_is_read_and_parsed_once(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(_bible(store, populate(store))))
    reads: list[Path] = []
    real = exchange.read_bytes

    def counted(file: Path, **kwargs: Any) -> bytes:
        reads.append(Path(file))
        return real(file, **kwargs)

    monkeypatch.setattr(exchange, "read_bytes", counted)
    kind, _ = exchange.import_path(store, path)
    assert kind == "bible" and reads == [path]


def test_a_bible_section_of_junk_stops_at_its_first_bad_row(store: Store) -> None:
    """100,000 numbers where scenes belong: one problem named, not 100,000 collected (10M took minutes)."""
    document = _bible(store, populate(store))
    document["scenes"] = [0] * 100_000
    before = dump(store)
    with pytest.raises(FormatError, match=r"malformed at scenes\.0: .* \(1 problem\(s\)\)"):
        bible.import_bible(store, document)
    assert dump(store) == before


def test_a_shot_list_of_junk_scenes_stops_at_the_first(tmp_path: Path) -> None:
    from memory.shotlist_file import parse_shotlist

    with pytest.raises(FormatError, match=r"^scenes\[0\]: [^;]*$"):
        parse_shotlist(json.dumps({"format": "dailies.shotlist/1", "scenes": [0] * 100_000}))


def test_a_json_file_of_millions_of_values_is_refused_before_it_is_parsed(store: Store, tmp_path: Path) -> None:
    """Under the size cap, 10 million numbers took seconds to parse and walk; a bible holds ~64 values a shot."""
    from memory.safe_read import MAX_VALUES

    populate(store)
    path = tmp_path / "many.json"
    path.write_text('{"format": "dailies.bible", "version": 2, "scenes": [' + ",".join(["0"] * (MAX_VALUES + 2)) + "]}")
    _refused(store, path, f"more than {MAX_VALUES:,} values")


def test_a_feature_films_worth_of_values_is_under_the_cap(store: Store) -> None:
    """2,000 shots (more than a feature film has), each with a take: well under the cap."""
    from memory.safe_read import MAX_VALUES

    document = _bible(store, populate(store))
    shot, take = document["shots"][0], document["takes"][0]
    document["shots"] = [{**shot, "key": f"s1-{n:04d}"} for n in range(2_000)]
    document["takes"] = [{**take, "shot": f"s1-{n:04d}"} for n in range(2_000)]
    assert json.dumps(document).count(",") < MAX_VALUES / 5


@pytest.mark.parametrize(("literal", "refused"), [
    ("9999999999999999999", False),      # 19 digits, no exponent: the C parser's own numbers
    ("18446744073709551616", False),     # 2^64 itself
    ("18446744073709551617", True),      # 2^64 + 1: 20 digits send it through the checks
    ("123456789012345678901.5", True),
    ("1e19", False),
    ("2e19", True),
    ("-1.5E+400", True),
    ("1e-400", False),                   # underflows to 0.0: finite
])
def test_numbers_at_the_limit_are_refused_or_kept_whichever_parser_reads_them(literal: str, refused: bool) -> None:
    from memory.safe_read import load_json

    text = '{"take": "take1.mp4", "hash": "ab3e5f", "value": ' + literal + "}"
    if refused:
        with pytest.raises(FormatError, match="too large"):
            load_json(text)
    else:
        assert load_json(text)["value"] == json.loads(literal)


def test_a_raised_size_cap_raises_the_value_count_with_it() -> None:
    """bench/check.py reads a 50,000-shot plan (~1.1 million values) with the size cap raised to fit it."""
    from memory.safe_read import MAX_VALUES
    from memory.shotlist_file import parse_shotlist

    text = '{"format": "dailies.shotlist/1", "scenes": [], "kept_extra": [' + ",".join(["0"] * (MAX_VALUES + 5)) + "]}"
    with pytest.raises(FormatError, match="values"):
        parse_shotlist(text)
    assert parse_shotlist(text, max_bytes=44_000_000).scenes == []
