"""``bsc export chart|table|briefing|list``: the charts, tables and briefing books of the app, as
files, from the shell."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bsc.cli.context import Language, console, fail, state
from bsc.i18n import t

app = typer.Typer(help="Export charts, tables and data as files.", no_args_is_help=True)


class ImageFormat(StrEnum):
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


class TableFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MemberOption = Annotated[
    str | None, typer.Option("--member", help="Member code the chart is about.")
]
PeriodOption = Annotated[
    str | None, typer.Option("--period", help="Period: 2025-10, 2025-Q3, 2025 or 2025-10-YTD.")
]
LanguageOption = Annotated[
    Language | None,
    typer.Option("--language", help="Language of labels (default: as bsc --language)."),
]
WidthOption = Annotated[int, typer.Option("--width", min=200, max=6000, help="Pixels wide.")]
HeightOption = Annotated[int, typer.Option("--height", min=200, max=6000, help="Pixels high.")]
ParamOption = Annotated[
    list[str] | None, typer.Option("--param", help="Extra parameter KEY=VALUE (repeatable).")
]


def _params(pairs: list[str] | None) -> dict[str, str]:
    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(t("--param {pair!r}: write it as KEY=VALUE", pair=pair), code=2)
        params[key] = value
    return params


@app.command("list")
def list_exports(ctx: typer.Context) -> None:
    """List the charts and tables that can be exported, with who may see them."""
    from dashboard.registry import charts, tables

    state(ctx).principal()  # --as must name an active user, as for every command
    for kind, registry in (("chart", charts()), ("table", tables())):
        for name, entry in registry.items():
            console.print(
                f"{kind:<6} {name:<28} {entry.access:<15} {t(entry.title)}",
                highlight=False,
                markup=False,
            )


@app.command("chart")
def export_chart(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Chart name (see `bsc export list`).")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="File to write.")],
    fmt: Annotated[ImageFormat, typer.Option("--format", help="Image format.")] = ImageFormat.PNG,
    member: MemberOption = None,
    period: PeriodOption = None,
    language: LanguageOption = None,
    width: WidthOption = 1200,
    height: HeightOption = 700,
    param: ParamOption = None,
) -> None:
    """Write chart NAME as PNG, SVG or PDF, drawn by the same code as the page."""
    from bsc.exports import images

    figure = _build(ctx, "chart", name, member, period, language, _params(param))
    output.write_bytes(images.render(figure, fmt.value, width=width, height=height))
    console.print(t("wrote {file}", file=output), highlight=False, markup=False, soft_wrap=True)


@app.command("charts")
def export_charts(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Chart names (default: every chart you may see; `bsc export list`)."),
    ] = None,
    folder: Annotated[
        Path, typer.Option("-o", "--output", file_okay=False, help="Folder to write into.")
    ] = Path("."),
    fmt: Annotated[ImageFormat, typer.Option("--format", help="Image format.")] = ImageFormat.PNG,
    member: MemberOption = None,
    period: PeriodOption = None,
    language: LanguageOption = None,
    width: WidthOption = 1200,
    height: HeightOption = 700,
    param: ParamOption = None,
) -> None:
    """Write many charts at once as FOLDER/NAME.FORMAT, drawn in one browser.

    Without NAMES: every chart you may see that the options describe fully; charts that need
    more (a member, a KPI) are listed as skipped with what to add.
    """
    from rich.progress import Progress

    from bsc.errors import BscError
    from bsc.exports import images
    from dashboard.registry import charts

    state(ctx).principal()  # --as must name an active user, as for every command
    known = charts()
    unknown = sorted(set(names or ()) - set(known))
    if unknown:
        fail(t("no chart named {names}; see `bsc export list`", names=", ".join(unknown)), code=2)
    figures: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    with Progress(console=console, transient=True) as progress:
        wanted = list(names or known)
        task = progress.add_task(t("drawing charts"), total=len(wanted))
        for name in wanted:
            try:
                figures[name] = _build(
                    ctx, "chart", name, member, period, language, _params(param), quiet=True
                )
            except BscError as error:
                if names:  # asked for by name: say why it cannot be had
                    fail(t("chart {name}: {problem}", name=name, problem=str(error)))
                skipped[name] = str(error)
            progress.advance(task)
        progress.update(
            task,
            description=t("rendering {count} {format} files", count=len(figures), format=fmt.value),
        )
        rendered = images.render_batch(
            list(figures.values()), fmt.value, width=width, height=height
        )
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in zip(figures, rendered, strict=True):
        (folder / f"{name}.{fmt.value}").write_bytes(content)
    console.print(
        t("wrote {count} charts to {folder}", count=len(figures), folder=folder),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    for name, reason in skipped.items():
        console.print(
            t("skipped {name}: {problem}", name=name, problem=reason), highlight=False, markup=False
        )
    if not figures:
        fail(t("no chart could be drawn with these options"), code=1)


@app.command("table")
def export_table(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Table name (see `bsc export list`).")],
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="File to write.")],
    fmt: Annotated[TableFormat, typer.Option("--format", help="File format.")] = TableFormat.XLSX,
    member: MemberOption = None,
    period: PeriodOption = None,
    language: LanguageOption = None,
    param: ParamOption = None,
) -> None:
    """Write table NAME as CSV (UTF-8 with BOM) or XLSX; formula-like cells are neutralised."""
    from bsc.exports.tables import to_csv_bytes, to_xlsx_bytes

    frame = _build(ctx, "table", name, member, period, language, _params(param))
    if fmt is TableFormat.CSV:
        output.write_bytes(to_csv_bytes(frame))
    else:
        output.write_bytes(to_xlsx_bytes(frame, sheet=_table_title(ctx, name, language)))
    console.print(
        t("wrote {file} ({rows} rows)", file=output, rows=len(frame)),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@app.command("briefing")
def export_briefing(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", dir_okay=False, help="PDF to write.")],
    member: Annotated[
        str | None,
        typer.Option("--member", help="Member code: that member's book (default: the programme)."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="2025-10, 2025-Q3, 2025 or 2025-10-YTD (default: the latest month with data).",
        ),
    ] = None,
    language: LanguageOption = None,
) -> None:
    """Write the briefing book PDF of the whole programme (executives, program office) or of
    one member: cover, contents, overview, scorecards, strategy maps, red and amber KPIs with
    why, PEST and rollout."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from bsc import i18n
    from bsc.db import session_scope
    from bsc.errors import BscError, InvalidInput
    from bsc.services.briefing import briefing_period, briefing_scope
    from dashboard.briefing import make_briefing

    cli = state(ctx)
    actor = cli.principal()
    with (
        i18n.use_language(language.value if language else actor.language),
        session_scope(cli.engine(), write=False) as session,
    ):
        try:
            briefing_scope(session, actor=actor, member_code=member)
            chosen = briefing_period(session, period)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--period") from exc
        except BscError as exc:
            fail(str(exc))
        columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("", total=1.0)

            def advance(share: float, step: str) -> None:
                bar.update(task, completed=share, description=step)

            try:
                book = make_briefing(
                    session, actor=actor, member_code=member, period=chosen, progress=advance
                )
            except BscError as exc:
                fail(str(exc))
    output.write_bytes(book.content)
    console.print(
        t("wrote {file} ({pages} pages)", file=output, pages=book.pages),
        highlight=False,
        markup=False,
        soft_wrap=True,  # a long path stays one piece that can be copied
    )


def _table_title(ctx: typer.Context, name: str, language: Language | None) -> str:
    """The table's title in the export's language: the XLSX sheet is named after it."""
    from bsc import i18n
    from dashboard.registry import tables

    with i18n.use_language(language.value if language else i18n.current_language()):
        return i18n.t(tables()[name].title)


def _build(
    ctx: typer.Context,
    kind: str,
    name: str,
    member: str | None,
    period: str | None,
    language: Language | None,
    params: dict[str, str],
    *,
    quiet: bool = False,
) -> Any:
    from bsc import i18n
    from bsc.db import session_scope
    from bsc.errors import BscError
    from dashboard.registry import ExportContext, build_chart, build_table

    cli = state(ctx)
    actor = cli.principal()
    build = build_chart if kind == "chart" else build_table
    try:
        with (
            i18n.use_language(language.value if language else i18n.current_language()),
            session_scope(cli.engine(), write=False) as session,
        ):
            return build(name, ExportContext(session, actor, member, period, params))
    except BscError as exc:
        if quiet:
            raise
        fail(str(exc))
