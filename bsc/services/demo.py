"""Loading the demo dataset through the same importers users use, and the demo users.

The dataset lives in ``data/demo`` (written by ``python -m data.generate``). Loading happens once
per database: a database that already has members is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.progress import Progress
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bsc.authz import OPERATOR
from bsc.db import session_scope
from bsc.errors import BscError
from bsc.i18n import N_, t
from bsc.models import Member, Role, User
from bsc.security import hash_password
from bsc.services import pest, rollout, survey, vendors
from bsc.services.catalogue import import_kpis, import_members
from bsc.services.ingest import ingest_feed
from bsc.services.maps import import_map
from bsc.services.results import IngestReport
from kpi.messages import Text

__all__ = ["DEMO_USERS", "DemoUser", "default_demo_folder", "load_demo", "ensure_demo_users"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    member_code: str | None
    is_admin: bool
    description: str  #: marked with N_


DEMO_USERS = (
    DemoUser("exec", Role.EXECUTIVE, None, False, N_("executive: reads everything")),
    DemoUser("office", Role.PROGRAM_OFFICE, None, True, N_("program office and admin")),
    DemoUser("m001", Role.MEMBER, "M001", False, N_("member user of M001 Formosa Securities")),
)


class StepIssue(Protocol):
    @property
    def line(self) -> int | None: ...

    @property
    def message(self) -> str: ...


class StepResult(Protocol):
    """What every importer returns: whether it was rejected and why."""

    @property
    def rejected(self) -> bool: ...

    @property
    def issues(self) -> Sequence[StepIssue]: ...


@dataclass(frozen=True)
class DemoStep:
    description: Text
    run: Callable[[Session, Path], StepResult]


def _file_step(
    description: Text, relative: str, importer: Callable[..., StepResult], **options: object
) -> DemoStep:
    def run(session: Session, folder: Path) -> StepResult:
        path = folder / relative
        return importer(
            session, path.read_bytes(), path.name, actor=OPERATOR, source="cli", **options
        )

    return DemoStep(description, run)


def _upload(session: Session, path: Path, member_code: str | None) -> IngestReport:
    return ingest_feed(
        session,
        data=path.read_bytes(),
        filename=path.name,
        actor=OPERATOR,
        source="demo",
        member_code=member_code,
    )


def _monthly_feeds(session: Session, folder: Path) -> IngestReport:
    """Each member's monthly file, uploaded as that member (the file's name starts with it)."""
    report = IngestReport(status="rejected", issues=[])
    for path in sorted((folder / "measurements").glob("M*_monthly.*")):
        report = _upload(session, path, path.name.split("_")[0])
        if report.rejected:
            break
    return report


def _programme_feed(relative: str) -> Callable[[Session, Path], IngestReport]:
    """A file of all members, uploaded by the program office."""

    def run(session: Session, folder: Path) -> IngestReport:
        return _upload(session, folder / relative, None)

    return run


def default_demo_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "demo"


STEPS: list[DemoStep] = [
    _file_step(Text("members"), "members.csv", import_members),
    _file_step(Text("KPI catalogue"), "kpis.csv", import_kpis),
    DemoStep(Text("monthly measurements"), _monthly_feeds),
    DemoStep(
        Text("quarterly measurements"), _programme_feed("measurements/quarterly_all_members.xlsx")
    ),
    DemoStep(Text("yearly measurements"), _programme_feed("measurements/yearly_all_members.csv")),
    _file_step(Text("programme strategy map"), "maps/template.yaml", import_map, publish=True),
    *(
        _file_step(
            Text("strategy map of {member}", member=code),
            f"maps/{code}.yaml",
            import_map,
            publish=True,
        )
        for code in ("M001", "M002", "M003")
    ),
    _file_step(Text("rollout waves"), "waves.csv", rollout.import_waves),
    _file_step(Text("rollout plan"), "rollout.csv", rollout.import_stages),
    _file_step(Text("PEST factors"), "pest_factors.csv", pest.import_factors),
    _file_step(Text("PEST ratings"), "pest_ratings.csv", pest.import_ratings),
    _file_step(Text("survey items"), "survey_items.csv", survey.import_items),
    _file_step(Text("survey responses"), "survey_responses.csv", survey.import_responses),
    _file_step(Text("vendor criteria"), "vendor_criteria.csv", vendors.import_criteria),
    _file_step(Text("vendor scores"), "vendor_scores.csv", vendors.import_scores),
    _file_step(Text("vendor decision"), "vendor_decision.csv", vendors.import_decision),
]


def load_demo(engine: Engine, folder: Path, *, console: Console | None = None) -> bool:
    """Load the demo files into an empty database; returns False when it already had data.

    Each step runs in its own transaction through the product's importers; a rejected demo file
    is a bug and stops the load with the importer's report.
    """
    with session_scope(engine, write=False) as session:
        if session.exec(select(Member.id).limit(1)).first() is not None:
            return False
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task(t("loading demo data"), total=len(STEPS))
        for step in STEPS:
            progress.update(task, description=t("loading {step}", step=t(step.description)))
            with session_scope(engine) as session:
                result = step.run(session, folder)
                if result.rejected:
                    problems = [
                        Text("line {line}: {message}", line=i.line, message=i.message)
                        for i in result.issues[:5]
                    ]
                    raise BscError(
                        N_("demo {step} rejected: {problems}"),
                        step=step.description,
                        problems=Text.join(problems),
                    )
            progress.advance(task)
    return True


def ensure_demo_users(session: Session, passwords: dict[str, str]) -> None:
    """Create the demo users, or reset their passwords, so the printed logins always work."""
    codes = {m.code: m.id for m in session.exec(select(Member)).all()}
    for demo in DEMO_USERS:
        user = session.exec(select(User).where(User.username == demo.username)).first()
        if user is None:
            user = User(
                username=demo.username,
                password_hash="",
                role=demo.role.value,
                member_id=codes.get(demo.member_code) if demo.member_code else None,
                is_admin=demo.is_admin,
            )
        user.password_hash = hash_password(passwords[demo.username])
        user.failed_logins = 0
        user.locked_until = None
        user.active = True
        session.add(user)
