"""The shapes the REST API speaks, as pydantic models, and the OpenAPI document built from them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = ["openapi_document", "UploadReport", "MeasurementRow", "JsonRows", "ApiError"]


class IssueModel(BaseModel):
    line: int | None = Field(
        description="Line as a spreadsheet shows it (header = 1); for JSON "
        "rows, the row's position in the list (first = 1)."
    )
    column: str | None
    value: str | None
    reason: str = Field(
        description="unknown_kpi, unknown_member, member_not_allowed, bad_period, "
        "bad_number, duplicate_row, period_too_fine, missing_column, encoding, "
        "empty_file, too_large, not_tabular, ignored_row, ignored_column, …"
    )
    message: str
    severity: Literal["error", "warning"]


class RowCounts(BaseModel):
    read: int
    applied: int = Field(description="Values inserted or changed.")
    unchanged: int
    empty: int = Field(description="Cells that said 'no value'; never stored as zero.")
    ignored: int = Field(description="Footnote, total and ignored lines.")


class UploadReport(BaseModel):
    """The validation report of an upload (DESIGN.md §5)."""

    status: Literal["applied", "rejected", "dry_run"]
    member: str | None
    upload_id: int | None
    encoding: str | None
    layout: Literal["long", "wide"] | None
    rows: RowCounts
    issues: list[IssueModel]


class JsonRow(BaseModel):
    model_config = {"extra": "allow"}

    member: str | None = Field(default=None, description="Optional: the URL's member.")
    kpi: str = Field(description="KPI code, name or Chinese name.")
    period: str | int = Field(description="2025-01, 2025-Q1, 2025, 114/01, 114年第1季, …")
    value: float | str | None


class JsonRows(BaseModel):
    rows: list[JsonRow]


class MeasurementRow(BaseModel):
    member_code: str
    kpi_code: str
    period: str = Field(description="2025-01 (month), 2025-Q1 (quarter) or 2025 (year).")
    value: float


class ApiError(BaseModel):
    error: str


_MODELS: tuple[type[BaseModel], ...] = (UploadReport, JsonRows, MeasurementRow, ApiError)
_QUERY = [
    ("dry_run", "boolean", "Validate and report; store nothing (answers 200)."),
    ("filename", "string", "Name of the file, for the upload history."),
    ("encoding", "string", "Text encoding, when detection guesses wrong."),
    ("sheet", "string", "Workbook sheet (default: the first)."),
    ("header_row", "integer", "Line of the header, as a spreadsheet numbers it."),
    ("period_format", "string", "How periods are written, e.g. %R%m for 11407."),
    ("scale", "number", "Multiply every value (1000 for 千元)."),
    ("ignore_unknown_members", "boolean", "Rows of other organisations become warnings."),
    ("template", "string", "The member's saved mapping template."),
    ("map", "string", "FIELD=COLUMN or KPI_CODE=COLUMN; repeatable."),
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def openapi_document() -> dict[str, Any]:
    """OpenAPI 3.1 for the routes under ``/api/v1``."""
    schemas: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    member = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    language = {
        "name": "Accept-Language",
        "in": "header",
        "schema": {"type": "string"},
        "description": "Language of messages: zh-TW (or zh-Hant) or en; default: the token "
        "user's language. Codes (reason, severity, status) are the same in every language.",
    }
    upload = {
        "parameters": [
            *(
                {"name": name, "in": "query", "schema": {"type": kind}, "description": text}
                for name, kind, text in _QUERY
            ),
            language,
        ],
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
                "application/json": {"schema": _ref("JsonRows")},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        },
    }
    errors = {
        "401": _response("No valid bearer token with the needed scope.", "ApiError"),
        "403": _response("The token's user may not do this for this member.", "ApiError"),
        "404": _response("No such member.", "ApiError"),
    }
    upload_responses = {
        "200": _response("Dry run: the report; nothing stored.", "UploadReport"),
        "201": _response("Applied: the report.", "UploadReport"),
        **errors,
        "413": _response("Larger than the upload limit.", "UploadReport"),
        "422": _response("Rejected: the report; nothing stored.", "UploadReport"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pilot Scorecard API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/measurements": {
                "post": {
                    "summary": "Upload a feed that names its members (program office) or a "
                    "member's own feed (token scope: upload)",
                    **upload,
                    "responses": upload_responses,
                }
            },
            "/members/{code}/measurements": {
                "post": {
                    "summary": "Upload a KPI feed for a member (token scope: upload)",
                    **upload,
                    "parameters": [member, *upload["parameters"]],
                    "responses": upload_responses,
                },
                "get": {
                    "summary": "The member's stored values (token scope: read)",
                    "parameters": [member, language],
                    "responses": {
                        "200": {
                            "description": "member_code, kpi_code, period, value",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": _ref("MeasurementRow")}
                                }
                            },
                        },
                        **errors,
                    },
                },
            },
        },
    }
