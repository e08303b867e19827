"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('memories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source_lang', sa.String(length=35), nullable=False),
    sa.Column('target_lang', sa.String(length=35), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('memory_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('published_on', sa.DateTime(timezone=True), nullable=True),
    sa.Column('origin', sa.Text(), nullable=False),
    sa.Column('source_checksum', sa.String(length=64), nullable=False),
    sa.Column('target_checksum', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['memory_id'], ['memories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('memory_id', 'source_checksum', 'target_checksum', name='uq_document_sides')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_memory_id'), ['memory_id'], unique=False)

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('memory_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_lang', sa.String(length=35), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('source_normalised', sa.Text(), nullable=False),
    sa.Column('source_length', sa.Integer(), nullable=False),
    sa.Column('source_markup', sa.Text(), nullable=True),
    sa.Column('target_lang', sa.String(length=35), nullable=False),
    sa.Column('target_text', sa.Text(), nullable=False),
    sa.Column('target_normalised', sa.Text(), nullable=False),
    sa.Column('target_length', sa.Integer(), nullable=False),
    sa.Column('target_markup', sa.Text(), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('alignment_score', sa.Float(), nullable=True),
    sa.Column('external_id', sa.Text(), nullable=True),
    sa.Column('creator', sa.Text(), nullable=True),
    sa.Column('changer', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('properties', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['memory_id'], ['memories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('memory_id', 'content_hash', name='uq_unit_content')
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_document_position', ['document_id', 'position'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_document_position')

    op.drop_table('units')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_memory_id'))

    op.drop_table('documents')
    op.drop_table('memories')
