"""matching change log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        "matching_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("pruned_through", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(state, [{"id": 1, "version": 0, "pruned_through": 0}])
    op.create_table(
        "unit_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("memory_id", sa.Integer(), nullable=False),
        sa.Column("first_unit_id", sa.Integer(), nullable=True),
        sa.Column("last_unit_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unit_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_changes_version"), ["version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unit_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_changes_version"))
    op.drop_table("unit_changes")
    op.drop_table("matching_state")
