"""What a premise names: its people (or animals, robots), its places, its time of day — read by rules.

Why rules and not the LLM: these spans are what the crew grounds every answer in. They build the
examples shown in the prompts (so a small model that copies the example copies the creator's premise,
not another film), and they are the deterministic answer of last resort for a field the model could not
write (labelled as such, see ``agents.crew.fidelity``). A premise is one or two plain sentences, so a
determiner-phrase reader with a few word lists is enough; it errs towards fewer, safer spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.crew.fidelity import words

DETERMINERS = frozenset(["a", "an", "the", "two", "three", "four", "his", "her", "their", "its", "one", "some", "another"])
PLACE_PREPOSITIONS = frozenset(["in", "at", "inside", "on", "across", "through", "aboard", "near", "outside", "into", "along", "around", "beneath", "under", "over"])
BOUNDARIES = frozenset(["and", "or", "but", "while", "as", "who", "that", "which", "when", "where", "before", "after", "until", "to", "from", "of", "with", "for", "by", "is", "are", "was", "were", "has", "have", "had", "must", "will", "can", "could", "would", "should", "named", "called"]) | PLACE_PREPOSITIONS | DETERMINERS
#: Words that head a phrase naming a being (people, animals, machines that act).
BEINGS = frozenset(["man", "woman", "boy", "girl", "child", "kid", "baby", "teenager", "teen", "son", "daughter", "mother", "father", "mom", "dad", "grandmother", "grandfather", "grandma", "grandpa", "sister", "sisters", "brother", "brothers", "twins", "friend", "friends", "couple", "wife", "husband", "widow", "widower", "stranger", "strangers", "dog", "puppy", "cat", "kitten", "bird", "fox", "wolf", "bear", "horse", "owl", "crow", "robot", "android", "ghost", "witch", "wizard", "king", "queen", "prince", "princess", "knight", "soldier", "nurse", "doctor", "astronaut", "pilot", "sailor", "captain", "detective", "thief", "cop", "officer", "guard", "keeper", "chef", "cook", "baker", "farmer", "fisherman", "fishermen", "student", "students", "teacher", "boss", "clerk", "monk", "nun", "priest", "artist", "poet", "musician", "pianist", "violinist", "singer", "dancer", "painter", "writer", "actor", "actress", "mechanic", "courier", "driver", "boxer", "runner", "swimmer", "climber", "gardener", "janitor", "librarian", "scientist", "inventor", "miner", "hunter", "girlfriend", "boyfriend", "neighbour", "neighbor", "neighbors", "lovers", "rivals", "team", "crew", "player", "players", "champion", "explorer", "traveller", "traveler", "tourist", "mermaid", "dragon", "alien", "monster", "elephant", "mouse", "rat", "rabbit", "turtle", "seal", "whale", "octopus", "goat", "cow", "pig", "duck", "chicken", "squirrel", "raccoon"])
#: Words that head a phrase naming a place.
PLACES_OUT = frozenset(["market", "street", "park", "beach", "forest", "field", "sea", "ocean", "city", "square", "roof", "rooftop", "garden", "desert", "mountain", "mountains", "river", "lake", "harbour", "harbor", "port", "bridge", "road", "highway", "village", "town", "island", "shore", "cliff", "valley", "jungle", "meadow", "yard", "courtyard", "alley", "station", "platform", "plaza", "camp", "farm", "orchard", "vineyard", "stadium", "track", "pier", "dock", "cemetery", "graveyard", "countryside", "snow", "tundra", "moon", "mars", "space"])
PLACES_IN = frozenset(["room", "kitchen", "bakery", "shop", "store", "office", "house", "home", "apartment", "flat", "bar", "cafe", "café", "restaurant", "hospital", "school", "classroom", "library", "museum", "church", "temple", "theatre", "theater", "cinema", "hall", "studio", "workshop", "garage", "basement", "attic", "lab", "laboratory", "factory", "warehouse", "hotel", "motel", "train", "bus", "car", "taxi", "ship", "boat", "submarine", "spaceship", "station", "tournament", "gym", "prison", "cell", "castle", "palace", "tower", "lighthouse", "cabin", "barn", "tent", "elevator", "lift", "diner", "salon", "laundromat", "arcade"])
TIMES = {"night": "night", "midnight": "night", "evening": "dusk", "dusk": "dusk", "sunset": "dusk",
         "twilight": "dusk", "dawn": "dawn", "sunrise": "dawn", "morning": "dawn", "day": "day", "noon": "day",
         "afternoon": "day"}
#: Verbs a premise's subject commonly takes without an "-s" (plural subjects).
VERBS = frozenset(["enter", "enters", "meet", "meets", "find", "finds", "race", "races", "try", "tries", "fight", "fights", "run", "runs", "search", "searches", "share", "shares", "race", "must", "learn", "learns", "teach", "teaches", "befriend", "befriends", "chase", "chases", "hide", "hides", "build", "builds", "steal", "steals", "escape", "escapes", "discover", "discovers", "lose", "loses", "win", "wins", "wait", "waits", "become", "becomes", "fall", "falls", "leave", "leaves", "return", "returns", "follow", "follows", "save", "saves", "open", "opens", "dance", "dances", "cook", "cooks", "bake", "bakes", "repair", "repairs"])


@dataclass
class Premise:
    """The spans of one premise: who is in it, where, and when."""

    text: str
    beings: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    time_of_day: str = "day"

    def place_is_interior(self, place: str) -> bool:
        ws = words(place)
        return bool(any(w in PLACES_IN for w in ws))


def _phrases(tokens: list[str]) -> list[tuple[str | None, list[str]]]:
    """(preposition before it, words) of each determiner phrase, stopping at a boundary or a verb."""
    out: list[tuple[str | None, list[str]]] = []
    i = 0
    while i < len(tokens):
        low = tokens[i].lower()
        after_prep = i > 0 and tokens[i - 1].lower() in PLACE_PREPOSITIONS and low not in BOUNDARIES
        if low in DETERMINERS or after_prep or (i == 0 and low not in BOUNDARIES):
            prep = tokens[i - 1].lower() if i > 0 and tokens[i - 1].lower() in PLACE_PREPOSITIONS else None
            start = i + 1 if low in DETERMINERS else i
            phrase: list[str] = []
            j = start
            while j < len(tokens) and tokens[j].lower() not in BOUNDARIES and len(phrase) < 4:
                w = tokens[j].lower()
                if phrase and (w in VERBS or (w.endswith("s") and not w.endswith("ss") and j + 1 < len(tokens)
                                              and tokens[j + 1].lower() in DETERMINERS)):
                    break
                phrase.append(tokens[j])
                j += 1
            known = [k for k, w in enumerate(phrase) if w.lower() in BEINGS | PLACES_IN | PLACES_OUT]
            if known:  # "night guard hears" -> "night guard": end at the last word that names a being or place
                phrase = phrase[: known[-1] + 1]
            if phrase:
                out.append((prep, phrase))
            i = max(j, i + 1)
        else:
            i += 1
    return out


def read_premise(text: str) -> Premise:
    """The beings, places, proper names and time of day a premise names (see the module docstring)."""
    tokens = re.findall(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*", text)
    premise = Premise(text=text)
    for prep, phrase in _phrases(tokens):
        low = [w.lower() for w in phrase]
        span = " ".join(phrase)
        head = low[-1]
        if head in BEINGS or (prep is None and head not in PLACES_OUT | PLACES_IN and head.endswith(("er", "or", "ist", "ian", "ess"))):
            premise.beings.append(span)
        elif (prep is not None or head in PLACES_OUT | PLACES_IN) and head not in TIMES:
            premise.places.append(span)
    for m in re.finditer(r"\bnamed ([A-Z][a-z]+)", text):
        premise.names.append(m.group(1))
    for w in words(text):
        if w in TIMES:
            premise.time_of_day = TIMES[w]
            break
    premise.beings = list(dict.fromkeys(premise.beings))
    premise.places = list(dict.fromkeys(premise.places))
    return premise
