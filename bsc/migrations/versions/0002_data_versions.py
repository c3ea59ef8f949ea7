"""data versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:15:25.820968
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_version',
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_data_version'))
    )


def downgrade() -> None:
    op.drop_table('data_version')
