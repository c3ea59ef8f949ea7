"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 13:02:26.049030
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )
    op.create_table('pest_factor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.CheckConstraint("category IN ('political', 'economic', 'social', 'technological')", name=op.f('ck_pest_factor_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pest_factor')),
    sa.UniqueConstraint('code', name=op.f('uq_pest_factor_code'))
    )
    op.create_table('rollout_wave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('gate_green_share', sa.Float(), nullable=True),
    sa.Column('gate_live_share', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollout_wave')),
    sa.UniqueConstraint('code', name=op.f('uq_rollout_wave_code')),
    sa.UniqueConstraint('sequence', name=op.f('uq_rollout_wave_sequence'))
    )
    op.create_table('survey_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_zh', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_item')),
    sa.UniqueConstraint('code', name=op.f('uq_survey_item_code'))
    )
    op.create_table('vendor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor')),
    sa.UniqueConstraint('code', name=op.f('uq_vendor_code'))
    )
    op.create_table('vendor_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=True),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.CheckConstraint('weight > 0', name=op.f('ck_vendor_criterion_weight_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_criterion')),
    sa.UniqueConstraint('code', name=op.f('uq_vendor_criterion_code'))
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=True),
    sa.Column('segment', sa.String(length=32), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('revenue', sa.BigInteger(), nullable=True),
    sa.Column('investor_count', sa.BigInteger(), nullable=True),
    sa.Column('capital_structure', sa.String(length=32), nullable=False),
    sa.Column('is_industry_leader', sa.Boolean(), nullable=False),
    sa.Column('is_cloud_leader', sa.Boolean(), nullable=False),
    sa.Column('has_state_shareholding', sa.Boolean(), nullable=False),
    sa.Column('prior_cooperation', sa.Boolean(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("capital_structure IN ('private', 'state', 'foreign', 'mixed')", name=op.f('ck_member_capital_structure')),
    sa.CheckConstraint("segment IN ('broker', 'bank', 'investment_trust', 'futures', 'insurance', 'other')", name=op.f('ck_member_segment')),
    sa.ForeignKeyConstraint(['wave_id'], ['rollout_wave.id'], name=op.f('fk_member_wave_id_rollout_wave')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member')),
    sa.UniqueConstraint('code', name=op.f('uq_member_code'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_wave_id'), ['wave_id'], unique=False)

    op.create_table('pest_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('quarter_start', sa.Date(), nullable=False),
    sa.Column('impact', sa.Integer(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=False),
    sa.Column('rater', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('impact BETWEEN -2 AND 2', name=op.f('ck_pest_rating_impact_range')),
    sa.CheckConstraint('likelihood BETWEEN 1 AND 5', name=op.f('ck_pest_rating_likelihood_range')),
    sa.ForeignKeyConstraint(['factor_id'], ['pest_factor.id'], name=op.f('fk_pest_rating_factor_id_pest_factor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pest_rating')),
    sa.UniqueConstraint('factor_id', 'quarter_start', 'rater', name=op.f('uq_pest_rating_factor_id_quarter_start_rater'))
    )
    with op.batch_alter_table('pest_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pest_rating_factor_id'), ['factor_id'], unique=False)

    op.create_table('vendor_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('expert', sa.String(length=120), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_vendor_score_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['vendor_criterion.id'], name=op.f('fk_vendor_score_criterion_id_vendor_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_vendor_score_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_score')),
    sa.UniqueConstraint('vendor_id', 'criterion_id', 'expert', name=op.f('uq_vendor_score_vendor_id_criterion_id_expert'))
    )
    with op.batch_alter_table('vendor_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_score_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('factor_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('objective_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['factor_id'], ['pest_factor.id'], name=op.f('fk_factor_objective_factor_id_pest_factor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_factor_objective_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_factor_objective')),
    sa.UniqueConstraint('factor_id', 'member_id', 'objective_key', name=op.f('uq_factor_objective_factor_id_member_id_objective_key'))
    )
    with op.batch_alter_table('factor_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_factor_objective_factor_id'), ['factor_id'], unique=False)

    op.create_table('kpi_definition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('polarity', sa.String(length=32), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('amber', sa.Float(), nullable=True),
    sa.Column('floor', sa.Float(), nullable=True),
    sa.Column('band_low', sa.Float(), nullable=True),
    sa.Column('band_high', sa.Float(), nullable=True),
    sa.Column('band_tolerance', sa.Float(), nullable=True),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('perspective', sa.String(length=16), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('objective_key', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("aggregation IN ('sum', 'mean', 'last', 'min', 'max')", name=op.f('ck_kpi_definition_aggregation')),
    sa.CheckConstraint("frequency IN ('monthly', 'quarterly', 'yearly')", name=op.f('ck_kpi_definition_frequency')),
    sa.CheckConstraint("perspective IN ('financial', 'customer', 'process', 'learning')", name=op.f('ck_kpi_definition_perspective')),
    sa.CheckConstraint("polarity <> 'in_band' OR (band_low IS NOT NULL AND band_high IS NOT NULL AND band_tolerance IS NOT NULL AND band_low <= band_high AND band_tolerance > 0)", name=op.f('ck_kpi_definition_band_complete')),
    sa.CheckConstraint("polarity = 'in_band' OR (target IS NOT NULL AND amber IS NOT NULL AND floor IS NOT NULL)", name=op.f('ck_kpi_definition_thresholds_complete')),
    sa.CheckConstraint("polarity IN ('higher_is_better', 'lower_is_better', 'in_band')", name=op.f('ck_kpi_definition_polarity')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_kpi_definition_weight_positive')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_kpi_definition_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_definition')),
    sa.UniqueConstraint('code', name=op.f('uq_kpi_definition_code'))
    )
    with op.batch_alter_table('kpi_definition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_definition_member_id'), ['member_id'], unique=False)

    op.create_table('rollout_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('wave_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('percent_complete', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stage IN ('design', 'test', 'build', 'trial', 'go_live')", name=op.f('ck_rollout_stage_stage')),
    sa.CheckConstraint('actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start', name=op.f('ck_rollout_stage_actual_order')),
    sa.CheckConstraint('percent_complete BETWEEN 0 AND 100', name=op.f('ck_rollout_stage_percent_range')),
    sa.CheckConstraint('planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start', name=op.f('ck_rollout_stage_planned_order')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_rollout_stage_member_id_member')),
    sa.ForeignKeyConstraint(['wave_id'], ['rollout_wave.id'], name=op.f('fk_rollout_stage_wave_id_rollout_wave')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollout_stage')),
    sa.UniqueConstraint('member_id', 'stage', name=op.f('uq_rollout_stage_member_id_stage'))
    )
    with op.batch_alter_table('rollout_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollout_stage_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rollout_stage_wave_id'), ['wave_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('demand', sa.Integer(), nullable=False),
    sa.Column('willingness', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('demand BETWEEN 1 AND 5', name=op.f('ck_survey_response_demand_range')),
    sa.CheckConstraint('willingness BETWEEN 1 AND 5', name=op.f('ck_survey_response_willingness_range')),
    sa.ForeignKeyConstraint(['item_id'], ['survey_item.id'], name=op.f('fk_survey_response_item_id_survey_item')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_survey_response_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('member_id', 'item_id', name=op.f('uq_survey_response_member_id_item_id'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_member_id'), ['member_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'member' AND member_id IS NOT NULL) OR (role <> 'member' AND member_id IS NULL)", name=op.f('ck_user_account_member_binding')),
    sa.CheckConstraint("language IN ('en', 'zh-TW')", name=op.f('ck_user_account_language')),
    sa.CheckConstraint("role IN ('executive', 'program_office', 'member')", name=op.f('ck_user_account_role')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_user_account_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_member_id'), ['member_id'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_audit_log_member_id_member')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_log_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity_entity_id', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_member_id'), ['member_id'], unique=False)

    op.create_table('kpi_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi_definition.id'], name=op.f('fk_kpi_target_kpi_id_kpi_definition')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_kpi_target_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_target')),
    sa.UniqueConstraint('kpi_id', 'member_id', 'period_start', name=op.f('uq_kpi_target_kpi_id_member_id_period_start'))
    )
    with op.batch_alter_table('kpi_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_target_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('mapping_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_mapping_template_created_by_user_account')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_mapping_template_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mapping_template')),
    sa.UniqueConstraint('member_id', 'name', name=op.f('uq_mapping_template_member_id_name'))
    )
    op.create_table('strategy_map',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'archived')", name=op.f('ck_strategy_map_status')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_strategy_map_version_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_strategy_map_created_by_user_account')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_strategy_map_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategy_map')),
    sa.UniqueConstraint('member_id', 'version', name=op.f('uq_strategy_map_member_id_version'))
    )
    with op.batch_alter_table('strategy_map', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategy_map_member_id'), ['member_id'], unique=False)

    op.create_table('survey_remediation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_survey_remediation_member_id_member')),
    sa.ForeignKeyConstraint(['updated_by'], ['user_account.id'], name=op.f('fk_survey_remediation_updated_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_remediation')),
    sa.UniqueConstraint('member_id', name=op.f('uq_survey_remediation_member_id'))
    )
    op.create_table('upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=True),
    sa.Column('layout', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_applied', sa.Integer(), nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), nullable=False),
    sa.Column('rows_empty', sa.Integer(), nullable=False),
    sa.Column('rows_ignored', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('web', 'cli', 'api', 'demo')", name=op.f('ck_upload_source')),
    sa.CheckConstraint("status IN ('applied', 'rejected', 'dry_run')", name=op.f('ck_upload_status')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_upload_member_id_member')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_upload_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload'))
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.create_index('ix_upload_member_id_created_at', ['member_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_user_id'), ['user_id'], unique=False)

    op.create_table('vendor_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_vendor_decision_decided_by_user_account')),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_vendor_decision_vendor_id_vendor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_decision'))
    )
    op.create_table('measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('granularity', sa.String(length=8), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("granularity IN ('month', 'quarter', 'year')", name=op.f('ck_measurement_granularity')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi_definition.id'], name=op.f('fk_measurement_kpi_id_kpi_definition')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_measurement_member_id_member')),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_measurement_upload_id_upload')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement')),
    sa.UniqueConstraint('member_id', 'kpi_id', 'granularity', 'period_start', name=op.f('uq_measurement_member_id_kpi_id_granularity_period_start'))
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index('ix_measurement_kpi_id_period_start', ['kpi_id', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_upload_id'), ['upload_id'], unique=False)

    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('map_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('perspective', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('template_key', sa.String(length=64), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("perspective IN ('financial', 'customer', 'process', 'learning')", name=op.f('ck_objective_perspective')),
    sa.ForeignKeyConstraint(['map_id'], ['strategy_map.id'], name=op.f('fk_objective_map_id_strategy_map'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective')),
    sa.UniqueConstraint('map_id', 'key', name=op.f('uq_objective_map_id_key'))
    )
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_map_id'), ['map_id'], unique=False)

    op.create_table('upload_file',
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_upload_file_upload_id_upload'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('upload_id', name=op.f('pk_upload_file'))
    )
    op.create_table('measurement_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measurement_id', sa.Integer(), nullable=False),
    sa.Column('old_value', sa.Float(), nullable=True),
    sa.Column('new_value', sa.Float(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['measurement_id'], ['measurement.id'], name=op.f('fk_measurement_revision_measurement_id_measurement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_measurement_revision_upload_id_upload')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_measurement_revision_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement_revision'))
    )
    with op.batch_alter_table('measurement_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_revision_measurement_id'), ['measurement_id'], unique=False)

    op.create_table('objective_kpi',
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi_definition.id'], name=op.f('fk_objective_kpi_kpi_id_kpi_definition')),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_objective_kpi_objective_id_objective'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('objective_id', 'kpi_id', name=op.f('pk_objective_kpi'))
    )
    op.create_table('objective_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('map_id', sa.Integer(), nullable=False),
    sa.Column('cause_id', sa.Integer(), nullable=False),
    sa.Column('effect_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('cause_id <> effect_id', name=op.f('ck_objective_link_not_self')),
    sa.ForeignKeyConstraint(['cause_id'], ['objective.id'], name=op.f('fk_objective_link_cause_id_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['effect_id'], ['objective.id'], name=op.f('fk_objective_link_effect_id_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['map_id'], ['strategy_map.id'], name=op.f('fk_objective_link_map_id_strategy_map'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_link')),
    sa.UniqueConstraint('map_id', 'cause_id', 'effect_id', name=op.f('uq_objective_link_map_id_cause_id_effect_id'))
    )
    with op.batch_alter_table('objective_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_link_map_id'), ['map_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('objective_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_link_map_id'))

    op.drop_table('objective_link')
    op.drop_table('objective_kpi')
    with op.batch_alter_table('measurement_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_revision_measurement_id'))

    op.drop_table('measurement_revision')
    op.drop_table('upload_file')
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_map_id'))

    op.drop_table('objective')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_upload_id'))
        batch_op.drop_index('ix_measurement_kpi_id_period_start')

    op.drop_table('measurement')
    op.drop_table('vendor_decision')
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_user_id'))
        batch_op.drop_index(batch_op.f('ix_upload_sha256'))
        batch_op.drop_index('ix_upload_member_id_created_at')

    op.drop_table('upload')
    op.drop_table('survey_remediation')
    with op.batch_alter_table('strategy_map', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategy_map_member_id'))

    op.drop_table('strategy_map')
    op.drop_table('mapping_template')
    with op.batch_alter_table('kpi_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_target_kpi_id'))

    op.drop_table('kpi_target')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_member_id'))
        batch_op.drop_index('ix_audit_log_entity_entity_id')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_member_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_member_id'))
        batch_op.drop_index(batch_op.f('ix_survey_response_item_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('rollout_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rollout_stage_wave_id'))
        batch_op.drop_index(batch_op.f('ix_rollout_stage_member_id'))

    op.drop_table('rollout_stage')
    with op.batch_alter_table('kpi_definition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_definition_member_id'))

    op.drop_table('kpi_definition')
    with op.batch_alter_table('factor_objective', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_factor_objective_factor_id'))

    op.drop_table('factor_objective')
    with op.batch_alter_table('vendor_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_score_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_score_criterion_id'))

    op.drop_table('vendor_score')
    with op.batch_alter_table('pest_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pest_rating_factor_id'))

    op.drop_table('pest_rating')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_wave_id'))

    op.drop_table('member')
    op.drop_table('vendor_criterion')
    op.drop_table('vendor')
    op.drop_table('survey_item')
    op.drop_table('rollout_wave')
    op.drop_table('pest_factor')
    op.drop_table('app_setting')
