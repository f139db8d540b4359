"""The crew's exceptions: one tree for everything ``agents`` raises.

    AgentError
    ├── SettingsError      a setting (``DAILIES_*`` or a config-file key) has a value it cannot take; names it
    ├── PromptError        a role's prompt file is missing, malformed, or needs a variable it was not given
    ├── NotPending         a decision names something that is not waiting for a person (already decided, unknown shot)
    ├── ProjectBusy        another process holds this project's lock and did not release it in time
    ├── ShotsNotApproved   the cut needs an approved take of every shot; ``shots`` lists those without one
    ├── ContentRefused     the producer's desk refused a premise, note or shot prompt; ``category`` names the policy's category
    ├── ModerationUnavailable  a configured moderation layer (the endpoint) could not give a verdict
    ├── EstimateUnavailable    no calibration covers this backend or preset, so no estimate is made up
    ├── QuotaExceeded      a render would pass the user's monthly quota of its tier; says what is left
    └── LLMError           (agents.llm.errors) the LLM layer's tree: unavailable, timeout, invalid output

Messages name the role, the project and what was wrong; nothing is returned as an error string.
"""

from __future__ import annotations


class AgentError(Exception):
    """Base of every error raised by ``agents``."""


class SettingsError(AgentError):
    """A setting is wrong: the message names the ``DAILIES_*`` variable or config key and what it accepts."""


class PromptError(AgentError):
    """A role's prompt cannot be rendered."""


class NotPending(AgentError):
    """A decision names something that is not waiting for a person."""


class ProjectBusy(AgentError):
    """Another process is working on this project."""


class ShotsNotApproved(AgentError):
    """The film cannot be cut: some shots have no approved take. ``shots`` lists their ids in film order."""

    def __init__(self, message: str, shots: list[str]) -> None:
        super().__init__(message)
        self.shots = list(shots)


class ContentRefused(AgentError):
    """The producer's desk refused some text under the moderation policy (``docs/moderation.md``).

    ``category`` is one of ``agents.desk.moderation.policy.CATEGORIES``; ``layer`` says which layer refused
    (``rules``, ``judge``, ``endpoint``); ``what`` is ``premise``, ``note`` or ``prompt``. Nothing was stored
    or rendered from the refused text.
    """

    def __init__(self, message: str, *, category: str, layer: str, what: str) -> None:
        super().__init__(message)
        self.category = category
        self.layer = layer
        self.what = what


class ModerationUnavailable(AgentError):
    """A configured moderation layer could not answer (endpoint down, malformed reply): nothing is let through unchecked."""


class EstimateUnavailable(AgentError):
    """No calibration covers the backend or preset asked for; the message lists the calibrated ones."""


class QuotaExceeded(AgentError):
    """A render would take ``user`` past this month's quota of ``tier`` (``agents.desk.quota``); nothing rendered.

    ``remaining_s`` is what is left this month, ``needed_s`` what the render asked for, ``limit_s`` the quota."""

    def __init__(self, message: str, *, user: str, tier: str, limit_s: float, used_s: float, needed_s: float) -> None:
        super().__init__(message)
        self.user, self.tier, self.limit_s, self.used_s, self.needed_s = user, tier, limit_s, used_s, needed_s

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.limit_s - self.used_s)
