"""an identity for the database, so match index files built from another database are refused

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("matching_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("database_id", sa.String(length=32), nullable=True))
    op.execute(sa.text("UPDATE matching_state SET database_id = :value").bindparams(value=uuid.uuid4().hex))


def downgrade() -> None:
    with op.batch_alter_table("matching_state", schema=None) as batch_op:
        batch_op.drop_column("database_id")
