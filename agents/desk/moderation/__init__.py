"""Content moderation in layers: the policy's types, rules without a model, an LLM judge, an endpoint."""

from agents.desk.moderation.endpoint import ModerationEndpoint
from agents.desk.moderation.judge import Judge, JudgeVerdict, capable
from agents.desk.moderation.moderator import Moderator, Review, moderator_for
from agents.desk.moderation.policy import CATEGORIES, DESCRIPTIONS, Category, Verdict, What
from agents.desk.moderation.rules import check_rules

__all__ = [
    "CATEGORIES",
    "DESCRIPTIONS",
    "Category",
    "Judge",
    "JudgeVerdict",
    "ModerationEndpoint",
    "Moderator",
    "Review",
    "Verdict",
    "What",
    "capable",
    "check_rules",
    "moderator_for",
]
