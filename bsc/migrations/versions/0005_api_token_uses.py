"""api token uses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 15:48:40.518510
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_token_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_token_use_token_id_api_token')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token_use'))
    )
    with op.batch_alter_table('api_token_use', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_use_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_token_use_token_id'), ['token_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_token_use', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_use_token_id'))
        batch_op.drop_index(batch_op.f('ix_api_token_use_at'))

    op.drop_table('api_token_use')
