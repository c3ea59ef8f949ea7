"""``bsc scorecard``: a member's balanced scorecard for a period, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from bsc.cli.context import console, fail, print_json, state
from bsc.i18n import N_, format_percent_value, label, t

if TYPE_CHECKING:
    from bsc.services.scorecard import Scorecard


class ScorecardFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


CSV_COLUMNS = [
    "level",
    "key",
    "perspective",
    "period",
    "value",
    "target",
    "score",
    "status",
    "coverage",
    "trend",
    "forecast",
    "will_meet",
    "explanation",
]


def register(app: typer.Typer) -> None:
    app.command("scorecard")(scorecard)


def scorecard(
    ctx: typer.Context,
    member: Annotated[str, typer.Option("--member", help="Member code, e.g. M001.")],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2025-10 (month), 2025-Q3 (quarter), 2025 (year) or 2025-10-YTD (year to "
            "date); default: the latest month with data.",
        ),
    ] = None,
    fmt: Annotated[
        ScorecardFormat, typer.Option("--format", help="Output format.")
    ] = ScorecardFormat.TABLE,
) -> None:
    """Print MEMBER's scorecard for PERIOD: member, perspectives, objectives and KPIs with
    scores (0–100), statuses, coverage, trends and why each has its colour (in the language of
    --language; CSV and JSON keep their codes)."""
    from bsc.db import session_scope
    from bsc.errors import BscError, InvalidInput
    from bsc.services.scorecard import latest_period, parse_scorecard_period
    from bsc.services.scorecard import scorecard as build

    cli = state(ctx)
    actor = cli.principal()
    if period is not None:
        try:
            parse_scorecard_period(period)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--period") from exc
    try:
        with session_scope(cli.engine(), write=False) as session:
            chosen = period or latest_period(session)
            card = build(session, principal=actor, member_code=member, period=chosen)
    except BscError as exc:
        fail(str(exc))
    if fmt is ScorecardFormat.JSON:
        print_json(card.to_dict())
    elif fmt is ScorecardFormat.CSV:
        _write_csv(card)
    else:
        _print_tables(card)


def _csv_rows(card: Scorecard) -> list[dict[str, Any]]:
    data = card.to_dict()
    rows: list[dict[str, Any]] = [
        {
            "level": "member",
            "key": card.member,
            "period": card.period,
            **{k: data[k] for k in ("score", "status", "coverage", "explanation")},
        }
    ]
    for item in data["perspectives"]:
        rows.append(
            {"level": "perspective", "key": item["perspective"], "period": card.period, **item}
        )
    for item in data["objectives"]:
        rows.append({"level": "objective", **item, "period": card.period})
    for item, row in zip(data["kpis"], card.kpis.to_dict("records"), strict=True):
        rows.append(
            {
                "level": "kpi",
                "key": item["code"],
                "perspective": row["perspective"],
                **item,
                "coverage": round(row["coverage"], 3),
                "forecast": None if row["forecast"] != row["forecast"] else row["forecast"],
                "will_meet": row["will_meet"],
            }
        )
    return rows


def _write_csv(card: Scorecard) -> None:
    writer = csv.DictWriter(
        sys.stdout, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in _csv_rows(card):
        writer.writerow({key: "" if value is None else value for key, value in row.items()})


_COLOURS = {"green": "green", "amber": "yellow", "red": "red", "grey": "bright_black"}


def _status(status: str) -> str:
    return f"[{_COLOURS.get(status, 'white')}]{escape(label(status))}[/]"


def _score(value: Any) -> str:
    return "–" if value is None or value != value else f"{value:.1f}"


def _table(title: str, *headings: str) -> Any:
    from rich.table import Table

    table = Table(title=t(title), title_justify="left")
    for heading in headings:
        table.add_column(t(heading), overflow="fold")
    return table


def _print_tables(card: Scorecard) -> None:
    headline = t(
        "{member} {name} · {period} · score {score} {status} · coverage {coverage}",
        member="[bold]" + escape(card.member) + "[/]",
        name=escape(card.name),
        period=card.period,
        score=_score(card.score),
        status=_status(card.status),
        coverage=format_percent_value(card.coverage),
    )
    console.print(headline, highlight=False)
    perspectives = _table(
        N_("Perspectives"), N_("Perspective"), N_("Score"), N_("Status"), N_("Coverage")
    )
    for row in card.perspectives.to_dict("records"):
        perspectives.add_row(
            label(row["perspective"]),
            _score(row["score"]),
            _status(row["status"]),
            format_percent_value(row["coverage"]),
        )
    console.print(perspectives)
    objectives = _table(
        N_("Objectives"),
        N_("Key"),
        N_("Perspective"),
        N_("Title"),
        N_("Score"),
        N_("Status"),
        N_("Coverage"),
    )
    for row in card.objectives.to_dict("records"):
        objectives.add_row(
            escape(row["key"]),
            label(row["perspective"]),
            escape(row["title"] or ""),
            _score(row["score"]),
            _status(row["status"]),
            format_percent_value(row["coverage"]),
        )
    if card.objectives.empty:
        console.print(t("No published strategy map: KPIs roll up into their perspectives."))
    else:
        console.print(objectives)
    kpis = _table(
        N_("KPIs"), N_("Code"), N_("Period"), N_("Score"), N_("Status"), N_("Trend"), N_("Why")
    )
    for row in card.kpis.to_dict("records"):
        kpis.add_row(
            escape(row["code"]),
            row["period"],
            _score(row["score"]),
            _status(row["status"]),
            label(row["trend"]) if row["trend"] else "–",
            escape(row["explanation"]),
        )
    console.print(kpis)
