"""All tables of the product (DESIGN.md §3); importing this package registers them."""

from sqlmodel import SQLModel

from bsc.models.audit import AppSetting, AuditLog
from bsc.models.catalogue import KpiDefinition, KpiTarget
from bsc.models.jobs import Job, JobFile, JobFileRole, JobStatus
from bsc.models.maps import Objective, ObjectiveKpi, ObjectiveLink, StrategyMap
from bsc.models.measurements import (
    MappingTemplate,
    Measurement,
    MeasurementRevision,
    Upload,
    UploadFile,
)
from bsc.models.members import CapitalStructure, Member, RolloutWave, Segment
from bsc.models.programme import (
    FactorObjective,
    PestCategory,
    PestFactor,
    PestRating,
    RolloutStage,
    Stage,
    SurveyItem,
    SurveyRemediation,
    SurveyResponse,
    Vendor,
    VendorCriterion,
    VendorDecision,
    VendorScore,
)
from bsc.models.users import ApiToken, ApiTokenUse, Role, TokenScope, User
from bsc.models.versions import DataVersion

metadata = SQLModel.metadata

__all__ = [
    "ApiToken",
    "ApiTokenUse",
    "AppSetting",
    "AuditLog",
    "CapitalStructure",
    "DataVersion",
    "FactorObjective",
    "Job",
    "JobFile",
    "JobFileRole",
    "JobStatus",
    "KpiDefinition",
    "KpiTarget",
    "MappingTemplate",
    "Measurement",
    "MeasurementRevision",
    "Member",
    "Objective",
    "ObjectiveKpi",
    "ObjectiveLink",
    "PestCategory",
    "PestFactor",
    "PestRating",
    "Role",
    "RolloutStage",
    "RolloutWave",
    "Segment",
    "Stage",
    "StrategyMap",
    "SurveyItem",
    "SurveyRemediation",
    "SurveyResponse",
    "TokenScope",
    "Upload",
    "UploadFile",
    "User",
    "Vendor",
    "VendorCriterion",
    "VendorDecision",
    "VendorScore",
    "metadata",
]
