"""places: landmarks, district centres, and the exact and public point of proposals and projects

Revision ID: e5c9b3a7f1d2
Revises: e5c0a9d3f7b1
Create Date: 2026-12-03 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5c9b3a7f1d2'
down_revision = 'e5c0a9d3f7b1'
branch_labels = None
depends_on = None


# Tables that carry PlaceColumns (komoro_engage/plan/place_models.py).
PLACED = ('proposal', 'project', 'activity_day')
PLACE_COLUMNS = (('latitude', sa.Float()), ('longitude', sa.Float()),
                 ('place_precision', sa.String(length=10)), ('mesh_code', sa.String(length=10)),
                 ('public_latitude', sa.Float()), ('public_longitude', sa.Float()),
                 ('landmark_id', sa.Integer()))


def _add_place_columns(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, type_ in PLACE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.create_index(batch_op.f(f'ix_{table}_landmark_id'), ['landmark_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f(f'fk_{table}_landmark_id_landmark'), 'landmark',
                                    ['landmark_id'], ['id'])


def _drop_place_columns(table):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'fk_{table}_landmark_id_landmark'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f(f'ix_{table}_landmark_id'))
        for name, _type in reversed(PLACE_COLUMNS):
            batch_op.drop_column(name)


def upgrade():
    op.create_table(
        'landmark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('name_en', sa.String(length=100), nullable=True),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.Column('ku_id', sa.Integer(), nullable=True),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['district_id'], ['district.id'],
                                name=op.f('fk_landmark_district_id_district')),
        sa.ForeignKeyConstraint(['ku_id'], ['ku.id'], name=op.f('fk_landmark_ku_id_ku')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_landmark')),
        sa.UniqueConstraint('key', name=op.f('uq_landmark_key')),
    )
    with op.batch_alter_table('landmark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_landmark_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_landmark_ku_id'), ['ku_id'], unique=False)

    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latitude', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('longitude', sa.Float(), nullable=True))

    for table in PLACED:
        _add_place_columns(table)


def downgrade():
    for table in PLACED:
        _drop_place_columns(table)

    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')

    with op.batch_alter_table('landmark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_landmark_ku_id'))
        batch_op.drop_index(batch_op.f('ix_landmark_district_id'))
    op.drop_table('landmark')
