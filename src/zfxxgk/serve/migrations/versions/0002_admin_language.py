"""an admin's language; findings in the other languages; files that match no agency

Revision ID: 0002_lang
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_lang"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lang", sa.String(length=8), nullable=True))
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings_other", sa.Text(), nullable=True))
    op.create_table(
        "stray_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=400), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stray_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stray_file_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    op.drop_table("stray_file")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("findings_other")
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.drop_column("lang")
