"""project.extra, take.stale_reason, index on decision.shot_id

Why: a shot-list file's unknown top-level fields (and a Fountain title page) need a home on the project
so that import → export gives back the same document; the critic and the continuity supervisor mark
takes stale and must say why; decisions are looked up per shot.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 23:50:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy of the table): SQLite supports it for a nullable column or one with a default.
    op.add_column('project', sa.Column('extra', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.add_column('take', sa.Column('stale_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_index(op.f('ix_decision_shot_id'), 'decision', ['shot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_shot_id'))
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.drop_column('stale_reason')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('extra')
