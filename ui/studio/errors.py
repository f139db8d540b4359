"""The studio page's exceptions (the ``ui`` package's tree; the CLI reports the other packages' errors).

    StudioPageError
    ├── NoSuchProject   no project with that id *for this user* (the same message whether it does not
    │                   exist or belongs to someone else, so ids cannot be probed)
    ├── BadInput        a form field the page cannot use (empty premise, unreadable staging, bad users file)
    └── NotReady        what was asked for does not exist yet (no cut, no take)
"""

from __future__ import annotations


class StudioPageError(Exception):
    """Base of every error the studio page raises."""


class NoSuchProject(StudioPageError, LookupError):
    """No project with this id belongs to the user asking."""


class BadInput(StudioPageError, ValueError):
    """A form field the page cannot use."""


class NotReady(StudioPageError):
    """What was asked for does not exist yet."""
