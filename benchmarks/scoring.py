"""Benchmark: the full scorecard roll-up of 200 members × 60 KPIs × 60 months (720,000
measurements) against reading those measurements from the database into pandas.

The roll-up is everything the scorecards need for all members at once: every one of the 60
months scored and rolled up KPI → objective → perspective → member (the history behind the
charts), plus the latest month's scorecard with trends and forecasts. The baseline is the plain
read of the measurement table's columns into a DataFrame (``pandas.read_sql``), measured in the
same run on the same SQLite database; the product's own reader (``read_measurements``, which
also turns dates into month numbers) is reported beside it. Target: roll-up ≤ 1.5 × read.

Run: ``python benchmarks/scoring.py`` (about a minute, most of it building the database).
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402
from support.programme import LAST_MONTH, build_database  # noqa: E402

from bsc.db import session_scope  # noqa: E402
from bsc.services.scoring_data import load_inputs, read_measurements, scoring_rules  # noqa: E402
from kpi.scoring import Period, PeriodKind, score, score_history  # noqa: E402

MEMBERS, KPIS, MONTHS = 200, 60, 60
REPEATS = 5
TARGET_RATIO = 1.5


def timed(work: Callable[[], object]) -> float:
    """The median wall time of ``work`` over :data:`REPEATS` runs, after one warm-up."""
    work()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine, count = build_database(
            Path(folder) / "bench.db", members=MEMBERS, kpis=KPIS, months=MONTHS
        )
        with session_scope(engine, write=False) as session:
            member_ids = list(range(1, MEMBERS + 1))
            inputs = load_inputs(session, member_ids)
            rules = scoring_rules(session)

            connection = session.connection()
            plain = text(
                "SELECT member_id, kpi_id, period_start, granularity, value FROM measurement"
            )

            def read() -> object:
                return pd.read_sql(plain, connection)

            def product_read() -> object:
                return read_measurements(session, member_ids)

            read_seconds = timed(read)
            product_read_seconds = timed(product_read)
        engine.dispose()

    last = LAST_MONTH.year * 12 + LAST_MONTH.month - 1
    months = [Period(PeriodKind.MONTH, index) for index in range(last - MONTHS + 1, last + 1)]
    assert len(inputs.data.measurements) == count

    def history() -> object:
        # A fresh copy each run: the engine caches per input object.
        data = dataclasses.replace(inputs.data)
        return score_history(data, months, rules=rules, members=member_ids)

    def scorecards() -> object:
        data = dataclasses.replace(inputs.data)
        return score(data, months[-1], rules=rules, window=6, members=member_ids)

    def roll_up() -> object:
        data = dataclasses.replace(inputs.data)
        score_history(data, months, rules=rules, members=member_ids)
        return score(data, months[-1], rules=rules, window=6, members=member_ids)

    history_seconds = timed(history)
    scorecard_seconds = timed(scorecards)
    roll_up_seconds = timed(roll_up)
    ratio = roll_up_seconds / read_seconds
    print(
        json.dumps(
            {
                "benchmark": "scoring_roll_up",
                "members": MEMBERS,
                "kpis": KPIS,
                "months": MONTHS,
                "measurements": count,
                "baseline_read_measurements_seconds": round(read_seconds, 3),
                "product_read_measurements_seconds": round(product_read_seconds, 3),
                "roll_up_seconds": round(roll_up_seconds, 3),
                "parts": {
                    "history_60_months_seconds": round(history_seconds, 3),
                    "latest_month_with_trends_and_forecasts_seconds": round(scorecard_seconds, 3),
                },
                "ratio": round(ratio, 3),
                "target_ratio": TARGET_RATIO,
                "meets_target": ratio <= TARGET_RATIO,
                "repeats": REPEATS,
                "statistic": "median wall time",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
