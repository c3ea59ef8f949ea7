"""Benchmark: exporting 50 charts in one batch against kaleido's own batch API.

Run ``python benchmarks/exports.py`` (about a minute). It loads the demo data into a temporary
SQLite database through the product's loader, builds 50 charts of the app in Traditional Chinese
through the chart registry (every programme chart, then each member's score history and strategy
map, then KPI histories), and renders them to PNG:

* **product**: :func:`bsc.exports.images.render_batch` — what ``bsc export charts`` and the
  briefing book use: the one browser of the process, started on first use;
* **baseline**: ``kaleido.write_fig_from_object_sync`` on the same figures — kaleido's batch API,
  which starts and stops a browser of its own.

Each is timed in a fresh process (so both pay for starting Chromium), alternating, ``ROUNDS``
times; the median is reported. Target: product ≤ 2× baseline. It prints one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder
from sqlmodel import select

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

CHARTS = 50
ROUNDS = 3
WIDTH, HEIGHT = 1000, 600


def build_figures(folder: Path) -> list[go.Figure]:
    """The demo database's first ``CHARTS`` charts, in Traditional Chinese."""
    from rich.console import Console

    from bsc import i18n, migrate
    from bsc.authz import OPERATOR
    from bsc.db import make_engine, session_scope
    from bsc.errors import BscError
    from bsc.models import KpiDefinition, Member
    from bsc.services.demo import default_demo_folder, load_demo
    from bsc.services.scorecard_results import latest_period
    from dashboard.registry import ExportContext, build_chart, charts

    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    migrate.upgrade(engine)
    load_demo(engine, default_demo_folder(), console=Console(stderr=True))  # stdout: JSON
    figures: list[go.Figure] = []
    with session_scope(engine, write=False) as session, i18n.use_language("zh-TW"):
        members = session.exec(select(Member.code).order_by(Member.code)).all()
        kpis = session.exec(select(KpiDefinition.code).order_by(KpiDefinition.code)).all()
        wanted = [(name, None, {}) for name in charts() if name not in _PER_MEMBER]
        wanted += [(name, code, {}) for code in members for name in _PER_MEMBER - _PER_KPI]
        wanted += [("kpi_history", code, {"kpi": kpi}) for code in members for kpi in kpis]
        period = latest_period(session)
        for name, member, params in wanted:
            if len(figures) == CHARTS:
                break
            try:
                figures.append(
                    build_chart(name, ExportContext(session, OPERATOR, member, period, params))
                )
            except BscError:  # a member without a map, a KPI it does not report
                continue
    engine.dispose()
    return figures


_PER_KPI = {"kpi_history", "kpi_peers"}
_PER_MEMBER = {"perspective_history", "strategy_map"} | _PER_KPI


def render(mode: str, source: Path) -> float:
    """Seconds to render the figures in ``source`` as PNG by ``mode``, browser start included."""
    figures = [pio.from_json(json.dumps(figure)) for figure in json.loads(source.read_text())]
    options = {"format": "png", "width": WIDTH, "height": HEIGHT}
    started = time.perf_counter()
    if mode == "product":
        from bsc.exports import images

        images.render_batch(figures, "png", width=WIDTH, height=HEIGHT)
    else:
        import kaleido

        from bsc.exports.images import chromium_path

        os.environ["BROWSER_PATH"] = chromium_path() or "chromium"
        with tempfile.TemporaryDirectory() as out:
            errors = kaleido.write_fig_from_object_sync(
                [
                    {"fig": figure, "path": Path(out) / f"{n}.png", "opts": options}
                    for n, figure in enumerate(figures)
                ]
            )
            assert not errors, errors
            assert len(list(Path(out).iterdir())) == len(figures)
    return time.perf_counter() - started


def _child(mode: str, source: Path) -> float:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(source)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bsc-bench-exports-") as folder:
        figures = build_figures(Path(folder))
        source = Path(folder) / "figures.json"
        source.write_text(json.dumps(figures, cls=PlotlyJSONEncoder))
        timings: dict[str, list[float]] = {"product": [], "kaleido": []}
        for _ in range(ROUNDS):
            for mode in ("kaleido", "product"):
                timings[mode].append(_child(mode, source))
    product = statistics.median(timings["product"])
    baseline = statistics.median(timings["kaleido"])
    print(
        json.dumps(
            {
                "benchmark": "exports",
                "charts": len(figures),
                "format": f"png {WIDTH}x{HEIGHT}, Traditional Chinese labels",
                "rounds_median_of": ROUNDS,
                "product_render_batch_seconds": round(product, 2),
                "baseline_kaleido_write_fig_from_object_seconds": round(baseline, 2),
                "product_over_baseline": round(product / baseline, 2),
                "target_at_most": 2.0,
                "all_seconds": {
                    mode: [round(s, 2) for s in runs] for mode, runs in timings.items()
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(render(sys.argv[2], Path(sys.argv[3])))
    else:
        main()
