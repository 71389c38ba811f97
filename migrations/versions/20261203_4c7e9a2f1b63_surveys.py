"""surveys: sections, questions, options, responses (one per person or browser), answers

Revision ID: 4c7e9a2f1b63
Revises: e5c9b3a7f1d2
Create Date: 2026-12-03 22:05:16.961464

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c7e9a2f1b63'
down_revision = 'e5c9b3a7f1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('allow_visitors', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_poll', sa.Boolean(), nullable=False),
    sa.Column('placement', sa.String(length=20), nullable=True),
    sa.Column('placement_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_survey_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_status'), ['status'], unique=False)
        batch_op.create_index('ix_survey_placement', ['placement', 'placement_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('visitor_hash', sa.String(length=64), nullable=True),
    sa.Column('is_paper', sa.Boolean(), nullable=False),
    sa.Column('paper_ref', sa.String(length=60), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=20), nullable=True),
    sa.Column('next_section', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_survey_response_district_id_district')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_survey_response_entered_by_id_user_account')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_survey_response_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('survey_id', 'user_id', name='uq_survey_response_user'),
    sa.UniqueConstraint('survey_id', 'visitor_hash', name='uq_survey_response_visitor')
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index('ix_survey_response_survey_submitted', ['survey_id', 'submitted_at'], unique=False)

    op.create_table('survey_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_section_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_section'))
    )
    with op.batch_alter_table('survey_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_section_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('prompt', sa.String(length=500), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('rows', sa.JSON(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('condition_option_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['survey_section.id'], name=op.f('fk_survey_question_section_id_survey_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_question_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question'))
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_question_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_survey_option_question_id_survey_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_option'))
    )
    with op.batch_alter_table('survey_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_option_question_id'), ['question_id'], unique=False)
    # A question's condition names an option: added once both tables exist.
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_survey_question_condition_option', 'survey_option',
                                    ['condition_option_id'], ['id'], ondelete='SET NULL')

    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('review', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['option_id'], ['survey_option.id'], name=op.f('fk_survey_answer_option_id_survey_option'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_survey_answer_question_id_survey_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_survey_answer_response_id_survey_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answer_question_option', ['question_id', 'option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answer_response_id'), ['response_id'], unique=False)


    op.create_table('survey_indicator_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('proposed_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('fiscal_year', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_survey_indicator_link_confirmed_by_id_user_account')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_survey_indicator_link_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_survey_indicator_link_question_id_survey_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_indicator_link_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_indicator_link')),
    sa.UniqueConstraint('question_id', 'indicator_id', name='uq_survey_indicator_link')
    )
    with op.batch_alter_table('survey_indicator_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_indicator_link_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_indicator_link_survey_id'), ['survey_id'], unique=False)

    # The page an actual's number comes from (a survey's results), linked beside its source.
    with op.batch_alter_table('indicator_actual', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_url', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('indicator_actual', schema=None) as batch_op:
        batch_op.drop_column('source_url')

    with op.batch_alter_table('survey_indicator_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_indicator_link_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_indicator_link_indicator_id'))

    op.drop_table('survey_indicator_link')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_response_id'))
        batch_op.drop_index('ix_survey_answer_question_option')

    op.drop_table('survey_answer')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_constraint('fk_survey_question_condition_option', type_='foreignkey')
    with op.batch_alter_table('survey_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_option_question_id'))

    op.drop_table('survey_option')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_question_section_id'))

    op.drop_table('survey_question')
    with op.batch_alter_table('survey_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_section_survey_id'))

    op.drop_table('survey_section')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_response_survey_submitted')

    op.drop_table('survey_response')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_placement')
        batch_op.drop_index(batch_op.f('ix_survey_status'))

    op.drop_table('survey')
