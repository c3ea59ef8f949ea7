"""``bsc pest …``, ``bsc rollout …``, ``bsc survey …`` and ``bsc vendors …``: the program office's
files (CSV or XLSX, as ``data/demo`` has them) and the vendor decision."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Annotated

import typer

from bsc.cli.context import (
    FileArgument,
    FormatOption,
    OutputFormat,
    console,
    fail,
    print_json,
    run_import,
    state,
)
from bsc.i18n import N_, format_percent_value, label, t

if TYPE_CHECKING:
    from sqlmodel import Session

    from bsc.authz import Principal
    from bsc.services.results import ImportResult
    from kpi.reading import Limits

__all__ = ["pest_app", "rollout_app", "survey_app", "vendors_app"]

pest_app = typer.Typer(help="PEST factors and their quarterly ratings.", no_args_is_help=True)
rollout_app = typer.Typer(help="Rollout waves and each member's stages.", no_args_is_help=True)
survey_app = typer.Typer(help="The demand and willingness survey.", no_args_is_help=True)
vendors_app = typer.Typer(
    help="Vendor evaluation: criteria, expert scores, the decision.", no_args_is_help=True
)


def _file_command(app: typer.Typer, name: str, service: str, what: str, help: str) -> None:
    """Register ``bsc <group> <name> FILE [--format json]`` running ``service`` ("module.fn");
    ``what`` (marked with ``N_``) names the records it imports."""

    def command(
        ctx: typer.Context, file: FileArgument, fmt: FormatOption = OutputFormat.TEXT
    ) -> None:
        module, function = service.rsplit(".", 1)
        run = getattr(importlib.import_module(module), function)

        def importer(
            session: Session, data: bytes, actor: Principal, limits: Limits
        ) -> ImportResult:
            return run(session, data, file.name, actor=actor, source="cli", limits=limits)

        run_import(ctx, file, fmt, importer, what=what)

    command.__doc__ = help
    app.command(name, help=help)(command)


_file_command(
    pest_app,
    "import",
    "bsc.services.pest.import_ratings",
    N_("ratings"),
    "Create or update ratings from FILE (factor, quarter such as 2025-Q1, impact −2..2, "
    "likelihood 1..5, rater, note), one per factor, quarter and rater.",
)
_file_command(
    pest_app,
    "import-factors",
    "bsc.services.pest.import_factors",
    N_("factors"),
    "Create or update factors from FILE (code, category, name, name_zh, description, objectives "
    "as C1;P2 or M001:C1), by code; the objectives column replaces a factor's links.",
)
_file_command(
    rollout_app,
    "import",
    "bsc.services.rollout.import_stages",
    N_("stages"),
    "Create or update the plan from FILE (member, wave, stage, planned_start, planned_end, "
    "actual_start, actual_end, percent_complete, note), by member and stage; each member moves "
    "to the wave its rows name.",
)
_file_command(
    rollout_app,
    "import-waves",
    "bsc.services.rollout.import_waves",
    N_("waves"),
    "Create or update waves from FILE (code pilot|wave-N, name, sequence, planned_start, "
    "gate_green_share, gate_live_share as 0.6 or 60%), by code.",
)
_file_command(
    survey_app,
    "import",
    "bsc.services.survey.import_responses",
    N_("responses"),
    "Create or update responses from FILE (member, item, demand 1–5, willingness 1–5, "
    "comment), one per member and item.",
)
_file_command(
    survey_app,
    "import-items",
    "bsc.services.survey.import_items",
    N_("items"),
    "Create or update survey items from FILE (code, text, text_zh, category), by code.",
)
_file_command(
    vendors_app,
    "import",
    "bsc.services.vendors.import_scores",
    N_("scores"),
    "Create or update expert scores from FILE (vendor, vendor_name, criterion, expert, score "
    "0–100), one per vendor, criterion and expert; new vendors are added.",
)
_file_command(
    vendors_app,
    "import-criteria",
    "bsc.services.vendors.import_criteria",
    N_("criteria"),
    "Create or update evaluation criteria from FILE (code, name, name_zh, weight > 0), by code.",
)
_file_command(
    vendors_app,
    "import-decision",
    "bsc.services.vendors.import_decision",
    N_("decisions"),
    "Record the decision in FILE (one row: vendor, reason); a reason is required when the "
    "vendor is not the top scorer.",
)


@vendors_app.command("decide")
def decide(
    ctx: typer.Context,
    vendor: Annotated[str, typer.Argument(help="Code of the vendor chosen.")],
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why; required when the vendor is not the top scorer."),
    ] = None,
) -> None:
    """Record VENDOR as the vendor chosen."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.vendors import decide as run

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine()) as session:
            result = run(session, actor=actor, source="cli", vendor_code=vendor, reason=reason)
    except BscError as exc:
        fail(str(exc))
    console.print(
        t("decision for {vendor}: recorded", vendor=vendor)
        if result.created
        else t("decision for {vendor}: unchanged", vendor=vendor),
        highlight=False,
        markup=False,
    )


@vendors_app.command("ranking")
def ranking(ctx: typer.Context, fmt: FormatOption = OutputFormat.TEXT) -> None:
    """Print the weighted ranking, the experts' spread and the rank stability (±10 % weights)."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.vendors import criteria_frame, decision, scores_frame
    from kpi.programme.vendors import expert_spread, rank_stability
    from kpi.programme.vendors import ranking as rank

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine(), write=False) as session:
            scores = scores_frame(session, principal=actor)
            criteria = criteria_frame(session, principal=actor)
            chosen = decision(session, principal=actor)
    except BscError as exc:
        fail(str(exc))
    ranked = rank(scores, criteria).merge(expert_spread(scores, criteria), on="vendor")
    stability = rank_stability(scores, criteria)
    report = {
        "ranking": ranked[["vendor", "score", "rank", "gap_to_top", "std", "range"]]
        .round(4)
        .to_dict("records"),
        "top": stability.top,
        "top_is_stable": stability.top_is_stable,
        "order_is_stable": stability.order_is_stable,
        "stability": stability.table.assign(order=stability.table["order"].map(list))
        .round(4)
        .to_dict("records"),
        "decision": chosen,
    }
    if fmt is OutputFormat.JSON:
        print_json(report)
        return
    for row in ranked.itertuples():
        console.print(
            f"{row.rank:>2}. {row.vendor:<8} {row.score:7.2f}  "
            + t("experts' std {std:.2f}, range {range:.2f}", std=row.std, range=row.range),
            highlight=False,
            markup=False,
        )
    changed = stability.table[stability.table["top_changed"]]
    console.print(
        t("top vendor {vendor} stays on top when any weight moves ±10 %", vendor=stability.top)
        if changed.empty
        else t(
            "top vendor {vendor} loses the top place when {changes}",
            vendor=stability.top,
            changes=", ".join(f"{r.criterion} {r.change:+.0%}" for r in changed.itertuples()),
        ),
        highlight=False,
        markup=False,
    )
    if chosen:
        console.print(
            t(
                "decision: {vendor} — {reason}",
                vendor=chosen["vendor"],
                reason=chosen["reason"] or "",
            ),
            highlight=False,
            markup=False,
        )


@rollout_app.command("gate")
def gate(
    ctx: typer.Context,
    wave: Annotated[
        str | None,
        typer.Option("--wave", help="Wave about to start (default: the next, else the last)."),
    ] = None,
    fmt: FormatOption = OutputFormat.TEXT,
) -> None:
    """Whether a wave may start: pilot KPIs green and the previous wave's members live, against
    the thresholds set on the wave (the KPIs of the latest scored month)."""
    from bsc.db import session_scope
    from bsc.errors import BscError
    from bsc.services.rollout import gate_report

    cli = state(ctx)
    actor = cli.principal()
    try:
        with session_scope(cli.engine(), write=False) as session:
            report = gate_report(session, principal=actor, wave=wave)
    except BscError as exc:
        fail(str(exc))
    if report.gate is None:
        fail(t("no wave follows the pilot; `bsc rollout import-waves` adds waves"))
    checks = [
        {
            "name": check.name,
            "count": check.count,
            "total": check.total,
            "share": None if check.share is None else round(check.share, 4),
            "required": check.required,
            "passed": check.passed,
            "without_data": check.without_data,
        }
        for check in report.gate.checks
    ]
    result = {
        "wave": report.gate.wave,
        "period": report.period,
        "may_start": report.gate.may_start,
        "checks": checks,
    }
    if fmt is OutputFormat.JSON:
        print_json(result)
        return
    verdict = (
        t("{wave} may start (KPIs of {period})", wave=report.gate.wave, period=report.period)
        if report.gate.may_start
        else t(
            "{wave} may not start yet (KPIs of {period})",
            wave=report.gate.wave,
            period=report.period,
        )
    )
    console.print(verdict, highlight=False, markup=False)
    for gate_check in report.gate.checks:
        required = (
            t("no threshold")
            if gate_check.required is None
            else t("{share} required", share=format_percent_value(gate_check.required))
        )
        line = t(
            "{check}: {count} of {total} ({share}), {required}: {mark}",
            check=label(gate_check.name),
            count=gate_check.count,
            total=gate_check.total,
            share=format_percent_value(gate_check.share),
            required=required,
            mark=t("met") if gate_check.passed else t("not met"),
        )
        console.print(f"  {line}", highlight=False, markup=False)
