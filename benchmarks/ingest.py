"""Benchmark: ingesting a 1,000,000-row long CSV, beside what pandas and PostgreSQL do alone.

Run ``python benchmarks/ingest.py`` (``--rows N`` for another size, ``--repeat N`` for another
number of runs of each measurement). It prints one JSON object: rows per second of ``bsc``'s
ingest (read, validate, upsert with revisions, commit) on SQLite and PostgreSQL, and, measured in
the same run on the same generated file and machine:

(a) ``pandas.read_csv`` + one ``executemany`` transaction into an equivalent plain table,
(b) ``DataFrame.to_sql`` into it (what a user would write by hand),
(c) on PostgreSQL, a raw ``COPY`` of the file into it;

every ratio and whether each target of the issue is met (≥ 0.5× (a) and (c), ≥ 2× (b), peak
memory ≤ 2× what ``pandas.read_csv`` of the file adds). For reference it also measures the same
file sent again (every value unchanged), and (d) the file's rows without any validation written
straight into the real ``measurement`` table (its unique key, two more indexes and three foreign
keys), once as the schema stands and once with foreign-key enforcement off for that one
connection: the floor the table itself sets, and how much of it the foreign keys take.

Each measurement runs in a fresh process (so that memory peaks do not mix) ``--repeat`` times;
the best time counts, so that a busy machine does not decide the verdict, and the load average
is reported, with each measuring process's own CPU seconds (on SQLite the whole work, whatever
else the machine runs). Memory is the peak RSS the measured step adds to its process (the median
of the runs). PostgreSQL is the server of ``BSC_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); the benchmark creates and drops databases
of its own there.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMBERS = 100
KPIS = 20
POSTGRES = os.environ.get(
    "BSC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def write_feed(path: Path, rows: int) -> None:
    """A long CSV: MEMBERS × KPIS series of monthly values, as many months as ``rows`` needs."""
    import numpy as np

    months = -(-rows // (MEMBERS * KPIS))
    values = np.round(np.random.default_rng(7).random(MEMBERS * KPIS * months) * 1000, 2)
    labels = [f"{1900 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("member_code,kpi_code,period,value\n")
        for member in range(MEMBERS):
            for kpi in range(KPIS):
                base = (member * KPIS + kpi) * months
                count = min(months, rows - written)
                handle.writelines(
                    f"M{member:03d},KPI_{kpi:02d},{labels[m]},{values[base + m]}\n"
                    for m in range(count)
                )
                written += count


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_BEFORE: list[float] = []


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _mark() -> None:
    """Note the peak and the CPU time so far: what the measured work adds is the figure after it
    minus this."""
    _BEFORE.extend([_peak_mb(), _cpu_seconds()])


def _prepare_database(url: str) -> None:
    """The schema and a catalogue of MEMBERS members and KPIS monthly KPIs."""
    from bsc import migrate
    from bsc.db import make_engine, session_scope
    from bsc.models import KpiDefinition, Member

    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        session.add_all(
            Member(
                code=f"M{m:03d}",
                name=f"Member {m}",
                segment="broker",
                region="north",
                capital_structure="private",
            )
            for m in range(MEMBERS)
        )
        session.add_all(
            KpiDefinition(
                code=f"KPI_{k:02d}",
                name=f"KPI {k}",
                polarity="higher_is_better",
                target=900,
                amber=500,
                floor=0,
                frequency="monthly",
                aggregation="mean",
                perspective="process",
            )
            for k in range(KPIS)
        )
    engine.dispose()


# ---------------------------------------------------------------- measured in child processes


def _ingest(url: str, path: Path) -> Any:
    from bsc.authz import OPERATOR
    from bsc.db import make_engine, session_scope
    from bsc.services.ingest import ingest_feed
    from kpi.reading import Limits

    engine = make_engine(url)
    with session_scope(engine) as session:
        report = ingest_feed(
            session,
            data=path.read_bytes(),
            filename=path.name,
            actor=OPERATOR,
            source="cli",
            limits=Limits(max_bytes=10**10, max_rows=10**8),
        )
    engine.dispose()
    assert report.status == "applied", report.issues[:3]
    return report


def run_ingest(url: str, path: Path) -> dict[str, float]:
    from bsc.services import ingest  # noqa: F401  (imports are not part of the measurement)

    _prepare_database(url)
    _mark()
    start = time.perf_counter()
    report = _ingest(url, path)
    seconds = time.perf_counter() - start
    assert report.applied > 0
    return {"seconds": seconds}


def run_resend(url: str, path: Path) -> dict[str, float]:
    """The same file again: every key is stored, every value unchanged, nothing written."""
    _prepare_database(url)
    _ingest(url, path)
    _mark()
    start = time.perf_counter()
    report = _ingest(url, path)
    seconds = time.perf_counter() - start
    assert report.applied == 0 and report.unchanged > 0
    return {"seconds": seconds}


_PLAIN = "CREATE TABLE plain (member_code TEXT, kpi_code TEXT, period TEXT, value REAL)"


def _driver_connection(url: str):  # type: ignore[no-untyped-def]
    """A plain DB-API connection (sqlite3 or psycopg), as a hand-written script would open."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(parsed.database)
    import psycopg

    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(False))


def run_executemany(url: str, path: Path) -> dict[str, float]:
    import pandas as pd

    connection = _driver_connection(url)
    connection.execute(_PLAIN)
    connection.commit()
    _mark()
    start = time.perf_counter()
    frame = pd.read_csv(path)
    marker = "?" if url.startswith("sqlite") else "%s"
    cursor = connection.cursor()
    cursor.executemany(
        f"INSERT INTO plain VALUES ({', '.join([marker] * 4)})",
        frame.itertuples(index=False, name=None),
    )
    connection.commit()
    return {"seconds": time.perf_counter() - start}


def run_to_sql(url: str, path: Path) -> dict[str, float]:
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(_PLAIN)
    _mark()
    start = time.perf_counter()
    frame = pd.read_csv(path)
    frame.to_sql("plain", engine, if_exists="append", index=False)
    return {"seconds": time.perf_counter() - start}


def run_copy(url: str, path: Path) -> dict[str, float]:
    connection = _driver_connection(url)
    connection.execute(_PLAIN)
    connection.commit()
    _mark()
    start = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy("COPY plain FROM STDIN (FORMAT csv, HEADER true)") as copy,
        path.open("rb") as handle,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    connection.commit()
    return {"seconds": time.perf_counter() - start}


def run_floor(url: str, path: Path, *, foreign_keys: bool = True) -> dict[str, float]:
    """(d) The schema's own floor: the file's rows, mapped to ids without any validation, written
    straight into the real ``measurement`` table (its unique key, indexes and foreign keys) by
    ``executemany`` (SQLite, with the connection settings of ``bsc.db``) or the binary ``COPY``
    ``bsc`` uses (PostgreSQL), in one transaction, in the order ``bsc`` inserts (KPI, period,
    member). ``foreign_keys=False`` turns their enforcement off for this connection alone
    (PostgreSQL: ``session_replication_role``, which needs a superuser)."""
    import pandas as pd

    _prepare_database(url)
    connection = _driver_connection(url)
    members = dict(connection.execute("SELECT code, id FROM member").fetchall())
    kpis = dict(connection.execute("SELECT code, id FROM kpi_definition").fetchall())
    upload = connection.execute(
        "INSERT INTO upload (actor, source, filename, sha256, size_bytes, status, rows_read, "
        "rows_applied, rows_unchanged, rows_empty, rows_ignored, created_at) VALUES "
        "('bench', 'cli', 'long.csv', '', 0, 'applied', 0, 0, 0, 0, 0, CURRENT_TIMESTAMP) "
        "RETURNING id"
    ).fetchone()[0]
    connection.commit()
    sqlite = url.startswith("sqlite")
    if sqlite:
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    elif not foreign_keys:
        connection.execute("SET session_replication_role = replica")
    connection.commit()
    _mark()
    start = time.perf_counter()
    frame = pd.read_csv(path)
    frame["member_id"] = frame["member_code"].map(members)
    frame["kpi_id"] = frame["kpi_code"].map(kpis)
    frame["period_start"] = frame["period"] + "-01"
    frame = frame.sort_values(["kpi_id", "period_start", "member_id"])
    columns = "member_id, kpi_id, granularity, period_start, value, upload_id, recorded_at"
    if sqlite:
        connection.executemany(
            f"INSERT INTO measurement ({columns}) VALUES (?, ?, 'month', ?, ?, ?, ?)",
            zip(
                frame["member_id"].tolist(),
                frame["kpi_id"].tolist(),
                frame["period_start"].tolist(),
                frame["value"].tolist(),
                repeat(upload),
                repeat(datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")),
                strict=False,
            ),
        )
    else:
        from bsc.binary_copy import binary_copy_data

        block = [
            ("int4", frame["member_id"].to_numpy()),
            ("int4", frame["kpi_id"].to_numpy()),
            ("text", "month"),
            ("date", frame["period_start"].to_numpy(dtype="datetime64[D]")),
            ("float8", frame["value"].to_numpy()),
            ("int4", upload),
            ("timestamptz", datetime.now(UTC)),
        ]
        statement = f"COPY measurement ({columns}) FROM STDIN (FORMAT BINARY)"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for data in binary_copy_data([(len(frame), block)]):
                copy.write(data)
    connection.commit()
    return {"seconds": time.perf_counter() - start}


def run_floor_without_foreign_keys(url: str, path: Path) -> dict[str, float]:
    return run_floor(url, path, foreign_keys=False)


def run_read_csv(_url: str, path: Path) -> dict[str, float]:
    import pandas as pd

    _mark()
    start = time.perf_counter()
    pd.read_csv(path)
    return {"seconds": time.perf_counter() - start}


RUNS = {
    "ingest": run_ingest,
    "resend": run_resend,
    "executemany": run_executemany,
    "to_sql": run_to_sql,
    "copy": run_copy,
    "floor": run_floor,
    "floor_without_foreign_keys": run_floor_without_foreign_keys,
    "read_csv": run_read_csv,
}


# ---------------------------------------------------------------- orchestration


def measure(kind: str, new_url: Callable[[], str], path: Path, repeat: int) -> dict[str, Any]:
    """``repeat`` runs of ``kind``, each in a fresh process on a fresh database: the best time and
    the median of the memory the step added."""
    runs = []
    for _ in range(repeat):
        url = new_url()
        completed = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--url", url, "--file", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{kind} on {url} failed:\n{completed.stderr[-3000:]}")
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return {
        "seconds": min(run["seconds"] for run in runs),
        "all_seconds": [round(run["seconds"], 2) for run in runs],
        "added_mb": statistics.median(run["added_mb"] for run in runs),
        "cpu_seconds": min(run["cpu_seconds"] for run in runs),
    }


def _postgres_database() -> tuple[str, str] | None:
    """A new database on the PostgreSQL server (its URL and name), or None without a server."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bsc.db import make_engine

    admin = make_engine(POSTGRES)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            name = f"bsc_bench_{uuid.uuid4().hex[:8]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # any failure to connect means: no PostgreSQL here
        return None
    finally:
        admin.dispose()
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False), name


def _drop_postgres(name: str) -> None:
    from sqlalchemy import text

    from bsc.db import make_engine

    admin = make_engine(POSTGRES)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _per_second(rows: int, result: dict[str, Any]) -> int:
    return round(rows / result["seconds"])


def _backend(
    rows: int, path: Path, kinds: list[str], new_url: Callable[[], str], repeat: int
) -> dict[str, Any]:
    results = {kind: measure(kind, new_url, path, repeat) for kind in kinds}
    speeds = {kind: _per_second(rows, result) for kind, result in results.items()}
    ingest = speeds["ingest"]
    figures: dict[str, Any] = {
        "ingest_rows_per_s": ingest,
        "ingest_seconds": [*results["ingest"]["all_seconds"]],
        "ingest_added_mb": round(results["ingest"]["added_mb"]),
        "baseline_a_executemany_rows_per_s": speeds["executemany"],
        "baseline_b_to_sql_rows_per_s": speeds["to_sql"],
        "ratio_to_a_executemany": round(ingest / speeds["executemany"], 2),
        "ratio_to_b_to_sql": round(ingest / speeds["to_sql"], 2),
    }
    if "copy" in speeds:
        figures["baseline_c_copy_rows_per_s"] = speeds["copy"]
        figures["ratio_to_c_copy"] = round(ingest / speeds["copy"], 2)
    # The measuring process's own CPU seconds (best run): on SQLite all the work, so their
    # ratios say what a machine shared with other work hides; on PostgreSQL the client's part.
    figures["client_cpu_seconds"] = {
        kind: round(result["cpu_seconds"], 2) for kind, result in results.items()
    }
    figures["reference"] = {
        "resend_unchanged_rows_per_s": speeds["resend"],
        "resend_added_mb": round(results["resend"]["added_mb"]),
        "d_unvalidated_into_measurement_rows_per_s": speeds["floor"],
        "d_same_without_foreign_key_checks_rows_per_s": speeds.get("floor_without_foreign_keys"),
        "ingest_share_of_d": round(ingest / speeds["floor"], 2),
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--child", choices=sorted(RUNS))
    parser.add_argument("--url")
    parser.add_argument("--file", type=Path)
    arguments = parser.parse_args()
    if arguments.child:
        result = RUNS[arguments.child](arguments.url, arguments.file)
        peak = _peak_mb()
        cpu = _cpu_seconds() - _BEFORE[1]
        print(
            json.dumps(
                {**result, "peak_mb": peak, "added_mb": peak - _BEFORE[0], "cpu_seconds": cpu}
            )
        )
        return
    output: dict[str, Any] = {
        "rows": arguments.rows,
        "repeat": arguments.repeat,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "long.csv"
        write_feed(feed, arguments.rows)
        output["file_mb"] = round(feed.stat().st_size / 2**20, 1)
        counter = iter(range(10_000))

        def sqlite_url() -> str:
            return f"sqlite:///{folder}/bench_{next(counter)}.db"

        pandas = measure("read_csv", lambda: "", feed, arguments.repeat)
        output["pandas_read_csv_added_mb"] = round(pandas["added_mb"])
        sqlite_kinds = ["ingest", "resend", "executemany", "to_sql", "floor"]
        output["sqlite"] = _backend(
            arguments.rows,
            feed,
            [*sqlite_kinds, "floor_without_foreign_keys"],
            sqlite_url,
            arguments.repeat,
        )
        created: list[str] = []

        def postgres_url() -> str:
            made = _postgres_database()
            if made is None:
                raise RuntimeError("no PostgreSQL server at BSC_TEST_POSTGRES_URL")
            created.append(made[1])
            return made[0]

        try:
            kinds = [*sqlite_kinds, "copy"]
            if _superuser():
                kinds.append("floor_without_foreign_keys")
            output["postgresql"] = _backend(
                arguments.rows, feed, kinds, postgres_url, arguments.repeat
            )
        except RuntimeError as exc:
            output["postgresql"] = {"skipped": str(exc).splitlines()[0]}
        finally:
            for name in created:
                _drop_postgres(name)
    output["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    output["targets"] = _targets(output)
    print(json.dumps(output, indent=2))


def _superuser() -> bool:
    """Whether the benchmark may turn foreign-key triggers off on PostgreSQL (a reference only)."""
    from sqlalchemy import text

    from bsc.db import make_engine

    engine = make_engine(POSTGRES)
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    text("SELECT usesuper FROM pg_user WHERE usename = current_user")
                ).scalar()
            )
    except Exception:  # no server: the PostgreSQL part reports itself skipped
        return False
    finally:
        engine.dispose()


def _targets(output: dict[str, Any]) -> dict[str, bool]:
    """The issue's targets: ≥ 0.5× (a) and (c), ≥ 2× (b), memory ≤ 2× pandas' own."""
    sqlite, postgres = output["sqlite"], output["postgresql"]
    added = [sqlite["ingest_added_mb"], postgres.get("ingest_added_mb", 0)]
    return {
        "sqlite_at_least_half_of_a_executemany": sqlite["ratio_to_a_executemany"] >= 0.5,
        "sqlite_at_least_twice_b_to_sql": sqlite["ratio_to_b_to_sql"] >= 2,
        "postgresql_at_least_half_of_a_executemany": postgres.get("ratio_to_a_executemany", 0)
        >= 0.5,
        "postgresql_at_least_half_of_c_copy": postgres.get("ratio_to_c_copy", 0) >= 0.5,
        "postgresql_at_least_twice_b_to_sql": postgres.get("ratio_to_b_to_sql", 0) >= 2,
        "memory_added_at_most_twice_pandas": max(added) <= 2 * output["pandas_read_csv_added_mb"],
    }


if __name__ == "__main__":
    main()
