"""take.seed becomes a 64-bit integer

Why: render seeds span 0…2**63 (``RenderRequest.seed``); PostgreSQL's INTEGER is 32-bit and refused the
first real seed ("integer out of range"). SQLite stores 64-bit integers in any INTEGER column, so there the
batch copy only brings the declared type in line with the model.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 01:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.alter_column('seed', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.alter_column('seed', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
