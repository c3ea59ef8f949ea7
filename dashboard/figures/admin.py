"""Tables of the admin screen: users, API tokens and the audit log."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlmodel import col, select

from bsc.i18n import LANGUAGES, N_, format_timestamp, label, t
from bsc.models import ApiToken, ApiTokenUse, AuditLog, Member, User
from dashboard.access import Access
from dashboard.figures.uploads import SOURCE_LABELS
from dashboard.registry import ExportContext, table

__all__ = [
    "users_table",
    "tokens_table",
    "token_uses_table",
    "audit_table",
    "AUDIT_LIMIT",
    "AUDIT_ACTIONS",
    "AUDIT_ENTITIES",
    "audit_word",
]

#: The audit table shows the newest entries that match its filters, up to this many.
AUDIT_LIMIT = 5000

#: What the audit log's action codes are called (an unknown code is shown as it is).
AUDIT_ACTIONS = {
    "create": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "apply": N_("applied"),
    "ignore": N_("ignored"),
    "login": N_("signed in"),
    "unlock": N_("unlocked"),
    "revoke": N_("revoked"),
    "set_password": N_("password set"),
    "submit": N_("started"),
    "cancel": N_("cancelled"),
    "save_map": N_("map saved"),
    "publish_map": N_("map published"),
    "restore_map": N_("map restored"),
    "rename_map": N_("map renamed"),
    "add_objective": N_("objective added"),
    "delete_objective": N_("objective deleted"),
    "rename_objective": N_("objective renamed"),
    "move_objective": N_("objective moved"),
    "edit_objective": N_("objective edited"),
    "set_kpis": N_("KPIs attached"),
    "add_link": N_("link added"),
    "remove_link": N_("link removed"),
}
#: What the audit log's records are called, by table.
AUDIT_ENTITIES = {
    "user": N_("user"),
    "api_token": N_("API token"),
    "member": N_("member"),
    "kpi_definition": N_("KPI"),
    "kpi_target": N_("KPI target"),
    "upload": N_("upload"),
    "mapping_template": N_("mapping template"),
    "job": N_("background job"),
    "strategy_map": N_("strategy map"),
    "objective": N_("objective"),
    "objective_link": N_("objective link"),
    "rollout_wave": N_("rollout wave"),
    "rollout_stage": N_("rollout stage"),
    "pest_factor": N_("PEST factor"),
    "pest_rating": N_("PEST rating"),
    "factor_objective": N_("factor's objective"),
    "survey_item": N_("survey item"),
    "survey_response": N_("survey response"),
    "survey_remediation": N_("remediation note"),
    "vendor": N_("vendor"),
    "vendor_criterion": N_("vendor criterion"),
    "vendor_score": N_("vendor score"),
    "vendor_decision": N_("vendor decision"),
}


def audit_word(words: dict[str, str], code: str | None) -> str:
    """An audit code in the reader's language (the code itself when it has no name)."""
    return t(words[code]) if code in words else str(code or "")


def _member_codes(context: ExportContext) -> dict[int | None, str]:
    return {m.id: m.code for m in context.session.exec(select(Member)).all()}


@table("users", title=N_("Users"), access=Access.ADMIN)
def users_table(context: ExportContext) -> pd.DataFrame:
    codes = _member_codes(context)
    users = context.session.exec(select(User).order_by(col(User.username))).all()
    now = datetime.now().astimezone()
    return pd.DataFrame(
        [
            {
                t("User"): user.username,
                t("Role"): label(user.role),
                t("Member"): codes.get(user.member_id, ""),
                t("Admin"): t("yes") if user.is_admin else "",
                t("Active"): t("yes") if user.active else t("no"),
                t("Locked"): t("yes") if user.locked_until and user.locked_until > now else "",
                t("Language"): LANGUAGES.get(user.language, user.language),
                t("Last sign-in"): format_timestamp(user.last_login_at),
            }
            for user in users
        ],
        columns=[
            t("User"),
            t("Role"),
            t("Member"),
            t("Admin"),
            t("Active"),
            t("Locked"),
            t("Language"),
            t("Last sign-in"),
        ],
    )


@table("api_tokens", title=N_("API tokens"), access=Access.ADMIN)
def tokens_table(context: ExportContext) -> pd.DataFrame:
    users = {u.id: u.username for u in context.session.exec(select(User)).all()}
    tokens = context.session.exec(select(ApiToken).order_by(col(ApiToken.id).desc())).all()
    return pd.DataFrame(
        [
            {
                "ID": str(token.id),
                t("Token starts with"): token.prefix,
                t("User"): users.get(token.user_id, ""),
                t("Label"): token.name,
                t("Scopes"): token.scopes,
                t("Created"): format_timestamp(token.created_at),
                t("Expires"): format_timestamp(token.expires_at),
                t("Last used"): format_timestamp(token.last_used_at),
                t("Revoked"): format_timestamp(token.revoked_at) if token.revoked_at else "",
            }
            for token in tokens
        ],
        columns=[
            "ID",
            t("Token starts with"),
            t("User"),
            t("Label"),
            t("Scopes"),
            t("Created"),
            t("Expires"),
            t("Last used"),
            t("Revoked"),
        ],
    )


@table("api_token_uses", title=N_("API token uses"), access=Access.ADMIN)
def token_uses_table(context: ExportContext) -> pd.DataFrame:
    """Every request made with a token, newest first (up to ``AUDIT_LIMIT``)."""
    tokens = {token.id: token.prefix for token in context.session.exec(select(ApiToken)).all()}
    uses = context.session.exec(
        select(ApiTokenUse).order_by(col(ApiTokenUse.id).desc()).limit(AUDIT_LIMIT)
    ).all()
    columns = [t("When"), t("Token starts with"), t("Request"), t("Status"), t("From")]
    return pd.DataFrame(
        [
            dict(
                zip(
                    columns,
                    (
                        use.at.isoformat(timespec="seconds"),
                        tokens.get(use.token_id, ""),
                        f"{use.method} {use.path}",
                        use.status,
                        use.client,
                    ),
                    strict=True,
                )
            )
            for use in uses
        ],
        columns=columns,
    )


@table("audit_log", title=N_("Audit log"), access=Access.ADMIN)
def audit_table(context: ExportContext) -> pd.DataFrame:
    """Newest first; ``params`` may filter by ``entity``, ``actor`` and ``since`` (ISO date)."""
    query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(AUDIT_LIMIT)
    if context.params.get("entity"):
        query = query.where(AuditLog.entity == context.params["entity"])
    if context.params.get("actor"):
        query = query.where(col(AuditLog.actor).contains(str(context.params["actor"])))
    if context.params.get("since"):
        since = datetime.fromisoformat(str(context.params["since"])).astimezone()
        query = query.where(col(AuditLog.at) >= since)
    codes = _member_codes(context)
    return pd.DataFrame(
        [
            {
                t("When"): entry.at.isoformat(timespec="seconds"),
                t("Who"): entry.actor,
                t("Through"): audit_word(SOURCE_LABELS, entry.source),
                t("Action"): audit_word(AUDIT_ACTIONS, entry.action),
                t("What"): audit_word(AUDIT_ENTITIES, entry.entity),
                "ID": str(entry.entity_id or ""),
                t("Member"): codes.get(entry.member_id, ""),
                t("Before"): _compact(entry.before),
                t("After"): _compact(entry.after),
            }
            for entry in context.session.exec(query).all()
        ],
        columns=[
            t("When"),
            t("Who"),
            t("Through"),
            t("Action"),
            t("What"),
            "ID",
            t("Member"),
            t("Before"),
            t("After"),
        ],
    )


def _compact(values: dict[str, object] | None) -> str:
    if not values:
        return ""
    return "; ".join(f"{key}={value}" for key, value in values.items())
