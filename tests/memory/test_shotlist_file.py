"""Reading shot-list files without trusting them: clear errors that name the place, refused early."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from memory.errors import FormatError
from memory.shotlist import json_schema, schema_path
from memory.shotlist_file import MAX_BYTES, json_path, parse_shotlist, read_shotlist

GOOD = {
    "format": "dailies.shotlist/1", "title": "T", "target_runtime_s": 60, "seed": 18446744073709551615,
    "characters": [{"id": "mara", "wardrobe": {"default": "coat"}, "age": 61}],
    "scenes": [{"id": "s1", "time_of_day": "night", "shots": [
        {"id": "s1-01", "size": "WS", "duration_s": 4.0, "characters": [{"id": "mara", "x": 0.3, "facing": "right", "pose": "kneel"}],
         "camera": {"angle_deg": -12.5, "rig": "dolly"}, "notes": {"deep": [[{"ok": True}]]}},
    ]}],
}


def test_committed_schema_is_the_generated_one():
    assert json.loads(schema_path().read_text(encoding="utf-8")) == json_schema()


def test_good_file_round_trips_with_extras(tmp_path: Path):
    path = tmp_path / "keeper.shots.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    sl = read_shotlist(path)
    again = json.loads(sl.to_json())
    assert again["seed"] == GOOD["seed"] and again["characters"][0]["age"] == 61
    assert again["scenes"][0]["shots"][0]["characters"][0]["pose"] == "kneel"
    assert again["scenes"][0]["shots"][0]["notes"] == {"deep": [[{"ok": True}]]}


def test_byte_order_mark_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.shots.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    assert read_shotlist(path).title == "T"


@pytest.mark.parametrize(("text", "words"), [
    ("", "line 1, column 1"),
    ('{"scenes": [}', "line 1, column 13"),
    ('{\n  "title": "x",\n  "scenes": [1,]\n}', "line 3, column 16"),
    ("[]", "top level must be a JSON object"),
    ('"hello"', "found a string"),
    ("null", "found null"),
    ('{"format": "dailies.shotlist/2"}', "format: expected 'dailies.shotlist/1'"),
    ('{"scenes": {"id": "s1"}}', "scenes: Input should be a valid list"),
    ('{"scenes": [{"id": "s1", "shots": [{"id": "a"}, {"id": "b", "duration_s": "long"}]}]}', "scenes[0].shots[1].duration_s"),
    ('{"scenes": [{"id": "s1", "shots": [{"size": "WS"}]}]}', "scenes[0].shots[0].id: Field required"),
    ('{"characters": [{"id": "m", "wardrobe": {"s1": 3}}]}', "characters[0].wardrobe.s1"),
    ('{"scenes": [{"id": "s1", "shots": [{"id": "a", "crosses_axis": "maybe"}]}]}', "scenes[0].shots[0].crosses_axis"),
])
def test_malformed_text_names_the_place(text, words):
    with pytest.raises(FormatError, match=None) as err:
        parse_shotlist(text)
    assert words in str(err.value)


@pytest.mark.parametrize(("number", "words"), [
    ("1e400", "too large"), ("-1e400", "too large"), ("NaN", "NaN is not a number"), ("Infinity", "Infinity is not a number"),
    ("-Infinity", "-Infinity"), ("1" + "0" * 5000, "too large"), ("1e30", "too large"), ("36893488147419103232", "too large"),
])
def test_hostile_numbers_refused_where_they_stand(number, words):
    text = '{\n "title": "x",\n "target_runtime_s": ' + number + "\n}"
    with pytest.raises(FormatError) as err:
        parse_shotlist(text)
    assert words in str(err.value) and "line 3, column 22" in str(err.value)


def test_number_inside_a_string_is_not_blamed():
    text = '{"title": "1e400", "target_runtime_s": 1e400}'
    with pytest.raises(FormatError, match="column 40"):
        parse_shotlist(text)


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"a": ' * 5_000 + "1" + "}" * 5_000,
    '{"notes": ' + "[" * 65 + "]" * 65 + "}",
])
def test_deep_nesting_is_refused(text):
    with pytest.raises(FormatError, match="nested more than 64 levels deep at line 1"):
        parse_shotlist(text)


def test_nesting_up_to_the_cap_is_fine():
    nested = "[" * 63 + "]" * 63  # 63 lists inside the top-level object: 64 levels
    assert parse_shotlist('{"notes": ' + nested + "}").model_extra == {"notes": json.loads(nested)}


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert parse_shotlist(json.dumps({"title": "[" * 1000 + '\\"{' * 100})).title.startswith("[[[")


def test_a_50_megabyte_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "huge.shots.json"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: the size is real, nothing needs writing
    real_open = Path.open

    class NoReading:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def read(self, *args):
            pytest.fail("read a file that was too big")

    monkeypatch.setattr(Path, "open", lambda self, *a, **k: NoReading(real_open(self, *a, **k)))
    with pytest.raises(FormatError, match=r"huge.shots.json: the file is 52.4 MB, larger than the 20.0 MB"):
        read_shotlist(path)


def test_long_text_is_refused_and_cap_is_adjustable():
    with pytest.raises(FormatError, match="larger than"):
        parse_shotlist(" " * (MAX_BYTES + 1))
    with pytest.raises(FormatError, match="larger than"):
        parse_shotlist(json.dumps(GOOD), max_bytes=100)


def test_unreadable_files(tmp_path: Path):
    with pytest.raises(FormatError, match="cannot read"):
        read_shotlist(tmp_path / "missing.shots.json")
    with pytest.raises(FormatError, match="not a regular file"):
        read_shotlist("/dev/zero")
    bad = tmp_path / "latin.shots.json"
    bad.write_bytes(b'{"title": "caf\xe9"}')
    with pytest.raises(FormatError, match=r"latin\.shots\.json: not UTF-8 text"):
        read_shotlist(bad)


def test_json_path_formatting():
    assert json_path(("scenes", 2, "shots", 0, "duration_s")) == "scenes[2].shots[0].duration_s"
    assert json_path(()) == ""
