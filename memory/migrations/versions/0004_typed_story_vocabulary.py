"""Typed story vocabulary: project.beats, location.interior, scene.cast and scene.dialogue

Why: roles talked through string conventions stored in memory — an ``"INT. "``/``"EXT. "`` prefix on a
location's description, the beats as one story fact ``"beats: a | b | c"``, a scene's cast and dialogue
inside ``scene.extra`` (meant only for unknown fields kept for file round trips). The data moves: the
prefix becomes ``interior`` and leaves the description, the newest beats fact becomes ``project.beats``
(every beats fact is removed), ``extra["characters"]``/``extra["dialogue"]`` become ``cast``/``dialogue``
and leave ``extra``. Downgrade puts everything back where the previous release reads it.

The conversions are written out here, not imported from ``memory``: a migration must keep doing what it
did when the models change again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 03:05:00
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BEATS_PREFIX = "beats: "
LINE_FIELDS = ("character", "line", "parenthetical", "extension", "dual")

project_t = sa.table("project", sa.column("id", sa.String), sa.column("beats", sa.JSON))
fact_t = sa.table("storyfact", sa.column("id", sa.Integer), sa.column("project_id", sa.String),
                  sa.column("subject", sa.String), sa.column("fact", sa.String), sa.column("created_at", sa.DateTime))
location_t = sa.table("location", sa.column("id", sa.Integer), sa.column("description", sa.String), sa.column("interior", sa.Boolean))
scene_t = sa.table("scene", sa.column("id", sa.Integer), sa.column("extra", sa.JSON), sa.column("cast", sa.JSON),
                   sa.column("dialogue", sa.JSON))


def upgrade() -> None:
    # Plain ADD COLUMN with defaults (no batch copy), as in 0002.
    op.add_column('project', sa.Column('beats', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column('location', sa.Column('interior', sa.Boolean(), nullable=True))
    op.add_column('scene', sa.Column('cast', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.add_column('scene', sa.Column('dialogue', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    conn = op.get_bind()

    beats: dict[str, list[str]] = {}
    facts = conn.execute(sa.select(fact_t.c.id, fact_t.c.project_id, fact_t.c.fact)
                         .where(fact_t.c.subject == "story").order_by(fact_t.c.id)).all()
    moved = []
    for fact_id, project_id, text in facts:
        if text.startswith(BEATS_PREFIX):
            beats[project_id] = [beat.strip() for beat in text.removeprefix(BEATS_PREFIX).split(" | ") if beat.strip()]
            moved.append(fact_id)
    for project_id, items in beats.items():
        conn.execute(sa.update(project_t).where(project_t.c.id == project_id).values(beats=items))
    if moved:
        conn.execute(sa.delete(fact_t).where(fact_t.c.id.in_(moved)))

    for location_id, description in conn.execute(sa.select(location_t.c.id, location_t.c.description)).all():
        head = description[:4].upper()
        if head in ("INT.", "EXT."):
            conn.execute(sa.update(location_t).where(location_t.c.id == location_id)
                         .values(interior=head == "INT.", description=description[4:].strip()))

    for scene_id, extra in conn.execute(sa.select(scene_t.c.id, scene_t.c.extra)).all():
        extra = dict(extra or {})
        if "characters" not in extra and "dialogue" not in extra:
            continue
        cast = [str(key) for key in extra.pop("characters", None) or []]
        dialogue = [_line(line) for line in extra.pop("dialogue", None) or []]
        conn.execute(sa.update(scene_t).where(scene_t.c.id == scene_id).values(extra=extra, cast=cast, dialogue=dialogue))


def _line(line: dict[str, Any]) -> dict[str, Any]:
    """A dialogue line as the typed column stores it: known fields only, defaults (None, False) left out."""
    unknown = sorted(set(line) - set(LINE_FIELDS))
    if unknown:
        raise ValueError(f"a scene's dialogue line has field(s) {', '.join(unknown)} this schema does not know: {line!r}")
    return {name: line[name] for name in LINE_FIELDS if line.get(name) not in (None, False)}


def downgrade() -> None:
    conn = op.get_bind()
    for scene_id, extra, cast, dialogue in conn.execute(sa.select(scene_t.c.id, scene_t.c.extra, scene_t.c.cast, scene_t.c.dialogue)).all():
        if cast or dialogue:
            old_lines = [{"parenthetical": None, **line} for line in dialogue or []]
            conn.execute(sa.update(scene_t).where(scene_t.c.id == scene_id)
                         .values(extra={**(extra or {}), "characters": list(cast or []), "dialogue": old_lines}))
    for location_id, description, interior in conn.execute(
        sa.select(location_t.c.id, location_t.c.description, location_t.c.interior).where(location_t.c.interior.is_not(None))
    ).all():
        conn.execute(sa.update(location_t).where(location_t.c.id == location_id)
                     .values(description=f"{'INT.' if interior else 'EXT.'} {description}"))
    for project_id, items in conn.execute(sa.select(project_t.c.id, project_t.c.beats)).all():
        if items:
            conn.execute(sa.insert(fact_t).values(project_id=project_id, subject="story", fact=BEATS_PREFIX + " | ".join(items),
                                                  created_at=sa.func.now()))
    with op.batch_alter_table('scene', schema=None) as batch_op:
        batch_op.drop_column('dialogue')
        batch_op.drop_column('cast')
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('interior')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('beats')
