"""desk: take.tier, the usage ledger, public-API keys

Why: the producer's desk (issue 16). A take is rendered at the ``draft`` tier (the production's own
renders) or the ``final`` tier (a promotion at the quality preset); both are kept, so the tier is a
column and not a note (existing takes are drafts: server default). ``usageentry`` is the ledger of
output seconds rendered per user, month and tier that quotas are checked against; ``apikey`` keeps the
argon2 hash of each public-API key, found by its short public id.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 03:52:03
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'apikey',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(), nullable=False),
        sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_id'),
    )
    op.create_index('ix_apikey_user', 'apikey', ['user'], unique=False)
    op.create_table(
        'usageentry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('month', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('project_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('shot_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_usageentry_user_month', 'usageentry', ['user', 'month'], unique=False)
    # Plain ADD COLUMN with a server default (as in 0002 and 0004): every existing take is a draft.
    op.add_column('take', sa.Column('tier', sa.String(), server_default=sa.text("'draft'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.drop_column('tier')
    op.drop_index('ix_usageentry_user_month', table_name='usageentry')
    op.drop_table('usageentry')
    op.drop_index('ix_apikey_user', table_name='apikey')
    op.drop_table('apikey')
