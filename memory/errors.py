"""The story memory's exceptions: one small tree, so callers catch what they mean.

    StoryMemoryError
    ├── NotFound          an id that names nothing (project, scene, shot, take…)
    ├── Duplicate         an id or key that is already taken
    ├── InvalidValue      a field with a wrong type or a value outside its allowed set
    ├── FormatError       a file that cannot be read as what it claims to be (bible, shot list, Fountain)
    ├── SchemaError       a database whose schema cannot be brought up to date
    └── StorageError      a database that cannot be written (disk full, read-only file or folder)

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


class StorageError(StoryMemoryError):
    """The database cannot be written: the disk is full, or the file or its folder is read-only."""


def storage_problem(driver_message: str, where: str) -> str | None:
    """One line saying what to do when the driver's message is a full disk or a read-only database, else None.

    Why: the driver's own error carries the statement and its parameters (kilobytes of SQL for a bulk
    write); the user needs the cause and the fix, not the SQL.
    """
    text = driver_message.lower()
    if "disk is full" in text or "no space left" in text or "diskfull" in text:
        return f"the disk holding {where} is full: free some space, then run the command again (nothing was written)"
    if "readonly" in text or "read-only" in text:
        return f"the database {where} is read-only: make the file and its folder writable (or set DAILIES_HOME to a writable folder)"
    return None
