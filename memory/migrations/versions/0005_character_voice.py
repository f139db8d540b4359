"""character.voice: how each character sounds (backend, voice id, pitch, rate)

Why: the film speaks (issue 14). A character's voice is part of the story bible — chosen once from the
character sheet, edited by the creator, and the key under which their lines are voiced — so it is a
typed column, not a note in ``extra``. NULL means "not cast yet" (every existing character): the studio
casts a voice the next time it needs one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default), as in 0002 and 0004: no batch copy of the table.
    op.add_column('character', sa.Column('voice', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('character', schema=None) as batch_op:
        batch_op.drop_column('voice')
