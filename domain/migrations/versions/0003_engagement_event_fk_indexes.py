"""engagement events: drop the single-column foreign key indexes

The unique (workspace_id, event_id) index and the (client_id, occurred_on) and
(client_id, user_ref, occurred_on) indexes lead with the same columns, so these two only slowed
every insert (foreign key cascades and workspace filters use the composite ones).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 09:05:00
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('engagement_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_events_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_engagement_events_client_id'))


def downgrade() -> None:
    with op.batch_alter_table('engagement_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_events_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagement_events_workspace_id'), ['workspace_id'], unique=False)
