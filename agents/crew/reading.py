"""What a pattern can read in a creator's chat message, before the producer asks the LLM.

Why patterns first: the bundled 135M model called almost every message a story change (bench/story.py,
25/40). What a pattern reads reliably it reads here, deterministically, in this order:

1. a **question** (starts with what/why/how/when/who/where/which/is/are/does/did…): nothing changes, so
   reading one is always safe; a running time asked about ("is the film 45 seconds long?") stays a question;
2. a **running time** said of the film ("make it 2 minutes", "cut it down to 30s");
3. **approve / reshoot** words, with at most one shot id;
4. a **shot note**: one shot id and no decision word ("in s1-02 the camera should move left");
5. a **new idea** ("new idea: …", "start over with …", "instead, make a film about …");
6. a **character's look or voice**: a character of the project (or a person word: she, him, the hero…) with
   appearance, wardrobe or voice words ("make Mara's scarf blue", "give Tom a deeper voice");
7. anything else that ends with "?" ("any idea why it's so slow?"), unless it is a polite request ("could
   you make the ending happier?"), which the LLM reads.

Skip rules (the LLM reads these): a negation before an action ("don't approve s1-02"), several shots, both
approve and reshoot words. Text in quotation marks is data (a sign, a line of dialogue), never read.

A ``Routing`` with an empty ``reply`` means the pattern read the intent but the model must still write what
only it can: the answer to a question, or whose look changes when the message says "she" among several
characters (``agents.crew.producer`` then asks the LLM with the schema narrowed to that intent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal["new_idea", "story_change", "character_look", "shot_note", "approve", "reshoot", "runtime", "question"]
#: The running times a plan can have (``Routing.runtime_s``'s bounds).
RUNTIME_RANGE_S = (5, 600)


class Routing(BaseModel):
    intent: Intent
    target: str = Field("", max_length=20, description="The character id or shot id the message is about, if any.")
    change: str = Field("", max_length=120, description="The requested change in a few words, e.g. a new look.")
    runtime_s: int | None = Field(None, ge=RUNTIME_RANGE_S[0], le=RUNTIME_RANGE_S[1], description="New target running time, for 'runtime'.")
    reply: str = Field(max_length=120, description="One friendly sentence back to the creator.")


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
    "a": 1, "an": 1, "half a": 0.5,
}  # fmt: skip
_AMOUNT = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT = r"(seconds?|secs?|s|minutes?|mins?|m)"
#: A length of the film: "<amount> <unit>" said of the film ("make it…", "the film…", "…long", "runtime…").
_RUNTIME = re.compile(
    rf"(?:\b(?:film|movie|it|runtime|running time|length|duration|cut)\b[^.?!]*?\b{_AMOUNT}[ -]?{_UNIT}\b"
    rf"|\b{_AMOUNT}[ -]?{_UNIT}\b[ -]*(?:long|in length|total|film|movie|runtime|cut)\b)",
    re.IGNORECASE,
)
_APPROVE = re.compile(r"\b(approve[sd]?|looks? (?:good|great)|lgtm|ship it|keep (?:it|this|that)|accept(?:ed)?|perfect)\b", re.I)
_RESHOOT = re.compile(r"\b(re-?shoot|redo|re-?do|retake|re-?take|another take|shoot (?:it|that|this) again)\b", re.I)
_NEGATION = re.compile(r"\b(not|don'?t|do not|never|no|shouldn'?t|mustn'?t|won'?t)\b", re.I)
#: Quoted text is what the creator quotes (a sign, a line of dialogue), never their own instruction.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')
#: A question by its first word ("do" only before a subject: "do the scene again" is an instruction).
_QUESTION = re.compile(
    r"^(?:what|why|how|when|who|whom|whose|where|which|is|are|was|were|does|did|"
    r"do (?:you|i|we|they|he|she|these|those))\b",
    re.I,
)
#: A polite request: read on as an instruction ("can you cut it to 20 s?" is a running time).
_POLITE = re.compile(r"^(?:can|could|would|will)\b", re.I)
_NEW_IDEA = re.compile(
    r"\b(?:new idea|start (?:over|again|afresh|from scratch)|scrap (?:it|this|that|the (?:film|story|movie))|"
    r"(?:a |an )?(?:whole |completely |totally )?(?:different|new|other) (?:film|story|movie|premise)(?: about| where| in which)?|"
    r"instead,? (?:make|do|tell) (?:a|the) (?:film|story|movie)|(?:want|like|make|do) (?:a|an) (?:film|story|movie) about)\b",
    re.I,
)
#: Words of how someone looks, dresses or sounds (colour words only count beside a person).
_LOOK = re.compile(
    r"\b(?:wears?|wearing|wore|dress(?:ed|es)?|outfit|costume|wardrobe|uniform|clothes|scarf|coat|raincoat|jacket|"
    r"hat|cap|hood|shirt|sweater|jumper|trousers|pants|jeans|skirt|boots?|shoes?|gloves?|glasses|spectacles|"
    r"necklace|earrings?|collar|hair|haired|beard|bearded|moustache|mustache|bald|braids?|ponytail|makeup|"
    r"scar|tattoo|bandage|freckles|skin|eyes|looks?|older|younger|taller|shorter|thinner|fatter|aged?|"
    r"smaller|bigger|scruffy|scruffier|muddy|dirty|cleaner|"
    r"voice|accent|sounds?|deeper|higher|pitch|"
    r"red|blue|green|yellow|black|white|grey|gray|brown|pink|purple|orange|golden|silver|blonde?)\b",
    re.I,
)
_VOICE = re.compile(r"\b(?:voice|accent|sounds?|pitch)\b", re.I)
#: A person without a name: the look is theirs, whose the model says when the project has several.
_PERSON = re.compile(r"\b(?:she|her|he|him|his|they|them|hero|heroine|protagonist|main character|lead|villain)\b", re.I)
#: A look is a change asked for: "Mara walks into the red room" says a colour but changes nobody.
_CHANGE = re.compile(
    r"\b(?:make|give|change|should|turn|dye|paint|put|let|wants?|needs?|add|have|has|wears?|wearing|gets?|become|"
    r"instead|swap|replace|cut|shave|grow)\b",
    re.I,
)
_MAIN = re.compile(r"\b(?:hero|heroine|protagonist|main character|lead)\b", re.I)


def _seconds(amount: str, unit: str) -> float:
    value = _NUMBER_WORDS.get(amount.lower())
    number = float(value) if value is not None else float(amount.replace(",", "."))
    return number * 60 if unit.lower().startswith("m") else number


def _words(names: Mapping[str, str], text: str) -> list[str]:
    """The characters (keys) whose id, name or a word of their name the text says, as whole words."""
    found: list[str] = []
    for name, key in names.items():
        if key not in found and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I):
            found.append(key)
    return found


def character_names(characters: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Every way a message may name a character (id, full name, each name word of 3+ letters) → its id."""
    names: dict[str, str] = {}
    for key, name in characters:
        for said in (key, name, *name.split()):
            if len(said) >= 3 and said.lower() not in {"the", "and", "old", "young", "little"}:
                names.setdefault(said.lower(), key)
    return names


def read_message(message: str, *, shots: Sequence[str] = (), characters: Sequence[tuple[str, str]] = ()) -> Routing | None:
    """The routing a pattern can read (see the module's docstring), or None when the LLM must read it.
    ``shots`` are the project's shot ids, ``characters`` its (id, name) pairs, matched as whole words."""
    text = _QUOTED.sub(" ", message).strip()
    if _QUESTION.match(text):
        return Routing(intent="question", reply="")  # the model answers it (an empty reply: see the docstring)
    mentioned = [s for s in shots if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text, re.I)]
    target = mentioned[0] if len(mentioned) == 1 else ""
    negation = _NEGATION.search(text)
    runtime = _RUNTIME.search(text)
    approve, reshoot = _APPROVE.search(text), _RESHOOT.search(text)
    if runtime and not (approve or reshoot) and not (negation and negation.start() < runtime.start()):
        amount, unit = (runtime.group(1), runtime.group(2)) if runtime.group(1) else (runtime.group(3), runtime.group(4))
        seconds = round(_seconds(amount, unit))
        low, high = RUNTIME_RANGE_S
        if not low <= seconds <= high:
            return Routing(intent="question", reply=f"A film can run {low} s to {high // 60} min; {seconds} s is outside that.")
        return Routing(intent="runtime", runtime_s=seconds, reply=f"Re-planning the film to run {seconds} s.")
    if len(mentioned) > 1 or negation:
        return None  # several shots or a negation: the LLM reads it
    if approve or reshoot:
        if approve and reshoot:
            return None
        if approve:
            return Routing(intent="approve", target=target, reply=f"Approved{' ' + target if target else ''}.")
        if target:
            return Routing(intent="reshoot", target=target, change=text[:120], reply=f"Reshooting {target}.")
        return None  # reshoot which shot? the LLM reads it
    if target and re.search(r"\bagain\b", text, re.I):  # "s1-03 again please": a reshoot without the word
        return Routing(intent="reshoot", target=target, change=text[:120], reply=f"Reshooting {target}.")
    if target:
        return Routing(intent="shot_note", target=target, change=text[:120], reply=f"Noted for {target}.")
    if idea := _NEW_IDEA.search(text):
        premise = re.sub(r"^(?:with|:|,|-|–|—|\s)+", "", text[idea.end():]).strip() or text
        return Routing(intent="new_idea", change=premise[:120], reply="A new film: the crew starts again from the premise.")
    if _LOOK.search(text) and _CHANGE.search(text):
        names = character_names(characters)
        named = _words(names, text)
        what = "voice" if _VOICE.search(text) else "look"
        if len(named) == 1:
            name = next(n for k, n in characters if k == named[0]) or named[0]
            return Routing(intent="character_look", target=named[0], change=text[:120], reply=f"Changing {name}'s {what}.")
        if not named and _PERSON.search(text):
            if len(characters) == 1 or (characters and _MAIN.search(text)):
                key, name = characters[0]
                return Routing(intent="character_look", target=key, change=text[:120], reply=f"Changing {name or key}'s {what}.")
            return Routing(intent="character_look", change=text[:120], reply="")  # whose look: the model picks
    if text.endswith("?") and not _POLITE.match(text):  # "could you … ?" asks for something: the LLM reads it
        return Routing(intent="question", reply="")
    return None
