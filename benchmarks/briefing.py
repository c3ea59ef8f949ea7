"""Benchmark: a 12-member programme's briefing book — its time and page count.

Loads the demo data into a temporary SQLite database through the product's loader and leaves
12 of its 14 members active (each with a year and more of monthly values; three with published
strategy maps; PEST ratings and a rollout plan). Makes the whole programme's book as an
executive, as ``bsc export briefing`` does, timing the composition (scoring, building and
drawing the charts) and the layout (HTML to PDF) apart. The baseline, measured in the same run
and the same warm browser: drawing the book's charts again as images alone (kaleido, SVG, the
sizes the book uses), i.e. what the charts cost without anything the book adds. Prints one JSON
object.

Run: ``python benchmarks/briefing.py`` (about two minutes).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMBERS = 12


def _database(folder: Path) -> str:
    from rich.console import Console
    from sqlmodel import select

    from bsc import migrate
    from bsc.db import make_engine, session_scope
    from bsc.models import Member
    from bsc.services.demo import default_demo_folder, load_demo

    url = f"sqlite:///{folder / 'bsc.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder(), console=Console(stderr=True))  # stdout: JSON
    with session_scope(engine) as session:
        members = session.exec(select(Member).order_by(Member.code)).all()
        for member in members[MEMBERS:]:
            member.active = False
            session.add(member)
    engine.dispose()
    return url


def main() -> None:
    import plotly.graph_objects as go

    from bsc.authz import Principal
    from bsc.db import make_engine, session_scope
    from bsc.exports import images
    from bsc.i18n import use_language
    from bsc.models import Role
    from bsc.services.overview import member_codes
    from dashboard.briefing import compose_book
    from dashboard.briefing.layout import CHART_WIDTH, lay_out

    with tempfile.TemporaryDirectory(prefix="bsc-briefing-") as folder:
        engine = make_engine(_database(Path(folder)))
        executive = Principal("exec", Role.EXECUTIVE)
        images.render(go.Figure(), "svg")  # the browser starts once, before anything is timed
        with session_scope(engine, write=False) as session, use_language("en"):
            members = len(member_codes(session, principal=executive))
            started = time.perf_counter()
            book = compose_book(
                session,
                actor=executive,
                member_code=None,
                period=None,
                progress=lambda _share, _step: None,
            )
            composed = time.perf_counter()
            pdf = lay_out(book)
            finished = time.perf_counter()
        charts = book.charts()
        baseline_started = time.perf_counter()
        for height, group in groupby(sorted(charts, key=lambda c: c.height), lambda c: c.height):
            figures = [chart.figure for chart in group]
            images.render_batch(figures, "svg", width=CHART_WIDTH, height=height)
        baseline = time.perf_counter() - baseline_started
        engine.dispose()
    total = finished - started
    print(
        json.dumps(
            {
                "benchmark": "briefing_book",
                "members": members,
                "period": book.period,
                "pages": pdf.pages,
                "charts": len(charts),
                "pdf_bytes": len(pdf.content),
                "seconds": round(total, 2),
                "compose_seconds": round(composed - started, 2),
                "layout_seconds": round(finished - composed, 2),
                "seconds_per_member": round(total / members, 2),
                "baseline": {
                    "what": "the book's charts drawn again as images alone (SVG, warm browser)",
                    "seconds": round(baseline, 2),
                },
                "ratio_to_baseline": round(total / baseline, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
