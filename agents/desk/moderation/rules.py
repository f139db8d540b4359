"""Layer 1: rules that need no model — each a *combination* of patterns, never a single keyword.

Why combinations: a keyword list refuses the war drama ("bombs fall on the village"), the heist thriller
("they blow the vault with thermite") and the horror short ("blood on the floor, a scream"). Every rule
here needs two things together, within one sentence and the next: a subject (a minor, a real person,
a weapon, a gory act) *and* what makes it a policy matter (sexual content, harassment or a false
accusation, usable instructions, explicit lingering detail). A match preceded closely by a negation
("without graphic detail", "no nudity") does not count. A few phrases are unambiguous on their own.

False positives are measured as carefully as misses: ``bench/moderation.py`` runs these rules on the
labelled set in ``tests/agents/desk/data/moderation_set.jsonl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.desk.moderation.policy import Category, Verdict

_I = re.IGNORECASE

_SEXUAL = (
    r"\b(?:sex|sexual(?:ly|ised|ized)?|nude|nudes|naked|nudity|erotic\w*|explicit sex\w*|porn\w*|intercourse|undress\w*"
    r"|striptease|strips? naked|aroused|orgasm\w*|molest\w*|seduc\w*|lingerie|make love|making love|made love"
    r"|sleeps? with|sleeping with|bed scene|sex scene|fondl\w*|topless)\b"
)
_MINOR_WORDS = (
    r"\b(?:child|children|kid|kids|minor|minors|underage|under-age|preteens?|pre-teens?|toddlers?|schoolgirls?|schoolboys?"
    r"|little (?:girl|boy)s?|teens?|teenagers?|teenaged?|young teens?|middle[- ]schoolers?|(?:sixth|seventh|eighth|ninth)[- ]graders?"
    r"|high[- ]school (?:girl|boy|student)s?|(?:1[0-7]|[1-9]|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)[- ]years?[- ]olds?)\b"
)
_REAL_PERSON = (
    r"(?:\b(?:real|actual)[- ](?:life )?(?:person|people|woman|man|actress|actor|celebrity|singer|politician|individual)s?\b"
    r"|\breal-life\b|\bdeepfakes?\b|\b(?:celebrit(?:y|ies)|pop ?stars?|movie stars?|film stars?|influencers?|youtubers?"
    r"|tiktokers?|streamers?|politicians?|senators?|congress(?:wo)?m[ae]n|members? of parliament)\b"
    r"|\bthe (?:current |sitting |former )?(?:president|prime minister|pope|chancellor|governor|mayor|ceo)\b"
    r"|\bmy (?:ex|ex-\w+|coworkers?|co-workers?|colleagues?|boss|manager|neighbou?rs?|classmates?|teachers?|roommates?"
    r"|landlord|stepsister|sister-in-law|brother-in-law|principal)\b"
    r"|\b(?:a|my) (?:real )?(?:girl|boy) (?:from|at|in) my (?:school|class|office)\b)"
)
_PRIVATE_PERSON = (
    r"\bmy (?:ex|ex-\w+|coworkers?|co-workers?|colleagues?|boss|manager|neighbou?rs?|classmates?|teachers?|roommates?"
    r"|landlord|stepsister|sister-in-law|brother-in-law|principal)\b|\b(?:a|the) (?:real )?(?:girl|boy|kid) (?:from|at|in) my (?:school|class|office)\b"
)
_HARASS = (
    r"\b(?:humiliat\w*|harass\w*|bull(?:y|ies|ied|ying)|stalk\w*|threaten\w*|dox\w*|mock(?:s|ed|ing)? (?:her|him|them)"
    r"|make (?:everyone|people|the (?:whole )?(?:school|class|office|town)) (?:hate|laugh at)|(?:her|his|their) (?:home )?address"
    r"|(?:her|his|their) phone number|shame (?:her|him|them)|get (?:back at|revenge on)|ruin (?:her|his|their) (?:life|reputation|career))\b"
)
_DEFAME = (
    r"\b(?:is (?:secretly )?(?:a|an) (?:pedophile|paedophile|rapist|criminal|murderer|fraud|thief|drug dealer|abuser|child abuser)"
    r"|(?:prove|proves|show|shows|reveal|reveals|expose|exposes)(?: that)? (?:she|he|they|him|her|them)(?: is| are|'s| as)? (?:a |an )?"
    r"(?:pedophile|paedophile|rapist|criminal|murderer|fraud|liar|abuser)"
    r"|fake (?:confession|evidence|scandal|affair|arrest|mugshot|video|footage|crimes?)|(?:falsely|wrongly) accus\w*"
    r"|accus\w* (?:her|him|them) of (?:rape|murder|fraud|abuse|child abuse|crimes?)|framed? (?:her|him|them) for)\b"
)
_INSTRUCTIONS = (
    r"(?:\bhow to (?:make|build|assemble|construct|manufacture|synthesi[sz]e|brew|cook|wire|rig|3d[- ]print|mix|produce|convert)\b"
    r"|\bstep[- ]by[- ]step (?:instructions|guide|tutorial|recipe|how)\b"
    r"|\b(?:explains?|shows?|teach(?:es)?|details?|demonstrates?)\b[^.]{0,40}\bstep[- ]by[- ]step\b|\binstructions? (?:for|to|on)\b|\brecipes? (?:for|of)\b|\btutorial\b"
    r"|\b(?:exact|precise|real|correct|accurate) (?:quantities|amounts|measurements|ratios|proportions|formulas?|recipes?|wiring|chemicals|ingredients)\b"
    r"|\blist of (?:ingredients|materials|parts|chemicals)\b"
    r"|\b(?:show|shows|showing|give|gives|giving|include|includes|display|displays|reveal|reveals|with) (?:the |its |a )?"
    r"(?:full |detailed |complete |readable |working )?(?:blueprints?|schematics?|diagrams?)\b"
    r"|\b(?:working|functional|real) (?:formula|recipe|design|instructions)\b"
    r"|\b(?:teach|teaches|teaching|shows?|showing) (?:the )?(?:viewers?|audience) (?:how|exactly)\b|\bwhich chemicals\b)"
)
_WEAPON = (
    r"\b(?:bombs?|pipe ?bombs?|explosives?|ieds?|improvised explosive|detonators?|blasting caps?|c-?4|semtex|tnt|dynamite"
    r"|thermite|napalm|molotovs?|nerve (?:agent|gas)|sarin|vx|ricin|anthrax|mustard gas|chemical weapons?|bio-?weapons?"
    r"|dirty bombs?|ghost guns?|untraceable (?:guns?|firearms?|weapons?)|silencers?|suppressors?|auto ?sears?"
    r"|full[- ]auto(?:matic)? conversions?|grenades?|landmines?|ammonium nitrate|acetone peroxide|tatp|black powder|gunpowder"
    r"|poisons?|toxins?)\b"
)
_GORE = (
    r"\b(?:disembowel\w*|entrails|intestines|innards|eviscerat\w*|flay\w*|skinn(?:ed|ing) alive|dismember\w*|decapitat\w*"
    r"|beheading|severed (?:heads?|limbs?|fingers?|hands?)|goug\w* (?:out )?(?:her |his |their )?eyes?|eyes? gouged|tortur\w*"
    r"|mutilat\w*|organs? spill\w*|spilling (?:her |his |their )?organs|brains? (?:splatter|spill)\w*|exposed (?:bones?|organs)"
    r"|guts|gore|gory|bloodbath|blood bath|chainsaw\w*|cannibal\w*|sawing (?:off|through))\b"
)
_EXPLICIT = (
    r"\b(?:graphic(?:ally)?|explicit(?:ly)?|in (?:loving|lingering|gruesome|vivid|full|close|excruciating|every|great|minute|slow) detail"
    r"|every (?:detail|second)|close[- ]ups? (?:of|on)|linger\w*|slow[- ]motion|(?:hyper-?)?realistic(?:ally)?|unflinching\w*"
    r"|as (?:gory|bloody|gruesome|graphic) as possible|shows? everything|nothing (?:is )?left to the imagination"
    r"|frame by frame|for (?:several|five|ten|\d+) (?:full )?minutes|maximum gore|extreme(?:ly)? (?:gory|graphic|detailed))\b"
)
_UNAMBIGUOUS_MINORS = r"\b(?:child porn\w*|csam|lolicon|shotacon|loli hentai)\b"
_NEGATION = re.compile(r"\b(?:no|not|without|never|avoid\w*|nothing|off-?screen|free of|instead of)\b[\w ,'-]{0,24}$", _I)
_SENTENCES = re.compile(r"(?<=[.!?;\n])\s+")


@dataclass(frozen=True)
class Rule:
    """A category and the patterns that must all match within one window (a sentence and the next)."""

    name: str
    category: Category
    patterns: tuple[re.Pattern[str], ...]

    def first_match(self, window: str) -> str | None:
        """The matched phrases joined ('teen + sex') when every pattern matches un-negated, else None."""
        found = []
        for pattern in self.patterns:
            hit = next((m for m in pattern.finditer(window) if not _NEGATION.search(window[: m.start()])), None)
            if hit is None:
                return None
            found.append(hit.group(0))
        return " + ".join(found)


def _rule(name: str, category: Category, *patterns: str) -> Rule:
    return Rule(name, category, tuple(re.compile(p, _I) for p in patterns))


RULES: tuple[Rule, ...] = (
    _rule("csam terms", "sexual_minors", _UNAMBIGUOUS_MINORS),
    _rule("minor + sexual", "sexual_minors", _MINOR_WORDS, _SEXUAL),
    _rule("real person + sexual", "sexual_real_people", _REAL_PERSON, _SEXUAL),
    _rule("instructions + weapon", "weapons_instructions", _INSTRUCTIONS, _WEAPON),
    _rule("private person + harassment", "harassment_real_people", _PRIVATE_PERSON, _HARASS),
    _rule("real person + false accusation", "harassment_real_people", _REAL_PERSON, _DEFAME),
    _rule("gore + explicit", "extreme_gore", _GORE, _EXPLICIT),
)


def windows(text: str) -> list[str]:
    """Each sentence joined with the next (a sentence alone when it is the last)."""
    sentences = [s for s in _SENTENCES.split(text.strip()) if s] or [""]
    return [" ".join(sentences[i : i + 2]) for i in range(len(sentences))]


def check_rules(text: str) -> Verdict:
    """Refuse under the first rule that matches; allow otherwise."""
    for window in windows(text):
        for rule in RULES:
            matched = rule.first_match(window)
            if matched is not None:
                return Verdict(allowed=False, category=rule.category, layer="rules", reason=f"{rule.name}: {matched}")
    return Verdict(allowed=True, layer="rules")
