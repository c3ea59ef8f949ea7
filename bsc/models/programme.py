"""What the program office runs: PEST factors, rollout stages, the survey and vendor evaluation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bsc.models.base import check_in, utcnow
from kpi.vocabulary import PestCategory, Stage

__all__ = [
    "PestCategory",
    "PestFactor",
    "PestRating",
    "FactorObjective",
    "Stage",
    "RolloutStage",
    "SurveyItem",
    "SurveyResponse",
    "SurveyRemediation",
    "Vendor",
    "VendorCriterion",
    "VendorScore",
    "VendorDecision",
]


class PestFactor(SQLModel, table=True):
    __tablename__ = "pest_factor"
    __table_args__ = (check_in("category", PestCategory, "category"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    category: str = Field(max_length=16)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, sa_type=Text)


class PestRating(SQLModel, table=True):
    """One rater's view of a factor in one quarter."""

    __tablename__ = "pest_rating"
    __table_args__ = (
        UniqueConstraint("factor_id", "quarter_start", "rater"),
        CheckConstraint("impact BETWEEN -2 AND 2", name="impact_range"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    factor_id: int = Field(foreign_key="pest_factor.id", index=True, ondelete="CASCADE")
    quarter_start: date
    impact: int
    likelihood: int
    rater: str = Field(max_length=120)
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class FactorObjective(SQLModel, table=True):
    """A PEST factor bearing on strategy-map objectives with this key (of one member, or all)."""

    __tablename__ = "factor_objective"
    __table_args__ = (UniqueConstraint("factor_id", "member_id", "objective_key"),)

    id: int | None = Field(default=None, primary_key=True)
    factor_id: int = Field(foreign_key="pest_factor.id", index=True, ondelete="CASCADE")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    objective_key: str = Field(max_length=64)


class RolloutStage(SQLModel, table=True):
    __tablename__ = "rollout_stage"
    __table_args__ = (
        UniqueConstraint("member_id", "stage"),
        check_in("stage", Stage, "stage"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_range"),
        CheckConstraint(
            "planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
            name="planned_order",
        ),
        CheckConstraint(
            "actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start",
            name="actual_order",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    wave_id: int = Field(foreign_key="rollout_wave.id", index=True)
    stage: str = Field(max_length=16)
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    percent_complete: float = 0.0
    note: str | None = Field(default=None, sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow)


class SurveyItem(SQLModel, table=True):
    __tablename__ = "survey_item"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    text: str = Field(sa_type=Text)
    text_zh: str | None = Field(default=None, sa_type=Text)
    category: str | None = Field(default=None, max_length=64)


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("member_id", "item_id"),
        CheckConstraint("demand BETWEEN 1 AND 5", name="demand_range"),
        CheckConstraint("willingness BETWEEN 1 AND 5", name="willingness_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    item_id: int = Field(foreign_key="survey_item.id", index=True)
    demand: int
    willingness: int
    comment: str | None = Field(default=None, sa_type=Text)
    responded_at: datetime = Field(default_factory=utcnow)


class SurveyRemediation(SQLModel, table=True):
    """The program office's note on how to win over a reluctant member."""

    __tablename__ = "survey_remediation"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True)
    note: str = Field(sa_type=Text)
    updated_by: int | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = Field(default_factory=utcnow)


class Vendor(SQLModel, table=True):
    __tablename__ = "vendor"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)


class VendorCriterion(SQLModel, table=True):
    __tablename__ = "vendor_criterion"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    weight: float


class VendorScore(SQLModel, table=True):
    """One expert's score (0–100) of one vendor on one criterion."""

    __tablename__ = "vendor_score"
    __table_args__ = (
        UniqueConstraint("vendor_id", "criterion_id", "expert"),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True, ondelete="CASCADE")
    criterion_id: int = Field(foreign_key="vendor_criterion.id", index=True, ondelete="CASCADE")
    expert: str = Field(max_length=120)
    score: float


class VendorDecision(SQLModel, table=True):
    """The vendor chosen; a reason is required when it is not the top scorer."""

    __tablename__ = "vendor_decision"

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id")
    reason: str | None = Field(default=None, sa_type=Text)
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime = Field(default_factory=utcnow)
