"""Layer 3: an optional OpenAI-compatible moderation endpoint (``POST {url}/v1/moderations``).

Why a mapping table: the endpoint's categories are not ours. Only the ones that mean one of our policy's
categories refuse; the rest (plain ``sexual`` between adults, ``self-harm``, ``hate`` without a target)
are recorded in the reason but do not refuse, because the policy does not refuse them (``docs/moderation.md``).
An endpoint that cannot answer is a ``ModerationUnavailable``: text is never let through unchecked
because a configured layer was down. Tests use ``httpx.MockTransport``; nothing here needs the network
unless an operator sets ``DAILIES_MODERATION_URL``.
"""

from __future__ import annotations

from typing import Any

import httpx

from agents.desk.moderation.policy import Category, Verdict
from agents.errors import ModerationUnavailable

#: The endpoint's category → ours, first match wins (most specific first).
MAPPING: tuple[tuple[str, Category], ...] = (
    ("sexual/minors", "sexual_minors"),
    ("illicit/violent", "weapons_instructions"),
    ("violence/graphic", "extreme_gore"),
    ("harassment/threatening", "harassment_real_people"),
    ("harassment", "harassment_real_people"),
)


class ModerationEndpoint:
    """A client of one moderation endpoint; pass ``transport`` to test without a network."""

    def __init__(self, url: str, *, model: str | None = None, timeout_s: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.client = httpx.Client(base_url=self.url, timeout=timeout_s, transport=transport)

    def check(self, text: str) -> Verdict:
        body: dict[str, Any] = {"input": text, **({"model": self.model} if self.model else {})}
        try:
            response = self.client.post("/v1/moderations", json=body)
            response.raise_for_status()
            result = response.json()["results"][0]
            flagged = {str(name) for name, on in dict(result["categories"]).items() if on}
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModerationUnavailable(f"the moderation endpoint {self.url}/v1/moderations gave no verdict: {exc}") from exc
        for theirs, ours in MAPPING:
            if theirs in flagged:
                return Verdict(allowed=False, category=ours, layer="endpoint", reason=f"endpoint flagged {theirs}")
        reason = f"flagged outside the policy: {', '.join(sorted(flagged))}" if flagged else ""
        return Verdict(allowed=True, layer="endpoint", reason=reason)

    def close(self) -> None:
        self.client.close()
