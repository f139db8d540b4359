"""Fountain import: the test screenplays give the right scenes, characters and dialogue lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from memory_fixtures import DATA, dump, populate

from memory import fountain
from memory.errors import FormatError
from memory.store import Store
from memory.story import SpokenLine


def parsed(name: str) -> fountain.FountainScript:
    return fountain.parse_fountain((DATA / name).read_text(encoding="utf-8"))


def lines(scene: fountain.FountainScene) -> list[tuple[str, str, str | None]]:
    return [(d["character"], d["line"], d["parenthetical"]) for d in scene.dialogue]


def test_the_keeper() -> None:
    script = parsed("the_keeper.fountain")
    assert script.title == "The Keeper"
    assert script.title_page["author"] == "A. Test"
    assert script.title_page["contact"] == "dailies@example.invalid\nLighthouse Road 1"
    assert [(s.key, s.heading, s.location, s.time_of_day) for s in script.scenes] == [
        ("s1", "INT. LAMP ROOM - NIGHT", "lamp room", "night"),
        ("s2", "EXT. GALLERY - NIGHT - CONTINUOUS", "gallery", "night"),
        ("s3", "FLASHBACK - THE HARBOUR", "flashback - the harbour", None),  # forced heading: '.FLASHBACK…'
        ("s4", "I/E. TOM'S TRUCK - DAY", "tom's truck", "day"),
    ]
    assert script.characters == {"mara": "Mara", "tom": "Tom", "mcclane": "McCLANE"}
    s1, s2, s3, s4 = script.scenes
    assert lines(s1) == [("mara", "Another night, old friend.", "to herself"), ("tom", "Mara? It's me.", None),
                         ("mara", "You came back.", None)]
    assert s1.dialogue[1]["extension"] == "O.S." and s1.dialogue[2]["extension"] == "CONT'D"
    assert lines(s2) == [("tom", "I said I would.", None), ("mara", "You said a lot of things.", None)]
    assert s2.dialogue[1]["dual"] is True and "dual" not in s2.dialogue[0]
    assert lines(s3) == []
    assert lines(s4) == [("tom", "She never left.", "quietly"), ("tom", "Not once.", "beat"), ("mcclane", "Yippee-ki-yay.", None)]
    # sections and the synopsis under them; notes kept, boneyard gone, transitions and centered text kept
    assert s1.sections == ["ACT ONE"] and s4.sections == ["ACT ONE", "The storm"]
    assert script.synopsis == "Mara keeps the light alone; Tom returns."
    assert "[[Mara's scarf is red here" in s1.screenplay and "CUT TO:" in s1.screenplay
    assert all("Boneyard" not in s.screenplay for s in script.scenes)
    assert "> THE END OF THE FLASHBACK <" in s3.screenplay and s3.screenplay.startswith(".FLASHBACK")
    assert "~The keeper keeps the light,\n~and the light keeps her." in s4.screenplay


def test_night_ferry_edge_cases() -> None:
    script = parsed("night_ferry.fountain")
    assert script.title == "NIGHT FERRY"  # emphasis markup stripped from the title page
    assert [(s.heading, s.location, s.time_of_day) for s in script.scenes] == [
        ("INT./EXT. FERRY DECK - DUSK", "ferry deck", "dusk"),
        ("int. engine room - later", "engine room", "dusk"),          # lower case heading; LATER keeps the time
        ("ENGINE ROOM (FORCED)", "engine room (forced)", None),
        ("EST. HARBOUR TOWN - DAWN", "harbour town", "dawn"),
        ("EXT. CAR PARK - MOMENTS LATER", "car park", "dawn"),
    ]
    assert script.scenes[0].scene_number == "1"
    assert script.characters == {"sandra": "Sandra", "jonas": "Jonas", "mrs-o-hara": "Mrs. O'Hara", "r2d2": "R2D2", "man-2": "Man #2"}
    deck = script.scenes[0]
    assert lines(deck) == [
        ("sandra", "Nine crossings a day.\nNine chances to leave.", "whispering"),
        ("jonas", "Sandra!\nWait.", None),
        ("sandra", "What?", "turning"),
        ("jonas", "Nothing.", None),
        ("sandra", "Then why shout?", "overlapping"),
    ]
    assert deck.dialogue[0]["extension"] == "V.O." and deck.dialogue[4]["dual"] is True
    assert "!SANDRA leans on the rail" in deck.screenplay  # forced action is not a cue
    assert "Grin = beat" not in deck.screenplay  # inline notes are dropped by the parser, the line stays
    assert lines(script.scenes[3])[0][0] == "man-2" and script.scenes[3].dialogue[0]["extension"] == "ON PHONE"
    assert "Whole scene cut" not in "".join(s.screenplay for s in script.scenes)  # boneyard across a heading
    assert "Goodbye" not in str([s.dialogue for s in script.scenes])
    assert lines(script.scenes[4]) == [("sandra", "So that's it.", "beat")]


def test_last_bus_cold_open_sections_and_dual_dialogue() -> None:
    script = parsed("last_bus.fountain")
    assert script.title == "The Last Bus" and script.title_page["draft date"] == "11/27/2026"
    assert [(s.key, s.heading, s.time_of_day) for s in script.scenes] == [
        ("s1", "", None),                                    # the cold open before the first heading
        ("s2", "EXT. BUS DEPOT - NIGHT", "night"),
        ("s3", "INT. GUARD BOOTH - CONTINUOUS", "night"),
        ("s4", "A DREAM OF THE ROAD", None),
        ("s5", "EXT. RING ROAD - DAWN", "dawn"),
    ]
    cold, depot, booth, dream, road = script.scenes
    assert lines(cold) == [("driver", "Last stop. Everybody off.", None)]
    assert depot.summary == "Ines runs for a bus that does not wait."
    assert depot.sections == ["Part one", "The depot"] and dream.sections == ["Part one", "The road"]
    assert lines(depot) == [("ines", "Wait! Wait!", "shouting"), ("night-guard", "That was the last one, love.", None),
                            ("ines", "There's always one more.", None), ("night-guard", "Not tonight.", "shrugging")]
    assert lines(booth) == [("night-guard", "Tea?", None), ("ines", "Please.", "sitting"), ("night-guard", "Milk?", None)]
    assert booth.dialogue[2].get("dual") is True
    assert "I take it black" not in booth.screenplay
    assert "~Oh the night bus runs\n~on a road of rain" in booth.screenplay
    assert lines(road) == [("driver-2", "You two again?", "surprised"), ("ines-and-guard", "Morning!", None)]
    assert script.characters == {"driver": "Driver", "ines": "Ines", "night-guard": "Night Guard", "driver-2": "Driver #2",
                                 "ines-and-guard": "Ines And Guard"}


@pytest.mark.parametrize("name", ["the_keeper.fountain", "night_ferry.fountain", "last_bus.fountain"])
def test_a_scene_screenplay_is_fountain_that_parses_to_the_same_dialogue(name: str) -> None:
    for scene in parsed(name).scenes:
        if not scene.heading:
            continue
        again = fountain.parse_fountain(scene.screenplay)
        assert [lines(s) for s in again.scenes] == [lines(scene)], scene.key


def test_windows_line_endings_and_a_byte_order_mark_read_the_same() -> None:
    text = (DATA / "the_keeper.fountain").read_text(encoding="utf-8")
    unix, windows = fountain.parse_fountain(text), fountain.parse_fountain("\ufeff" + text.replace("\n", "\r\n"))
    assert [lines(s) for s in windows.scenes] == [lines(s) for s in unix.scenes]
    assert windows.title == unix.title


@pytest.mark.parametrize(
    ("heading", "previous", "expected"),
    [
        ("INT. LAMP ROOM - NIGHT", None, ("lamp room", "night")),
        ("EXT. HOUSE - GARDEN - DAY", None, ("house - garden", "day")),
        ("INT./EXT. CAR - MOVING - MAGIC HOUR", None, ("car - moving", "magic hour")),
        ("I/E TRUCK - DUSK", None, ("truck", "dusk")),
        ("EST. CITY", None, ("city", None)),
        ("INT. KITCHEN - CONTINUOUS", "morning", ("kitchen", "morning")),
        ("INT. KITCHEN - NIGHT - LATER", None, ("kitchen", "night")),
        ("int. cellar – night", None, ("cellar", "night")),
    ],
)
def test_parse_heading(heading: str, previous: str | None, expected: tuple[str, str | None]) -> None:
    assert fountain.parse_heading(heading, previous) == expected


def test_character_cues() -> None:
    assert fountain.character_name("MARA (V.O.) (CONT'D) ^") == ("MARA", ["V.O.", "CONT'D"])
    assert fountain.character_name("@McCLANE") == ("McCLANE", [])
    assert fountain.display_name("MRS. O'HARA") == "Mrs. O'Hara" and fountain.display_name("McCLANE") == "McCLANE"


def test_import_writes_scenes_characters_locations_and_dialogue(store: Store) -> None:
    project = fountain.import_fountain(store, (DATA / "the_keeper.fountain").read_text(encoding="utf-8"))
    assert project.title == "The Keeper" and project.premise == "Mara keeps the light alone; Tom returns."
    assert project.extra["title_page"]["author"] == "A. Test"
    assert [c.key for c in store.characters(project.id)] == ["mara", "tom", "mcclane"]
    assert [loc.key for loc in store.locations(project.id)] == ["lamp-room", "gallery", "flashback-the-harbour", "tom-s-truck"]
    s1 = store.scene(project.id, "s1")
    assert s1.time_of_day == "night" and s1.screenplay.startswith("INT. LAMP ROOM - NIGHT\n\n")
    assert s1.dialogue[0] == SpokenLine(character="mara", line="Another night, old friend.", parenthetical="to herself")
    assert "dialogue" not in s1.extra and s1.cast == list(dict.fromkeys(line.character for line in s1.dialogue))
    assert store.shots(project.id) == []


BROKEN = {
    "no scene at all": ("Title: Nothing\nAuthor: Nobody\n\n# Act one\n\n= to be written\n", "no scenes"),
    "empty": ("", "no scenes"),
    "binary": ("INT. A - DAY\x00\x01\x02", "control character"),
    "not text": (b"INT. A - DAY", "must be text"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_screenplay_raises_format_error_and_changes_nothing(store: Store, case: str) -> None:
    text, message = BROKEN[case]
    populate(store)
    before = dump(store)
    with pytest.raises(FormatError, match=message):
        fountain.import_fountain(store, text)  # type: ignore[arg-type]
    assert dump(store) == before


def test_import_into_a_taken_id_changes_nothing(store: Store, tmp_path: Path) -> None:
    pid = populate(store)
    before = dump(store)
    from memory.errors import Duplicate

    with pytest.raises(Duplicate):
        fountain.import_fountain(store, (DATA / "last_bus.fountain").read_text(encoding="utf-8"), project_id=pid)
    assert dump(store) == before


_lines = st.lists(
    st.sampled_from(["INT. ROOM - DAY", ".FORCED", "MARA", "BOB ^", "(quietly)", "Hello.", "", "", "> CUT TO:", "[[note",
                     "]]", "/*", "*/", "~la", "# Act", "= synopsis", "Title: X", "===", "@mcclane", "!ACTION"])
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(lines=_lines)
def test_any_text_parses_or_raises_format_error(lines: list[str]) -> None:
    try:
        script = fountain.parse_fountain("\n".join(lines))
    except FormatError:
        return
    assert script.scenes
    for scene in script.scenes:
        assert all(d["character"] in script.characters for d in scene.dialogue)
