"""The producer's desk: what a producer checks before anything is shot.

    desk/
    ├── calibration.py   measured seconds per transformer forward, per preset; the token-scaling rule
    ├── learning.py      the median actual ÷ estimate of measured takes
    ├── estimate.py      GPU-seconds, wall time on N GPUs and cost, per shot and for the film
    ├── tiers.py         draft and final: promoting approved shots to the final backend, and its estimate
    ├── quota.py         the usage ledger's balances and the monthly quota checked before a render
    ├── api_keys.py      public-API keys, kept as argon2 hashes
    ├── moderation/      the policy's types, rules, LLM judge, endpoint, and the moderator that runs them
    └── prompts/         the judge's prompt

It may import ``crew`` (prompt rendering), ``llm``, ``settings`` and ``errors``; ``production`` and the
studio import it (import-linter's inner-agents layers in ``pyproject.toml``).
"""

from agents.desk.estimate import Estimate, ShotEstimate, estimate_for, estimate_project
from agents.desk.learning import Learned
from agents.desk.moderation import Moderator

__all__ = ["Estimate", "Learned", "Moderator", "ShotEstimate", "estimate_for", "estimate_project"]
