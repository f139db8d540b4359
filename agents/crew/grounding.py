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
    problem,
    stem,
    title_problem,
    words,
)
from agents.crew.premise import Premise
from agents.crew.shape import StoryShape
from memory.store import Store, slugify


def _id(text: str) -> str:
    first = words(text)[:1] or ["someone"]
    return slugify(first[0], 20).replace("-", "_") or "someone"


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def template_story(premise: Premise, shape: StoryShape) -> dict[str, Any]:
    """A deterministic story built only from the premise's own words (the answer of last resort)."""
    beings = premise.beings[: shape.max_characters] or premise.names[:1] or ["stranger"]
    places = premise.places[: shape.max_locations] or ["place of the story"]
    characters = []
    for i, being in enumerate(beings):
        name = premise.names[i] if i < len(premise.names) else _cap(being.split()[-1])
        characters.append({
            "id": _id(name if i < len(premise.names) else being.split()[-1]),
            "name": name,
            "description": being,
            "wardrobe": f"what a {being.lower()} would wear",
        })
    locations = [{"name": place.lower(), "interior": premise.place_is_interior(place), "description": place} for place in places]
    a = "the " + beings[0].lower()
    b = "the " + beings[1].lower() if len(beings) > 1 else "the world"
    where = "the " + places[0].lower()
    sentence = premise.text.strip().rstrip(".")
    forms = [
        f"We meet {a} in {where}.", f"{sentence[:1].upper()}{sentence[1:]}.", f"{_cap(a)} and {b} face what stands in the way.",
        f"{_cap(a)} makes a choice in {where}.", f"{_cap(a)} and {b} are changed.",
    ]
    beats = [forms[min(i, len(forms) - 1)] if i < len(forms) else f"{_cap(a)} in {where}, moment {i + 1}." for i in range(shape.beats)]
    beats[-1] = forms[-1] if shape.beats >= 2 else beats[-1]
    title = "The " + _cap(beings[0].lower()) + (" and the " + _cap(beings[1].lower()) if len(beings) > 1 else " in the " + _cap(places[0].lower()))
    return {"title": title[:60], "logline": (sentence + ".")[:200], "characters": characters, "locations": locations,
            "beats": [beat[:120] for beat in beats]}


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

    characters: dict[str, dict[str, Any]] = {}
    for answer in answers[:1]:  # the cast of the first answer (a re-ask only repairs fields)
        for c in answer.get("characters", []):
            if problem(c["name"], sources=sources) is None and c["id"] not in characters and len(characters) < shape.max_characters:
                characters[c["id"]] = dict(c)
    for cid, c in characters.items():
        for part, min_words in (("description", 3), ("wardrobe", 2)):
            fallback = _template_part(template, c, part)
            later = [str(o[part]) for a in answers[1:] for o in a.get("characters", []) if o.get("id") == cid and part in o]
            c[part] = pick(f"characters.{cid}.{part}", [c[part], *later], fallback, lambda t, m=min_words: problem(t, sources=sources, min_words=m)
                           or _echo(t, premise.text))
        prov.model(f"characters.{cid}.name")
    missing = max(0, len(template["characters"]) - len(characters))  # a cast smaller than the premise's gets
    for sheet in template["characters"]:                            # the beings it left out, from the template
        if missing and not _mentioned(sheet["description"], characters.values(), ("name", "description")) and len(characters) < shape.max_characters:
            missing -= 1
            key = sheet["id"] if sheet["id"] not in characters else sheet["id"] + "_2"
            characters[key] = {**sheet, "id": key}
            prov.template(f"characters.{key}", f"the model left out the premise's {sheet['description']}")
    out["characters"] = list(characters.values())

    locations: dict[str, dict[str, Any]] = {}
    for answer in answers[:1]:
        for loc in answer.get("locations", []):
            name_ok = problem(loc["name"], sources=sources) is None and len(words(loc["name"])) <= 5 and not any(
                _same(loc["name"], str(c[part])) for c in template["characters"] for part in ("wardrobe", "description", "name"))
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
                              "it repeated an earlier beat" if any(_same(t, b) for b in beats) else None)))
    out["beats"] = beats
    return out, prov


def _template_part(template: dict[str, Any], character: dict[str, Any], part: str) -> str:
    for sheet in template["characters"]:
        if _mentioned(sheet["description"], [character], ("name", "description")):
            return str(sheet[part])
    return f"{character['name']}, as the premise describes" if part == "description" else "everyday clothes"


def _mentioned(phrase: str, sheets: Any, keys: tuple[str, ...]) -> bool:
    """Whether the head word of ``phrase`` appears in any of ``sheets``' ``keys``."""
    heads = content_words(phrase)[-1:]
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
