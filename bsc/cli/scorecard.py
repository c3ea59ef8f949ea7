"""``bsc scorecard``: a member's balanced scorecard for a period, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bsc.cli.context import console, fail, print_json, state

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
    scores (0–100), statuses, coverage, trends and why each has its colour."""
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
    return f"[{_COLOURS.get(status, 'white')}]{status}[/]"


def _score(value: Any) -> str:
    return "–" if value is None or value != value else f"{value:.1f}"


def _print_tables(card: Scorecard) -> None:
    from rich.table import Table

    console.print(
        f"[bold]{card.member}[/] {card.name} · {card.period} · score {_score(card.score)} "
        f"{_status(card.status)} · coverage {card.coverage:.0%}",
        highlight=False,
    )
    perspectives = Table(title="Perspectives", title_justify="left")
    for heading in ("perspective", "score", "status", "coverage"):
        perspectives.add_column(heading)
    for row in card.perspectives.to_dict("records"):
        perspectives.add_row(
            row["perspective"],
            _score(row["score"]),
            _status(row["status"]),
            f"{row['coverage']:.0%}",
        )
    console.print(perspectives)
    objectives = Table(title="Objectives", title_justify="left")
    for heading in ("key", "perspective", "title", "score", "status", "coverage"):
        objectives.add_column(heading)
    for row in card.objectives.to_dict("records"):
        objectives.add_row(
            row["key"],
            row["perspective"],
            row["title"] or "",
            _score(row["score"]),
            _status(row["status"]),
            f"{row['coverage']:.0%}",
        )
    if card.objectives.empty:
        console.print("No published strategy map: KPIs roll up into their perspectives.")
    else:
        console.print(objectives)
    kpis = Table(title="KPIs", title_justify="left")
    for heading in ("code", "period", "score", "status", "trend", "why"):
        kpis.add_column(heading, overflow="fold")
    for row in card.kpis.to_dict("records"):
        kpis.add_row(
            row["code"],
            row["period"],
            _score(row["score"]),
            _status(row["status"]),
            row["trend"] or "–",
            row["explanation"],
        )
    console.print(kpis)
