"""The story memory's exceptions: one small tree, so callers catch what they mean.

    StoryMemoryError
    ├── NotFound          an id that names nothing (project, scene, shot, take…)
    ├── Duplicate         an id or key that is already taken
    ├── InvalidValue      a field with a wrong type or a value outside its allowed set
    ├── FormatError       a file that cannot be read as what it claims to be (bible, shot list, Fountain)
    └── SchemaError       a database whose schema cannot be brought up to date

Every message names the thing that is wrong (the id, the field, the place in the file) and, where it
helps, what would be accepted. No store method returns an error string; nothing is half-written when
one of these is raised (each store call is one transaction).
"""

from __future__ import annotations


class StoryMemoryError(Exception):
    """Base of every error raised by ``memory``."""


class NotFound(StoryMemoryError, LookupError):
    """An id names nothing in the store."""


class Duplicate(StoryMemoryError):
    """An id or key is already taken."""


class InvalidValue(StoryMemoryError, ValueError):
    """A field has a wrong type, or a value outside its allowed set."""


class FormatError(StoryMemoryError, ValueError):
    """A file cannot be read as what it claims to be."""


class SchemaError(StoryMemoryError):
    """The database's schema cannot be brought up to date."""
