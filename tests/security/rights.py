"""The expected rights of every page, callback, route and ``bsc`` command: ONE table.

``tests/security/test_matrix.py`` enumerates all of them from the running app and fails for any
without an entry here (and for entries naming something that no longer exists), then calls each
as every actor of ``harness.ACTORS`` and checks the outcome against the entry's rule.

Values may hold placeholders the test fills per call: ``"{code}"`` (the member whose data the
actor asks for: A's own for ``member_own``, B's for ``member_other`` and the programme roles),
``"{actor}"``, ``"{tmp}"``, ``"{demo}"``, and whole-value ones ``"{document}"`` (the published
strategy map of that member, as the editor holds it) and ``"{feed}"`` (a one-row CSV of that
member as a ``dcc.Upload`` data URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["Rule", "PAGES", "CALLBACKS", "ROUTES", "COMMANDS", "allowed", "PERIOD", "KPI"]

PERIOD = "2026-09"
KPI = "OPEX_SAVING"


class Rule(Enum):
    PUBLIC = "public"  #: anyone, signed in or not
    SIGNED_IN = "signed_in"  #: every signed-in user
    MEMBER_READ = "member_read"  #: programme roles for any member, a member for itself
    MEMBER_WRITE = "member_write"  #: the program office for any member, a member for itself
    UPLOADER = "uploader"  #: the program office and member users (each for what it may)
    PROGRAMME = "programme"  #: executives and the program office
    PROGRAM_OFFICE = "program_office"  #: the program office
    ADMIN = "admin"  #: admins
    CLIENTSIDE = "clientside"  #: runs in the browser only, never reaches the server
    PAGES = "pages"  #: Dash's page routes: each page's own entry in PAGES says who


_ALLOWED = {
    Rule.PUBLIC: {
        "anonymous",
        "executive",
        "program_office",
        "member_own",
        "member_other",
        "admin",
    },
    Rule.SIGNED_IN: {"executive", "program_office", "member_own", "member_other", "admin"},
    Rule.MEMBER_READ: {"executive", "program_office", "member_own", "admin"},
    Rule.MEMBER_WRITE: {"program_office", "member_own", "admin"},
    Rule.UPLOADER: {"program_office", "member_own", "member_other", "admin"},
    Rule.PROGRAMME: {"executive", "program_office", "admin"},
    Rule.PROGRAM_OFFICE: {"program_office", "admin"},
    Rule.ADMIN: {"admin"},
}


def allowed(rule: Rule, actor: str) -> bool:
    return actor in _ALLOWED[rule]


@dataclass(frozen=True)
class Callback:
    rule: Rule
    #: input/state values by ``harness.slot`` name; n_clicks default to 1, the rest to None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: concrete values for MATCH/ALL keys of pattern-matching ids (a list expands ALL)
    wildcards: Mapping[str, Any] = field(default_factory=dict)
    #: the input that fired (default: the first)
    trigger: str | None = None
    #: the page the callback belongs to (the renderer's referrer)
    page: str = "/"
    #: why the matrix sends only the anonymous call (the others are tested where it says)
    not_driven: str = ""


@dataclass(frozen=True)
class Route:
    rule: Rule
    path: str
    #: ``session`` (signed-in cookie, CSRF token sent) or ``token`` (API bearer token)
    auth: str = "session"
    body: bytes | str | None = None
    content_type: str | None = None
    form: Mapping[str, str] | None = None
    #: statuses that mean "served" for an allowed actor
    ok: tuple[int, ...] = (200,)
    #: where an allowed actor's redirect leads
    redirect: str | None = None


@dataclass(frozen=True)
class Command:
    rule: Rule
    args: tuple[str, ...]
    stdin: str | None = None
    #: exit code and output of an allowed run (a refusal that has nothing to do with rights)
    ok_exit: int = 0
    ok_text: str = ""
    #: allowed runs serve forever (only refusals are run)
    serves: bool = False


_FEED_MAP = {"field": ["member", "kpi", "period", "value"]}
_EDITOR = "/members/{code}/map/edit"
_EDITOR_STATE = {"editor-member.data": "{code}", "editor-document.data": "{document}"}

PAGES: dict[str, Rule] = {
    "/": Rule.SIGNED_IN,
    "/404": Rule.SIGNED_IN,
    "/admin": Rule.ADMIN,
    "/members/<code>": Rule.MEMBER_READ,
    "/members/<code>/map": Rule.MEMBER_READ,
    "/members/<code>/map/edit": Rule.MEMBER_WRITE,
    "/programme/map": Rule.PROGRAMME,
    "/upload": Rule.UPLOADER,
    "/pest": Rule.SIGNED_IN,
    "/rollout": Rule.SIGNED_IN,
    "/survey": Rule.PROGRAMME,
    "/selection": Rule.PROGRAMME,
    "/vendors": Rule.PROGRAMME,
}

CALLBACKS: dict[str, Callback] = {
    # ------------------------------------------------------------------ shared components
    "dashboard.components.exportable.register_export_callbacks.<locals>._export_chart": Callback(
        Rule.MEMBER_READ,
        values={
            "chart-params.data": {
                "name": "perspective_history",
                "member_code": "{code}",
                "period": PERIOD,
                "params": {},
            }
        },
        wildcards={"chart": "perspective_history", "format": "svg"},
        page="/members/{code}",
    ),
    "dashboard.components.exportable.register_export_callbacks.<locals>._export_table": Callback(
        Rule.MEMBER_READ,
        values={
            "table-params.data": {
                "name": "scorecard",
                "member_code": "{code}",
                "period": PERIOD,
                "params": {},
            }
        },
        wildcards={"table": "scorecard", "format": "csv"},
        page="/members/{code}",
    ),
    "dashboard.components.period_picker.change_kind": Callback(
        Rule.SIGNED_IN,
        values={"period-kind.value": "quarter", "period-value.value": PERIOD},
        wildcards={"picker": "overview-period"},
    ),
    "dash.dash.Dash.enable_pages.<locals>.router_sync.<locals>.update": Callback(
        Rule.SIGNED_IN, values={"_pages_location.pathname": "/"}
    ),
    "clientside:_pages_dummy.children": Callback(Rule.CLIENTSIDE),
    # ------------------------------------------------------------------ background jobs
    "dashboard.components.jobs.register_job_callbacks.<locals>.run_in_background": Callback(
        Rule.SIGNED_IN,
        not_driven="a background run: its signed ticket is the authority (tests/bsc/test_jobs*)",
    ),
    "dash.dash.Dash._setup_server.<locals>.cancel_call": Callback(
        Rule.SIGNED_IN, not_driven="Dash's own cancel of a background run of this session"
    ),
    "dashboard.components.jobs.register_job_callbacks.<locals>.follow": Callback(
        Rule.SIGNED_IN, values={"job-kinds.data": ["ingest"]}, page="/upload"
    ),
    "dashboard.components.jobs.register_job_callbacks.<locals>.show_selected": Callback(
        Rule.SIGNED_IN, page="/upload"
    ),
    "dashboard.components.jobs.register_job_callbacks.<locals>.cancel": Callback(
        Rule.SIGNED_IN, page="/upload"
    ),
    "dashboard.pages.upload.show_job_outcome": Callback(Rule.SIGNED_IN, page="/upload"),
    # ------------------------------------------------------------------ overview
    "dashboard.pages.overview.update_overview": Callback(
        Rule.SIGNED_IN, values={"period-value:overview-period.value": PERIOD}
    ),
    "dashboard.pages.overview.open_member": Callback(
        Rule.MEMBER_READ,
        values={"chart-graph:overview_heatmap.clickData": {"points": [{"customdata": "{code}"}]}},
    ),
    # ------------------------------------------------------------------ member scorecard
    "dashboard.pages.member.update_scorecard": Callback(
        Rule.MEMBER_READ,
        values={"period-value:scorecard-period.value": PERIOD, "scorecard-member.data": "{code}"},
        page="/members/{code}",
    ),
    "dashboard.pages.member.pick_kpi": Callback(
        Rule.MEMBER_READ,
        values={
            "table-grid:scorecard.selectedRows": [{"Code": KPI}],
            "scorecard-member.data": "{code}",
        },
        page="/members/{code}",
    ),
    "dashboard.pages.member.update_drilldown": Callback(
        Rule.MEMBER_READ,
        values={
            "scorecard-kpi.value": KPI,
            "period-value:scorecard-period.value": PERIOD,
            "scorecard-member.data": "{code}",
        },
        page="/members/{code}",
    ),
    # ------------------------------------------------------------------ strategy maps
    "dashboard.pages.strategy_map._on_period": Callback(
        Rule.MEMBER_READ,
        values={"period-value:map.value": PERIOD, "map-member.data": "{code}"},
        page="/members/{code}/map",
    ),
    "dashboard.pages.strategy_map._on_objective": Callback(
        Rule.MEMBER_READ,
        values={
            "map-graph.tapNodeData": {"key": "F1"},
            "period-value:map.value": PERIOD,
            "map-member.data": "{code}",
        },
        page="/members/{code}/map",
    ),
    "dashboard.pages.strategy_map._on_image": Callback(
        Rule.MEMBER_READ, values={"map-member.data": "{code}"}, page="/members/{code}/map"
    ),
    "dashboard.pages.programme_map._on_period": Callback(
        Rule.PROGRAMME, values={"period-value:programme-map.value": PERIOD}, page="/programme/map"
    ),
    "dashboard.pages.programme_map._on_image": Callback(Rule.PROGRAMME, page="/programme/map"),
    # ------------------------------------------------------------------ map editor
    "dashboard.pages.map_editor._render": Callback(
        Rule.MEMBER_WRITE, values=_EDITOR_STATE, page=_EDITOR
    ),
    "dashboard.pages.map_editor._on_objective_click": Callback(
        Rule.MEMBER_WRITE,
        values={**_EDITOR_STATE, "editor-graph.tapNodeData": {"key": "F1"}},
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._on_link_click": Callback(
        Rule.MEMBER_WRITE,
        values={**_EDITOR_STATE, "editor-graph.tapEdgeData": {"source": "L1", "target": "F1"}},
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._remove_link": Callback(
        Rule.MEMBER_WRITE,
        values={**_EDITOR_STATE, "editor-selected-link.data": ["L1", "F1"]},
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._add_objective": Callback(
        Rule.MEMBER_WRITE,
        values={
            **_EDITOR_STATE,
            "editor-new-perspective.value": "financial",
            "editor-new-title.value": "Matrix objective",
        },
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._fill_form": Callback(
        Rule.MEMBER_WRITE, values={**_EDITOR_STATE, "editor-selected.data": "F1"}, page=_EDITOR
    ),
    "dashboard.pages.map_editor._apply": Callback(
        Rule.MEMBER_WRITE,
        values={
            **_EDITOR_STATE,
            "editor-selected.data": "F1",
            "editor-title.value": "Renamed objective",
            "editor-perspective.value": "financial",
            "editor-kpis.value": [],
        },
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._delete": Callback(
        Rule.MEMBER_WRITE, values={**_EDITOR_STATE, "editor-selected.data": "F1"}, page=_EDITOR
    ),
    "dashboard.pages.map_editor._rename_map": Callback(
        Rule.MEMBER_WRITE, values={**_EDITOR_STATE, "editor-name.value": "Renamed"}, page=_EDITOR
    ),
    "dashboard.pages.map_editor._start_from": Callback(
        Rule.MEMBER_WRITE,
        values={**_EDITOR_STATE, "editor-start-source.value": "template"},
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._save": Callback(
        Rule.MEMBER_WRITE,
        values={
            **_EDITOR_STATE,
            "editor-name.value": "Matrix map",
            "editor-note.value": "saved by the rights matrix",
            "editor-base.data": 1,
        },
        page=_EDITOR,
    ),
    "dashboard.pages.map_editor._on_version": Callback(
        Rule.MEMBER_WRITE,
        values={"editor-member.data": "{code}"},
        wildcards={"action": "open", "version": 1},
        page=_EDITOR,
    ),
    # ------------------------------------------------------------------ upload
    "dashboard.pages.upload.check_file": Callback(
        Rule.MEMBER_WRITE,
        values={
            "upload-file.contents": "{feed}",
            "upload-file.filename": "feed.csv",
            "upload-member.value": "{code}",
        },
        wildcards=_FEED_MAP,
        page="/upload",
    ),
    "dashboard.pages.upload.check_again": Callback(
        Rule.MEMBER_WRITE,
        values={
            "upload-file.contents": "{feed}",
            "upload-file.filename": "feed.csv",
            "upload-member.value": "{code}",
            "upload-map.value": ["member", "kpi", "period", "value"],
        },
        wildcards=_FEED_MAP,
        page="/upload",
    ),
    "dashboard.pages.upload.apply_file": Callback(
        Rule.MEMBER_WRITE,
        values={
            "upload-file.contents": "{feed}",
            "upload-file.filename": "feed.csv",
            "upload-member.value": "{code}",
            "upload-map.value": ["member", "kpi", "period", "value"],
        },
        wildcards=_FEED_MAP,
        page="/upload",
    ),
    "dashboard.pages.upload.member_changed": Callback(
        Rule.MEMBER_READ, values={"upload-member.value": "{code}"}, page="/upload"
    ),
    "dashboard.pages.upload.save_template": Callback(
        Rule.MEMBER_WRITE,
        values={
            "upload-template-name.value": "matrix {actor}",
            "upload-member.value": "{code}",
            "upload-map.value": ["member", "kpi", "period", "value"],
        },
        wildcards=_FEED_MAP,
        page="/upload",
    ),
    # ------------------------------------------------------------------ programme screens
    "dashboard.pages.pest.redraw_cards": Callback(
        Rule.SIGNED_IN, values={"pest-version.data": 0}, wildcards={"kind": []}, page="/pest"
    ),
    "dashboard.pages.pest.save_rating": Callback(Rule.PROGRAM_OFFICE, page="/pest"),
    "dashboard.pages.pest.fill_factor": Callback(
        Rule.PROGRAM_OFFICE, values={"pest-factor-code.value": "P1"}, page="/pest"
    ),
    "dashboard.pages.pest.save_factor": Callback(Rule.PROGRAM_OFFICE, page="/pest"),
    "dashboard.pages.pest.import_file": Callback(
        Rule.PROGRAM_OFFICE, wildcards={"kind": "pest_ratings"}, page="/pest"
    ),
    "dashboard.pages.rollout.redraw_cards": Callback(
        Rule.SIGNED_IN, values={"rollout-version.data": 0}, wildcards={"kind": []}, page="/rollout"
    ),
    "dashboard.pages.rollout.redraw_gate": Callback(
        Rule.PROGRAMME, values={"rollout-version.data": 0}, wildcards={"kind": []}, page="/rollout"
    ),
    "dashboard.pages.rollout.save_plan": Callback(
        Rule.PROGRAM_OFFICE,
        values={"table-grid:rollout_plan.rowData": [], "rollout-version.data": 0},
        page="/rollout",
    ),
    "dashboard.pages.rollout.save_waves": Callback(
        Rule.PROGRAM_OFFICE,
        values={"table-grid:rollout_waves.rowData": [], "rollout-version.data": 0},
        page="/rollout",
    ),
    "dashboard.pages.rollout.save_assignments": Callback(
        Rule.PROGRAM_OFFICE,
        values={"table-grid:rollout_assignments.rowData": [], "rollout-version.data": 0},
        page="/rollout",
    ),
    "dashboard.pages.rollout.import_file": Callback(
        Rule.PROGRAM_OFFICE, wildcards={"kind": "rollout"}, page="/rollout"
    ),
    "dashboard.pages.survey.redraw_cards": Callback(
        Rule.PROGRAMME, values={"survey-version.data": 0}, wildcards={"kind": []}, page="/survey"
    ),
    "dashboard.pages.survey.save_notes": Callback(
        Rule.PROGRAM_OFFICE,
        values={"table-grid:survey_remediation.rowData": [], "survey-version.data": 0},
        page="/survey",
    ),
    "dashboard.pages.survey.import_file": Callback(
        Rule.PROGRAM_OFFICE, wildcards={"kind": "survey"}, page="/survey"
    ),
    "dashboard.pages.selection.choose_set": Callback(
        Rule.PROGRAMME, values={"selection-set.value": "pilot"}, page="/selection"
    ),
    "dashboard.pages.selection.compare": Callback(
        Rule.PROGRAMME, values={"selection-members.value": ["M001", "M002"]}, page="/selection"
    ),
    "dashboard.pages.vendors.redraw_cards": Callback(
        Rule.PROGRAMME, values={"vendor-version.data": 0}, wildcards={"kind": []}, page="/vendors"
    ),
    "dashboard.pages.vendors.record_decision": Callback(Rule.PROGRAM_OFFICE, page="/vendors"),
    "dashboard.pages.vendors.save_weights": Callback(
        Rule.PROGRAM_OFFICE,
        values={"table-grid:vendor_criteria.rowData": [], "vendor-version.data": 0},
        page="/vendors",
    ),
    "dashboard.pages.vendors.import_file": Callback(
        Rule.PROGRAM_OFFICE, wildcards={"kind": "vendor_scores"}, page="/vendors"
    ),
    # ------------------------------------------------------------------ admin
    "dashboard.pages.admin._on_user_action": Callback(
        Rule.ADMIN, values={"admin-user.value": "m002"}, trigger="admin-unlock.n_clicks"
    ),
    "dashboard.pages.admin._on_token_action": Callback(
        Rule.ADMIN,
        values={
            "admin-token-user.value": "m002",
            "admin-token-scopes.value": ["read"],
            "admin-token-days.value": 1,
        },
        trigger="admin-create-token.n_clicks",
    ),
    "dashboard.pages.admin._on_audit_filter": Callback(
        Rule.ADMIN, values={"admin-tabs.active_tab": "audit"}
    ),
}

_CSV = "text/csv"

ROUTES: dict[str, Route] = {
    "GET /login": Route(Rule.PUBLIC, "/login"),
    "POST /login": Route(
        Rule.PUBLIC, "/login", form={"username": "nobody", "password": "x"}, ok=(401,)
    ),
    "POST /logout": Route(Rule.SIGNED_IN, "/logout", form={}, ok=(302,), redirect="/login"),
    "POST /language": Route(
        Rule.PUBLIC, "/language", form={"language": "en", "next": "/"}, ok=(302,), redirect="/"
    ),
    "GET /healthz": Route(Rule.PUBLIC, "/healthz"),
    "GET /assets/<path:filename>": Route(Rule.PUBLIC, "/assets/app.css"),
    "GET /_favicon.ico": Route(Rule.PUBLIC, "/_favicon.ico"),
    "GET /_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": Route(
        Rule.PUBLIC, "{component_suite}"
    ),
    "GET /_dash-layout": Route(Rule.SIGNED_IN, "/_dash-layout"),
    "GET /_dash-dependencies": Route(Rule.SIGNED_IN, "/_dash-dependencies"),
    "GET /_reload-hash": Route(Rule.SIGNED_IN, "/_reload-hash"),
    # Here with the page router's call; every callback goes through it in the callback matrix.
    "POST /_dash-update-component": Route(
        Rule.SIGNED_IN, "/_dash-update-component", body="{router}", content_type="application/json"
    ),
    "GET /": Route(Rule.PAGES, "/"),
    "GET /<path:path>": Route(Rule.PAGES, "/members/{code}"),
    "GET /uploads/<int:upload_id>/file": Route(Rule.MEMBER_READ, "/uploads/{upload}/file"),
    "GET /api/v1/openapi.json": Route(Rule.PUBLIC, "/api/v1/openapi.json", auth="token"),
    "GET /api/v1/members/<code>/measurements": Route(
        Rule.MEMBER_READ, "/api/v1/members/{code}/measurements", auth="token"
    ),
    "POST /api/v1/members/<code>/measurements": Route(
        Rule.MEMBER_WRITE,
        "/api/v1/members/{code}/measurements?dry_run=1",
        auth="token",
        body=f"kpi,period,value\n{KPI},{PERIOD},1\n".encode(),
        content_type=_CSV,
    ),
    "POST /api/v1/measurements": Route(
        Rule.UPLOADER,
        "/api/v1/measurements?dry_run=1",
        auth="token",
        body=f"member,kpi,period,value\nM001,{KPI},{PERIOD},1\n".encode(),
        content_type=_CSV,
    ),
}

COMMANDS: dict[str, Command] = {
    "init": Command(Rule.ADMIN, ("init",)),
    "demo": Command(Rule.ADMIN, ("demo", "--no-serve", "--password", "correct-horse-battery")),
    "serve": Command(Rule.ADMIN, ("serve", "--port", "1"), serves=True),
    "worker": Command(Rule.ADMIN, ("worker",), serves=True),
    "backup": Command(Rule.ADMIN, ("backup", "{tmp}/backup-{actor}.zip")),
    "restore": Command(
        Rule.ADMIN, ("restore", "{tmp}/existing.zip"), ok_exit=1, ok_text="--replace"
    ),
    "scorecard": Command(
        Rule.MEMBER_READ,
        ("scorecard", "--member", "{code}", "--period", PERIOD, "--format", "json"),
    ),
    "ingest": Command(Rule.MEMBER_WRITE, ("ingest", "{tmp}/feed.csv", "--member", "{code}")),
    "members import": Command(Rule.PROGRAM_OFFICE, ("members", "import", "{demo}/members.csv")),
    "members list": Command(Rule.SIGNED_IN, ("members", "list")),
    "kpis import": Command(Rule.PROGRAM_OFFICE, ("kpis", "import", "{demo}/kpis.csv")),
    "kpis list": Command(Rule.SIGNED_IN, ("kpis", "list")),
    "users add": Command(
        Rule.ADMIN,
        ("users", "add", "new-{actor}", "--role", "executive", "--password-stdin"),
        stdin="a-long-enough-passphrase-42\n",
    ),
    "users token": Command(Rule.ADMIN, ("users", "token", "m002", "--scope", "read")),
    "users list": Command(Rule.ADMIN, ("users", "list")),
    "export list": Command(Rule.SIGNED_IN, ("export", "list")),
    "export chart": Command(
        Rule.MEMBER_READ,
        (
            "export",
            "chart",
            "perspective_history",
            "-o",
            "{tmp}/chart.svg",
            "--format",
            "svg",
            "--member",
            "{code}",
            "--period",
            PERIOD,
        ),
    ),
    "export charts": Command(
        Rule.MEMBER_READ,
        (
            "export",
            "charts",
            "perspective_history",
            "-o",
            "{tmp}/charts",
            "--format",
            "svg",
            "--member",
            "{code}",
            "--period",
            PERIOD,
        ),
    ),
    "export table": Command(
        Rule.MEMBER_READ,
        (
            "export",
            "table",
            "scorecard",
            "-o",
            "{tmp}/table.csv",
            "--member",
            "{code}",
            "--period",
            PERIOD,
        ),
    ),
    "export data": Command(Rule.MEMBER_READ, ("export", "data", "--member", "{code}")),
    "maps validate": Command(
        Rule.MEMBER_READ, ("maps", "validate", "{demo}/maps/M001.yaml", "--member", "{code}")
    ),
    "maps import": Command(
        Rule.MEMBER_WRITE, ("maps", "import", "{demo}/maps/{code}.yaml", "--member", "{code}")
    ),
    "maps export": Command(Rule.MEMBER_READ, ("maps", "export", "--member", "{code}")),
    "maps list": Command(Rule.MEMBER_READ, ("maps", "list", "--member", "{code}")),
    "maps publish": Command(
        Rule.MEMBER_WRITE, ("maps", "publish", "--member", "{code}", "--version", "1")
    ),
    "pest import": Command(Rule.PROGRAM_OFFICE, ("pest", "import", "{demo}/pest_ratings.csv")),
    "pest import-factors": Command(
        Rule.PROGRAM_OFFICE, ("pest", "import-factors", "{demo}/pest_factors.csv")
    ),
    "rollout import": Command(Rule.PROGRAM_OFFICE, ("rollout", "import", "{demo}/rollout.csv")),
    "rollout import-waves": Command(
        Rule.PROGRAM_OFFICE, ("rollout", "import-waves", "{demo}/waves.csv")
    ),
    "rollout gate": Command(Rule.PROGRAMME, ("rollout", "gate")),
    "survey import": Command(
        Rule.PROGRAM_OFFICE, ("survey", "import", "{demo}/survey_responses.csv")
    ),
    "survey import-items": Command(
        Rule.PROGRAM_OFFICE, ("survey", "import-items", "{demo}/survey_items.csv")
    ),
    "vendors import": Command(
        Rule.PROGRAM_OFFICE, ("vendors", "import", "{demo}/vendor_scores.csv")
    ),
    "vendors import-criteria": Command(
        Rule.PROGRAM_OFFICE, ("vendors", "import-criteria", "{demo}/vendor_criteria.csv")
    ),
    "vendors import-decision": Command(
        Rule.PROGRAM_OFFICE, ("vendors", "import-decision", "{demo}/vendor_decision.csv")
    ),
    "vendors decide": Command(
        Rule.PROGRAM_OFFICE, ("vendors", "decide", "V1", "--reason", "matrix")
    ),
    "vendors ranking": Command(Rule.PROGRAMME, ("vendors", "ranking")),
    "maps restore": Command(
        Rule.MEMBER_WRITE, ("maps", "restore", "--member", "{code}", "--version", "1")
    ),
}
