"""The writer's answer, grounded: every field checked against the premise, bad fields asked again or templated.

Why per field: a small model often gets most of a story right and one field wrong (a looping beat, a
one-word code for a title). Replacing the whole answer would throw away what it wrote well; keeping it
would ship the loop. So each field is judged (``agents.crew.fidelity.problem``), a failing field is asked
again once, and a field that fails twice takes the premise template's value — recorded in a
``Provenance`` that the plan and the chat show. A field the model copied from the premise-built example
counts as the template's, not the model's: that is what the bench's "share written by the model" means.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, create_model

from agents.crew.fidelity import (
    Provenance,
    content_words,
    copies,
    coverage,
    is_fragment,
    near_copy,
    problem,
    stem,
    title_problem,
    words,
)
from agents.crew.premise import Premise, things
from agents.crew.shape import StoryShape
from memory.store import Store, slugify


def _id(text: str) -> str:
    first = words(text)[:1] or ["someone"]
    return slugify(first[0], 20).replace("-", "_") or "someone"


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


#: Colours the template dresses its people in, one each, so the animatic draws them apart.
PALETTE = ["navy blue", "rust red", "mustard yellow", "forest green", "charcoal grey", "plum purple", "sky blue", "olive"]
#: What a being of this kind wears (the head word of its premise phrase); anyone else wears everyday clothes.
CLOTHES = {
    "chef": "white chef's jacket and a {c} apron", "cook": "white shirt and a {c} apron", "baker": "{c} apron over a white shirt",
    "astronaut": "{c} flight suit with mission patches", "nurse": "{c} scrubs", "doctor": "white coat over a {c} shirt",
    "soldier": "{c} field uniform", "officer": "{c} uniform with a peaked cap", "guard": "{c} security uniform",
    "detective": "{c} trench coat", "driver": "{c} jacket and a flat cap", "boxer": "{c} hooded sweatshirt",
    "farmer": "{c} overalls and rubber boots", "fisherman": "{c} rain jacket and a wool hat", "sheriff": "{c} shirt with a star badge",
    "captain": "{c} peacoat", "sailor": "{c} striped sweater", "pilot": "{c} flight jacket", "librarian": "{c} cardigan and glasses",
    "teacher": "{c} blazer", "student": "{c} school jumper", "monk": "{c} robe", "king": "{c} robe and a crown",
    "queen": "{c} gown and a crown", "knight": "{c} surcoat over armour", "beekeeper": "white bee suit with a {c} veil",
    "mechanic": "{c} coveralls", "violinist": "{c} concert dress", "musician": "{c} jacket", "skateboarder": "{c} hoodie and ripped jeans",
    "teenager": "{c} hoodie and jeans", "grandson": "{c} hoodie and jeans", "granddaughter": "{c} hoodie and jeans",
    "kid": "{c} t-shirt and shorts", "child": "{c} t-shirt and shorts", "boy": "{c} t-shirt and jeans", "girl": "{c} dress and sneakers",
    "grandmother": "{c} cardigan and a long skirt", "grandfather": "{c} cardigan and corduroy trousers",
    "smuggler": "{c} leather jacket", "clockmaker": "{c} waistcoat and a jeweller's loupe", "accountant": "{c} suit and tie",
    "critic": "{c} overcoat and scarf", "carrier": "{c} postal uniform", "ghost": "pale {c} nightgown",
}
ANIMALS = frozenset(["dog", "puppy", "cat", "kitten", "bird", "fox", "wolf", "bear", "horse", "owl", "crow", "seal", "goat",
                     "parrot", "dragon", "mouse", "rat", "rabbit", "turtle", "whale", "octopus", "cow", "pig", "duck",
                     "chicken", "squirrel", "raccoon", "snail", "frog", "penguin", "lion", "tiger", "monkey", "donkey",
                     "sheep", "lamb", "deer", "elephant", "seagull", "gull", "pigeon", "eagle", "hawk", "swan",
                     "goose", "heron", "sparrow", "robin", "magpie", "bat"])
BIRDS = frozenset(["bird", "owl", "crow", "parrot", "duck", "chicken", "penguin", "seagull", "gull", "pigeon", "eagle",
                   "hawk", "swan", "goose", "heron", "sparrow", "robin", "magpie"])
OLD = frozenset(["old", "elderly", "retired", "aged", "grandmother", "grandfather", "grandma", "grandpa", "widow", "widower"])
YOUNG = frozenset(["kid", "child", "boy", "girl", "young", "little", "teenage", "teen", "teenager", "grandson",
                   "granddaughter", "son", "daughter", "student", "skateboarder", "younger"])
FUR = ["brown", "black and white", "ginger", "grey", "golden"]
HAIR_OLD = ["short silver hair", "white hair in a bun", "grey beard and thinning hair", "silver curls"]
HAIR = ["short dark hair", "long auburn hair", "curly black hair", "cropped blond hair", "red hair in a ponytail", "shaved head"]


def template_sheet(being: str, index: int) -> tuple[str, str]:
    """(description, wardrobe) of the premise's ``index``-th being, built only from its own words.

    Why so concrete: these strings go verbatim into every generation prompt, and the animatic draws the
    wardrobe's colour word. "what a chef would wear" drew nothing; "white chef's jacket and a navy blue
    apron" draws a chef, and each being gets its own colour so two people in one frame stay apart.
    """
    ws = [w.lower() for w in being.split()]
    head = stem(ws[-1]) if stem(ws[-1]) in CLOTHES or stem(ws[-1]) in ANIMALS else ws[-1]
    colour = PALETTE[index % len(PALETTE)]
    if head in ANIMALS:
        coat = "feathers" if head in BIRDS else "fur"
        fur = FUR[index % len(FUR)]
        return f"{being}, scruffy {fur} {coat}, bright curious eyes", f"a {colour} collar" if head in {"dog", "puppy", "cat", "kitten"} else f"its own {fur} {coat}"
    old, young = any(w in OLD for w in ws), any(w in YOUNG for w in ws)
    age = "in their seventies" if old else "about fifteen" if ("teenage" in ws or "teen" in ws or head in {"grandson", "granddaughter", "teenager", "skateboarder"}) else "about ten" if young else "in their thirties"
    hair = (HAIR_OLD if old else HAIR)[index % len(HAIR_OLD if old else HAIR)]
    clothes = CLOTHES.get(head, "{c} sweater and dark trousers").format(c=colour)
    return f"{being}, {age}, {hair}", clothes


def template_story(premise: Premise, shape: StoryShape) -> dict[str, Any]:
    """A deterministic story built only from the premise's own words (the answer of last resort)."""
    beings = premise.beings[: shape.max_characters] or premise.names[:1] or ["stranger"]
    places = premise.places[: shape.max_locations]
    characters = []
    heads = [b.split()[-1].lower() for b in beings]
    for i, being in enumerate(beings):
        short = being.split()[-1] if heads.count(heads[i]) == 1 else being  # "older kid" and "younger kid" stay apart
        name = premise.names[i] if i < len(premise.names) else _cap(short)
        description, wardrobe = template_sheet(being, i)
        characters.append({
            "id": _id(name) if i < len(premise.names) else slugify(short, 20).replace("-", "_"),
            "name": name,
            "description": description,
            "wardrobe": wardrobe,
        })
    locations = [{"name": place, "interior": premise.place_is_interior(place),
                  "description": f"the {place}, {'lit by lamps' if premise.time_of_day in ('night', 'dusk') else 'in daylight'}"}
                 for place in places]
    a = "the " + beings[0].lower()
    b = "the " + beings[1].lower() if len(beings) > 1 else None
    where = "the " + places[0]
    sentence = premise.text.strip().rstrip(".")
    told = _retold(sentence, beings[0])
    forms = [
        f"{_first(a)} is in {where}.", told,
        f"{_first(a)} and {b} clash over what to do." if b else f"Something stands in the way of {a}.",
        f"{_first(a)} tries again in {where}.", f"{_first(a)} makes a choice.",
        f"{_first(a)} and {b} end the day changed." if b else f"{_first(a)} ends the day changed.",
    ]
    if shape.beats <= len(forms):
        beats = [*forms[: shape.beats - 1], forms[-1]] if shape.beats >= 3 else forms[: shape.beats]
    else:
        beats = long_beats(shape.beats, a=a, b=b, where=where, told=told, thing=things(premise)[:1], end=forms[-1])
    title = "The " + _cap(beings[0].split()[-1].lower()) + (" and the " + _cap(beings[1].split()[-1].lower()) if len(beings) > 1 and beings[1].split()[-1] != beings[0].split()[-1] else " in the " + _cap(places[0].split()[-1].lower()))
    return {"title": title[:60], "logline": (sentence + ".")[:200], "characters": characters, "locations": locations,
            "beats": [beat[:120] for beat in beats]}


#: A long film's template beats, in story order (setup, departure, trials, midpoint, crisis, return): one is
#: taken at each beat's place in the film. Why: the template gave a ten-minute film "The Lighthouse Keeper
#: in the sea, moment 6." … "moment 29." (the bundled model's own thirty beats all repeated each other).
_ARC = (
    "{A} keeps to the old routine in {where}.", "{told}", "{A} cannot stop thinking about {thing}.",
    "{A} tells {b} what happened.", "{A} decides to act.", "{A} gathers what the journey needs.",
    "{A} sets out from {where}.", "The way is harder than {a} thought.", "{A} meets {b} on the way.",
    "{A} and {b} disagree about {thing}.", "{A} finds a clue about {thing}.", "{A} pushes on as the weather turns.",
    "{A} makes a mistake and pays for it.", "{A} rests and remembers why this matters.",
    "Halfway, {a} learns the truth about {thing}.", "Everything {a} believed is shaken.", "{A} and {b} make peace.",
    "{A} tries a new way forward.", "The danger grows around {a}.", "{A} loses something precious.",
    "{A} is alone and close to giving up.", "{A} finds the strength to go on.", "{A} faces what stands in the way.",
    "{A} risks everything in the hardest moment.", "{A} wins through, changed.", "{A} understands what {thing} meant.",
    "{A} heads home.", "{A} returns to {where}.", "{A} shares what was found with {b}.",
)


def long_beats(count: int, *, a: str, b: str | None, where: str, told: str, thing: list[str], end: str) -> list[str]:
    """``count`` distinct template beats following ``_ARC`` (spread over the film), the last one ``end``."""
    fill = {"A": _first(a), "a": a, "b": b or "a stranger", "where": where, "told": told,
            "thing": f"the {thing[0]}" if thing else "what was found"}
    arc = [line.format(**fill) for line in _ARC]
    rest = arc[2:]  # the routine and the premise itself open every long film; the rest is spread over it
    picked = arc[:2] + [rest[round(i * (len(rest) - 1) / max(1, count - 4))] for i in range(count - 3)]
    return [*picked[: count - 1], end]


def _first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _retold(sentence: str, first_being: str) -> str:
    """The premise as a beat about its first being: "A retired chef teaches…" -> "The retired chef teaches…"."""
    ws = sentence.split()
    lead = [w.lower() for w in ws[:1]]
    if lead and lead[0] in {"a", "an", "one", "two", "three", "four"} and first_being.split()[0].lower() not in {"older", "first"}:
        sentence = "The " + " ".join(ws[1:])
    return sentence[:1].upper() + sentence[1:] + "."


def story_schema(base: type[BaseModel], character: type[BaseModel], location: type[BaseModel], shape: StoryShape) -> type[BaseModel]:
    """``base`` (the writer's schema) with the list sizes of this running time (same name, same fields)."""
    # Two beats of slack above the runtime's count: an answer with a beat too many is trimmed, not refused.
    beat = Field(min_length=shape.beats, max_length=shape.beats + 2, description="Story beats in order, one short sentence each.")
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        base.__name__, __base__=base,
        characters=(list[character], Field(min_length=1, max_length=shape.max_characters)),  # type: ignore[valid-type]
        locations=(list[location], Field(min_length=1, max_length=shape.max_locations)),  # type: ignore[valid-type]
        beats=(list[Annotated[str, Field(max_length=120)]], beat),
    )
    return model


def _echo(text: str, premise: str) -> str | None:
    return "it only repeated the premise" if copies(text, premise) else None


def _same(a: str, b: str) -> bool:
    return words(a) == words(b)


def same_person(a: str, b: str) -> bool:
    """Whether two cast names name one person: the same words, run together or not, or one the other's end.

    Measured (the ten-minute bench): the bundled model cast "Lighthouse Keeper" and "Keeper", and the film
    had two keepers with one description. "Second Friend" and "Third Friend" stay two people.
    """
    x, y = words(a), words(b)
    if not x or not y:
        return False
    short, long_ = sorted((x, y), key=len)
    return "".join(x) == "".join(y) or long_[len(long_) - len(short):] == short


def ground_story(answers: list[dict[str, Any]], template: dict[str, Any], premise: Premise, notes: list[str],
                 shape: StoryShape) -> tuple[dict[str, Any], Provenance]:
    """Merge the model's answers (first answer first) field by field; the template fills what none got right."""
    sources = [premise.text, *notes]
    prov = Provenance("writer")
    out: dict[str, Any] = {}

    def pick(path: str, candidates: list[str], fallback: str, check: Any) -> str:
        reason = "the model gave no answer"
        for value in candidates:
            why = check(value)
            if why is None and _same(value, fallback):
                why = "the model copied the premise-built example"
            if why is None:
                prov.model(path)
                return value
            reason = why
        prov.template(path, reason)
        return fallback

    out["title"] = pick("title", [a.get("title", "") for a in answers], template["title"],
                        lambda t: title_problem(t, premise.text, sources=notes) or (
                            "it only repeated the premise" if copies(t, premise.text, share=0.5) else None))
    out["logline"] = pick("logline", [a.get("logline", "") for a in answers], template["logline"],
                          lambda t: problem(t, sources=sources, min_words=6) or (
                              "it missed most of the premise" if coverage(premise.text, t) < 0.2 else None))

    places = [str(loc["name"]) for loc in template["locations"]] + [str(loc.get("name", "")) for a in answers[:1] for loc in a.get("locations", [])]
    characters: dict[str, dict[str, Any]] = {}
    for answer in answers[:1]:  # the cast of the first answer (a re-ask only repairs fields)
        for c in answer.get("characters", []):
            why = problem(c["name"], sources=sources) or _not_a_being(c, places)
            if why is None and any(same_person(c["name"], o["name"]) for o in characters.values()):
                why = "it repeated another character's name"
            if why is None and c["id"] not in characters and len(characters) < shape.max_characters:
                characters[c["id"]] = dict(c)
            elif why is not None:
                prov.removed(f"characters.{c['id']}", why)
    for cid, c in characters.items():
        for part, min_words in (("description", 3), ("wardrobe", 2)):
            fallback = _template_part(template, c, part)
            later = [str(o[part]) for a in answers[1:] for o in a.get("characters", []) if o.get("id") == cid and part in o]
            c[part] = pick(f"characters.{cid}.{part}", [c[part], *later], fallback, lambda t, m=min_words: problem(t, sources=sources, min_words=m)
                           or _echo(t, premise.text))
        prov.model(f"characters.{cid}.name")
    for sheet in template["characters"]:  # the premise's people the model left out join the cast while there is room
        if _mentioned(sheet["description"], characters.values(), ("name", "description")):
            continue
        if len(characters) >= shape.max_characters:  # the model's own cast is kept; the runtime's cap is reached
            break
        key = sheet["id"] if sheet["id"] not in characters else sheet["id"] + "_2"
        characters[key] = {**sheet, "id": key}
        prov.template(f"characters.{key}", f"the model left out the premise's {sheet['description'].split(',')[0]}")
    out["characters"] = list(characters.values())

    locations: dict[str, dict[str, Any]] = {}
    for answer in answers[:1]:
        for loc in answer.get("locations", []):
            name_ok = problem(loc["name"], sources=sources) is None and len(words(loc["name"])) <= 5 and not _field_name(loc["name"]) and not any(
                _same(loc["name"], str(c[part])) for c in template["characters"] for part in ("wardrobe", "description", "name")) and not any(
                same_person(loc["name"], str(c["name"])) for c in out["characters"])  # "The Keeper" was cast as a place
            if name_ok and loc["name"].lower() not in locations and len(locations) < shape.max_locations:
                locations[loc["name"].lower()] = dict(loc)
    for key, loc in locations.items():
        loc["description"] = pick(f"locations.{key}.description", [loc["description"]], loc["name"],
                                  lambda t: problem(t, sources=sources, min_words=2) or _echo(t, premise.text))
        prov.model(f"locations.{key}.name")
    missing = max(0, len(template["locations"]) - len(locations))
    for sheet in template["locations"]:
        if missing and not _mentioned(sheet["description"], locations.values(), ("name", "description")):
            missing -= 1
            locations[sheet["name"]] = dict(sheet)
            prov.template(f"locations.{sheet['name']}", f"the model left out the premise's {sheet['description']}")
    out["locations"] = list(locations.values())

    beats: list[str] = []
    for i, fallback in enumerate(template["beats"]):
        candidates = [a["beats"][i] for a in answers if i < len(a.get("beats", []))]
        beats.append(pick(f"beats.{i + 1}", candidates, fallback,
                          lambda t: problem(t, sources=sources, min_words=3) or _echo(t, premise.text) or (
                              "it was the premise's opening words, not a beat" if is_fragment(t, premise.text) else None) or (
                              "it repeated an earlier beat" if any(near_copy(t, b) for b in beats) else None)))
    out["beats"] = beats
    return out, prov


def _field_name(text: str) -> bool:
    """Whether ``text`` reads like a field of the schema (``place_of_story``) rather than a name."""
    return "_" in text or any(w in {"place", "story", "location", "scene", "character", "name"} for w in words(text))


def _not_a_being(character: dict[str, Any], places: list[str]) -> str | None:
    """Why a cast entry is not a person (or animal): a place's name, or a field name written as a name."""
    name = str(character.get("name", ""))
    ident = str(character.get("id", ""))
    if _field_name(name) or _field_name(ident.replace("_", " ")):
        return "it was a field name, not a character"
    if any(_same(name, place) or _same(ident.replace("_", " "), place) for place in places if place):
        return "it was a place, not a character"
    return None


def _template_part(template: dict[str, Any], character: dict[str, Any], part: str) -> str:
    for sheet in template["characters"]:
        if _mentioned(sheet["description"], [character], ("name", "description")):
            return str(sheet[part])
    return f"{character['name']}, as the premise describes" if part == "description" else "everyday clothes"


def _mentioned(phrase: str, sheets: Any, keys: tuple[str, ...]) -> bool:
    """Whether the head word of ``phrase`` appears in any of ``sheets``' ``keys``."""
    heads = content_words(phrase.split(",")[0])[-1:]  # a template description opens with the premise's phrase
    return any(stem(w) in heads for s in sheets for k in keys for w in words(str(s.get(k, ""))))


def record(store: Store, project: str, prov: Provenance) -> list[str]:
    """Keep ``prov`` in the plan (``project.extra["provenance"]``) and say each fallback in the chat."""
    extra = dict(store.project(project).extra or {})
    provenance = dict(extra.get("provenance", {}))
    provenance[prov.role] = prov.as_dict()
    extra["provenance"] = provenance
    store.update_project(project, extra=extra)
    lines = prov.messages()
    if lines:
        store.add_message(project, "crew", "; ".join(lines) + ".", data={"fallback": {"role": prov.role, "fields": prov.fallbacks()}})
    return lines
