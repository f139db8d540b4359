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

from agents.crew.fidelity import STOPWORDS, stem, words

DETERMINERS = frozenset(["a", "an", "the", "two", "three", "four", "his", "her", "their", "its", "one", "some", "another"])
PLACE_PREPOSITIONS = frozenset(["in", "at", "inside", "on", "across", "through", "aboard", "near", "outside", "into", "along", "around", "beneath", "under", "over"])
BOUNDARIES = frozenset(["and", "or", "but", "while", "as", "who", "that", "which", "when", "where", "before", "after", "until", "to", "from", "of", "with", "for", "by", "is", "are", "was", "were", "has", "have", "had", "must", "will", "can", "could", "would", "should", "named", "called"]) | PLACE_PREPOSITIONS | DETERMINERS
#: Words that head a phrase naming a being (people, animals, machines that act).
BEINGS = frozenset(["man", "woman", "boy", "girl", "child", "kid", "baby", "teenager", "teen", "son", "daughter", "mother", "father", "mom", "dad", "grandmother", "grandfather", "grandma", "grandpa", "sister", "sisters", "brother", "brothers", "twins", "friend", "friends", "couple", "wife", "husband", "widow", "widower", "stranger", "strangers", "dog", "puppy", "cat", "kitten", "bird", "fox", "wolf", "bear", "horse", "owl", "crow", "robot", "android", "ghost", "witch", "wizard", "king", "queen", "prince", "princess", "knight", "soldier", "nurse", "doctor", "astronaut", "pilot", "sailor", "captain", "detective", "thief", "cop", "officer", "guard", "keeper", "chef", "cook", "baker", "farmer", "fisherman", "fishermen", "student", "students", "teacher", "boss", "clerk", "monk", "nun", "priest", "artist", "poet", "musician", "pianist", "violinist", "singer", "dancer", "painter", "writer", "actor", "actress", "mechanic", "courier", "driver", "boxer", "runner", "swimmer", "climber", "gardener", "janitor", "librarian", "scientist", "inventor", "miner", "hunter", "girlfriend", "boyfriend", "neighbour", "neighbor", "neighbors", "lovers", "rivals", "team", "crew", "player", "players", "champion", "explorer", "traveller", "traveler", "tourist", "mermaid", "dragon", "alien", "monster", "elephant", "mouse", "rat", "rabbit", "turtle", "seal", "whale", "octopus", "goat", "cow", "pig", "duck", "chicken", "squirrel", "raccoon",
    "grandson", "granddaughter", "grandchild", "grandchildren", "grandparent", "grandparents", "children", "kids",
    "uncle", "aunt", "cousin", "nephew", "niece", "orphan", "parrot", "beekeeper", "accountant", "skateboarder",
    "carrier", "smuggler", "clockmaker", "critic", "sheriff", "chess-player", "apprentice", "stepmother",
    "stepfather", "fiance", "fiancee", "bride", "groom", "widow", "hermit", "vampire", "zombie", "giant",
    "snail", "frog", "bee", "bumblebee", "butterfly", "moth", "ant", "beetle", "spider", "firefly", "ladybug", "penguin", "lion", "tiger", "monkey", "gorilla", "donkey", "sheep", "lamb", "deer",
    "villain", "hero", "heroine", "lawyer", "judge", "mayor", "waiter", "waitress", "barista", "bartender",
    "tailor", "butcher", "florist", "plumber", "carpenter", "blacksmith", "shepherd", "surgeon", "vet",
    "veterinarian", "firefighter", "paramedic", "ranger", "lifeguard", "coach", "referee", "magician", "clown",
    "juggler", "acrobat", "drummer", "guitarist", "cellist", "composer", "conductor", "photographer", "journalist",
    "reporter", "spy", "agent", "pirate", "samurai", "ninja", "cowboy", "cowgirl", "outlaw", "prisoner", "inmate",
    "refugee", "immigrant", "stranger", "visitor", "guest", "host", "landlord", "tenant", "roommate", "classmate",
    "colleague", "partner", "people", "family", "parents", "person",
    "seagull", "gull", "pigeon", "eagle", "hawk", "swan", "goose", "heron", "sparrow", "robin", "magpie", "bat"])
#: Words that head a phrase naming a place.
PLACES_OUT = frozenset(["market", "street", "park", "beach", "forest", "field", "sea", "ocean", "city", "square", "roof", "rooftop", "garden", "desert", "mountain", "mountains", "river", "lake", "harbour", "harbor", "port", "bridge", "road", "highway", "village", "town", "island", "shore", "cliff", "valley", "jungle", "meadow", "yard", "courtyard", "alley", "station", "platform", "plaza", "camp", "farm", "orchard", "vineyard", "stadium", "track", "pier", "dock", "cemetery", "graveyard", "countryside", "snow", "tundra", "moon", "mars", "space",
    "junkyard", "hill", "hilltop", "hillside", "lot", "canal", "pond", "bay", "coast", "glacier", "volcano", "ruins",
    "battlefield", "trench", "schoolyard", "playground", "backyard", "porch", "balcony", "terrace", "swamp", "marsh",
    "prairie", "ranch", "racetrack", "riverbank", "waterfall", "canyon", "quarry", "border", "checkpoint", "rooftops",
    "fairground", "festival", "wasteland", "seaside", "boardwalk", "runway"])
PLACES_IN = frozenset(["room", "kitchen", "bakery", "shop", "store", "office", "house", "home", "apartment", "flat", "bar", "cafe", "café", "restaurant", "hospital", "school", "classroom", "library", "museum", "church", "temple", "theatre", "theater", "cinema", "hall", "studio", "workshop", "garage", "basement", "attic", "lab", "laboratory", "factory", "warehouse", "hotel", "motel", "train", "bus", "car", "taxi", "ship", "boat", "submarine", "spaceship", "station", "tournament", "gym", "prison", "cell", "castle", "palace", "tower", "lighthouse", "cabin", "barn", "tent", "elevator", "lift", "diner", "salon", "laundromat", "arcade",
    "gym", "mine", "monastery", "greenhouse", "pub", "tavern", "inn", "bedroom", "bathroom", "corridor", "hallway",
    "cockpit", "cabin", "carriage", "subway", "metro", "mall", "supermarket", "pharmacy", "courtroom", "embassy",
    "observatory", "aquarium", "zoo", "circus", "ballroom", "chapel", "crypt", "vault", "bunker", "hut", "shed",
    "igloo", "treehouse", "loft", "penthouse", "dormitory", "orphanage", "ward", "clinic", "bank", "casino",
    "hangar", "cave"])
TIMES = {"night": "night", "midnight": "night", "evening": "dusk", "dusk": "dusk", "sunset": "dusk",
         "twilight": "dusk", "dawn": "dawn", "sunrise": "dawn", "morning": "dawn", "day": "day", "noon": "day",
         "afternoon": "day"}
#: Verbs a premise's subject commonly takes without an "-s" (plural subjects).
VERBS = frozenset(["enter", "enters", "meet", "meets", "find", "finds", "race", "races", "try", "tries", "fight", "fights", "run", "runs", "search", "searches", "share", "shares", "race", "must", "learn", "learns", "teach", "teaches", "befriend", "befriends", "chase", "chases", "hide", "hides", "build", "builds", "steal", "steals", "escape", "escapes", "discover", "discovers", "lose", "loses", "win", "wins", "wait", "waits", "become", "becomes", "fall", "falls", "leave", "leaves", "return", "returns", "follow", "follows", "save", "saves", "open", "opens", "dance", "dances", "cook", "cooks", "bake", "bakes", "repair", "repairs"])


#: Prepositions of time: "during a winter blackout" is when, not where.
TIME_PREPOSITIONS = frozenset(["during", "before", "after", "until", "since"])
#: What people do that says where they are (first match in the premise wins).
ACTIVITY_PLACES = {
    "bake": "kitchen", "bread": "kitchen", "cake": "kitchen", "cook": "kitchen", "recipe": "kitchen",
    "dinner": "dining room", "swim": "beach", "surf": "beach", "sail": "harbour", "fish": "harbour",
    "skate": "skate park", "train": "gym", "box": "gym", "paint": "studio", "rehearse": "rehearsal room",
    "study": "classroom", "exam": "classroom", "operate": "operating room", "garden": "garden",
    "plant": "garden", "dance": "dance hall", "sing": "stage", "concert": "stage", "wedding": "chapel",
    "funeral": "cemetery", "race": "race track", "climb": "mountain", "camp": "campsite", "hike": "trail",
    "read": "library", "book": "library", "repair": "workshop", "fix": "workshop", "build": "workshop",
    "invent": "workshop", "chess": "chess club", "play": "living room", "blackout": "apartment",
}
#: Where a being who does this work is usually found.
WORKPLACES = {
    "chef": "kitchen", "cook": "kitchen", "baker": "bakery", "astronaut": "space station", "teacher": "classroom",
    "student": "classroom", "librarian": "library", "detective": "office", "nurse": "hospital ward",
    "doctor": "hospital ward", "surgeon": "operating room", "farmer": "farm", "fisherman": "harbour",
    "pilot": "cockpit", "sailor": "ship deck", "captain": "ship deck", "boxer": "gym", "painter": "studio",
    "artist": "studio", "musician": "music room", "pianist": "music room", "violinist": "music room",
    "monk": "monastery", "nun": "convent", "priest": "church", "clockmaker": "workshop", "inventor": "workshop",
    "mechanic": "garage", "gardener": "garden", "miner": "mine", "scientist": "lab", "beekeeper": "orchard",
    "keeper": "lighthouse", "guard": "museum", "soldier": "camp", "knight": "castle", "king": "palace",
    "queen": "palace", "driver": "car", "waiter": "restaurant", "barista": "cafe", "bartender": "bar",
}


@dataclass
class Premise:
    """The spans of one premise: who is in it, where, and when."""

    text: str
    beings: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    time_of_day: str = "day"
    #: True when the premise names no place and ``places`` holds the one ``infer_place`` guessed.
    place_inferred: bool = False

    def place_is_interior(self, place: str) -> bool:
        ws = words(place)
        return bool(any(w in PLACES_IN for w in ws))


def _is_being(word: str) -> bool:
    return word in BEINGS or stem(word) in BEINGS


_DETERMINERS = frozenset(["a", "an", "the", "his", "her", "their", "its"])


def things(premise: Premise) -> list[str]:
    """The objects a premise names, outside its beings and places ("a message in a bottle" → message, bottle).

    Why: the continuity supervisor's facts must be about someone or something of this story; a small model
    asked for a free-text subject wrote "facts" (18 of 18 facts in a ten-minute plan). The head of each
    phrase after an article (its last word before the next small word) that is no being, place or time.
    """
    taken = {w for span in [*premise.beings, *premise.places] for w in words(span)}
    ws = words(premise.text)
    found = []
    for i, w in enumerate(ws):
        if w not in _DETERMINERS:
            continue
        phrase = []
        for nxt in ws[i + 1 : i + 3]:
            if nxt in STOPWORDS:
                break
            phrase.append(nxt)
        if any(w in taken or _is_being(w) for w in phrase):  # "a lighthouse keeper finds": a being's phrase
            continue
        head = phrase[-1] if phrase else ""
        if len(head) > 2 and head not in TIMES and not _is_place(head):  # the phrase holds no being or taken word
            found.append(head)
    return list(dict.fromkeys(found))


#: Beings anyone may speak of in any story (people at large, family): only the others are strangers.
ANYONE = frozenset(["man", "woman", "boy", "girl", "child", "kid", "baby", "son", "daughter", "mother", "father", "mom",
                    "dad", "grandmother", "grandfather", "grandma", "grandpa", "grandson", "granddaughter", "sister", "sisters",
                    "brother", "brothers", "aunt", "uncle", "cousin",
                    "friend", "friends", "stranger", "strangers", "wife", "husband", "couple", "team", "crew"])


def strangers(text: str, story: list[str]) -> list[str]:
    """The beings ``text`` names that no text of ``story`` names (people at large and family aside).

    Why: asked what a monk says to a fox, the bundled model answered "The cat is a cat, and I'm a cat, I'm a
    dog" in every 60 s plan: fluent, new, and about nobody in the film.
    """
    known = {stem(w) for part in story for w in words(part)}
    return list(dict.fromkeys(w for w in words(text) if _is_being(w) and w not in ANYONE and stem(w) not in known))


#: Things that hold other things: "in a bottle" is where a message is, never where a film stands (the README's
#: own premise was planned as "EXT. BOTTLE - DAY").
OBJECTS = frozenset(["bottle", "box", "jar", "envelope", "pocket", "bag", "drawer", "cup", "glass", "letter", "book",
                     "basket", "suitcase", "chest", "jug", "vase", "shoe", "hat", "locket", "tin", "can", "wallet"])


def _is_place(word: str) -> bool:
    return word in PLACES_IN or word in PLACES_OUT or stem(word) in PLACES_IN or stem(word) in PLACES_OUT


def _known(word: str) -> bool:
    return _is_being(word) or _is_place(word)


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
            known = [k for k, w in enumerate(phrase) if _known(w.lower())]
            if known:  # "night guard hears" -> "night guard": end at the last word that names a being or place
                phrase = phrase[: known[-1] + 1]
            if phrase:
                out.append((prep, phrase))
            i = max(j, i + 1)
        else:
            i += 1
    return out


COUNTS = {"two": 2, "three": 3, "four": 4}
IRREGULAR_SINGULAR = {"children": "child", "grandchildren": "grandchild", "people": "person", "fishermen": "fisherman"}
ORDINALS = ["first", "second", "third", "fourth"]


def _each_one(span: str, text: str) -> list[str]:
    """A plural being as one span per person: "two sisters" -> "older sister", "younger sister".

    Why: a cast sheet describes one person; "kids" as one character drew one child for "two kids".
    """
    ws = span.split()
    head = ws[-1].lower()
    single = IRREGULAR_SINGULAR.get(head) or (stem(head) if stem(head) != head and stem(head) in BEINGS else None)
    if single is None:
        return [span]
    found = re.search(rf"\b(two|three|four)\s+(?:[A-Za-z-]+\s+){{0,2}}?{re.escape(ws[-1])}\b", text, re.I)
    count = COUNTS[found.group(1).lower()] if found else 2
    base = " ".join([*ws[:-1], single])
    if count == 2:
        return [f"older {base}", f"younger {base}"]
    return [f"{ORDINALS[i]} {base}" for i in range(count)]


#: "in …" after a verb of speech, writing or thought is how, not where: a parrot that "only speaks in old song
#: lyrics" was planned in a location called "old song lyrics".
_MANNER = re.compile(r"\b(?:speak|talk|sing|writ|answer|repl|whisper|shout|think|dream|paint|draw|rhym|communicat)\w*"
                     r"\s+(?:only\s+|just\s+|always\s+)?in\s+((?:[\w'-]+\s*){1,5})", re.IGNORECASE)


def read_premise(text: str) -> Premise:
    """The beings, places, proper names and time of day a premise names (see the module docstring)."""
    tokens = re.findall(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*", text)
    premise = Premise(text=text)
    for prep, phrase in _phrases(tokens):
        low = [w.lower() for w in phrase]
        span = " ".join(phrase)
        head = low[-1]
        if _is_being(head) or (prep is None and not _is_place(head) and head.endswith(("er", "or", "ist", "ian", "ess", "man"))):
            premise.beings += _each_one(span, text)
        elif (prep is not None or _is_place(head)) and head not in TIMES and (prep not in TIME_PREPOSITIONS):
            premise.places.append(span)
    for m in re.finditer(r"\bnamed ([A-Z][a-z]+)", text):
        premise.names.append(m.group(1))
    for w in words(text.replace("-", " ")):  # "a night-shift nurse" works at night
        if w in TIMES:
            premise.time_of_day = TIMES[w]
            break
    premise.beings = list(dict.fromkeys(premise.beings))
    premise.places = list(dict.fromkeys(premise.places))
    premise.places = [p for p in premise.places if p.split()[-1].lower() not in OBJECTS]  # "a message in a bottle"
    manners = [m.group(1).lower() for m in _MANNER.finditer(text)]
    premise.places = [p for p in premise.places if not any(p.lower() in m for m in manners)]  # "speaks in old song lyrics"
    named = [p for p in premise.places if _is_place(p.split()[-1].lower())]
    if named:  # "in a bottle", "on a canoe trip": after a preposition, but not a place the lexicon or a name says
        premise.places = [p for p in premise.places if p in named or p.split()[-1][:1].isupper()]
    if not premise.places:
        premise.places = [infer_place(premise)]
        premise.place_inferred = True
    return premise


def infer_place(premise: Premise) -> str:
    """A place for a premise that names none, from what its people do or are ("bake bread" -> "kitchen").

    Why: a plan needs somewhere to stand, and the old answer of last resort, "place of the story", was a
    placeholder that reached the screen (and a small model copied it as a character). The guess is plain
    and visible: the writer's location sheet says where it came from when the model gives none.
    """
    ws = words(premise.text)
    for w in ws:
        for key in (w, stem(w)):
            if key in ACTIVITY_PLACES:
                return ACTIVITY_PLACES[key]
    for being in premise.beings:
        head = words(being)[-1:]
        for key in (*head, *(stem(h) for h in head)):
            if key in WORKPLACES:
                return WORKPLACES[key]
    if premise.beings:
        return f"{words(premise.beings[0])[-1]}'s home"
    return "quiet street"
