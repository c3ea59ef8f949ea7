"""objective KPI order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:30:46.800312
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('objective_kpi', schema=None) as batch_op:
        # Existing links of a KPI to an objective get place 0; the default is only for them.
        batch_op.add_column(
            sa.Column('position', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('objective_kpi', schema=None) as batch_op:
        batch_op.alter_column('position', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('objective_kpi', schema=None) as batch_op:
        batch_op.drop_column('position')

