"""Fidelity: is an answer the creator's film, or a loop, a placeholder, or a copy of something else?

Why this module: a 135M model copies whatever concrete example a prompt shows (every premise came back as
the prompt example's lighthouse story) and loops inside strings ("I was soaked. I was soaked. …"). The
crew therefore (1) shows no concrete example story — a role's example is built from the premise itself
(``agents.crew.premise``), so copying it stays faithful — and (2) checks each field of an answer here.
A field that fails is asked again by its role; if it still fails, the role takes the premise-derived
value for that field and *labels* it (``Provenance``): the plan keeps ``project.extra["provenance"]``
and the chat says e.g. "the writer's logline came from the premise template (it repeated itself)".
The bench reads the same record to count how much of each plan the model wrote.

Every check is a pure function of text, so tests craft degenerate inputs directly.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

#: Words that carry no story content (coverage ignores them).
STOPWORDS = frozenset(["a", "an", "the", "and", "or", "but", "nor", "so", "yet", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "into", "onto", "over", "under", "across", "through", "about", "above", "below", "behind", "beside", "between", "near", "inside", "outside", "along", "around", "after", "before", "during", "until", "while", "as", "than", "then", "when", "where", "who", "whom", "whose", "which", "that", "this", "these", "those", "it", "its", "it's", "they", "them", "their", "there", "here", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "i", "you", "he", "she", "we", "me", "him", "her", "us", "my", "your", "his", "our", "one", "two", "three", "four", "some", "any", "all", "each", "every", "no", "not", "only", "very", "just", "also", "too", "more", "most", "much", "many", "few", "own", "same", "other", "such", "up", "down", "out", "off", "again", "once", "new", "old"])

#: Names, places and phrases of the example stories the crew's prompts used to show. A plan that
#: mentions one that its premise does not is an example leak (the bench counts them; the checks refuse them).
EXAMPLE_MARKERS = frozenset({
    "the keeper", "mara", "tom", "lamp room", "lighthouse", "brass lamp", "oilskin", "estranged son",
    "grey braid", "soaked", "the storm brought me", "you came back", "lamp practicals", "moonlight",
    "her guard stays up", "the light stays on",
})

#: "The cat is a cat", "The lighthouse keeper is a lighthouse keeper": a thing said to be itself.
TAUTOLOGY = re.compile(r"\b(\w{3,}(?:\s+\w{3,})?)\s+is\s+(?:a\s+|an\s+|the\s+)?\1\b", re.I)

#: Text a model writes when it fills a shape instead of answering.
PLACEHOLDER = re.compile(
    r"(\.\.\.|…|<[^>]*>|\{[^}]*\}|\[[^\]]*\]|\b(?:todo|tbd|xxx|lorem|ipsum|placeholder|string|example|n/a)\b"
    r"|(?-i:\b(?:[Tt]he|[Aa]n?|to|of|in|at)\s+[B-HJ-Z]\b))",  # "I'll take you to the X": a letter standing in for a name
    re.I
)

#: Last words that mean a text stopped mid-phrase (its string bound ran out).
CUT_WORDS = frozenset({"a", "an", "the", "and", "of", "to", "in", "with"})

#: Marks no finished sentence ends with: an answer ending on one ran out of room mid-sentence.
DANGLING = (",", ";", ":", "\u2014", "-")

_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def words(text: str) -> list[str]:
    """Lower-case words (hyphenated and apostrophe words kept whole)."""
    return [w.lower() for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem so 'sisters'/'sister' and 'races'/'race' match (coverage only needs that much)."""
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry content, in order, without repeats (stems)."""
    seen: dict[str, None] = {}
    for w in words(text):
        if w not in STOPWORDS and len(w) > 1:
            seen.setdefault(stem(w), None)
    return list(seen)


def coverage(premise: str, text: str) -> float:
    """Share of the premise's content words that ``text`` mentions (1.0 for a premise without any)."""
    wanted = content_words(premise)
    if not wanted:
        return 1.0
    have = {stem(w) for w in words(text)}
    return sum(1 for w in wanted if w in have) / len(wanted)


def leaks(text: str, *sources: str, markers: Iterable[str] = EXAMPLE_MARKERS) -> list[str]:
    """The ``markers`` (example text) that ``text`` mentions and none of ``sources`` (premise, chat notes) does."""
    low = " " + " ".join(words(text)) + " "
    allowed = " " + " ".join(words(" ".join(sources))) + " "
    return sorted(m for m in markers if f" {' '.join(words(m))} " in low and f" {' '.join(words(m))} " not in allowed)


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, normalised (lower case, words only) for comparison."""
    out = []
    for piece in _SENTENCE.findall(text):
        norm = " ".join(words(piece))
        if norm:
            out.append(norm)
    return out


def repeated_sentences(lines: Iterable[str]) -> tuple[int, int]:
    """(sentences that repeat an earlier one, all sentences) over ``lines`` — the bench's loop measure."""
    seen: set[str] = set()
    repeats = total = 0
    for line in lines:
        for s in sentences(line):
            total += 1
            if s in seen:
                repeats += 1
            seen.add(s)
    return repeats, total


def repeated_ngram(text: str, n: int = 3) -> str | None:
    """The first word n-gram that occurs three times or more in ``text`` (a loop), else None."""
    ws = words(text)
    counts = Counter(tuple(ws[i : i + n]) for i in range(len(ws) - n + 1))
    for gram, count in counts.items():
        if count >= 3:
            return " ".join(gram)
    return None


def stutter(ws: list[str], longest: int = 6) -> str | None:
    """The first phrase of two to ``longest`` words said twice back to back, else None.

    Measured (a beekeeper film's character sheet): "with a bright smile, a bright smile. She is … a bee, a bee"
    passed every other check; a loop this short repeats nothing three times and no word twice in a row.
    """
    for n in range(2, longest + 1):
        for i in range(len(ws) - 2 * n + 1):
            if ws[i:i + n] == ws[i + n:i + 2 * n]:
                return " ".join(ws[i:i + n])
    return None


def problem(text: str, *, sources: Iterable[str] = (), min_words: int = 1, max_repeat: int = 1,
            banned: Iterable[str] = ()) -> str | None:
    """Why ``text`` is not a usable answer for a free-text field, or None when it is.

    Checks, in order: empty, a placeholder, a cut-off ending ("The ", "A 12", a dangling comma), too few words, a sentence
    said more than ``max_repeat`` times, a looping n-gram, a word or phrase repeated back to back, and text copied
    from an example shown to the model (``banned``) that ``sources`` (premise, creator's notes) do not mention.
    The crew's prompts show no fixed example story any more, so roles pass ``banned`` only for text they
    did show; the bench checks every plan against ``EXAMPLE_MARKERS``, the old examples.
    """
    stripped = text.strip()
    ws = words(stripped)
    if PLACEHOLDER.search(stripped):
        return "it was a placeholder"
    if not ws:
        return "it was empty"
    if ws[-1] in CUT_WORDS or (len(ws) <= 2 and any(c.isdigit() for c in stripped)) or stripped.endswith(DANGLING):
        return "it was cut off"  # "The ", "A 12", "… she finds a letter," (the string bound ended it)
    if len(ws) < min_words:
        return f"it had fewer than {min_words} words"
    if TAUTOLOGY.search(stripped):
        return "it said a thing is itself"
    counts = Counter(sentences(stripped))
    if counts and max(counts.values()) > max_repeat:
        return "it repeated itself"
    if repeated_ngram(stripped):
        return "it repeated itself"
    if any(a == b for a, b in itertools.pairwise(ws)):
        return "it repeated a word"
    if stutter(ws):
        return "it repeated a phrase"
    leaked = leaks(stripped, *sources, markers=banned)
    if leaked:
        return f"it copied an example ({', '.join(leaked)})"
    return None


_CLAUSE_END = re.compile(r"[.!?;:,\u2014]")


def trim_cut_off(text: str, *, min_words: int = 3) -> str | None:
    """``text`` back to its last complete clause, as a sentence, or None when that leaves under ``min_words`` words.

    Why: a small model under a string bound often writes one sentence too many and the bound cuts the
    last one off ("The sea is calm. The wind is a "). The clauses before the cut are the model's own
    words; keeping them (labelled "model, trimmed") beats dropping the whole line.
    """
    stripped = text.strip().rstrip(",;:\u2014 ")  # the dangling mark itself ends no clause ("… times. I,")
    for match in reversed(list(_CLAUSE_END.finditer(stripped))):
        head = stripped[: match.start()].rstrip(" ,;:\u2014")
        ws = words(head)
        if len(ws) < min_words or ws[-1] in CUT_WORDS:
            continue
        end = stripped[match.start()]
        return head + (end if end in ".!?" else ".")
    return None


def copies(text: str, source: str, *, share: float = 0.8) -> bool:
    """Whether ``text`` opens with ``source`` (at least ``share`` of its words, in order): an echo, not an answer."""
    a, b = words(text), words(source)
    if len(b) < 4:
        return False
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return k >= share * len(b)


def holds(text: str, part: str) -> bool:
    """Whether ``text`` holds all of ``part``, word for word ("knot number 3" does not hold "knot number 1")."""
    inner = " ".join(words(part))
    return bool(inner) and f" {inner} " in f" {' '.join(words(text))} "


def echoes(text: str, source: str, *, share: float = 0.8) -> bool:
    """Whether ``text`` and ``source`` open alike for four words or more, and for ``share`` of the shorter one.

    Unlike ``copies`` this also catches a cut-short echo ("A retired ferry captain teaches her grandson" for a
    longer premise): asked what a character says, a small model often recites the premise instead.
    """
    a, b = words(text), words(source)
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    inside = len(a) >= 4 and holds(source, text)  # recited from within ("X turns to Y and speaks")
    return inside or (k >= 4 and k >= share * min(len(a), len(b)))


def near_copy(text: str, source: str, *, ratio: float = 0.8) -> bool:
    """Whether ``text`` is ``source`` with small changes: a misspelt or cut-short copy is still a copy.

    Why: a small model copies a shown sentence with a typo or cut off ("The Retired Pastrry Chef and the
    world are changed. The Reti"); word-exact checks let that through. Each sentence of ``text`` is
    compared with ``source`` (and with the same length of ``source``'s opening) by difflib's ratio over
    letters; a sentence of four words or more that matches is a copy.
    """
    b = " ".join(words(source))
    if not b:
        return False
    for sentence in sentences(text):
        if len(sentence.split()) < 4:
            continue
        head = b[: len(sentence)]
        if max(SequenceMatcher(None, sentence, b).ratio(), SequenceMatcher(None, sentence, head).ratio()) >= ratio:
            return True
    return False


def is_fragment(text: str, premise: str) -> bool:
    """Whether ``text`` is only the premise's opening words, cut short ("A retired pastry chef")."""
    a, b = words(text), words(premise)
    return 0 < len(a) < len(b) and a == b[: len(a)]


def title_problem(title: str, premise: str, *, sources: Iterable[str] = ()) -> str | None:
    """Why ``title`` is not a usable title: the free-text checks, a code ("LHCK"), a cut-off or run-on title,
    or no premise word."""
    why = problem(title, sources=[premise, *sources])
    if why:
        return why
    if title.strip()[-1:] in {"-", ":", ",", ";", "(", "'", '"', "/", "&"}:
        return "it was cut off"
    last = title.split()[-1] if title.split() else ""
    if len(title.split()) > 1 and len(last) == 1 and last.isalpha() and last not in {"I", "A", "a"}:
        return "it was cut off"  # "… Rescue the Whale C": the string bound ended it mid-word (seen on the bundled model)
    ws = words(title)
    if len(ws) > 8:
        return "it was too long for a title"
    if len(ws) == 1 and (title.strip().isupper() or not re.search(r"[aeiouy]", title, re.I)):
        return "it was a code, not a title"
    related = set(content_words(premise + " " + " ".join(sources)))
    if not any(stem(w) in related for w in ws):
        return "it shared no word with the premise"
    return None


def trim_repeats(text: str) -> str:
    """``text`` with every sentence after its first occurrence removed ("A. B. A. A." → "A. B.")."""
    seen: set[str] = set()
    kept = []
    for piece in _SENTENCE.findall(text):
        norm = " ".join(words(piece))
        if norm and norm not in seen:
            seen.add(norm)
            kept.append(piece.strip())
    return " ".join(kept)


def trim_action(text: str) -> str:
    """``text`` without sentences that nearly repeat an earlier one and without an unfinished last sentence.

    Measured on the bundled model (a 60 s plan): "The young monk and the old fox clash over what to do. The
    young monk and old fox end the day changed. The young monks and the old foxes clash over what they should
    do. … The old fox and the young" became every shot's description. Kept: the first two sentences.
    """
    kept: list[str] = []
    pieces = [p.strip() for p in _SENTENCE.findall(text) if p.strip()]
    for i, piece in enumerate(pieces):
        unfinished = i == len(pieces) - 1 and not piece.endswith((".", "!", "?", '"', "'", "\u201d"))
        if unfinished and kept:
            break
        if not any(near_copy(piece, earlier, ratio=0.7) for earlier in kept):
            kept.append(piece)
    return " ".join(kept) if kept else text.strip()


# -- provenance ---------------------------------------------------------------------------------------

Source = str  # "model" | "model, trimmed" | "model, asked again" | "premise template" | "removed"


@dataclass
class Provenance:
    """Who wrote each field of one role's answer, and why a field was not the model's."""

    role: str
    fields: dict[str, Source] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def model(self, path: str, note: str = "") -> None:
        self.fields[path] = "model, trimmed" if note else "model"
        if note:
            self.reasons[path] = note

    def asked(self, path: str, first_answer: str) -> None:
        """The model's answer to a small question, after its first answer for ``path`` failed (``first_answer``: why)."""
        self.fields[path] = "model, asked again"
        self.reasons[path] = f"first answer: {first_answer}"

    def template(self, path: str, reason: str) -> None:
        self.fields[path] = "premise template"
        self.reasons[path] = reason

    def removed(self, path: str, reason: str) -> None:
        self.fields[path] = "removed"
        self.reasons[path] = reason

    @property
    def model_share(self) -> float:
        if not self.fields:
            return 1.0
        return sum(1 for s in self.fields.values() if s.startswith("model")) / len(self.fields)

    def fallbacks(self) -> list[str]:
        return [p for p, s in self.fields.items() if s == "premise template"]

    def messages(self) -> list[str]:
        """One chat line per field the model did not write (templated or removed), saying why: never silent."""
        lines = []
        for path, source in self.fields.items():
            where = path.replace(".", " ")
            if source == "premise template":
                lines.append(f"the {self.role}'s {where} came from the premise template ({self.reasons[path]})")
            elif source == "removed":
                lines.append(f"the {self.role}'s {where} was removed ({self.reasons[path]})")
        return lines

    def as_dict(self) -> dict[str, object]:
        return {"fields": dict(self.fields), "reasons": dict(self.reasons), "model_share": round(self.model_share, 3)}
